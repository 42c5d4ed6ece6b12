from django.core.management.base import BaseCommand

from comments.screening import akismet
from comments.services.rechecks import process_due


class Command(BaseCommand):
    help = (
        "Recheck the comments Akismet could not check, and resend failed reports, when due. "
        "The scheduler runs this every minute (job akismet-retry)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=100, help="at most this many of each")

    def handle(self, *args, limit, **options):
        if not akismet.is_configured():
            self.stdout.write(akismet.OFF_WARNING)
            return
        done = process_due(limit=limit)
        self.stdout.write(
            f"Rechecked {done['rechecked']} comment(s), sent {done['reported']} report(s), "
            f"{done['failed']} failed again (retried later)."
        )
