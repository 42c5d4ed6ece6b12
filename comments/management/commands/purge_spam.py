from django.core.management.base import BaseCommand

from comments.services.housekeeping import purge_spam


class Command(BaseCommand):
    help = (
        "Delete spam comments older than COMMENTS_SPAM_RETENTION_DAYS "
        "(blatant spam after COMMENTS_BLATANT_RETENTION_DAYS). The scheduler runs this hourly; "
        "this runs it once."
    )
    # Akismet's W001 ("Akismet is off") matters to the web server, not here.
    requires_system_checks = []

    def handle(self, *args, **options):
        deleted = purge_spam()
        self.stdout.write(f"Deleted {deleted} spam comment{'s' if deleted != 1 else ''}.")
