from django.core.management.base import BaseCommand

from comments.services.privacy import personal_data_days, scrub_expired_personal_data


class Command(BaseCommand):
    help = (
        "Clear the IP address, user agent and referrer of comments older than "
        "COMMENTS_PERSONAL_DATA_DAYS. The scheduler runs this daily; this runs it once."
    )
    # Akismet's W001 ("Akismet is off") matters to the web server, not here.
    requires_system_checks = []

    def handle(self, *args, **options):
        scrubbed = scrub_expired_personal_data()
        self.stdout.write(
            f"Scrubbed the personal data of {scrubbed} comment{'s' if scrubbed != 1 else ''} "
            f"older than {personal_data_days()} days."
        )
