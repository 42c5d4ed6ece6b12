"""
Akismet: comment-check when a comment is posted, rechecks when Akismet failed, and reports
(submit-spam / submit-ham) when a moderator corrects a verdict.

One `akismet.SyncClient` per process, built on first use without a network call; the key is
verified by `manage.py akismet_status` and the system check, never per request. Calls go to
AKISMET_API_URL through an httpx transport, so an operator (or a test) can point them at an
Akismet-compatible service or the local emulator.

Nothing here may lose a comment or fail a moderator's action: every Akismet error leaves the
comment held and "unchecked" with a next check time, and reports are retried until sent.
"""

import logging
import threading
import time
from datetime import UTC, timedelta

import akismet
import httpx
from django.conf import settings
from django.core.cache import cache
from django.core.signals import setting_changed
from django.db import transaction
from django.dispatch import receiver
from django.utils import timezone

from fitness.http_deadline import DeadlineTransport

from .models import AkismetReport, Comment, CommentEvent

logger = logging.getLogger("comments.akismet")

AKISMET_URL = "https://rest.akismet.com"
REJECTED_KEY_CACHE_KEY = "comments:akismet:rejected-key"
ACTOR = "Akismet"
RECHECK_REASON = "recheck_queue"
CLAIM_SECONDS = 300  # a due item is claimed for this long while one process works on it
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


def is_trusted(user):
    """Staff and moderators: they skip the local holds and Akismet sees them as administrators."""
    return bool(
        user
        and user.is_authenticated
        and (user.is_staff or user.has_perm("comments.moderate_comment"))
    )


def honeypot_field_name():
    try:
        from .forms import HONEYPOT_FIELD
    except ImportError:  # the form is not there yet
        return ""
    return HONEYPOT_FIELD


def build_request(comment, context=None):
    """Every field we have about the comment, as Akismet's comment-check names them."""
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
        "honeypot_field_name": honeypot_field_name(),
    }
    if is_trusted(user):
        fields["user_role"] = "administrator"
    if settings.AKISMET_IS_TEST:
        fields["is_test"] = 1
    return {name: value for name, value in fields.items() if value not in ("", None)}


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
    cache.set(REJECTED_KEY_CACHE_KEY, timezone.now().isoformat(), timeout=None)


def clear_rejected_key():
    cache.delete(REJECTED_KEY_CACHE_KEY)


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
    headers = getattr(_local, "headers", {})
    if verdict != Comment.Akismet.UNCHECKED:
        clear_rejected_key()
    else:
        logger.warning("Akismet check failed for comment %s: %s", comment.pk, error)

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
    return verdict


def check(comment, context):
    """The screening step: check a new (unsaved) comment."""
    return comment_check(comment, build_request(comment, context))


AKISMET_FIELDS = [
    "akismet_verdict",
    "akismet_request",
    "akismet_response",
    "akismet_checked_at",
    "akismet_attempts",
    "akismet_next_check_at",
    "updated_at",
]


def recheck(comment, *, by=None, now=None):
    """Check a stored comment again with what was first sent; settle its status.

    ham: a held comment is approved unless a local rule still holds it; spam: to spam;
    blatant: to spam, flagged; failure: stays as it is, unchecked, with the next retry set
    (after AKISMET_RECHECK_GIVE_UP_DAYS it is left held for a human). Returns the verdict.
    """
    from . import moderation, rules

    now = now or timezone.now()
    if not is_configured():
        record_event = moderation.record_event
        record_event(comment, kind=CommentEvent.Kind.AKISMET_CHECK, by=by, actor_label=ACTOR,
                     note="Not rechecked: Akismet is off (no AKISMET_API_KEY).")  # fmt: skip
        return comment.akismet_verdict
    fields = dict(comment.akismet_request) or build_request(comment)
    fields["recheck_reason"] = RECHECK_REASON
    with transaction.atomic():
        verdict = comment_check(comment, fields, now=now)
        comment.save(update_fields=AKISMET_FIELDS)
        note = f"Akismet says {verdict}"
        if verdict == Comment.Akismet.UNCHECKED:
            error = comment.akismet_response.get("error", "")
            if comment.akismet_next_check_at is None:
                note = (
                    f"Akismet could not be reached ({error}); gave up retrying after "
                    f"{settings.AKISMET_RECHECK_GIVE_UP_DAYS} days: a moderator must decide."
                )
            else:
                note = f"Akismet could not be reached ({error}); next try {comment.akismet_next_check_at:%Y-%m-%d %H:%M} UTC."  # noqa: E501
        moderation.record_event(
            comment, kind=CommentEvent.Kind.AKISMET_CHECK, by=by, actor_label=ACTOR, note=note
        )
        _settle(comment, verdict, by=by, rules=rules, moderation=moderation)
    return verdict


def _settle(comment, verdict, *, by, rules, moderation):
    Status = Comment.Status
    if verdict in (Comment.Akismet.SPAM, Comment.Akismet.BLATANT):
        # Automatic rechecks only move held comments; a moderator's recheck may move any.
        if comment.status == Status.PENDING or (by is not None and comment.status != Status.SPAM):
            note = "Blatant spam (Akismet: discard)." if verdict == Comment.Akismet.BLATANT else ""
            moderation.change_status(comment, Status.SPAM, actor_label=ACTOR, note=note)
    elif verdict == Comment.Akismet.HAM and comment.status == Status.PENDING:
        hold = rules.local_hold(comment)
        if hold is None:
            moderation.approve(comment, actor_label=ACTOR, note="Akismet recheck: ham.")
        else:
            moderation.record_event(
                comment,
                kind=CommentEvent.Kind.SCREENING,
                actor_label=f"rule: {hold.step}",
                note=f"Akismet says ham; still held: {hold.reason}",
            )


# --- Reports (submit-spam / submit-ham) -------------------------------------------------------


def schedule_report(comment, kind, *, by=None):
    """Record that a moderator's verdict should reach Akismet, and send it after the commit.

    Never raises: an admin action must not fail because of Akismet. Returns the report (or
    None if even recording it failed, which is logged).
    """
    from . import moderation, tasks

    try:
        if kind not in AkismetReport.Kind.values:
            raise ValueError(f"kind must be spam or ham, not {kind!r}")
        with transaction.atomic():
            report = AkismetReport.objects.create(
                comment=comment,
                kind=kind,
                by=by if by is not None and by.is_authenticated else None,
            )
            if not is_configured():
                report.status = AkismetReport.Status.SKIPPED
                report.last_error = "Akismet is off (no AKISMET_API_KEY)."
                report.save(update_fields=["status", "last_error"])
                moderation.record_event(
                    comment,
                    kind=CommentEvent.Kind.AKISMET_REPORT,
                    by=by,
                    actor_label="" if by else ACTOR,
                    note=f"Not reported as {kind} to Akismet: Akismet is off.",
                )
                return report
            # A safety net: if the task never runs, akismet_retry sends it.
            report.next_attempt_at = timezone.now() + timedelta(seconds=CLAIM_SECONDS)
            report.save(update_fields=["next_attempt_at"])
        transaction.on_commit(lambda: _enqueue(tasks.report_to_akismet, report.pk))
        return report
    except Exception:
        logger.exception("Could not schedule an Akismet %s report for comment %s", kind, comment.pk)
        return None


def _enqueue(task, *args, run_after=None):
    try:
        if run_after is not None:
            if not task.get_backend().supports_defer:
                return None  # the periodic akismet_retry picks it up
            task = task.using(run_after=run_after)
        return task.enqueue(*args)
    except Exception:
        logger.exception("Could not enqueue %s%r", task.name, args)
        return None


def schedule_recheck(comment):
    """After a failed check: enqueue the recheck for its due time, when the task backend can
    defer; otherwise `manage.py akismet_retry` (the scheduler) runs it when due."""
    from . import tasks

    if comment.akismet_next_check_at is not None:
        transaction.on_commit(
            lambda: _enqueue(
                tasks.recheck_comment, comment.pk, run_after=comment.akismet_next_check_at
            )
        )


def send_report(report, *, now=None):
    """Send one report with the fields first sent to comment-check. Returns True if sent."""
    from . import moderation

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
            moderation.record_event(
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
    moderation.record_event(
        comment,
        kind=CommentEvent.Kind.AKISMET_REPORT,
        by=report.by,
        actor_label="" if report.by else ACTOR,
        note=f"Reported to Akismet as {report.kind}.",
    )
    return True


# --- Due work (the scheduler / akismet_retry) -------------------------------------------------


def _claim(queryset, field, seen, now):
    """Take an item for this process: move its due time ahead unless another process did."""
    lease = now + timedelta(seconds=CLAIM_SECONDS)
    return queryset.filter(**{field: seen}).update(**{field: lease}) == 1


def process_due(now=None, *, limit=100):
    """Run due rechecks and due report retries; returns {"rechecked": n, "reported": n}."""
    now = now or timezone.now()
    done = {"rechecked": 0, "reported": 0, "failed": 0}
    if not is_configured():
        return done
    due = Comment.objects.filter(
        akismet_verdict=Comment.Akismet.UNCHECKED, akismet_next_check_at__lte=now
    ).order_by("akismet_next_check_at")[:limit]
    for comment in due:
        seen = comment.akismet_next_check_at
        if not _claim(Comment.objects.filter(pk=comment.pk), "akismet_next_check_at", seen, now):
            continue
        verdict = recheck(comment, now=now)
        done["rechecked" if verdict != Comment.Akismet.UNCHECKED else "failed"] += 1
    reports = AkismetReport.objects.filter(
        status=AkismetReport.Status.PENDING, next_attempt_at__lte=now
    ).select_related("comment", "comment__article")[:limit]
    for report in reports:
        seen = report.next_attempt_at
        if not _claim(AkismetReport.objects.filter(pk=report.pk), "next_attempt_at", seen, now):
            continue
        done["reported" if send_report(report, now=now) else "failed"] += 1
    return done


# --- For the owner ----------------------------------------------------------------------------


def owner_warnings():
    """What the site owner must know, shown in the admin."""
    if not is_configured():
        return [OFF_WARNING]
    warnings = []
    rejected_at = cache.get(REJECTED_KEY_CACHE_KEY)
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
