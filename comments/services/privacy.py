"""
Commenters' personal data: kept only as long as needed, returned or erased on request.

* `scrub_expired_personal_data()` (daily, from the scheduler): the IP address, user agent and
  referrer of comments older than COMMENTS_PERSONAL_DATA_DAYS are cleared, in the comment and
  in the copy sent to Akismet, in one UPDATE.
* `export_commenter_data(email)` (in `comments.services.data_export`): every comment and every
  stored field for an address, as a JSON-serialisable dict, for a staff member answering a
  request.
* `erase_commenter_data(email)`: anonymise that address's comments without breaking the
  threads of other people's replies, field by field (each field that holds the commenter is
  cleared whole; only free text, screening reasons and history notes, is searched for their
  name, address, website and IP); the history records that it happened, not what was erased.
  Other people's replies are theirs: a mention of the name there stays. The commenter goes
  too (their names, networks and moderators' notes about them); a ban on them stays, as its
  salted hash, its dates and who made it, so that erasing is no way round it: its readable
  label and reason are cleared.
* Readers' reports: a reporter's are exported and erased with their address (an illegal-content
  notice carries it); the reports on a writer's comments are the reporters' data, never part
  of the writer's export.

The privacy page (templates/fitness/privacy.html) describes exactly this; keep them in step.
"""

import logging
from datetime import datetime, timedelta
from email.utils import parseaddr

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import F, Func, JSONField
from django.utils import timezone

from comments.conf import settings
from comments.models import Ban, Comment, Commenter, CommentEvent, CommentReport, ReplyAddress
from comments.readers.commenters import commenter_key
from comments.readers.cookies import (
    AUTHOR_COOKIE,
    AUTHOR_COOKIE_MAX_AGE,
    EDITABLE_COOKIE,
    HELPFUL_COOKIE,
    HELPFUL_COOKIE_MAX_AGE,
    HINT_COOKIE,
    HINT_COOKIE_MAX_AGE,
    PENDING_CAP,
    PENDING_COOKIE,
    PENDING_COOKIE_MAX_AGE,
    REPORTER_COOKIE,
    REPORTER_COOKIE_MAX_AGE,
)
from comments.screening import akismet
from comments.services.commenters import forget_old_networks
from comments.services.counts import refresh_article_counts
from comments.threads.rendering import render_body

logger = logging.getLogger(__name__)

ANONYMOUS = "Anonymous"
ERASED_BODY = "[removed at the author's request]"
ERASED = "[erased]"
# Shorter names are not searched for inside free text ("Al" would mangle every sentence).
MIN_REDACTED_NAME = 3

# What the request carried, as the Akismet exchange names it: cleared by retention and erasure.
AKISMET_REQUEST_KEYS = ("user_ip", "user_agent", "referrer")
# Who wrote it: cleared by erasure (the text only when the request says so).
AKISMET_AUTHOR_KEYS = ("comment_author", "comment_author_email", "comment_author_url")
AKISMET_TEXT_KEYS = ("comment_content",)


def personal_data_days() -> int:
    return settings.COMMENTS_PERSONAL_DATA_DAYS


def contact_email() -> str:
    """Where readers send requests: PRIVACY_CONTACT_EMAIL, else DEFAULT_FROM_EMAIL's address."""
    return settings.PRIVACY_CONTACT_EMAIL or parseaddr(settings.DEFAULT_FROM_EMAIL)[1]


def privacy_facts() -> dict:
    """The figures the privacy page states, read from the settings the code itself obeys."""
    return {
        # What Akismet receives, in a reader's words: the definition the request builder uses.
        "akismet_fields": list(akismet.SENT_TO_AKISMET.values()),
        "hold_first_time": settings.COMMENTS_HOLD_FIRST_TIME,
        "banned_action": settings.COMMENTS_BANNED_ACTION,
        "flood_seconds": settings.COMMENTS_FLOOD_SECONDS,
        "duplicate_window_hours": settings.COMMENTS_DUPLICATE_WINDOW_HOURS,
        # Image hosts the Content-Security-Policy lets pages load from (none: only this site).
        "image_hosts": list(settings.CSP_IMG_SRC),
        "pending_cookie_cap": PENDING_CAP,
        "personal_data_days": personal_data_days(),
        "spam_retention_days": settings.COMMENTS_SPAM_RETENTION_DAYS,
        "blatant_retention_days": settings.COMMENTS_BLATANT_RETENTION_DAYS,
        "akismet_enabled": bool(settings.AKISMET_API_KEY),
        "moderators_notified": settings.COMMENTS_NOTIFY_MODERATORS != "off",
        "author_notified": settings.COMMENTS_NOTIFY_AUTHOR,
        "remember_cookie": AUTHOR_COOKIE,
        "remember_cookie_days": AUTHOR_COOKIE_MAX_AGE // (24 * 60 * 60),
        "pending_cookie": PENDING_COOKIE,
        "pending_cookie_days": PENDING_COOKIE_MAX_AGE // (24 * 60 * 60),
        "editable_cookie": EDITABLE_COOKIE,
        "mine_cookie": HINT_COOKIE,
        "mine_cookie_days": HINT_COOKIE_MAX_AGE // (24 * 60 * 60),
        "helpful_cookie": HELPFUL_COOKIE,
        "helpful_cookie_days": HELPFUL_COOKIE_MAX_AGE // (24 * 60 * 60),
        "edit_minutes": settings.COMMENTS_EDIT_MINUTES,
        "contact_email": contact_email(),
        # Readers' reports (comments.services.reports, comments.notifications.reporters).
        "reporter_cookie": REPORTER_COOKIE,
        "reporter_cookie_days": REPORTER_COOKIE_MAX_AGE // (24 * 60 * 60),
        "reports_hold_networks": settings.COMMENTS_REPORTS_HOLD_NETWORKS,
        "reports_per_hour": settings.COMMENTS_REPORTS_PER_HOUR,
        "reports_retention_days": settings.COMMENTS_REPORTS_RETENTION_DAYS,
        "decision_email_minutes": settings.COMMENTS_DECISION_EMAIL_MINUTES,
    }


# --- Retention --------------------------------------------------------------------------------


class ClearJSONKeys(Func):
    """SQL that sets the given top-level keys of a JSON object to "" where they exist.

    Keys that are absent stay absent, so the stored Akismet request keeps its shape and a
    later report (submit-spam/ham) sends the same fields, now empty.
    """

    output_field = JSONField()

    def __init__(self, expression, keys):
        super().__init__(expression)
        self.keys = tuple(keys)

    def as_sql(self, compiler, connection, **extra_context):
        # SQLite, MySQL and MariaDB: json_replace only replaces paths that exist.
        sql, params = compiler.compile(self.source_expressions[0])
        paths = ", ".join("%s, %s" for _ in self.keys)
        values = [value for key in self.keys for value in (f"$.{key}", "")]
        return f"JSON_REPLACE({sql}, {paths})", (*params, *values)

    def as_postgresql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        cleared, cleared_params = sql, list(params)
        for key in self.keys:
            # create_missing=false: an absent key is not added.
            cleared = f"jsonb_set({cleared}, ARRAY[%s]::text[], to_jsonb(%s::text), false)"
            cleared_params += [key, ""]
        # jsonb_set fails on a scalar (a request stored as JSON null); leave those alone.
        return (
            f"CASE WHEN jsonb_typeof({sql}) = 'object' THEN {cleared} ELSE {sql} END",
            (*params, *cleared_params, *params),
        )


def expired(now: datetime | None = None):
    """Comments whose request data is past its retention and not yet scrubbed."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=personal_data_days())
    return Comment.objects.filter(created_at__lt=cutoff, scrubbed_at__isnull=True)


def scrub_expired_personal_data(now: datetime | None = None) -> int:
    """Clear IP, user agent and referrer of comments past retention; returns how many."""
    now = now or timezone.now()
    count = expired(now).update(
        ip_address=None,
        user_agent="",
        referrer="",
        akismet_request=ClearJSONKeys(F("akismet_request"), AKISMET_REQUEST_KEYS),
        scrubbed_at=now,
    )
    networks = forget_old_networks(now)
    logger.info(
        "Personal data retention: scrubbed %d comments, forgot %d commenter networks",
        count,
        networks,
    )
    return count


# --- Erasure ----------------------------------------------------------------------------------


def erase_commenter(email: str) -> bool:
    """The person goes: their commenter row, networks and moderators' notes. Their bans stay
    as a salted hash with their dates (label and reason cleared), still barring the address."""
    commenter = Commenter.objects.filter(key=commenter_key(email, None)).first()
    if commenter is None:
        return False
    Ban.objects.filter(commenter=commenter).update(label="", reason="")
    # The admin's log of what moderators did to them keeps what was done, not who it was.
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Commenter), object_id=str(commenter.pk)
    ).update(object_repr=ERASED)
    commenter.delete()
    return True


def _redact(value, secrets):
    """`value` (a string, or lists/dicts of them) with every secret replaced by [erased]."""
    if isinstance(value, str):
        for secret in secrets:
            if secret:
                value = value.replace(secret, ERASED)
        return value
    if isinstance(value, list):
        return [_redact(item, secrets) for item in value]
    if isinstance(value, dict):
        return {key: _redact(item, secrets) for key, item in value.items()}
    return value


def _secrets(comment):
    """What identifies the commenter inside free text (screening reasons, history notes)."""
    found = {comment.author_email, comment.author_url, comment.ip_address or ""}
    if len(comment.author_name) >= MIN_REDACTED_NAME and comment.author_name != ANONYMOUS:
        found.add(comment.author_name)
    # The longest first, so that a shorter one inside it does not leave the rest behind.
    return sorted(found - {""}, key=len, reverse=True)


def _is_personal_key(key, *, remove_text):
    keys = AKISMET_REQUEST_KEYS + AKISMET_AUTHOR_KEYS + (AKISMET_TEXT_KEYS if remove_text else ())
    # Any request header passed on to Akismet (HTTP_ACCEPT_LANGUAGE, REMOTE_ADDR, ...).
    return key in keys or key.upper().startswith(("HTTP_", "REMOTE_"))


def _redact_screening(screening, secrets):
    """The steps' reasons are free text that may quote the commenter: only they are redacted."""
    if not isinstance(screening, list):
        return screening
    return [
        {**step, "reason": _redact(step.get("reason", ""), secrets)}
        if isinstance(step, dict)
        else step
        for step in screening
    ]


def _anonymise(comment, *, remove_text, now, removed_text=ERASED_BODY):
    """Erase field by field: each field that holds the commenter is cleared as a whole, and
    only free text (screening reasons) is searched. The Akismet copy loses its personal keys
    and keeps the rest as sent (its permalink and blog may contain an IP-like site address)."""
    secrets = _secrets(comment)
    request = comment.akismet_request
    if isinstance(request, dict):
        comment.akismet_request = {
            key: "" if _is_personal_key(key, remove_text=remove_text) else value
            for key, value in request.items()
        }
    comment.screening = _redact_screening(comment.screening, secrets)
    comment.author_name = ANONYMOUS
    comment.author_email = ""
    comment.author_url = ""
    comment.user = None
    comment.ip_address = None
    comment.user_agent = ""
    comment.referrer = ""
    comment.notify_replies = False  # the address is gone: no more emails about replies
    comment.notify_published = False
    if remove_text:
        comment.body = removed_text
        comment.body_html = render_body(removed_text)
    comment.scrubbed_at = comment.scrubbed_at or now
    comment.erased_at = now


def _redact_history(comment, secrets):
    """Take the commenter's details out of earlier history notes; the events themselves stay.

    History is append-only, but an erasure request outranks that: only the identifying strings
    are replaced, so who did what and when is still there.
    """
    for event in CommentEvent.objects.filter(comment=comment).exclude(note=""):
        note = _redact(event.note, secrets)
        if note != event.note:
            CommentEvent.objects.filter(pk=event.pk).update(note=note)


ERASED_FIELDS = [
    "author_name", "author_email", "author_url", "user", "ip_address", "user_agent", "referrer",
    "body", "body_html", "akismet_request", "screening", "scrubbed_at", "erased_at", "updated_at",
    "notify_replies", "notify_published",
]  # fmt: skip


def erase_comment(
    comment, *, remove_text, now, note, by=None, actor_label="", removed_text=ERASED_BODY
) -> None:
    """Erase one comment's personal data (and its text if asked), with a history line."""
    _redact_history(comment, _secrets(comment))
    if remove_text:  # the texts before the writer's edits go with the text
        CommentEvent.objects.filter(comment=comment, kind=CommentEvent.Kind.EDIT).update(
            note="Edited by its writer (the text before the edit was erased)."
        )
    _anonymise(comment, remove_text=remove_text, now=now, removed_text=removed_text)
    comment.save(update_fields=ERASED_FIELDS)
    CommentEvent.objects.record(
        comment, kind=CommentEvent.Kind.PRIVACY, by=by, actor_label=actor_label, note=note
    )


def erase_reporter_data(email: str) -> int:
    """The reports sent with this address lose who sent them and what they wrote (the reason
    and the decision stay, so a moderator's record still adds up); returns how many."""
    if not email.strip():
        return 0
    return CommentReport.objects.by_email(email).update(
        reporter_name="",
        reporter_email="",
        explanation=ERASED,
        note=ERASED,
        network="",
        reader="",
        scrubbed_at=timezone.now(),
    )


@transaction.atomic
def erase_commenter_data(
    email: str, *, remove_text: bool = False, by=None, actor_label: str = ""
) -> int:
    """Anonymise every comment written with this address; returns how many were erased.

    Threads stay whole: the comments keep their place, parent and status, so replies by other
    people still hang under them. Each comment's history gets a "privacy" line that says what
    was done, never what was erased.
    """
    if not email.strip():
        return 0
    # Whether the address said yes to reply emails is about the address: it goes entirely.
    ReplyAddress.objects.for_email(email).delete()
    erase_commenter(email)
    erase_reporter_data(email)
    comments = list(Comment.objects.by_email(email).select_for_update())
    if not comments:
        return 0
    now = timezone.now()
    note = "Personal data erased on request ({})".format(
        "text removed" if remove_text else "text kept"
    )
    for comment in comments:
        erase_comment(comment, remove_text=remove_text, now=now, note=note, by=by,
                      actor_label=actor_label)  # fmt: skip
    # Readers see the new name at once: the cached threads of these articles are dropped.
    refresh_article_counts({comment.article_id for comment in comments})
    logger.info(
        "Personal data erased on request: %d comments (ids %s)",
        len(comments),
        ", ".join(str(comment.pk) for comment in comments),
    )
    return len(comments)
