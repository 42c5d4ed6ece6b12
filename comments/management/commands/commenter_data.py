"""
Answer a commenter's request for their data, from the shell:

    manage.py commenter_data export amy@example.com [--output amy.json]
    manage.py commenter_data erase amy@example.com [--remove-text] [--yes]
"""

import json

from django.core.management.base import BaseCommand, CommandError

from comments.models import Comment, CommentReport
from comments.services.data_export import export_commenter_data
from comments.services.privacy import erase_commenter_data

ACTOR_LABEL = "manage.py commenter_data"


class Command(BaseCommand):
    help = (
        "Export (as JSON) or erase everything stored for the comments written with an email "
        "address. Erasure anonymises the comments and keeps the threads; it asks first."
    )
    # Akismet's W001 ("Akismet is off") matters to the web server, not here.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("operation", choices=["export", "erase"])
        parser.add_argument("email", help="The commenter's email address (any letter case).")
        parser.add_argument("--output", "-o", help="export: write the JSON to this file.")
        parser.add_argument(
            "--remove-text",
            action="store_true",
            help="erase: also replace the comments' text (default: the text is kept).",
        )
        parser.add_argument("--yes", action="store_true", help="erase: do not ask to confirm.")

    def handle(self, *args, operation, email, **options):
        email = email.strip()
        count = Comment.objects.by_email(email).count() if email else 0
        reports = CommentReport.objects.by_email(email).count() if email else 0
        if not count and not reports:
            raise CommandError(f"No comments are stored for {email!r}: nothing to {operation}.")
        if operation == "export":
            self.export(email, options["output"])
        else:
            self.erase(
                email, count, reports, remove_text=options["remove_text"], confirmed=options["yes"]
            )

    def export(self, email, output):
        data = export_commenter_data(email)
        text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
        if not output:
            self.stdout.write(text, ending="")
            return
        try:
            with open(output, "w", encoding="utf-8") as file:
                file.write(text)
        except OSError as error:
            raise CommandError(f"Could not write {output}: {error.strerror}.") from error
        self.stderr.write(f"Wrote {len(data['comments'])} comments to {output}.")

    def erase(self, email, count, reports, *, remove_text, confirmed):
        text = "and remove their text" if remove_text else "and keep their text"
        if not confirmed:
            question = (
                f"Anonymise {count} comment{'s' if count != 1 else ''} written with {email} "
                f"{text}{and_reports(reports)}? This cannot be undone. Type 'yes' to continue: "
            )
            try:
                answer = input(question)
            except EOFError:
                answer = ""
            if answer.strip().lower() != "yes":
                raise CommandError("Nothing erased.")
        erased = erase_commenter_data(email, remove_text=remove_text, actor_label=ACTOR_LABEL)
        kept = "text removed" if remove_text else "text kept"
        self.stdout.write(
            f"Erased the personal data of {erased} comment{'s' if erased != 1 else ''} ({kept})"
            f"{and_reports(reports)}."
        )


def and_reports(reports):
    """ " and of the 2 reports sent with it" ("" when there are none)."""
    return (
        f" and of the {reports} report{'s' if reports != 1 else ''} sent with it" if reports else ""
    )
