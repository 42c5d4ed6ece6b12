"""
A signed form timestamp is good for a few comments, not for two hours of them.

The token (comments.forms) proves that a form was shown and when; alone it could be replayed
for COMMENTS_FORM_MAX_AGE, for any number of posts, from one fetched page. So each comment
that is kept (approved, held or spam) uses up one of the token's COMMENTS_FORM_TOKEN_USES,
claimed with an atomic `cache.add` in the shared cache (as flood control does). A few uses
rather than one: the cached article page hands the same token to every reader of an article
during one second, and an honest reader may go Back and post a second comment from the same
page. A comment that is refused (too fast, a duplicate...) gives its use back, and the form
shown with the refusal carries a fresh token and everything the reader typed.

When the cache cannot be reached the uses are not counted (the comment goes on through the
other steps, flood control falling back to the database): a reader's comment is never lost
for want of a counter.
"""

import hashlib
import logging

from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)

USED_UP = (
    "This form has already been used to send comments; "
    "please send your comment again (your text is kept below)."
)
CLAIMED, USED, UNCOUNTED = "claimed", "used up", "not counted"


def _keys(token):
    digest = hashlib.sha256(token.encode()).hexdigest()[:32]
    return [
        f"comments:form-token:{digest}:{use}" for use in range(settings.COMMENTS_FORM_TOKEN_USES)
    ]


def claim(token, claims):
    """Take one use of `token`: CLAIMED (its key appended to `claims`, to give back on a
    refusal), USED (none left) or UNCOUNTED (no limit, no token, or the cache failed)."""
    if not token or settings.COMMENTS_FORM_TOKEN_USES <= 0:
        return UNCOUNTED
    timeout = settings.COMMENTS_FORM_MAX_AGE + 60  # a token outlives no longer than this
    try:
        for key in _keys(token):
            if cache.add(key, 1, timeout=timeout):
                claims.append(key)
                return CLAIMED
    except Exception as error:
        logger.warning("form token uses not counted, cache unavailable: %r", error)
        return UNCOUNTED
    return USED
