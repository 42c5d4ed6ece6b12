"""
Emails to moderators about held comments: at once (COMMENTS_NOTIFY_MODERATORS = "each": the
first held comment of a burst at once, whenever the last email went, then at most one email
per HELD_BURST listing every comment held since), or in a digest ("digest", the scheduler's
hourly job). A comment held only until Akismet can be asked again waits for that recheck
before anyone is told.

Each moderator with an account gets an email of their own: every held comment in it carries
their Approve, Spam and Remove links (`action_links`: signed for them, expiring).
"""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django_tasks import task
from django_tasks.base import TaskResultStatus
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from comments.conf import settings
from comments.models import Comment, Notification
from comments.notifications import action_links
from comments.notifications.sending import (
    NOTES,
    already_sent,
    load_comment,
    logger,
    notification_row,
    record_attempt,
    record_in_history,
    send_messages,
    send_once,
)
from comments.screening.verdicts import held_reasons, in_words
from comments.services import moderation, reports
from fitness.core import tolerant_cache

MODERATORS_GROUP = "Moderators"
# After a held-for-review email, the next waits this long and lists every comment held since.
HELD_BURST = timedelta(minutes=10)


# --- Who and what ------------------------------------------------------------------------------


def moderators_to_tell():
    """{address: the moderator's account, or None}: COMMENTS_MODERATORS_EMAILS (each matched
    to an active account that may moderate, for its links), else the Moderators group and
    superusers with an email. One query."""
    moderators = (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(groups__name=MODERATORS_GROUP) | Q(is_superuser=True))
        .exclude(email="")
        .order_by("email", "pk")
        .distinct()
    )
    by_email = {}
    for user in moderators:
        by_email.setdefault(user.email.lower(), user)
    if settings.COMMENTS_MODERATORS_EMAILS:
        return {email: by_email.get(email.lower()) for email in settings.COMMENTS_MODERATORS_EMAILS}
    return {user.email: user for user in by_email.values()}


def admin_url(comment):
    return settings.SITE_URL + reverse("admin:comments_comment_change", args=[comment.pk])


def queue_url():
    return settings.SITE_URL + reverse("admin:comments_comment_changelist") + "?status=pending"


def link_labels():
    """{operation: its short label} for the email's links, from the operations registry."""
    operations = moderation.OPERATIONS
    return {
        name: operations[name].short or operations[name].label for name in action_links.OPERATIONS
    }


def describe(comment, moderator=None):
    """A plain-text summary of a held comment, for moderators; with `moderator`, their
    Approve, Spam and Remove links for it."""
    reasons = [in_words(step) for step in held_reasons(comment.screening)]
    lines = [
        f"Article: {comment.article.title}",
        f"Author: {comment.author_name} <{comment.author_email or 'no email'}>"
        + (f" from {comment.ip_address}" if comment.ip_address else ""),
    ]
    if comment.parent_id:
        lines.append(f"In reply to: {comment.parent.author_name}")
    if reasons:
        lines.append("Held because: " + "; ".join(reasons))
    reported = reports.summary(comment)
    if reported:
        lines.append(f"Readers' reports: {reported}")
    lines += ["", Truncator(comment.body).chars(2000), "", f"Moderate it: {admin_url(comment)}"]
    if moderator is not None and comment.status == Comment.Status.PENDING:
        links = action_links.links_for(comment, moderator, link_labels())
        lines += [f"{label}: {url}" for label, url in links]
        hours = settings.COMMENTS_EMAIL_LINK_HOURS
        lines.append(f"(each link asks you to confirm; it works for {hours} hours)")
    return "\n".join(lines)


def personal(write, moderators):
    """`write(moderator)` as a function of a recipient's address (`sending.send_once`)."""
    return lambda email: write(moderators.get(email))


def waits_for_akismet(comment):
    """Held only because Akismet could not be reached, and a recheck is still to come: not
    worth a moderator's attention yet (the recheck approves most of them alone; if it leaves
    the comment held, or gives up, moderation announces it then)."""
    if comment.akismet_verdict != Comment.Akismet.UNCHECKED or not comment.akismet_next_check_at:
        return False
    reasons = held_reasons(comment.screening)
    return bool(reasons) and all(step.get("step") == "akismet" for step in reasons)


# --- Held for review, at once --------------------------------------------------------------------


def unannounced():
    """Held comments no held-for-review email has told moderators of, oldest first, leaving
    out those still waiting for Akismet."""
    told = Notification.objects.filter(
        kind=Notification.Kind.HELD, status=Notification.Status.SENT
    ).values("comment_id")
    comments = (
        Comment.objects.in_moderation()
        .exclude(pk__in=told)
        .select_related("article", "parent")
        .order_by("created_at")
    )
    return [comment for comment in comments[:200] if not waits_for_akismet(comment)]


def last_held_email_at():
    latest = (
        Notification.objects.filter(kind=Notification.Kind.HELD, status=Notification.Status.SENT)
        .order_by("-sent_at")
        .values_list("sent_at", flat=True)
        .first()
    )
    return latest


@task()
def send_held_notice(comment_id):
    """A comment was held: tell moderators, at most one email per HELD_BURST.

    The first held comment after a quiet spell is emailed at once. Those held within the
    following burst window wait, and one email lists them all when the window ends (this
    task deferred to then where the backend can defer, else the scheduler's minute job
    `send_held_notices`). Returns True if an email went out now.
    """
    comment = load_comment(comment_id)
    if comment is None or comment.status != Comment.Status.PENDING:
        return False  # already moderated (or deleted) by the time the task ran
    if waits_for_akismet(comment) or already_sent(comment, Notification.Kind.HELD):
        return False
    last = last_held_email_at()
    if last is not None and timezone.now() - last < HELD_BURST and not starts_a_burst(comment):
        _defer_held_notices(last + HELD_BURST)
        return False
    return send_held_notices(at_once=True) > 0


# A held comment queues `send_held_notice` only when no other did in the last few seconds: the
# task that runs lists every comment not yet announced (`unannounced`), so a burst of 500 held
# comments queues a handful of tasks, not 500. One left without a task of its own is in the
# email of the task before it, or of its burst window's end, or, at the latest, of the
# scheduler's minute job (`send_held_notices`): a delay, never a lost notice.
HELD_NOTICE_GATE = "comments:held-notice-queued"
HELD_NOTICE_GATE_SECONDS = 5


def held_notice_due():
    """True when a newly held comment should queue `send_held_notice`: no other comment queued
    one within HELD_NOTICE_GATE_SECONDS, or the cache is down and cannot say (then queue)."""
    claimed = tolerant_cache.add(HELD_NOTICE_GATE, True, timeout=HELD_NOTICE_GATE_SECONDS)
    return claimed is not False


def starts_a_burst(comment):
    """No other comment waiting was held in the HELD_BURST before this one: it is the first of
    a new burst, emailed at once even if the last email (about an earlier burst) is recent."""
    since = comment.created_at - HELD_BURST
    earlier = Comment.objects.in_moderation().exclude(pk=comment.pk)
    return not earlier.filter(created_at__gte=since, created_at__lte=comment.created_at).exists()


def _defer_held_notices(when):
    """Queue one `send_held_notices_later` for the burst window ending at `when`, however many
    comments are held in it: the first to claim the window queues it, the others find it
    claimed. A claim without its task costs a delay, never a notice: a comment stays
    `unannounced()` until an email records it sent, and the minute job sends what is left."""
    try:
        if not send_held_notices_later.get_backend().supports_defer:
            return
        key = f"comments:held-notices:{when.timestamp()}"
        if not _claim_window(key, when):
            return
        try:
            send_held_notices_later.using(run_after=when).enqueue()
        except Exception:
            tolerant_cache.delete(key)  # the next held comment of the window tries again
            raise
    except Exception:
        logger.exception("Could not defer the held-comments email")


def _claim_window(key, when):
    """True for the first caller in the window ending at `when`. The cache's `add` is atomic
    across processes; with the cache down the database answers (is this window's task
    queued?), which two workers in the same instant may both pass: a second email-less task
    is the right trade while the cache is away, a lost notice would not be."""
    seconds_left = int((when - timezone.now()).total_seconds())
    claimed = tolerant_cache.add(key, True, timeout=max(seconds_left, 0) + 60)
    if claimed is not None:
        return claimed
    if not isinstance(send_held_notices_later.get_backend(), DatabaseBackend):
        return True  # nowhere to look: queue it
    queued = DBTaskResult.objects.filter(
        task_path=send_held_notices_later.module_path,
        status=TaskResultStatus.READY,
        run_after=when,
    )
    return not queued.exists()


def send_held_notices(*, at_once=False):
    """One email listing every held comment not yet announced (the scheduler's job, the end of
    a burst, and `at_once` the first comment of a burst); returns how many it listed. Nothing
    when the last one is too recent, unless `at_once`."""
    comments = unannounced()
    moderators = moderators_to_tell()
    recipients = list(moderators)
    if not comments or not recipients:
        return 0
    last = last_held_email_at()
    if not at_once and last is not None and timezone.now() - last < HELD_BURST:
        return 0  # the burst is still going on: the window's end sends it
    if len(comments) == 1:
        sent = send_once(
            comments[0],
            kind=Notification.Kind.HELD,
            subject=f"[{settings.SITE_NAME}] Comment held for review on "
            f"“{comments[0].article.title}”",
            body=personal(lambda moderator: describe(comments[0], moderator), moderators),
            recipients=recipients,
        )
        return 1 if sent else 0
    return _send_listing(
        comments,
        kind=Notification.Kind.HELD,
        subject=f"[{settings.SITE_NAME}] {len(comments)} comments held for review",
        moderators=moderators,
    )


@task()
def send_held_notices_later():
    """`send_held_notices` at the end of a burst window (deferred where the backend can)."""
    return send_held_notices()


# --- The digest ----------------------------------------------------------------------------------


def undigested():
    """Held comments no digest has told moderators of yet, oldest first."""
    already = Notification.objects.filter(
        kind=Notification.Kind.DIGEST, status=Notification.Status.SENT
    ).values("comment_id")
    return (
        Comment.objects.in_moderation()
        .exclude(pk__in=already)
        .select_related("article", "parent")
        .order_by("created_at")
    )


@task()
def send_digest():
    """One email listing every held comment not yet in a digest; returns how many it listed.
    A failed send is recorded on each comment and the next digest lists them again."""
    comments = list(undigested()[:200])
    moderators = moderators_to_tell()
    if not comments or not moderators:
        return 0
    return _send_listing(
        comments,
        kind=Notification.Kind.DIGEST,
        subject=f"[{settings.SITE_NAME}] {len(comments)} new comment"
        f"{'s' if len(comments) != 1 else ''} held for review",
        moderators=moderators,
    )


def _send_listing(comments, *, kind, subject, moderators):
    """Send one email describing several held comments, after the count of all that wait, to
    each moderator (with their links); record it on each comment (as `send_once` does for
    one). Returns how many comments it told of (0 when the send failed)."""
    total = Comment.objects.in_moderation().count()
    recipients = list(moderators)

    def listing(moderator):
        parts = [f"{total} comment{'s' if total != 1 else ''} awaiting moderation: {queue_url()}"]
        parts += [describe(comment, moderator) for comment in comments]
        return "\n\n----\n\n".join(parts)

    error = ""
    try:
        send_messages(subject, personal(listing, moderators), recipients)
    except Exception as exc:
        logger.exception("Moderation email about %d comments failed", len(comments))
        error = f"{exc.__class__.__name__}: {exc}"
    now = timezone.now()
    plural = "s" if len(recipients) != 1 else ""
    for comment in comments:
        record_attempt(notification_row(comment, kind), recipients, error=error, now=now)
        record_in_history(
            comment,
            f"{NOTES[kind]} FAILED: {error}"
            if error
            else f"{NOTES[kind]} ({len(recipients)} recipient{plural}, "
            f"one email listing {len(comments)} comments)",
        )
    return 0 if error else len(comments)
