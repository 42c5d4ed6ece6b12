"""
Date archives, as WordPress has them: /2010/, /2010/03/ and /2010/03/15/ list the articles
published in that year, month or day (the site's TIME_ZONE, as the dates on the pages read).

    period = Period.from_parts("2010", "3")   # None: not a date (month 13, 31 February)
    period.url        "/2010/03/"  (the one address: /2010/3/ answers 301 to it)
    period.title      "March 2010"
    period.articles(queryset)      the queryset's articles of the period (a range on the index)

The pages are ordinary listings (`views.DateArchiveView`): paginated, cacheable like any
anonymous page, and a 404 for a period without a published article.
"""

import calendar
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils import timezone


@dataclass(frozen=True)
class Period:
    year: int
    month: int | None = None
    day: int | None = None

    @classmethod
    def from_parts(cls, year, month=None, day=None) -> "Period | None":
        """The period the address names (digits as strings, or numbers); None if it is no
        date: year 0, month 13, 31 February."""
        try:
            y = int(year)
            m = int(month) if month is not None else None
            d = int(day) if day is not None else None
            # raises ValueError for what is not a date (month 0 or 13, 30 February)
            date(y, 1 if m is None else m, 1 if d is None else d)
        except (TypeError, ValueError):
            return None
        return cls(y, m, d)

    @classmethod
    def from_wordpress_m(cls, value: str) -> "Period | None":
        """WordPress's `?m=` (YYYY, YYYYMM, YYYYMMDD, more digits for the hour: ignored)."""
        value = (value or "").strip()
        if not (value.isascii() and value.isdigit()) or len(value) < 4:
            return None
        month = value[4:6] if len(value) >= 6 else None
        day = value[6:8] if len(value) >= 8 else None
        return cls.from_parts(value[:4], month, day)

    @property
    def kind(self) -> str:
        return "day" if self.day else "month" if self.month else "year"

    @property
    def start(self) -> datetime:
        return timezone.make_aware(datetime(self.year, self.month or 1, self.day or 1))

    @property
    def end(self) -> datetime | None:
        """Where the period ends (excluded); None for the last year a date can have."""
        try:
            if self.day:
                after = date(self.year, self.month, self.day) + timedelta(days=1)
            elif self.month:
                after = date(self.year + self.month // 12, self.month % 12 + 1, 1)
            else:
                after = date(self.year + 1, 1, 1)
        except (ValueError, OverflowError):
            return None
        return timezone.make_aware(datetime(after.year, after.month, after.day))

    @property
    def url(self) -> str:
        if self.day:
            args = [f"{self.year:04d}", f"{self.month:02d}", f"{self.day:02d}"]
        elif self.month:
            args = [f"{self.year:04d}", f"{self.month:02d}"]
        else:
            args = [f"{self.year:04d}"]
        return reverse(f"articles:{self.kind}", args=args)

    @property
    def title(self) -> str:
        if self.day:
            return f"{calendar.month_name[self.month]} {self.day}, {self.year}"
        if self.month:
            return f"{calendar.month_name[self.month]} {self.year}"
        return str(self.year)

    def up(self) -> list["Period"]:
        """The periods holding this one, widest first (the page's way up)."""
        if self.day:
            return [Period(self.year), Period(self.year, self.month)]
        if self.month:
            return [Period(self.year)]
        return []

    def articles(self, queryset):
        """The queryset's articles published in the period: one range of publish_at."""
        articles = queryset.filter(publish_at__gte=self.start)
        end = self.end
        return articles.filter(publish_at__lt=end) if end else articles


def of(moment: datetime, kind: str = "month") -> Period:
    """The period (day, month or year) a moment falls in, in the site's time zone."""
    local = timezone.localtime(moment)
    if kind == "day":
        return Period(local.year, local.month, local.day)
    return Period(local.year, local.month) if kind == "month" else Period(local.year)


def months_of(period: Period, published) -> list[tuple[Period, int]]:
    """A year's months that have articles among `published`, with how many: one query."""
    rows = (
        period.articles(published)
        .annotate(month=TruncMonth("publish_at"))
        .values("month")
        .annotate(count=Count("pk"))
        .order_by("month")
    )
    return [(of(row["month"]), row["count"]) for row in rows]
