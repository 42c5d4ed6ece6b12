"""
Screening: decides whether a new comment is approved, held (pending) or spam, or refused.

INTERFACE (stable; the posting code relies on it):

    context = ScreeningContext(ip=..., user_agent=..., referrer=..., user=..., honeypot=...,
                               form_age=...)
    decision = screen(comment, context)   # comment is unsaved; screen() may set its
                                          # screening/akismet fields
    if decision.refusal: show decision.refusal to the reader, keep their text, save nothing
    else: comment.status = decision.status; save; then finish(comment, decision)

This first version has no rules: staff comments are approved, everyone else's are held.
"""

from dataclasses import dataclass, field

from .models import Comment


@dataclass
class ScreeningContext:
    ip: str | None = None
    user_agent: str = ""
    referrer: str = ""
    user: object = None  # an authenticated user, or None
    honeypot: str = ""  # what the hidden honeypot field carried
    form_age: float | None = None  # seconds between rendering the form and posting it


@dataclass
class Decision:
    status: str = Comment.Status.PENDING
    refusal: str = ""  # a message for the reader; nothing is saved
    steps: list = field(default_factory=list)


def is_trusted(user):
    return bool(user and user.is_authenticated and user.is_staff)


def screen(comment, context):
    status = Comment.Status.APPROVED if is_trusted(context.user) else Comment.Status.PENDING
    return Decision(status=status)


def finish(comment, decision):
    """After the comment is saved: record how it was screened."""
    from .moderation import record_event

    record_event(
        comment,
        kind="screening",
        actor_label="screening",
        to_status=comment.status,
        note="; ".join(f"{s['step']}: {s['verdict']} ({s['reason']})" for s in decision.steps),
    )
