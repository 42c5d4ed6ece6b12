"""
A signed form timestamp is good for a few comments from one network, not for two hours of them.

The token (comments.web.forms) proves that a form was shown and when; alone it could be replayed
for COMMENTS_FORM_MAX_AGE, for any number of posts, from one fetched page. So each comment
that is kept (approved, held or spam) uses up one of COMMENTS_FORM_TOKEN_USES uses of that
form by the poster's network (the address flood control counts: an IPv4 address or an IPv6
/64), claimed with an atomic `cache.add` in the shared cache as flood control does. A form is
named by what its token says, the article and the time it was shown (`form_key`), not by the
token's bytes: the form sent back with a refusal is signed again with the same time, so that a
reader who corrects it at once is not "too fast", and it must not bring new uses with it.

Per network, not per token: the cached article page hands the same token to every reader of
an article during one second, and a busy article's readers must not use up each other's
form. A few uses, not one: an honest reader may go Back and post a second comment from the
same page. A comment that is refused (a duplicate, flood control...) gives its use back, and
the form shown with the refusal carries everything the reader typed; when the uses are what
refused it, a new form (the present time). A script
replaying one page from one network gets a few comments out of it; from many networks it
gains nothing over fetching the page from each.

When the cache cannot be reached the uses are not counted (the comment goes on through the
other steps, flood control falling back to the database): a reader's comment is never lost
for want of a counter.
"""

import hashlib

from comments.conf import settings
from comments.screening.flood import address_key
from fitness.core import tolerant_cache

USED_UP = (
    "This form has already been used to send comments; "
    "please send your comment again (your text is kept below)."
)
CLAIMED, USED, UNCOUNTED = "claimed", "used up", "not counted"


def form_key(article_id, shown_at):
    """Which form a comment was sent from: its article and when it was shown."""
    return f"{article_id}:{shown_at!r}"


def _keys(form, ip):
    digest = hashlib.sha256(form.encode()).hexdigest()[:32]
    network = address_key(ip) if ip else "-"
    uses = range(settings.COMMENTS_FORM_TOKEN_USES)
    return [f"comments:form-token:{digest}:{network}:{use}" for use in uses]


def claim(form, ip, claims):
    """Take one use of `form` (a form_key) by `ip`'s network: CLAIMED (its key appended to
    `claims`, to give back on a refusal), USED (none left) or UNCOUNTED (no limit, no form, or
    the cache failed)."""
    if not form or settings.COMMENTS_FORM_TOKEN_USES <= 0:
        return UNCOUNTED
    timeout = settings.COMMENTS_FORM_MAX_AGE + 60  # a form is not accepted for longer
    for key in _keys(form, ip):
        added = tolerant_cache.add(key, 1, timeout)
        if added is None:  # the cache failed: this use is not counted
            return UNCOUNTED
        if added:
            claims.append(key)
            return CLAIMED
    return USED
