"""
Moderation: what a moderator can do to comments, as one registry, with undo.

Every operation is one entry of OPERATIONS: its name, its label, what the message says it did,
who may run it, which comments it applies to, and the function (a status change from
`comments.services.status`, or a recheck from `rechecks`). The admin's bulk actions, change-page
buttons, queue rows and keyboard shortcuts are made from it; so is anything that acts on
comments later (a command, a background task). `apply` runs one on many comments and returns
the steps `undo` takes back; `edit` is a moderator's change of a comment's text, name or website,
undone the same way.

An operation with `decides_reports` also closes the comment's open readers' reports with that
decision (`comments.services.reports`), and its undo opens them again.
"""

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from comments import signals
from comments.models import AkismetReport, Comment, CommentEvent, CommentReport
from comments.services import reports
from comments.services.akismet_reports import AKISMET_SAID_SPAM, schedule_report
from comments.services.commenters import lift_ban
from comments.services.counts import refresh_article_counts
from comments.services.rechecks import recheck
from comments.services.status import (
    approve,
    change_status,
    lock,
    mark_ham,
    mark_spam,
    remove,
    restore,
    unapprove,
)
from comments.threads.rendering import render_body

Status = Comment.Status
Decision = CommentReport.Decision
MODERATE_PERMISSION = "comments.moderate_comment"


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
    decides_reports: str = ""  # closes the comment's open reports with this decision

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
            decides_reports=Decision.DISMISSED,
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
            decides_reports=Decision.SPAM,
        ),
        Operation(
            "mark_ham",
            "Not spam (report to Akismet and approve)",
            "marked as not spam and approved",
            mark_ham,
            lambda c: c.status == Status.SPAM or c.akismet_verdict in AKISMET_SAID_SPAM,
            short="Not spam",
            decides_reports=Decision.DISMISSED,
        ),
        Operation(
            "remove",
            "Remove (hide, keep replies in place)",
            "removed",
            remove,
            lambda c: c.status != Status.REMOVED,
            short="Remove",
            key="d",
            decides_reports=Decision.REMOVED,
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
            "dismiss_reports",
            "Dismiss reports (keep the comment; publish it again if they held it)",
            "kept, its reports dismissed",
            reports.republish_if_held,
            lambda c: reports.open_report_count(c) > 0,
            short="Dismiss reports",
            key="i",
            decides_reports=Decision.DISMISSED,
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
    # One step per changed comment: {"pk", "from", "to", "reported", "reports"} (see `undo`).
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
            changed = operation.run(comment, by=by, note=note)
            decided = []
            if operation.decides_reports:
                decided = reports.decide_open(comment, operation.decides_reports, by=by, note=note)
            if changed or decided:
                result.changed += 1
                akismet = operation.run in (mark_spam, mark_ham)
                step = _step(comment, before, started if akismet else None)
                result.steps.append({**step, "reports": decided})
            if changed and comment.status == Status.REMOVED:
                signals.comment_removed.send(sender=Comment, comment=comment)
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
    action had reported to Akismet, the opposite is reported; a ban made with it is lifted. A
    comment someone has changed since is left as it is (undo never overwrites a newer decision).
    """
    undone = 0
    for step in steps:
        if "ban" in step:  # a ban made with the action (comments.services.bans): lifted
            undone += lift_ban(step["ban"], by=by)
            continue
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
            if step.get("reports"):
                reports.reopen(comment, step["reports"], by=by)
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
