"""
Banning and suspending a commenter: by email, by network, or both, with a reason and an end,
optionally removing everything they have pending in the same step, undone as one action.

    result = ban_commenter(commenter, by=moderator, scopes=["email"], duration="week",
                           reason="...", remove_pending=True, network=None)
    result.bans          the Ban rows made (one per scope)
    result.removed       how many pending comments were removed (`moderation.apply("remove")`)
    result.steps         what `moderation.undo` takes back: the bans lifted and the comments
                         put back, as one action
    lift_ban(ban, by=moderator)      one click; the ban keeps who lifted it and when

A banned commenter's next comment meets the `banned` screening rule
(`comments.screening.rules`), which refuses or holds it as COMMENTS_BANNED_ACTION says.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from comments.models import Ban, Comment, Commenter, CommenterNetwork
from comments.readers import commenters as recognise
from comments.readers.people import network_of
from comments.services import moderation
from comments.services.commenters import lift_ban

__all__ = ["DURATIONS", "Banned", "ban_commenter", "lift_ban", "pending_for"]

# {choice: (what the dialog says, how long; None: for ever)}
DURATIONS = {
    "hour": ("an hour", timedelta(hours=1)),
    "day": ("a day", timedelta(days=1)),
    "week": ("a week", timedelta(weeks=1)),
    "ever": ("for ever", None),
}


@dataclass
class Banned:
    bans: list = field(default_factory=list)
    removed: int = 0
    steps: list = field(default_factory=list)

    @property
    def message(self) -> str:
        """ "Banned email amy@example.com for a week; 7 pending comments removed." """
        what = " and ".join(f"{ban.get_scope_display().lower()} {ban.label}" for ban in self.bans)
        until = self.bans[0].until if self.bans else ""
        text = f"Banned {what} {until}".strip()
        if self.removed:
            text += f"; {self.removed} pending comment{'s' if self.removed != 1 else ''} removed"
        return text + "."


def ban_values(commenter: Commenter, scopes, network: str | None) -> list[tuple[str, str]]:
    """(scope, value) for each scope asked that the commenter has a value for."""
    values = []
    if Ban.Scope.EMAIL in scopes and commenter.email:
        values.append((Ban.Scope.EMAIL, commenter.email))
    if Ban.Scope.NETWORK in scopes:
        network = network or commenter.network_label or latest_network(commenter)
        if network:
            values.append((Ban.Scope.NETWORK, network_of(network.split("/")[0])))
    return values


def latest_network(commenter: Commenter) -> str:
    return (
        CommenterNetwork.objects.filter(commenter=commenter)
        .values_list("network", flat=True)
        .first()
        or ""
    )


def pending_for(commenter: Commenter, values) -> list[Comment]:
    """The held comments a ban of these values would remove: all the commenter's for an email
    ban; those written from the network (by anyone seen there) for a network ban."""
    pending = Comment.objects.in_moderation().select_related("article", "parent")
    found = {}
    for scope, value in values:
        if scope == Ban.Scope.EMAIL:
            found.update((c.pk, c) for c in pending.filter(commenter=commenter))
        else:
            seen_there = CommenterNetwork.objects.filter(network=value).values("commenter_id")
            for comment in pending.filter(commenter_id__in=seen_there):
                if comment.ip_address and network_of(comment.ip_address) == value:
                    found[comment.pk] = comment
    return sorted(found.values(), key=lambda c: c.created_at, reverse=True)


def ban_commenter(
    commenter: Commenter,
    *,
    by=None,
    scopes=(Ban.Scope.EMAIL,),
    duration: str = "week",
    reason: str = "",
    remove_pending: bool = False,
    network: str | None = None,
    now=None,
) -> Banned:
    """Ban the commenter by the scopes asked (each one a `Ban`), and remove their held comments
    if asked; all or nothing. `network` is the one to ban (the comment's the moderator looked
    at), else their latest."""
    if duration not in DURATIONS:
        raise ValueError(f"Unknown duration {duration!r}")
    now = now or timezone.now()
    length = DURATIONS[duration][1]
    values = ban_values(commenter, scopes, network)
    result = Banned()
    if not values:
        return result
    with transaction.atomic():
        for scope, value in values:
            ban = Ban.objects.create(
                commenter=commenter,
                scope=scope,
                value_hash=recognise.ban_hash(scope, value),
                label=value,
                reason=reason.strip()[:500],
                created_at=now,
                created_by=by,
                ends_at=now + length if length else None,
            )
            result.bans.append(ban)
            result.steps.append({"pk": None, "ban": ban.pk})
        if remove_pending:
            note = "Removed with a ban" + (f": {reason.strip()}" if reason.strip() else ".")
            applied = moderation.apply("remove", pending_for(commenter, values), by=by, note=note)
            result.removed = applied.changed
            result.steps.extend(applied.steps)
    return result
