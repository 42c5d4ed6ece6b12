"""
The screening steps, in order. Each is a small function `(comment, context) -> Verdict`
(`comments.screening.verdicts`): pass, skip, hold, spam or refuse, and for Akismet its own answer
(ham,
spam, blatant, unchecked, off), each of which means one outcome.

`context` is the pipeline's `ScreeningContext` (comments.screening.pipeline): the request's IP, user
agent, referrer, user, honeypot value and form age, plus what the steps share.

Adding a rule: write the function here, add one line to STEPS (and to HOLD_STEPS if a recheck
should apply it again to a stored comment). Nothing else changes.
"""

import re

from django.db import transaction

from comments.conf import settings
from comments.models import Comment, ScreeningWord
from comments.readers import commenters
from comments.readers.people import is_trusted
from comments.screening import akismet, form_tokens
from comments.screening import flood as flood_control
from comments.screening.facts import facts_for
from comments.screening.verdicts import Outcome, Verdict
from fitness.core import tolerant_cache

PASS, SKIP, HOLD, SPAM, REFUSE = Outcome

EXPIRED = "This form has expired; please send your comment again."
# One sentence that says how long (the setting), shown as a paragraph, not a list.
FLOOD = "You are posting comments too quickly. Please wait {seconds} seconds and try again."
DUPLICATE = "Duplicate comment detected; it looks as though you've already said that!"
BANNED = (
    "Comments from you are not accepted on this site at the moment. Your comment has not been "
    "published; its text is still below."
)

LINK_RE = re.compile(r"https?://|\bwww\.", re.IGNORECASE)


def honeypot(comment, context):
    if context.honeypot.strip():
        return Verdict("honeypot", SPAM, "the hidden field was filled in")
    return Verdict("honeypot", PASS, "the hidden field is empty")


def banned(comment, context):
    """A ban on the email or the network (comments.services.bans): refused with a plain message
    (the text stays in the form) or held quietly, as COMMENTS_BANNED_ACTION says."""
    if is_trusted(context.user):
        return Verdict("banned", SKIP, "a moderator")
    ban = facts_for(comment, context).ban
    if ban is None:
        return Verdict("banned", PASS, "no ban")
    why = f"{ban.get_scope_display().lower()} banned {ban.until}"
    if ban.reason:
        why += f" ({ban.reason})"
    if settings.COMMENTS_BANNED_ACTION == "hold":
        return Verdict("banned", HOLD, why)
    return Verdict("banned", REFUSE, BANNED)


def held_commenter(comment, context):
    """A moderator chose "always hold" for this commenter (pre-moderation of one person)."""
    if is_trusted(context.user):
        return Verdict("held_commenter", SKIP, "a moderator")
    found = facts_for(comment, context).commenter
    if found is not None and found.trust == found.Trust.HOLD:
        return Verdict("held_commenter", HOLD, "a moderator holds every comment from them")
    return Verdict("held_commenter", PASS, "not held by a moderator")


def _trusted_commenter(comment, context):
    """SKIP when the commenter is trusted (earned or set), else None; asked only by a rule
    that would hold, so their counts are read only then."""
    found = facts_for(comment, context).commenter
    standing = commenters.standing(found) if found is not None else None
    if standing is not None and standing.trusted:
        return Verdict("", SKIP, f"a trusted commenter ({standing.level_words})")
    return None


def timing(comment, context):
    age = context.form_age
    if age is None:
        return Verdict("timing", SKIP, "the form carried no timestamp")
    if age < settings.COMMENTS_MIN_SUBMIT_SECONDS:
        # Being quick is no proof of spam (a reader who pastes, a fast typist): a moderator
        # decides. Only the honeypot and Akismet send a comment to spam on their own.
        return Verdict(
            "timing", HOLD, f"sent {age:.1f} s after the form was shown", {"seconds": age}
        )
    if age > settings.COMMENTS_FORM_MAX_AGE:
        return Verdict("timing", REFUSE, EXPIRED)
    if form_tokens.claim(context.form_token, context.ip, context.flood_claims) == form_tokens.USED:
        return Verdict("timing", REFUSE, form_tokens.USED_UP)
    return Verdict("timing", PASS, f"sent {age:.0f} s after the form was shown")


def flood(comment, context):
    """One comment per address and per email every COMMENTS_FLOOD_SECONDS
    (comments.screening.flood)."""
    seconds = settings.COMMENTS_FLOOD_SECONDS
    if seconds <= 0:
        return Verdict("flood", SKIP, "flood control is off")
    refused, reason = flood_control.claim(comment, context.ip, context.flood_claims)
    if refused:
        return Verdict("flood", REFUSE, FLOOD.format(seconds=f"{seconds:g}"))
    return Verdict("flood", PASS, reason)


def duplicate(comment, context):
    """The same text (case, spaces, invisible characters... aside: `comments.text.normalize`)
    from the same email, else address, on the article within the window."""
    said_before = facts_for(comment, context).said_before
    if said_before is None:
        return Verdict("duplicate", SKIP, "no email or IP to compare")
    if said_before:
        return Verdict("duplicate", REFUSE, DUPLICATE)
    return Verdict("duplicate", PASS, "not said before")


WORDS_CACHE_KEY = "comments:screening-words:v1"
# An edit drops the cached list when it commits; this only bounds a read racing that edit.
WORDS_CACHE_SECONDS = 300


def screening_words():
    """Every (kind, term) of the word lists: from the cache, the table read once per edit."""
    return tolerant_cache.remembered(
        WORDS_CACHE_KEY,
        lambda: list(ScreeningWord.objects.values_list("kind", "term")),
        WORDS_CACHE_SECONDS,
    )


def forget_screening_words(**kwargs):
    """Connected to ScreeningWord's save and delete: the next post reads the new lists."""

    transaction.on_commit(lambda: tolerant_cache.delete(WORDS_CACHE_KEY))


def _words(context, kind):
    if context.words is None:
        context.words = screening_words()
    return [term.lower() for word_kind, term in context.words if word_kind == kind and term]


def _find(words, comment, context):
    haystacks = {
        "name": comment.author_name,
        "email": comment.author_email,
        "website": comment.author_url,
        "text": comment.body,
        "IP": context.ip or "",
    }
    for where, text in haystacks.items():
        lowered = (text or "").lower()
        for word in words:
            if word in lowered:
                return word, where
    return None


def disallowed_words(comment, context):
    found = _find(_words(context, ScreeningWord.Kind.DISALLOWED), comment, context)
    if found:
        reason = f'disallowed word "{found[0]}" in {found[1]}'
        return Verdict("disallowed_words", SPAM, reason, {"word": found[0], "where": found[1]})
    return Verdict("disallowed_words", PASS, "no disallowed word")


def moderation_words(comment, context):
    if is_trusted(context.user):
        return Verdict("moderation_words", SKIP, "a moderator")
    found = _find(_words(context, ScreeningWord.Kind.MODERATION), comment, context)
    if found:
        reason = f'moderation word "{found[0]}" in {found[1]}'
        return Verdict("moderation_words", HOLD, reason, {"word": found[0], "where": found[1]})
    return Verdict("moderation_words", PASS, "no moderation word")


def links(comment, context):
    if is_trusted(context.user):
        return Verdict("links", SKIP, "a moderator")
    count, limit = len(LINK_RE.findall(comment.body)), settings.COMMENTS_MAX_LINKS
    if count > limit and (trusted := _trusted_commenter(comment, context)):
        return trusted._replace(step="links")
    if count > limit:
        return Verdict(
            "links", HOLD, f"{count} links (more than {limit})", {"count": count, "limit": limit}
        )
    return Verdict("links", PASS, f"{count} link{'s' if count != 1 else ''}")


def first_time(comment, context):
    if is_trusted(context.user):
        return Verdict("first_time", SKIP, "a moderator")
    if not settings.COMMENTS_HOLD_FIRST_TIME:
        return Verdict("first_time", SKIP, "first comments are not held (setting)")
    if facts_for(comment, context).returning:  # an approved comment from the email or account
        return Verdict("first_time", PASS, "has an approved comment")
    if trusted := _trusted_commenter(comment, context):  # trusted by a moderator
        return trusted._replace(step="first_time")
    return Verdict("first_time", HOLD, "no approved comment yet from this email")


def akismet_check(comment, context):
    if not akismet.is_configured():
        comment.akismet_verdict = Comment.Akismet.OFF
        return Verdict("akismet", Comment.Akismet.OFF, "Akismet is off (no key)")
    verdict = akismet.check(comment, context)
    response = comment.akismet_response
    reasons = {
        Comment.Akismet.HAM: "Akismet says ham",
        Comment.Akismet.SPAM: "Akismet says spam",
        Comment.Akismet.BLATANT: "Akismet says blatant spam (discard)",
        Comment.Akismet.UNCHECKED: f"Akismet failed ({response.get('error')}); held for a recheck",
    }
    return Verdict("akismet", verdict, reasons[verdict])


STEPS = [
    honeypot,
    banned,
    timing,
    flood,
    duplicate,
    disallowed_words,
    moderation_words,
    links,
    first_time,
    held_commenter,
    akismet_check,
]

# The rules a recheck applies again to a stored comment that Akismet now says is ham.
HOLD_STEPS = [moderation_words, links, first_time, held_commenter]

# What an edit by its writer is screened by again: the rules about what a text says and where
# it links, and Akismet. Not the form's (honeypot, timing), nor flood, duplicate (the comment
# itself would match) or first-time (the writer is the same as when it was decided).
EDIT_STEPS = [disallowed_words, moderation_words, links, akismet_check]
