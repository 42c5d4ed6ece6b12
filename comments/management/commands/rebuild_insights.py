"""Count the moderation insights' daily rollup again: every day since the first comment, or
since --since (a date), or the last --days days."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from comments.services import insights


class Command(BaseCommand):
    help = "Rebuild the moderation insights' daily rollup (the admin's Insights page)."

    def add_arguments(self, parser):
        parser.add_argument("--since", help="first day to count, YYYY-MM-DD")
        parser.add_argument("--days", type=int, help="count only the last N days")

    def handle(self, *args, since=None, days=None, **options):
        first = None
        if since:
            try:
                first = datetime.date.fromisoformat(since)
            except ValueError as error:
                raise CommandError(f"--since: not a date (YYYY-MM-DD): {since}") from error
        elif days:
            first = timezone.localdate() - datetime.timedelta(days=days - 1)
        count = insights.rebuild(first)
        self.stdout.write(f"Counted {count} day{'s' if count != 1 else ''}.")
