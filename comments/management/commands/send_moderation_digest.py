from django.core.management.base import BaseCommand

from comments.conf import settings
from comments.notifications.moderators import send_digest


class Command(BaseCommand):
    help = (
        "Email moderators one digest of the comments held since the last digest. Does nothing "
        "unless COMMENTS_NOTIFY_MODERATORS=digest (or --force). Run it hourly from the scheduler."
    )
    # Akismet's W001 ("Akismet is off") matters to the web server, not here.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Send whatever the setting.")

    def handle(self, *args, force=False, **options):
        if settings.COMMENTS_NOTIFY_MODERATORS != "digest" and not force:
            self.stdout.write(
                "COMMENTS_NOTIFY_MODERATORS is not 'digest': nothing sent (use --force)."
            )
            return
        listed = send_digest.call()
        self.stdout.write(f"Digest sent with {listed} comment{'s' if listed != 1 else ''}.")
