"""
What a screening step can say about a comment, and what that means for it.

A step returns a `Verdict(step, verdict, reason)`. `verdict` is the word recorded in the
comment's screening log: one of the five outcomes, or for Akismet its own answer (ham, spam,
blatant, unchecked, off). `Verdict.outcome` maps every word to one `Outcome`; nothing else
decides what a word means.

`held_reasons(steps)` is the one definition of "why held": the recorded steps whose outcome
is neither pass nor skip. The admin's column, the moderator's email and the tests use it.

`in_words(step)` is the one definition of how a recorded step reads to a moderator ("First
comment from this address", "3 links", "Akismet: spam"): `WORDING` below, filled in from the
`facts` a rule recorded beside its verdict. The step's name stays the code filters use.
"""

from enum import StrEnum
from types import MappingProxyType
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


class _Said(NamedTuple):
    step: str
    verdict: str
    reason: str


class Verdict(_Said):
    """(step, verdict, reason), and the `facts` that `WORDING` fills in ({"count": 3},
    {"seconds": 1.2}): kept beside the tuple, so a verdict still unpacks and compares as three."""

    # What a verdict made by the tuple's own `_replace`/`_make` (no __new__) has: no facts.
    facts = MappingProxyType({})

    def __new__(cls, step, verdict, reason, facts=None):
        self = super().__new__(cls, step, verdict, reason)
        self.facts = dict(facts or {})
        return self

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
        record = {"step": self.step, "verdict": str(self.verdict), "reason": self.reason, "ms": ms}
        if self.facts:
            record["facts"] = dict(self.facts)
        return record


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


# --- How a step that held a comment reads to a moderator ------------------------------------

# {step: words}, filled in from the step's recorded `facts` and `verdict` (its Akismet answer in
# `AKISMET_WORDS`). A step missing here, or a record from before its facts were kept, reads as
# its recorded reason.
WORDING = {
    "honeypot": "Hidden field filled in",
    "timing": "Sent {seconds:.1f} s after the form was shown",
    "disallowed_words": "Disallowed word “{word}” in the {where}",
    "moderation_words": "Moderation word “{word}” in the {where}",
    "links": "{count} links",
    "first_time": "First comment from this address",
    "banned": "From a banned commenter",
    "held_commenter": "From a commenter a moderator holds (always hold)",
    "akismet": "Akismet: {akismet}",
}
AKISMET_WORDS = {
    "ham": "ham",
    "spam": "spam",
    "blatant": "blatant spam",
    "unchecked": "not reached, rechecked later",
    "off": "off (no key)",
}


def in_words(step) -> str:
    """One recorded step (a dict of the comment's `screening` list) as a moderator reads it."""
    name = str(step.get("step") or "")
    verdict = str(step.get("verdict") or "").lower()
    facts = step.get("facts") if isinstance(step.get("facts"), dict) else {}
    words = WORDING.get(name)
    if words is not None:
        try:
            return words.format(**facts, akismet=AKISMET_WORDS.get(verdict, verdict))
        except (KeyError, ValueError, TypeError, IndexError):
            pass  # recorded before its facts were: its reason says it
    reason = str(step.get("reason") or name or "?")
    return reason[:1].upper() + reason[1:]
