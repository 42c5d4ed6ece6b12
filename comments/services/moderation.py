"""
Moderation: the only code that changes a comment's status once it is saved.

Every operation a moderator can run is one entry of OPERATIONS: its name, its label, what the
message says it did, who may run it, which comments it applies to, and the function. The admin's
bulk actions and change-page buttons are made from it; so is anything that acts on comments
later (a per-row button, a keyboard shortcut, a command).

Each status change writes a history row, keeps the article's approved count, thread visibility
and page cache right, and tells what follows through `comments.signals` (a published comment
to the notifications, a report or a recheck to the background tasks), inside the transaction.
Akismet rechecks settle here too: the adapter only asks, this module decides.
"""

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Count, F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from comments import signals
from comments.conf import settings
from comments.models import AkismetReport, Comment, CommentEvent
from comments.screening import akismet
from comments.screening.pipeline import local_hold
from comments.threads import reading as threads
from comments.threads.rendering import render_body
from fitness.articles.models import Article
from fitness.core import tolerant_cache

Status = Comment.Status
MODERATE_PERMISSION = "comments.moderate_comment"
AKISMET_SAID_SPAM = {Comment.Akismet.SPAM, Comment.Akismet.BLATANT}
# The privacy page promises that a comment posted while Akismet was off is never sent to it,
# even once a key is set: the verdict "off", recorded at posting, marks those comments.
POSTED_WHILE_OFF = "it was posted while Akismet was off, and is never sent to it"


def posted_while_off(comment: Comment) -> bool:
    return comment.akismet_verdict == Comment.Akismet.OFF


CLAIM_SECONDS = 300  # a due recheck or report is claimed for this long while one process works


def refresh_article_counts(article_ids: Iterable[int], *, thread_ids: Iterable[int] | None = None):
    """Recount approved comments and bump the thread version of the given articles.

    Which threads readers see is recomputed too: for `thread_ids` when the caller knows which
    threads changed, else for every thread of the articles.
    """
    article_ids = sorted(set(article_ids))
    with transaction.atomic():
        # Lock the articles first: the recount below then starts after any other transaction
        # that changed their comments has committed, and sees its comment (READ COMMITTED takes
        # a statement's snapshot when it starts; an UPDATE waiting for the row would recount
        # with the older one and miss a comment posted at the same moment).
        list(Article.objects.select_for_update().filter(pk__in=article_ids).values_list("pk"))
        _recount(article_ids, thread_ids)


def _recount(article_ids, thread_ids):
    threads.refresh_visibility(thread_ids=thread_ids, article_ids=article_ids)
    approved = (
        Comment.objects.public()
        .filter(article=OuterRef("pk"))
        .order_by()
        .values("article")
        .annotate(n=Count("pk"))
        .values("n")
    )
    Article.objects.filter(pk__in=article_ids).update(
        comment_count=Coalesce(Subquery(approved), 0),
        comments_version=F("comments_version") + 1,
    )


# --- How many comments in each status (the queue's filter) --------------------------------------

COUNTS_KEY = "comments:status-counts"
COUNTS_SECONDS = 300


def status_counts() -> dict[str, int]:
    """{status: n} for the queue's status filter, without counting the whole table each time.

    Held comments are counted exactly on every call (an index range, 5 % of the table); the
    big buckets (approved, spam, removed) come from a count kept in the cache for
    COUNTS_SECONDS and moved along by every status change, so that a table of 1,000,000
    comments is scanned once per COUNTS_SECONDS, not on every page of the queue.
    """
    counts = tolerant_cache.get(COUNTS_KEY)
    if counts is None:  # not counted yet, or the cache down: count now (slower, still right)
        return refresh_status_counts()
    return {**counts, Status.PENDING: Comment.objects.in_moderation().count()}


def refresh_status_counts() -> dict[str, int]:
    """Count every status once (a scan of the table) and keep it; the scheduler's minute job
    `status-counts` runs this, so that no moderator's page pays for it."""
    found = dict(
        Comment.objects.order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    counts = {value: found.get(value, 0) for value in Status.values}
    tolerant_cache.set(COUNTS_KEY, counts, COUNTS_SECONDS)  # failing: the next page counts
    return counts


def _move_count(from_status, to_status):
    """Move the kept counts along (approximate between the minute job's recounts); a cache
    that fails leaves them to that job: a status change never fails for a count."""
    counts = tolerant_cache.get(COUNTS_KEY)
    if counts is not None:
        counts[from_status] = max(counts.get(from_status, 0) - 1, 0)
        counts[to_status] = counts.get(to_status, 0) + 1
        tolerant_cache.set(COUNTS_KEY, counts, COUNTS_SECONDS)


def _move_article_count(comment: Comment, delta: int) -> None:
    """One comment came into (or left) public view: the article's count moves by one, its
    thread's visibility and comments_version (the thread cache's key, the page's ETag) follow.
    The row lock makes the delta exact; a full recount (`refresh_article_counts`) would read
    every approved comment of the article (half a second for an article with 27,000)."""
    threads.refresh_visibility(thread_ids=[comment.thread_id])
    Article.objects.filter(pk=comment.article_id).update(
        comment_count=F("comment_count") + delta,
        comments_version=F("comments_version") + 1,
    )


# --- Status changes ------------------------------------------------------------------------------


def lock(comment: Comment) -> Comment:
    """Lock the comment's row until the transaction ends and read its status again there, so
    that two moderators acting on it at once are served one after the other: the second sees
    what the first did, and nothing is recorded twice."""
    locked = (
        Comment.objects.select_for_update()
        .filter(pk=comment.pk)
        .values("status", "status_changed_at", "body", "author_name", "author_url")
        .first()
    )
    if locked is not None:
        for name, value in locked.items():
            setattr(comment, name, value)
    return comment


@transaction.atomic(savepoint=False)  # inside a caller's transaction: no savepoint round trips
def change_status(
    comment: Comment, to_status: str, *, by=None, actor_label: str = "", note: str = ""
) -> bool:
    """Move one comment to `to_status`; returns False (and records nothing) if already there.

    The row is locked first (`lock`): the status it moves from is the one in the database."""
    lock(comment)
    from_status = comment.status
    if from_status == to_status:
        return False
    comment.status = to_status
    comment.status_changed_at = timezone.now()
    comment.save(update_fields=["status", "status_changed_at", "updated_at"])
    CommentEvent.objects.record(
        comment,
        by=by,
        actor_label=actor_label,
        note=note,
        from_status=from_status,
        to_status=to_status,
    )
    if Status.APPROVED in (from_status, to_status):
        _move_article_count(comment, 1 if to_status == Status.APPROVED else -1)
    if to_status == Status.APPROVED:
        signals.comment_published.send(sender=Comment, comment=comment)
    transaction.on_commit(lambda: _move_count(from_status, to_status))
    return True


def approve(comment: Comment, *, by=None, actor_label: str = "", note: str = "") -> bool:
    return change_status(comment, Status.APPROVED, by=by, actor_label=actor_label, note=note)


def unapprove(comment: Comment, *, by=None, actor_label: str = "", note: str = "") -> bool:
    return change_status(comment, Status.PENDING, by=by, actor_label=actor_label, note=note)


def remove(comment: Comment, *, by=None, actor_label: str = "", note: str = "") -> bool:
    return change_status(comment, Status.REMOVED, by=by, actor_label=actor_label, note=note)


def restore(comment: Comment, *, by=None, actor_label: str = "", note: str = "") -> bool:
    """Bring a removed (or spam) comment back to the moderation queue."""
    return change_status(comment, Status.PENDING, by=by, actor_label=actor_label, note=note)


# --- Reclassification, with Akismet told what it got wrong --------------------------------------


@transaction.atomic(savepoint=False)
def mark_spam(
    comment: Comment, *, by=None, actor_label: str = "", note: str = "", report: bool = True
) -> bool:
    """Move a comment to spam; if Akismet had let it through, report it with submit-spam."""
    lock(comment)
    missed = comment.akismet_verdict not in AKISMET_SAID_SPAM
    changed = change_status(comment, Status.SPAM, by=by, actor_label=actor_label, note=note)
    if changed and report and missed:
        schedule_report(comment, AkismetReport.Kind.SPAM, by=by)
    return changed


@transaction.atomic(savepoint=False)
def mark_ham(
    comment: Comment, *, by=None, actor_label: str = "", note: str = "", report: bool = True
) -> bool:
    """Not spam: approve, and if it had been taken for spam, report it with submit-ham."""
    lock(comment)
    mistaken = comment.status == Status.SPAM or comment.akismet_verdict in AKISMET_SAID_SPAM
    changed = approve(comment, by=by, actor_label=actor_label, note=note)
    if changed and report and mistaken:
        schedule_report(comment, AkismetReport.Kind.HAM, by=by)
    return changed


def schedule_report(comment: Comment, kind: str, *, by=None) -> AkismetReport | None:
    """Record that a moderator's verdict should reach Akismet; it is sent after the commit.

    Never raises: an admin action must not fail because of Akismet. Returns the report (or
    None if even recording it failed, which is logged).
    """
    try:
        if kind not in AkismetReport.Kind.values:
            raise ValueError(f"kind must be spam or ham, not {kind!r}")
        with transaction.atomic():
            report = AkismetReport.objects.create(
                comment=comment,
                kind=kind,
                by=by if by is not None and by.is_authenticated else None,
            )
            why = (
                POSTED_WHILE_OFF
                if posted_while_off(comment)
                else "Akismet is off"
                if not akismet.is_configured()
                else ""
            )
            if why:
                _skip_report(report, why, by=by)
                return report
            # A safety net: if the task never runs, process_due (the scheduler) sends it.
            report.next_attempt_at = timezone.now() + timedelta(seconds=CLAIM_SECONDS)
            report.save(update_fields=["next_attempt_at"])
            signals.akismet_report_due.send(sender=Comment, report=report)
        return report
    except Exception:
        akismet.logger.exception(
            "Could not schedule an Akismet %s report for comment %s", kind, comment.pk
        )
        return None


def _skip_report(report: AkismetReport, why: str, *, by=None) -> None:
    """Record that a report is not sent, and why, on the report and in the history."""
    report.status = AkismetReport.Status.SKIPPED
    report.next_attempt_at = None
    report.last_error = "Akismet is off (no AKISMET_API_KEY)." if why == "Akismet is off" else why
    report.save(update_fields=["status", "next_attempt_at", "last_error"])
    CommentEvent.objects.record(
        report.comment,
        kind=CommentEvent.Kind.AKISMET_REPORT,
        by=by,
        actor_label="" if by else akismet.ACTOR,
        note=f"Not reported as {report.kind} to Akismet: {why}.",
    )


# --- Rechecks: ask Akismet again, settle the status -----------------------------------------------


def recheck(comment: Comment, *, by=None, now: datetime | None = None) -> str:
    """Check a stored comment again with what was first sent; settle its status.

    ham: a held comment is approved unless a local rule still holds it; spam: to spam;
    blatant: to spam, flagged; failure: stays as it is, unchecked, with the next retry set
    (after AKISMET_RECHECK_GIVE_UP_DAYS it is left held for a human). Returns the verdict.
    """
    now = now or timezone.now()
    if not akismet.is_configured():
        CommentEvent.objects.record(
            comment,
            kind=CommentEvent.Kind.AKISMET_CHECK,
            by=by,
            actor_label=akismet.ACTOR,
            note="Not rechecked: Akismet is off (no AKISMET_API_KEY).",
        )
        return comment.akismet_verdict
    if posted_while_off(comment):
        CommentEvent.objects.record(
            comment,
            kind=CommentEvent.Kind.AKISMET_CHECK,
            by=by,
            actor_label=akismet.ACTOR,
            note=f"Not rechecked: {POSTED_WHILE_OFF}.",
        )
        return comment.akismet_verdict
    fields = dict(comment.akismet_request) or akismet.build_request(comment)
    fields["recheck_reason"] = akismet.RECHECK_REASON
    with transaction.atomic():
        verdict = akismet.comment_check(comment, fields, now=now)
        comment.save(update_fields=akismet.AKISMET_FIELDS)
        CommentEvent.objects.record(
            comment,
            kind=CommentEvent.Kind.AKISMET_CHECK,
            by=by,
            actor_label=akismet.ACTOR,
            note=_recheck_note(comment, verdict),
        )
        _settle(comment, verdict, by=by)
        if comment.status == Status.PENDING and comment.akismet_next_check_at is None:
            # Settled and still held (a local rule, or Akismet given up on): a moderator
            # is told now; one held only for Akismet was not announced when it was posted.
            signals.comment_held.send(sender=Comment, comment=comment)
    return verdict


def _recheck_note(comment, verdict):
    if verdict != Comment.Akismet.UNCHECKED:
        return f"Akismet says {verdict}"
    error = comment.akismet_response.get("error", "")
    if comment.akismet_next_check_at is None:
        return (
            f"Akismet could not be reached ({error}); gave up retrying after "
            f"{settings.AKISMET_RECHECK_GIVE_UP_DAYS} days: a moderator must decide."
        )
    return (
        f"Akismet could not be reached ({error}); "
        f"next try {comment.akismet_next_check_at:%Y-%m-%d %H:%M} UTC."
    )


def _settle(comment, verdict, *, by):
    if verdict in AKISMET_SAID_SPAM:
        # Automatic rechecks only move held comments; a moderator's recheck may move any.
        if comment.status == Status.PENDING or (by is not None and comment.status != Status.SPAM):
            note = "Blatant spam (Akismet: discard)." if verdict == Comment.Akismet.BLATANT else ""
            change_status(comment, Status.SPAM, actor_label=akismet.ACTOR, note=note)
    elif verdict == Comment.Akismet.HAM and comment.status == Status.PENDING:
        hold = local_hold(comment)
        if hold is None:
            approve(comment, actor_label=akismet.ACTOR, note="Akismet recheck: ham.")
        else:
            CommentEvent.objects.record(
                comment,
                kind=CommentEvent.Kind.SCREENING,
                actor_label=f"rule: {hold.step}",
                note=f"Akismet says ham; still held: {hold.reason}",
            )


def _claim(queryset, field, seen, now):
    """Take an item for this process: move its due time ahead unless another process did."""
    lease = now + timedelta(seconds=CLAIM_SECONDS)
    return queryset.filter(**{field: seen}).update(**{field: lease}) == 1


def process_due(now: datetime | None = None, *, limit: int = 100) -> dict[str, int]:
    """Run due rechecks and due report retries (the scheduler's akismet-retry job);
    returns {"rechecked": n, "reported": n, "failed": n, "skipped": n}."""
    now = now or timezone.now()
    done = {"rechecked": 0, "reported": 0, "failed": 0, "skipped": 0}
    if not akismet.is_configured():
        return done
    # Only "unchecked" comments are rechecked, so one posted while Akismet was off ("off") never is.
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
        sent = send_report(report, now=now)
        done["skipped" if sent is None else "reported" if sent else "failed"] += 1
    return done


def send_report(report: AkismetReport, *, now: datetime | None = None) -> bool | None:
    """Send one pending report (the task, the scheduler): True if sent, False if it failed
    (retried later), None if it must never be sent (posted while Akismet was off)."""
    if posted_while_off(report.comment):  # scheduled before this guard existed
        _skip_report(report, POSTED_WHILE_OFF)
        return None
    return akismet.send_report(report, now=now)


# --- The registry of operations ------------------------------------------------------------------


@dataclass(frozen=True)
class Operation:
    """One thing a moderator can do to a comment."""

    name: str
    label: str  # the action's and the button's text
    done: str  # past tense for the message: "3 comments approved."
    run: Callable[..., bool | str]  # (comment, *, by, note) -> changed (or Akismet's verdict)
    applies: Callable[[Comment], bool]  # is it worth offering for this comment?
    permission: str = MODERATE_PERMISSION
    asks_akismet: bool = False  # its result is a verdict; it needs a key
    short: str = ""  # the button on a queue row ("" for none)
    key: str = ""  # its keyboard shortcut in the queue
    background: bool = False  # the admin runs it as one task per comment (it waits on Akismet)

    def allowed(self, user) -> bool:
        return user.has_perm(self.permission)


def _recheck_operation(comment, *, by=None, note=""):
    return recheck(comment, by=by)


OPERATIONS: dict[str, Operation] = {
    op.name: op
    for op in [
        Operation(
            "approve",
            "Approve",
            "approved",
            approve,
            lambda c: c.status != Status.APPROVED,
            short="Approve",
            key="a",
        ),
        Operation(
            "unapprove",
            "Unapprove (back to pending)",
            "sent back to pending",
            unapprove,
            lambda c: c.status == Status.APPROVED,
            short="Unapprove",
            key="u",
        ),
        Operation(
            "mark_spam",
            "Mark as spam (report to Akismet)",
            "marked as spam",
            mark_spam,
            lambda c: c.status != Status.SPAM,
            short="Spam",
            key="s",
        ),
        Operation(
            "mark_ham",
            "Not spam (report to Akismet and approve)",
            "marked as not spam and approved",
            mark_ham,
            lambda c: c.status == Status.SPAM or c.akismet_verdict in AKISMET_SAID_SPAM,
            short="Not spam",
        ),
        Operation(
            "remove",
            "Remove (hide, keep replies in place)",
            "removed",
            remove,
            lambda c: c.status != Status.REMOVED,
            short="Remove",
            key="d",
        ),
        Operation(
            "restore",
            "Restore (back to pending)",
            "restored to pending",
            restore,
            lambda c: c.status in (Status.REMOVED, Status.SPAM),
            short="Restore",
        ),
        Operation(
            "recheck",
            "Recheck with Akismet",
            "rechecked with Akismet",
            _recheck_operation,
            lambda c: True,
            asks_akismet=True,
            background=True,
        ),
    ]
}


@dataclass
class Applied:
    """What one operation did to a set of comments, and how to take it back (`undo`)."""

    operation: Operation
    total: int = 0
    changed: int = 0
    verdicts: Counter | None = None  # for an operation that asks Akismet
    # One step per changed comment: {"pk", "from", "to", "reported"} (see `undo`).
    steps: list[dict] = field(default_factory=list)
    # Comments another moderator had already moved from the status the caller saw:
    # [(comment, what they did, who)], e.g. (c, "approved", "alice").
    conflicts: list[tuple] = field(default_factory=list)

    @property
    def unchanged(self) -> int:
        return self.total - self.changed - len(self.conflicts)


def last_change(comment: Comment) -> tuple[str, str]:
    """(status, who) of the comment's latest status change: "approved", "alice"."""
    event = (
        comment.history.filter(kind=CommentEvent.Kind.STATUS)
        .select_related("actor")
        .order_by("-created_at", "-pk")
        .first()
    )
    if event is None:
        return comment.status, "system"
    return event.to_status, event.who


def apply(
    name: str,
    comments: Iterable[Comment],
    *,
    by=None,
    note: str = "",
    expected: str | None = None,
) -> Applied:
    """Run one operation on each comment (each in its own transaction, its row locked).

    `expected` is the status the moderator saw (a row of the queue): a comment another
    moderator has moved since is left alone and listed in `conflicts`, so that nobody approves
    what was just marked spam without seeing it, and nothing is recorded twice.
    """
    operation = OPERATIONS[name]
    result = Applied(operation, verdicts=Counter() if operation.asks_akismet else None)
    for comment in comments:
        result.total += 1
        if operation.asks_akismet:
            try:
                verdict = operation.run(comment, by=by, note=note)
            except Exception as error:  # a failed call never fails the others
                verdict = f"error ({error.__class__.__name__})"
            result.verdicts[str(verdict or "no answer")] += 1
            result.changed += 1
            continue
        with transaction.atomic():
            before = lock(comment).status
            if expected and before != expected:
                status, who = last_change(comment)
                result.conflicts.append((comment, status, who))
                continue
            started = timezone.now()
            if operation.run(comment, by=by, note=note):
                result.changed += 1
                reports = operation.run in (mark_spam, mark_ham)
                result.steps.append(_step(comment, before, started if reports else None))
    return result


def _step(comment, before, started):
    """What `undo` needs to put one comment back: its status before, and a report to Akismet
    made by this operation (undo tells Akismet the opposite; `started` is None for an operation
    that never reports)."""
    reported = started and (
        AkismetReport.objects.filter(comment=comment, created_at__gte=started)
        .exclude(status=AkismetReport.Status.SKIPPED)
        .values_list("kind", flat=True)
        .first()
    )
    return {"pk": comment.pk, "from": before, "to": comment.status, "reported": reported or ""}


def apply_to_many(name: str, comments: Iterable[Comment], *, by=None, note: str = "") -> int:
    """Run one operation on each comment; return how many changed."""
    return apply(name, comments, by=by, note=note).changed


# --- Undo and edit -------------------------------------------------------------------------------

OPPOSITE_REPORT = {AkismetReport.Kind.SPAM: AkismetReport.Kind.HAM, AkismetReport.Kind.HAM: "spam"}
EDITABLE = ("body", "author_name", "author_url")


def undo(steps: Iterable[dict], *, by=None) -> int:
    """Take back what `apply` (its `steps`) or `edit` did; returns how many comments went back.

    Each comment goes back exactly where it was, with a history line that says so; where the
    action had reported to Akismet, the opposite is reported. A comment someone has changed
    since is left as it is (undo never overwrites a newer decision).
    """
    undone = 0
    for step in steps:
        with transaction.atomic():
            comment = Comment.objects.select_related("article").filter(pk=step["pk"]).first()
            if comment is None:
                continue
            lock(comment)
            if "edit" in step:
                if all(getattr(comment, f) == step["edit"][f]["new"] for f in step["edit"]):
                    old = {f: values["old"] for f, values in step["edit"].items()}
                    edit(comment, by=by, note="Undo of an edit.", **old)
                    undone += 1
                continue
            if comment.status != step["to"]:
                continue
            change_status(comment, step["from"], by=by, note="Undo.")
            if step.get("reported"):
                schedule_report(comment, OPPOSITE_REPORT[step["reported"]], by=by)
            undone += 1
    return undone


@transaction.atomic
def edit(comment: Comment, *, by=None, note: str = "", **values) -> dict:
    """Change a comment's text, name or website (never its email); returns the undo step, or
    {} if nothing changed.

    The old values go into the history, the text is rendered again, and readers see the change
    at once (the article's thread version and page cache move on).
    """
    unknown = set(values) - set(EDITABLE)
    if unknown:
        raise ValueError(f"Only {', '.join(EDITABLE)} can be edited, not {sorted(unknown)}")
    lock(comment)
    changes = {
        name: {"old": getattr(comment, name), "new": value}
        for name, value in values.items()
        if value is not None and getattr(comment, name) != value
    }
    if not changes:
        return {}
    for name, change in changes.items():
        setattr(comment, name, change["new"])
    fields = [*changes, "updated_at"]
    if "body" in changes:
        comment.body_html = render_body(comment.body)
        fields.append("body_html")
    comment.save(update_fields=fields)
    labels = {"body": "text", "author_name": "name", "author_url": "website"}
    was = "; ".join(f"{labels[name]} was “{change['old']}”" for name, change in changes.items())
    CommentEvent.objects.record(
        comment,
        kind=CommentEvent.Kind.EDIT,
        by=by,
        note=f"{note} Edited: {was}".strip() if note else f"Edited: {was}",
    )
    if comment.status == Status.APPROVED:
        refresh_article_counts([comment.article_id], thread_ids=[comment.thread_id])
    return {"pk": comment.pk, "edit": changes}


# --- The writer's own edit and deletion (comments.services.posting decides when they may)

AUTHOR_LABEL = "its writer"
EDIT_FIELDS = ["body", "body_html", "screening", *akismet.AKISMET_FIELDS]


@transaction.atomic
def record_author_edit(comment: Comment, *, old_body: str, to_status: str, note: str) -> bool:
    """Save the writer's new text (already screened again and rendered on `comment`), with a
    history line that keeps the text before; move it to `to_status` when the new screening
    says so (a published comment whose edit trips a rule goes back to the queue, or to spam).

    Returns True when the status changed.
    """
    comment.save(update_fields=EDIT_FIELDS)
    CommentEvent.objects.record(
        comment,
        kind=CommentEvent.Kind.EDIT,
        actor_label=AUTHOR_LABEL,
        note=f"{note}\nThe text before the edit:\n{old_body}",
        from_status=comment.status,
        to_status=comment.status,
    )
    if comment.akismet_verdict == Comment.Akismet.UNCHECKED and comment.akismet_next_check_at:
        signals.akismet_recheck_due.send(
            sender=Comment, comment=comment, when=comment.akismet_next_check_at
        )
    changed = change_status(comment, to_status, actor_label=AUTHOR_LABEL, note=note)
    if changed and to_status == Status.PENDING:
        signals.comment_held.send(sender=Comment, comment=comment)  # moderators are told
    if not changed and comment.is_public:
        # The same status, a new text: readers must see it (counts, thread and page caches).
        refresh_article_counts([comment.article_id], thread_ids=[comment.thread_id])
    return changed


def remove_by_author(comment: Comment) -> bool:
    """The writer deleted their own comment: removed (its replies keep their place), recorded."""
    return remove(comment, actor_label=AUTHOR_LABEL, note="Removed by its writer.")
