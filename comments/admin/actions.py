"""
What a moderator's action does in the admin, however it is asked for (the changelist's bulk
action, `views.bulk`; a row's button, a key, the change page's buttons): run one operation of
`comments.services.moderation.OPERATIONS` once per comment (`perform`), say what it did, write
it in the admin's log ("Recent actions"), and keep what takes it back (the undo store).

Nothing here changes a status itself: `moderation.apply`, `moderation.undo` and
`moderation.edit` do, and record the comment's history.
"""

import secrets
from dataclasses import dataclass

from django.contrib import messages
from django.urls import reverse
from django.utils.translation import ngettext

from comments.models import Comment
from comments.notifications import tasks
from comments.screening import akismet
from comments.services import moderation

Status = Comment.Status

# What a conflict says another moderator did: "Already approved by alice."
DONE_TO = {
    Status.APPROVED: "approved",
    Status.PENDING: "sent back to pending",
    Status.SPAM: "marked as spam",
    Status.REMOVED: "removed",
}


@dataclass(frozen=True)
class Outcome:
    """What an action says (its message and level) and the token that undoes it ("" if none)."""

    message: str
    level: int
    undo: str = ""


def perform(model_admin, request, name, comments, *, expected=None, note=""):
    """Run the operation `name` on `comments` as this moderator (with their reason, `note`);
    an `Outcome`.

    `expected` is the status the moderator saw: a comment someone moved since is left alone
    and the message says who did what ("Already approved by alice.")."""
    operation = moderation.OPERATIONS[name]
    if operation.asks_akismet and not akismet.is_configured():
        return Outcome(
            "Akismet is off (no AKISMET_API_KEY): nothing was rechecked.", messages.WARNING
        )
    if operation.background:
        answers, queued = tasks.run_in_background(name, comments, by=request.user)
        log(model_admin, request, comments, operation.label)
        return Outcome(background_message(operation, answers, queued), messages.SUCCESS)
    result = moderation.apply(name, comments, by=request.user, expected=expected, note=note)
    if result.conflicts:
        return Outcome(conflict_message(result.conflicts), messages.WARNING)
    message, level = result_message(result)
    changed = {step["pk"] for step in result.steps}
    log(model_admin, request, [c for c in comments if c.pk in changed], operation.label)
    return Outcome(message, level, remember_undo(request, result.steps, message))


# --- What it says ---------------------------------------------------------------------------


def counted(count, past):
    """ "1 comment approved" / "3 comments approved"."""
    return ngettext("%(count)d comment %(past)s", "%(count)d comments %(past)s", count) % {
        "count": count,
        "past": past,
    }


def result_message(result):
    """ "3 comments approved. 1 was already there." / "2 comments rechecked with Akismet
    (ham: 1, spam: 1)." and its level."""
    if result.verdicts is not None:
        summary = ", ".join(f"{verdict}: {n}" for verdict, n in sorted(result.verdicts.items()))
        return f"{counted(result.total, result.operation.done)} ({summary}).", messages.SUCCESS
    message = counted(result.changed, result.operation.done) + "."
    if result.unchanged:
        message += " " + ngettext(
            "%(count)d was already there.", "%(count)d were already there.", result.unchanged
        ) % {"count": result.unchanged}
    return message, messages.SUCCESS if result.changed else messages.WARNING


def background_message(operation, answers, queued):
    """What the tasks have answered already, and how many are still queued."""
    parts = []
    if answers:
        summary = ", ".join(f"{v}: {answers.count(v)}" for v in sorted(set(answers)))
        parts.append(f"{counted(len(answers), operation.done)} ({summary}).")
    if queued:
        parts.append(
            ngettext(
                "%(count)d comment queued: %(label)s in the background; the queue shows "
                "Akismet's answer once it is in.",
                "%(count)d comments queued: %(label)s in the background; the queue shows "
                "Akismet's answers once they are in.",
                queued,
            )
            % {"count": queued, "label": operation.label}
        )
    return " ".join(parts)


def conflict_message(conflicts):
    return " ".join(
        f"Already {DONE_TO.get(status, status)} by {who}." for _, status, who in conflicts
    )


def undo_message(undone, asked):
    """ "Undone: 2 comments put back." and, for those changed since, that they were left."""
    message = ngettext(
        "Undone: %(count)d comment put back.", "Undone: %(count)d comments put back.", undone
    ) % {"count": undone}
    if changed_since := asked - undone:
        message += " " + ngettext(
            "%(count)d was changed since and left as it is.",
            "%(count)d were changed since and left as they are.",
            changed_since,
        ) % {"count": changed_since}
    return message


# --- The admin's own log ("Recent actions"), next to each comment's history -----------------


def log(model_admin, request, comments, message):
    for comment in comments:
        model_admin.log_change(request, comment, message)


def log_lifted(model_admin, request, bans, *, undo=False):
    """Each lifted ban in the log, on its commenter, as its making is ("Banned by email."):
    "Lifted a ban by email." (by its undo: "… (undo)."). The log names no address, so that an
    erasure leaves it nothing to find; a ban whose commenter was erased has no entry."""
    for ban in bans:
        if ban.commenter is None:
            continue
        message = f"Lifted a ban by {ban.get_scope_display().lower()}"
        model_admin.log_change(
            request, ban.commenter, f"{message} (undo)." if undo else f"{message}."
        )


# --- Undo: each action's steps kept in the session under a token ----------------------------

UNDO_SESSION_KEY = "comments:undo"  # {token: {"steps": [...], "message": "..."}}
UNDO_OFFER_KEY = "comments:undo-offer"  # the last action's {"token", "message"}, shown once
UNDO_KEEP = 20  # how many actions back a moderator can undo


def remember_undo(request, steps, message):
    """Keep the steps under a new token and offer the undo on the next page; the token, or ""
    when there is nothing to undo."""
    if not steps:
        return ""
    token = secrets.token_urlsafe(9)
    store = dict(request.session.get(UNDO_SESSION_KEY, {}))
    store[token] = {"steps": steps, "message": message}
    request.session[UNDO_SESSION_KEY] = dict(list(store.items())[-UNDO_KEEP:])
    request.session[UNDO_OFFER_KEY] = {"token": token, "message": message}
    return token


def undo_entry(request, token):
    """The steps and message kept under `token`, or None (never kept, or already undone)."""
    return request.session.get(UNDO_SESSION_KEY, {}).get(token)


def forget_undo(request, token):
    """An undo is used once: its token goes, and so does the offer on the next page."""
    store = dict(request.session.get(UNDO_SESSION_KEY, {}))
    store.pop(token, None)
    request.session[UNDO_SESSION_KEY] = store
    request.session.pop(UNDO_OFFER_KEY, None)


def undo_offer(request):
    """The last action's undo, for the page that shows its message (once)."""
    offer = request.session.pop(UNDO_OFFER_KEY, None)
    if not offer:
        return None
    return {**offer, "url": undo_url(offer["token"])}


def undo_url(token):
    return reverse("admin:comments_comment_undo", args=[token]) if token else ""
