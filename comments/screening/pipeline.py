"""
Screening: decides whether a new comment is approved, held (pending) or spam, or refused.

    context = ScreeningContext(ip=..., user_agent=..., referrer=..., user=..., honeypot=...,
                               form_age=...)
    decision = screen(comment, context)   # comment is unsaved; screen() may set its
                                          # screening/akismet fields
    decision.refusal -> show it to the reader, keep their text, save nothing
    decision.status  -> what `comments.services.posting` saves the comment as

The steps live in `comments.screening.rules.STEPS`, run in order; each one's verdict, reason and
time
are recorded on the comment. The first spam verdict ends the run (no Akismet call is spent on
it); the first refusal ends it with nothing saved; holds let later steps run, so Akismet still
sees held comments and can send them to spam. Nothing here saves anything.
"""

import time
from dataclasses import dataclass, field

from comments.models import Comment
from comments.screening import akismet, flood, rules
from comments.screening.verdicts import Outcome, Verdict


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
    facts: object = field(default=None, repr=False)  # read once (comments.screening.facts)


@dataclass
class Decision:
    status: str = Comment.Status.PENDING
    refusal: str = ""  # a message for the reader; nothing is saved
    steps: list = field(default_factory=list)
    decided_by: str = ""  # e.g. "rule: first_time", "Akismet", "screening"

    @property
    def summary(self) -> str:
        """The history line: every step's verdict and reason."""
        return "; ".join(f"{s['step']}: {s['verdict']} ({s['reason']})" for s in self.steps)


def _actor(verdict: Verdict) -> str:
    return "Akismet" if verdict.step == "akismet" else f"rule: {verdict.step}"


def screen(comment: Comment, context: ScreeningContext, *, steps=None) -> Decision:
    """Run the steps (`rules.STEPS`, or those given) in order; record them on the comment;
    return the decision."""
    run = rules.STEPS if steps is None else steps
    if comment.ip_address is None and context.ip:
        comment.ip_address = context.ip
    steps, decisive = [], {}
    for step in run:
        started = time.perf_counter()
        verdict = step(comment, context)
        steps.append(verdict.as_record(round((time.perf_counter() - started) * 1000, 2)))
        decisive.setdefault(verdict.outcome, verdict)
        if verdict.stops:
            break
    comment.screening = steps
    if comment.akismet_verdict == Comment.Akismet.NOT_CHECKED and not akismet.is_configured():
        # Stopped before the Akismet step (honeypot, timing): still posted while Akismet was
        # off, so marked "off" like the others, and never sent to it later
        # (comments.services.akismet_reports).
        comment.akismet_verdict = Comment.Akismet.OFF

    if Outcome.REFUSE in decisive:
        flood.release(context.flood_claims)  # nothing is saved: this attempt does not count
        refusal = decisive[Outcome.REFUSE]
        return Decision(refusal=refusal.reason, steps=steps, decided_by=_actor(refusal))
    if Outcome.SPAM in decisive:
        status, by = Comment.Status.SPAM, _actor(decisive[Outcome.SPAM])
    elif Outcome.HOLD in decisive:
        status, by = Comment.Status.PENDING, _actor(decisive[Outcome.HOLD])
    elif comment.akismet_verdict == Comment.Akismet.HAM:
        status, by = Comment.Status.APPROVED, "Akismet"
    else:
        status, by = Comment.Status.APPROVED, "screening"
    return Decision(status=status, steps=steps, decided_by=by)


def local_hold(comment: Comment, user=None) -> Verdict | None:
    """The first local rule that would hold a stored comment now (for a recheck), or None."""
    context = ScreeningContext(ip=comment.ip_address, user=user or comment.user)
    for step in rules.HOLD_STEPS:
        verdict = step(comment, context)
        if verdict.holds:
            return verdict
    return None
