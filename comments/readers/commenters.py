"""
Recognising the person behind a comment, and what the site thinks of them: read-only.

    commenter_key(email, ip)    "email:<normalised>" or, without an email, "network:<network>"
    email_key(email)            the normal form duplicates compare emails in (case, spaces)
    email_family(email)         the same mailbox spelt otherwise: +tags gone; dots gone too
                                where the provider ignores them (gmail.com, googlemail.com)
    name_key(name)              a name's normal form (comments.text.normalize)
    ban_hash(scope, value)      the salted hash a ban is kept as
    active_ban(email, ip)       the ban that bars this email or network now, or None
                                (active_bans: as a queryset, for screening's one read)
    standing(commenter)         Standing: counts per status, the trust level, in words
    standings(ids)              the same for many commenters in one query (a page of rows)
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Count, Min
from django.utils import timezone
from django.utils.crypto import salted_hmac

from comments.conf import settings
from comments.models import Ban, Comment, Commenter
from comments.readers.people import network_of
from comments.text.normalize import normal_form

DOTLESS_DOMAINS = {"gmail.com", "googlemail.com"}
BAN_SALT = "comments.ban"

Status = Comment.Status


def email_key(email: str) -> str:
    """As duplicates and flood control compare an email: spaces and letter case ignored."""
    return (email or "").strip().lower()


def email_family(email: str) -> str:
    key = email_key(email)
    local, at, domain = key.partition("@")
    if not at:
        return key
    local = local.split("+", 1)[0]
    if domain in DOTLESS_DOMAINS:
        local = local.replace(".", "")
        domain = "gmail.com"
    return f"{local}@{domain}"


def name_key(name: str) -> str:
    return normal_form(name)[:100]


def commenter_key(email: str, ip) -> str:
    """What recognises the person: their email, else the network they write from ("" when
    there is neither)."""
    if email_key(email):
        return f"email:{email_key(email)}"
    if ip:
        return f"network:{network_of(ip)}"
    return ""


def find(email: str, ip) -> Commenter | None:
    return found(email, ip).first()


def found(email: str, ip):
    """The commenter `find` finds, as a queryset (none when there is nothing to recognise)."""
    return with_key(commenter_key(email, ip))


def with_key(key):
    """The commenter recognised by `key` (a commenter_key, or an expression giving one), as a
    queryset; none for no key."""
    return Commenter.objects.filter(key=key) if key else Commenter.objects.none()


# --- Bans ----------------------------------------------------------------------------------


def ban_hash(scope: str, value: str) -> str:
    """A ban keeps only this of what it bars: erasing the person's data leaves it working.
    Keyed by SECRET_KEY (a new key lets old bans lapse)."""
    return salted_hmac(BAN_SALT, f"{scope}:{value}", algorithm="sha256").hexdigest()


def ban_values(email: str, ip) -> dict[str, str]:
    """{scope: the value a ban of that scope compares}, for what a comment carries."""
    found = {}
    if email_key(email):
        found[Ban.Scope.EMAIL] = email_key(email)
    if ip:
        found[Ban.Scope.NETWORK] = network_of(ip)
    return found


def active_bans(email: str, ip, now=None):
    """The bans that bar this email or this network now, the one that ends first first (a
    queryset; none when the comment carries neither)."""
    hashes = [ban_hash(scope, value) for scope, value in ban_values(email, ip).items()]
    return bans_barring(hashes, now)


def bans_barring(hashes: list, now=None):
    """The bans on any of these ban_hash values (or expressions giving them) that bar now, the
    one that ends first first (a queryset; none for no hashes)."""
    if not hashes:
        return Ban.objects.none()
    return Ban.objects.active(now).filter(value_hash__in=hashes).order_by("ends_at")


def active_ban(email: str, ip, now=None) -> Ban | None:
    """The ban that bars this email or this network now, or None (one query)."""
    return active_bans(email, ip, now).first()


# --- Standing: counts and trust ---------------------------------------------------------------

SUMMARY_ORDER = (Status.APPROVED, Status.SPAM, Status.PENDING, Status.REMOVED)
NEW, EARNED, TRUSTED, HOLD = "new", "earned", "trusted", "hold"
LEVEL_WORDS = {
    NEW: "new",
    EARNED: "trusted (earned)",
    TRUSTED: "trusted (set)",
    HOLD: "always held",
}


@dataclass
class Standing:
    counts: dict = field(default_factory=dict)  # {status: n}
    first_approved: object = None
    trust: str = Commenter.Trust.AUTO

    @property
    def level(self) -> str:
        if self.trust == Commenter.Trust.TRUSTED:
            return TRUSTED
        if self.trust == Commenter.Trust.HOLD:
            return HOLD
        return EARNED if self.earned else NEW

    @property
    def earned(self) -> bool:
        """COMMENTS_TRUST_APPROVED approved comments over at least COMMENTS_TRUST_DAYS days
        (the first approved one that long ago), and never a spam."""
        needed = settings.COMMENTS_TRUST_APPROVED
        if needed <= 0 or self.counts.get(Status.SPAM, 0) or not self.first_approved:
            return False
        old_enough = self.first_approved <= timezone.now() - timedelta(
            days=settings.COMMENTS_TRUST_DAYS
        )
        return self.counts.get(Status.APPROVED, 0) >= needed and old_enough

    @property
    def trusted(self) -> bool:
        """The first-time and link holds do not apply."""
        return self.level in (EARNED, TRUSTED)

    @property
    def level_words(self) -> str:
        return LEVEL_WORDS[self.level]

    @property
    def row_summary(self) -> str:
        """ "4 approved · 1 spam": what a queue row says of the author (the rest on their page)."""
        parts = [
            f"{self.counts[status]} {status}"
            for status in (Status.APPROVED, Status.SPAM)
            if self.counts.get(status)
        ]
        return " · ".join(parts) or "0 approved"

    @property
    def summary(self) -> str:
        """ "4 approved · 1 spam · 2 pending" (only the statuses they have; "no comments")."""
        parts = [
            f"{self.counts[status]} {status}" for status in SUMMARY_ORDER if self.counts.get(status)
        ]
        return " · ".join(parts) or "no comments"


def standings(commenters) -> dict[int, Standing]:
    """{commenter id: Standing} for these commenters, in one query whatever their number."""
    by_id = {c.pk: c for c in commenters if c is not None}
    found = {pk: Standing(trust=c.trust) for pk, c in by_id.items()}
    if not by_id:
        return found
    rows = (
        Comment.objects.filter(commenter_id__in=by_id)
        .values("commenter_id", "status")
        .annotate(n=Count("pk"), first=Min("created_at"))
        .order_by()
    )
    for row in rows:
        standing = found[row["commenter_id"]]
        standing.counts[row["status"]] = row["n"]
        if row["status"] == Status.APPROVED:
            standing.first_approved = row["first"]
    return found


def standing(commenter) -> Standing:
    if commenter is None:
        return Standing()
    return standings([commenter])[commenter.pk]
