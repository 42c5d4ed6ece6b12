"""What WordPress's values mean here: its ids, dates and timestamps, numbers, email addresses."""

from datetime import UTC, datetime
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

# The largest WordPress id kept: the id columns here are PositiveBigIntegerField, a signed
# 64-bit integer in SQLite and PostgreSQL (WordPress's own are unsigned: up to 2**64 - 1).
MAX_ID = 2**63 - 1
ID_RANGE = f"an id is a number from 0 to {MAX_ID}"


def wordpress_id(value: str) -> int | None:
    """A WordPress id (a post's, a comment's, a parent's) as the number the id columns take;
    None if it is not one. ASCII digits only: int() also reads "٤" and "04" as 4, which
    made one id out of two different ones (the second row then broke the whole import), and
    a number beyond MAX_ID would not fit the column."""
    value = (value or "").strip()
    if not (value.isascii() and value.isdigit()) or len(value.lstrip("0")) > len(str(MAX_ID)):
        return None
    number = int(value)
    return number if number <= MAX_ID else None


def parse_date(value: str) -> datetime | None:
    """A WordPress date ("2010-03-15 09:00:00"), read as UTC; None when empty or invalid
    (WordPress writes "0000-00-00 00:00:00" for a draft's GMT date)."""
    value = (value or "").strip()
    if len(value) != 19:  # "YYYY-MM-DD HH:MM:SS" exactly; fromisoformat takes more forms
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed.replace(tzinfo=UTC)


def item_date(gmt: str, local: str) -> datetime | None:
    """The GMT date, else the site's local date taken as UTC (older exports lack GMT)."""
    return parse_date(gmt) or parse_date(local)


def timestamp(value) -> datetime | None:
    """A Unix time as PHP wrote it (Akismet's history, the trash's meta); None if it is not."""
    try:
        return datetime.fromtimestamp(float(value), tz=UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return None


def int_or_zero(value: str) -> int:
    """A number for a 32-bit integer column (a page's menu order); 0 if it is not one."""
    try:
        return max(-(2**31), min(2**31 - 1, int(value.strip())))
    except (AttributeError, ValueError):
        return 0


@lru_cache(maxsize=65536)  # regular commenters come back
def valid_email(email: str) -> bool:
    try:
        validate_email(email)
    except ValidationError:
        return False
    return len(email) <= 254
