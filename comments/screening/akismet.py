"""
The Akismet adapter: it sends comment-check and submit-spam / submit-ham, parses the answers
and records them on the comment or the report. It decides nothing about a comment's status:
the screening pipeline and the services (`rechecks`, `akismet_reports`) do.

One `akismet.SyncClient` per process, built on first use without a network call; the key is
verified by `manage.py akismet_status` and the system check, never per request. Calls go to
AKISMET_API_URL through an httpx transport, so an operator (or a test) can point them at an
Akismet-compatible service or the local emulator.

A web process lets at most AKISMET_MAX_CONCURRENT of its requests wait on Akismet at once
(`comments.screening.akismet_slots`); a comment beyond that is held unchecked and rechecked,
as when Akismet fails.

Nothing here may lose a comment or fail a moderator's action: every Akismet error is an
"unchecked" verdict with a next check time, and a failed report gets its next attempt time.
"""

import logging
import threading
import time
from datetime import UTC, timedelta

import akismet
import httpx
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils import timezone

from comments.conf import settings
from comments.models import AkismetReport, Comment, CommentEvent
from comments.readers.people import is_trusted
from comments.screening import akismet_slots
from comments.text.clean import HONEYPOT_FIELD
from fitness.core import tolerant_cache
from fitness.core.http_deadline import DeadlineTransport

logger = logging.getLogger("comments.akismet")

AKISMET_URL = "https://rest.akismet.com"
REJECTED_KEY_CACHE_KEY = "comments:akismet:rejected-key"
ACTOR = "Akismet"
RECHECK_REASON = "recheck_queue"
OFF_WARNING = (
    "Akismet is off: no AKISMET_API_KEY is set; comments are screened by local rules only."
)


def is_configured():
    return bool(settings.AKISMET_API_KEY)


# --- The client -------------------------------------------------------------------------------

_local = threading.local()  # the last answer's headers, per thread


class RedirectTransport(httpx.BaseTransport):
    """Send the library's calls (fixed to rest.akismet.com) to another base URL."""

    def __init__(self, base_url, inner=None):
        self.target = httpx.URL(base_url)
        self.prefix = self.target.path.rstrip("/")
        self.inner = inner or httpx.HTTPTransport()

    def handle_request(self, request):
        request.url = request.url.copy_with(
            scheme=self.target.scheme,
            host=self.target.host,
            port=self.target.port,
            path=self.prefix + request.url.path,
        )
        request.headers["Host"] = self.target.netloc.decode("ascii")
        return self.inner.handle_request(request)

    def close(self):
        self.inner.close()


def _remember_response(response):
    _local.headers = dict(response.headers)


_client = None
_client_lock = threading.Lock()


def get_client():
    """The process's client (built once, without a network call)."""
    global _client
    with _client_lock:
        if _client is None:
            api_url = settings.AKISMET_API_URL.rstrip("/")
            # AKISMET_TIMEOUT bounds the whole call, not each phase (a slow-drip answer).
            transport = DeadlineTransport(settings.AKISMET_TIMEOUT)
            if api_url != AKISMET_URL:
                transport = RedirectTransport(api_url, transport)
            http_client = httpx.Client(
                timeout=settings.AKISMET_TIMEOUT,
                headers={"User-Agent": akismet.USER_AGENT},
                transport=transport,
                event_hooks={"response": [_remember_response]},
            )
            config = akismet.Config(key=settings.AKISMET_API_KEY, url=settings.AKISMET_SITE_URL)
            # Not `with SyncClient(...)`: leaving the block would close the shared httpx client.
            _client = akismet.SyncClient(config=config, http_client=http_client)
        return _client


def reset_client():
    global _client
    with _client_lock:
        if _client is not None:
            _client._http_client.close()
        _client = None


@receiver(setting_changed)
def _settings_changed(*, setting, **kwargs):
    if setting.startswith("AKISMET_"):
        reset_client()


# --- The fields we send -----------------------------------------------------------------------


def _gmt(when):
    return when.astimezone(UTC).isoformat(timespec="seconds") if when else ""


# Everything that may ever reach Akismet, with what it is in a reader's words. The request
# builder sends only these names, and the privacy page's list of what Akismet receives is made
# from this one definition (tests/fitness/test_privacy_page.py fails when they part).
SENT_TO_AKISMET = {
    "blog": "the address of this site",  # added by the akismet client from AKISMET_SITE_URL
    "user_ip": "your IP address",
    "user_agent": "your browser's user agent",
    "referrer": "the page you came from (the referring page)",
    "permalink": "the address of the article",
    "comment_type": "whether it is a comment or a reply",
    "comment_author": "your name",
    "comment_author_email": "your email address",
    "comment_author_url": "your website",
    "comment_content": "your comment's text",
    "comment_date_gmt": "the time you posted it",
    "comment_post_modified_gmt": "when the article was last changed",
    "blog_lang": "this site's language",
    "blog_charset": "this site's character set",
    "honeypot_field_name": "the name of the form's hidden anti-spam field",
    "user_role": "whether the writer is one of this site's moderators",
    "is_test": "whether this is a test site",
}


def build_request(comment, context=None):
    """Every field we have about the comment, as Akismet's comment-check names them (only the
    names of SENT_TO_AKISMET)."""
    article = comment.article
    user = getattr(context, "user", None) or comment.user
    fields = {
        "user_ip": (getattr(context, "ip", None) or comment.ip_address or ""),
        "user_agent": getattr(context, "user_agent", "") or comment.user_agent,
        "referrer": getattr(context, "referrer", "") or comment.referrer,
        "permalink": settings.SITE_URL + article.get_absolute_url(),
        "comment_type": comment.comment_type,
        "comment_author": comment.author_name,
        "comment_author_email": comment.author_email,
        "comment_author_url": comment.author_url,
        "comment_content": comment.body,
        "comment_date_gmt": _gmt(comment.created_at),
        "comment_post_modified_gmt": _gmt(article.updated_at),
        "blog_lang": "en",
        "blog_charset": "UTF-8",
        "honeypot_field_name": HONEYPOT_FIELD,
    }
    if is_trusted(user):
        fields["user_role"] = "administrator"
    if settings.AKISMET_IS_TEST:
        fields["is_test"] = 1
    return {
        name: fields[name]
        for name in SENT_TO_AKISMET
        if name in fields and fields[name] not in ("", None)
    }


# --- Back-off ---------------------------------------------------------------------------------


def next_attempt_at(attempts, *, since, now=None):
    """When to try again after `attempts` failures; None once AKISMET_RECHECK_GIVE_UP_DAYS
    have passed since `since` (the comment or report was created)."""
    now = now or timezone.now()
    schedule = settings.AKISMET_RECHECK_SCHEDULE or [21600]
    delay = schedule[min(max(attempts, 1), len(schedule)) - 1]
    when = now + timedelta(seconds=delay)
    if when - since > timedelta(days=settings.AKISMET_RECHECK_GIVE_UP_DAYS):
        return None
    return when


# --- comment-check ----------------------------------------------------------------------------

VERDICTS = {
    akismet.CheckResponse.HAM: Comment.Akismet.HAM,
    akismet.CheckResponse.SPAM: Comment.Akismet.SPAM,
    akismet.CheckResponse.DISCARD: Comment.Akismet.BLATANT,
}


def note_rejected_key(why):
    """A loud error for the owner: logged, and remembered for the admin's warning."""
    logger.error(
        "Akismet rejected the API key (%s); comments are held unchecked until it is fixed.", why
    )
    tolerant_cache.set(REJECTED_KEY_CACHE_KEY, timezone.now().isoformat(), None)


def clear_rejected_key():
    tolerant_cache.delete(REJECTED_KEY_CACHE_KEY)  # after every check: never fails a post


def comment_check(comment, request_fields, *, now=None):
    """Ask Akismet about `comment`; store what was sent and what came back on the comment
    (unsaved). Returns the verdict: ham, spam, blatant or unchecked."""
    now = now or timezone.now()
    _local.headers = {}
    started = time.perf_counter()
    error = ""
    try:
        result = get_client().comment_check(**request_fields)
        verdict = VERDICTS[result]
    except akismet.APIKeyError as exc:
        note_rejected_key(exc)
        verdict, error = Comment.Akismet.UNCHECKED, "the API key was rejected"
    except akismet.RequestError as exc:
        verdict, error = Comment.Akismet.UNCHECKED, f"{exc} ({exc.__cause__!r})"
    except akismet.ProtocolError:
        verdict, error = Comment.Akismet.UNCHECKED, "unexpected answer"
    ms = round((time.perf_counter() - started) * 1000, 1)
    if verdict != Comment.Akismet.UNCHECKED:
        clear_rejected_key()
    _record(comment, request_fields, verdict, error=error, ms=ms, now=now)
    return verdict


def _record(comment, request_fields, verdict, *, error, ms, now):
    """Store on the (unsaved) comment what was sent, what came back, and when to ask again."""
    if verdict == Comment.Akismet.UNCHECKED:
        logger.warning("Akismet check failed for comment %s: %s", comment.pk, error)
    headers = getattr(_local, "headers", {})
    sent = {k: v for k, v in request_fields.items() if k != "recheck_reason"}
    if not comment.akismet_request:
        comment.akismet_request = sent
    comment.akismet_response = {
        "verdict": verdict,
        "pro_tip": headers.get("x-akismet-pro-tip", ""),
        "debug_help": headers.get("x-akismet-debug-help", ""),
        "guid": headers.get("x-akismet-guid", ""),
        "error": error,
        "ms": ms,
    }
    comment.akismet_verdict = verdict
    comment.akismet_checked_at = now
    if verdict == Comment.Akismet.UNCHECKED:
        comment.akismet_attempts += 1
        comment.akismet_next_check_at = next_attempt_at(
            comment.akismet_attempts, since=comment.created_at or now, now=now
        )
    else:
        comment.akismet_next_check_at = None


def check(comment, context):
    """The screening step: check a new (unsaved) comment, or an edited one. When this process
    already has AKISMET_MAX_CONCURRENT checks waiting, Akismet is not asked: the comment is
    "unchecked", held and rechecked later (`comments.services.rechecks`), as when Akismet fails;
    it is never lost."""
    fields = build_request(comment, context)
    with akismet_slots.check_slot() as free:
        if free:
            return comment_check(comment, fields)
    _local.headers = {}
    error = akismet_slots.busy_error()
    _record(comment, fields, Comment.Akismet.UNCHECKED, error=error, ms=0.0, now=timezone.now())
    return Comment.Akismet.UNCHECKED


AKISMET_FIELDS = [
    "akismet_verdict",
    "akismet_request",
    "akismet_response",
    "akismet_checked_at",
    "akismet_attempts",
    "akismet_next_check_at",
    "updated_at",
]


# --- Reports (submit-spam / submit-ham) -------------------------------------------------------


def send_report(report, *, now=None):
    """Send one report with the fields first sent to comment-check. Returns True if sent."""
    now = now or timezone.now()
    comment = report.comment
    fields = dict(comment.akismet_request) or build_request(comment)
    fields.pop("recheck_reason", None)
    submit = get_client().submit_spam if report.kind == "spam" else get_client().submit_ham
    report.attempts += 1
    try:
        if not fields.get("user_ip"):
            raise ValueError("no IP address is stored for this comment (scrubbed?)")
        submit(**fields)
    except (akismet.AkismetError, ValueError) as exc:
        if isinstance(exc, akismet.APIKeyError):
            note_rejected_key(exc)
        report.last_error = f"{exc} ({exc.__cause__!r})" if exc.__cause__ else str(exc)
        retry = (
            None
            if isinstance(exc, ValueError)
            else next_attempt_at(report.attempts, since=report.created_at, now=now)
        )
        report.next_attempt_at = retry
        if retry is None:
            report.status = AkismetReport.Status.FAILED
            CommentEvent.objects.record(
                comment,
                kind=CommentEvent.Kind.AKISMET_REPORT,
                actor_label=ACTOR,
                note=f"Gave up reporting as {report.kind}: {report.last_error}",
            )
        report.save()
        logger.warning("Akismet %s report %s failed: %s", report.kind, report.pk, report.last_error)
        return False
    report.status = AkismetReport.Status.SENT
    report.sent_at = now
    report.next_attempt_at = None
    report.last_error = ""
    report.save()
    CommentEvent.objects.record(
        comment,
        kind=CommentEvent.Kind.AKISMET_REPORT,
        by=report.by,
        actor_label="" if report.by else ACTOR,
        note=f"Reported to Akismet as {report.kind}.",
    )
    return True


# --- For the owner ----------------------------------------------------------------------------


def owner_warnings():
    """What the site owner must know, shown in the admin. Never raises: a warning must not
    break the page it is shown on (the cache or the database may be what is failing)."""
    try:
        return _owner_warnings()
    except Exception:
        logger.exception("Could not work out Akismet's warnings for the owner")
        return []


def _owner_warnings():
    if not is_configured():
        return [OFF_WARNING]
    warnings = []
    rejected_at = tolerant_cache.get(REJECTED_KEY_CACHE_KEY)
    if rejected_at:
        warnings.append(
            f"Akismet rejected the API key (last at {rejected_at[:19].replace('T', ' ')} UTC): "
            "new comments are held unchecked. Check AKISMET_API_KEY and AKISMET_SITE_URL, "
            "then run `manage.py akismet_status`."
        )
    unchecked = Comment.objects.filter(akismet_verdict=Comment.Akismet.UNCHECKED).count()
    if unchecked:
        warnings.append(
            f"{unchecked} comment{'s' if unchecked != 1 else ''} could not be checked by "
            "Akismet and wait in the moderation queue; they are rechecked automatically."
        )
    return warnings
