from django.core.management.base import BaseCommand

from comments.services.housekeeping import purge_spam


class Command(BaseCommand):
    help = (
        "Delete spam comments older than COMMENTS_SPAM_RETENTION_DAYS "
        "(blatant spam after COMMENTS_BLATANT_RETENTION_DAYS). The scheduler runs this hourly; "
        "this runs it once."
    )

    def handle(self, *args, **options):
        deleted = purge_spam()
        self.stdout.write(f"Deleted {deleted} spam comment{'s' if deleted != 1 else ''}.")
