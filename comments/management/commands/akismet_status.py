import akismet as akismet_library
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from comments.conf import settings
from comments.models import AkismetReport, Comment
from comments.screening import akismet


class Command(BaseCommand):
    help = "Is the Akismet key valid, how much of the plan is used, and what waits for a retry."
    # Akismet's W001 ("Akismet is off"): this command says so itself (owner_warnings).
    requires_system_checks = []

    def handle(self, *args, **options):
        self.stdout.write(
            f"Endpoint: {settings.AKISMET_API_URL}  site: {settings.AKISMET_SITE_URL}"
        )
        now = timezone.now()
        unchecked = Comment.objects.filter(akismet_verdict=Comment.Akismet.UNCHECKED)
        due = unchecked.filter(akismet_next_check_at__lte=now).count()
        given_up = unchecked.filter(akismet_next_check_at__isnull=True).count()
        reports = AkismetReport.objects.filter(status=AkismetReport.Status.PENDING).count()
        failed = AkismetReport.objects.filter(status=AkismetReport.Status.FAILED).count()
        self.stdout.write(
            f"Unchecked comments: {unchecked.count()} ({due} due now, {given_up} left for a human)"
        )
        self.stdout.write(f"Reports to send: {reports} pending, {failed} given up")
        for warning in akismet.owner_warnings():
            self.stdout.write(self.style.WARNING(warning))
        if not akismet.is_configured():
            return
        client = akismet.get_client()
        try:
            valid = client.verify_key()
        except akismet_library.AkismetError as exc:
            raise CommandError(f"Akismet could not be reached: {exc}") from exc
        if not valid:
            akismet.note_rejected_key("verify-key answered invalid")
            raise CommandError("Akismet rejected the API key (AKISMET_API_KEY / AKISMET_SITE_URL).")
        akismet.clear_rejected_key()
        self.stdout.write(self.style.SUCCESS("Key: valid"))
        try:
            usage = client.usage_limit()
        except akismet_library.AkismetError as exc:
            self.stdout.write(self.style.WARNING(f"Usage limit: not available ({exc})"))
            return
        limit = usage.get("limit") or "none"
        self.stdout.write(
            f"Usage this month: {usage.get('usage')} of {limit} calls "
            f"({usage.get('percentage')}%){', THROTTLED' if usage.get('throttled') else ''}"
        )
