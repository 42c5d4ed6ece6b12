"""
What a screening step can say about a comment, and what that means for it.

A step returns a `Verdict(step, verdict, reason)`. `verdict` is the word recorded in the
comment's screening log: one of the five outcomes, or for Akismet its own answer (ham, spam,
blatant, unchecked, off). `Verdict.outcome` maps every word to one `Outcome`; nothing else
decides what a word means.

`held_reasons(steps)` is the one definition of "why held": the recorded steps whose outcome
is neither pass nor skip. The admin's column, the moderator's email and the tests use it.
"""

from enum import StrEnum
from typing import NamedTuple


class Outcome(StrEnum):
    PASS = "pass"  # nothing against the comment
    SKIP = "skip"  # the step does not apply (e.g. a moderator skips the local holds)
    HOLD = "hold"  # keep it for a moderator (pending)
    SPAM = "spam"  # to the spam folder; later steps do not run
    REFUSE = "refuse"  # nothing is saved; the reader is told why and keeps their text


# Akismet's answers, as recorded (Comment.akismet_verdict holds the same words).
AKISMET_OUTCOMES = {
    "ham": Outcome.PASS,
    "spam": Outcome.SPAM,
    "blatant": Outcome.SPAM,
    "unchecked": Outcome.HOLD,  # Akismet failed: held, rechecked later
    "off": Outcome.SKIP,  # no key: nothing to say
}


def outcome_of(word: str) -> Outcome:
    """What a recorded verdict word means. An unknown word (old data) counts as a hold, so
    that it is shown to a moderator rather than hidden."""
    word = str(word or "").lower()
    if not word:
        return Outcome.SKIP
    try:
        return Outcome(word)
    except ValueError:
        return AKISMET_OUTCOMES.get(word, Outcome.HOLD)


class Verdict(NamedTuple):
    step: str
    verdict: str
    reason: str

    @property
    def outcome(self) -> Outcome:
        return outcome_of(self.verdict)

    @property
    def holds(self) -> bool:
        """Did this step hold the comment for a moderator?"""
        return self.outcome == Outcome.HOLD

    @property
    def stops(self) -> bool:
        """Spam or refusal: later steps do not run."""
        return self.outcome in (Outcome.SPAM, Outcome.REFUSE)

    def as_record(self, ms: float) -> dict:
        return {"step": self.step, "verdict": str(self.verdict), "reason": self.reason, "ms": ms}


def held_reasons(steps) -> list[dict]:
    """The recorded screening steps that held or binned the comment (read from the comment's
    `screening` list; no query). Steps that passed or did not apply are left out."""
    if not isinstance(steps, list):
        return []
    return [
        step
        for step in steps
        if isinstance(step, dict)
        and outcome_of(step.get("verdict")) not in (Outcome.PASS, Outcome.SKIP)
    ]
