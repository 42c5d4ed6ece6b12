"""One WordPress comment's fields as they are read here: what its status and type mean, its
email, website and IP address checked (an invalid one is left out, with a warning), its meta
by key, Akismet's PHP-serialised values, the fingerprint of its text."""

import hashlib
import ipaddress
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from comments.models import Comment
from wordpress import php, wxr
from wordpress.importing.report import Report
from wordpress.importing.values import valid_email
from wordpress.models import ImportedComment

Status = Comment.Status
COMMENT_STATUS = {
    "1": Status.APPROVED,
    "approve": Status.APPROVED,
    "approved": Status.APPROVED,
    "0": Status.PENDING,
    "hold": Status.PENDING,
    "spam": Status.SPAM,
    "trash": Status.REMOVED,
    "post-trashed": Status.REMOVED,
}
READER_TYPES = {"", "comment"}
PING_TYPES = {"pingback", "trackback"}
MAX_URL = 200  # Comment.author_url
STATUS_LENGTH = ImportedComment._meta.get_field("source_status").max_length


def source_status(wc: wxr.WXRComment) -> str:
    """WordPress's `comment_approved` as a mapping keeps it: cut to its column (PostgreSQL
    refuses a longer value). No status WordPress writes is that long: the caller holds such a
    comment for review, saying so."""
    return wc.approved[:STATUS_LENGTH]


def checked_email(wc: wxr.WXRComment, report: Report) -> str:
    email = wc.email.strip()
    if email and not valid_email(email):
        report.warn(wc.label, f"invalid email {email[:80]!r}: left out")
        return ""
    return email


def checked_url(wc: wxr.WXRComment, report: Report) -> str:
    url = wc.url.strip()
    if not url:
        return ""
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        report.warn(wc.label, f"invalid website {url[:80]!r}: left out")
        return ""
    if len(url) > MAX_URL:
        report.warn(wc.label, f"website longer than {MAX_URL} characters: left out")
        return ""
    return url


def checked_ip(wc: wxr.WXRComment, report: Report) -> str | None:
    """The address as the column takes it; None, with a warning, for what is not one. An IPv6
    address with a zone (`fe80::1%eth0`, which Python reads) is refused too: PostgreSQL's inet
    takes no zone, and the zone names a network card of the commenter's own machine."""
    ip = wc.ip.strip()
    if not ip:
        return None
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        address = None
    if address is None or getattr(address, "scope_id", None):
        report.warn(wc.label, f"invalid IP address {ip[:60]!r}: left out")
        return None
    return str(address)


def meta_of(wc: wxr.WXRComment) -> dict[str, list[str]]:
    """The comment's meta: each key's values, in the file's order (a key may repeat)."""
    meta = defaultdict(list)
    for key, value in wc.meta:
        meta[key].append(value)
    return meta


def php_value(raw: str, label: str, report: Report):
    """A value PHP serialised (Akismet's meta); None, with a warning, if it cannot be read."""
    if not raw:
        return None
    try:
        return php.loads(raw)
    except php.PHPValueError as error:
        report.warn(label, f"unreadable Akismet meta ({error}): left out")
        return None


def content_hash(wc: wxr.WXRComment) -> str:
    """The fingerprint of the comment's text: a later export changed it if this differs."""
    return hashlib.sha256((wc.content or "").encode()).hexdigest()
