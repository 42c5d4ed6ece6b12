"""
Screening: decides whether a new comment is approved, held (pending) or spam, or refused.

INTERFACE (stable; the posting code relies on it):

    context = ScreeningContext(ip=..., user_agent=..., referrer=..., user=..., honeypot=...,
                               form_age=...)
    decision = screen(comment, context)   # comment is unsaved; screen() may set its
                                          # screening/akismet fields
    if decision.refusal: show decision.refusal to the reader, keep their text, save nothing
    else: comment.status = decision.status; save; then finish(comment, decision)

The steps live in `comments.rules.STEPS`, run in order; each one's verdict, reason and time
are recorded on the comment. The first spam verdict ends the run (no Akismet call is spent on
it); the first refusal ends it with nothing saved; holds let later steps run, so Akismet still
sees held comments and can send them to spam.
"""

import logging
import time
from dataclasses import dataclass, field

from django.db import transaction

from . import flood, rules
from .models import Comment, CommentEvent

logger = logging.getLogger("comments.screening")


@dataclass
class ScreeningContext:
    ip: str | None = None
    user_agent: str = ""
    referrer: str = ""
    user: object = None  # an authenticated user, or None
    honeypot: str = ""  # what the hidden honeypot field carried
    form_age: float | None = None  # seconds between rendering the form and posting it
    form_token: str = ""  # which form (form_tokens.form_key): its uses are counted
    # Filled in by the steps.
    flood_claims: list = field(default_factory=list, repr=False)
    words: list | None = field(default=None, repr=False)


@dataclass
class Decision:
    status: str = Comment.Status.PENDING
    refusal: str = ""  # a message for the reader; nothing is saved
    steps: list = field(default_factory=list)
    decided_by: str = ""  # e.g. "rule: first_time", "Akismet", "screening"


def is_trusted(user):
    return rules.is_trusted(user)


def _actor(verdict):
    return "Akismet" if verdict.step == "akismet" else f"rule: {verdict.step}"


def screen(comment, context):
    """Run the steps in order; record them on the comment; return the decision."""
    if comment.ip_address is None and context.ip:
        comment.ip_address = context.ip
    steps, decisive = [], {}
    for step in rules.STEPS:
        started = time.perf_counter()
        verdict = step(comment, context)
        ms = round((time.perf_counter() - started) * 1000, 2)
        steps.append({"step": verdict.step, "verdict": verdict.verdict, "reason": verdict.reason,
                      "ms": ms})  # fmt: skip
        outcome = rules.OUTCOME.get(verdict.verdict, verdict.verdict)
        decisive.setdefault(outcome, verdict)
        if outcome in (rules.SPAM, rules.REFUSE):
            break
    comment.screening = steps

    if rules.REFUSE in decisive:
        flood.release(context.flood_claims)  # nothing is saved: this attempt does not count
        refusal = decisive[rules.REFUSE]
        return Decision(refusal=refusal.reason, steps=steps, decided_by=_actor(refusal))
    if rules.SPAM in decisive:
        status, by = Comment.Status.SPAM, _actor(decisive[rules.SPAM])
    elif rules.HOLD in decisive:
        status, by = Comment.Status.PENDING, _actor(decisive[rules.HOLD])
    elif comment.akismet_verdict == Comment.Akismet.HAM:
        status, by = Comment.Status.APPROVED, "Akismet"
    else:
        status, by = Comment.Status.APPROVED, "screening"
    return Decision(status=status, steps=steps, decided_by=by)


def finish(comment, decision, context=None):
    """After the comment is saved (inside the transaction): history, flood counter, and the
    recheck when Akismet could not be reached."""
    from . import akismet, moderation
    from .moderation import record_event

    blatant = comment.akismet_verdict == Comment.Akismet.BLATANT
    record_event(
        comment,
        kind=CommentEvent.Kind.SCREENING,
        actor_label=decision.decided_by or "screening",
        to_status=comment.status,
        note=("Blatant spam. " if blatant else "")
        + "; ".join(f"{s['step']}: {s['verdict']} ({s['reason']})" for s in decision.steps),
    )
    _record_flood(comment, context)
    moderation.announce_new(comment)  # after the commit: held -> moderators, approved -> author
    if comment.akismet_verdict == Comment.Akismet.UNCHECKED:
        akismet.schedule_recheck(comment)
    transaction.on_commit(
        lambda: logger.info(
            "comment %s on article %s: %s (decided by %s)",
            comment.pk,
            comment.article_id,
            comment.status,
            decision.decided_by or "screening",
        )
    )


def _record_flood(comment, context):
    flood.record(comment, context.ip if context is not None else comment.ip_address)
