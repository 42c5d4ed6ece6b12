"""
The site's settings as every page, feed and email reads them: the admin's value (Site settings,
`SiteSettings`), or, where that field is empty, the environment's (the Django setting of the same
name: SITE_NAME, SITE_TAGLINE, SITE_DESCRIPTION, COMMENTS_HOLD_FIRST_TIME, ...).

The row is read once and kept in the cache (a dict of its non-empty fields), so it adds no query
to a page; saving it in the admin forgets the entry (apps.py), so the next page shows the change,
in every process, without a restart. A cache that fails (Redis down) is skipped: the row is read
from the database. The comments app reads its discussion defaults through `stored_value`
(comments/conf.py), so its settings keep one reader.
"""

import hashlib
from types import SimpleNamespace

from django.conf import settings

from fitness.core import tolerant_cache

KEY = "fitness:site-settings:v1"
# Dropped on every save; this only bounds how long a row changed behind Django's back is kept.
TIMEOUT = 24 * 3600

# The setting each field overrides (the environment variable of the same name is its default).
FIELDS = {
    "SITE_NAME": "name",
    "SITE_TAGLINE": "tagline",
    "SITE_DESCRIPTION": "description",
    "COMMENTS_HOLD_FIRST_TIME": "hold_first_comments",
    "COMMENTS_CLOSE_AFTER_DAYS": "close_comments_after_days",
    "COMMENTS_NOTIFY_MODERATORS": "moderator_notices",
    "COMMENTS_REPLY_EMAILS": "reply_emails",
}


def environment(name):
    """The environment's value of setting `name` (the default the admin's value overrides)."""
    reader = _environment_readers.get(name)
    return reader(name) if reader else getattr(settings, name)


# Apps whose settings have defaults of their own register their reader here (the comments app
# does, from its ready(): the articles never import it).
_environment_readers = {}


def register_environment(read, *names):
    for name in names:
        _environment_readers[name] = read


def stored():
    """{field: value} of the fields the admin filled in (cached)."""
    # Read by every page: kept a second in each process as well (another process's change
    # shows within it; this one's at once).
    return tolerant_cache.remembered(KEY, read, TIMEOUT, local_seconds=1)


def read():
    from fitness.articles.models import SiteSettings

    row = (
        SiteSettings.objects.filter(pk=SiteSettings.singleton_instance_id)
        .values(*FIELDS.values())
        .first()
    )
    return {field: value for field, value in (row or {}).items() if value not in (None, "")}


def stored_value(name):
    """The admin's value of setting `name`; None where the admin left it empty."""
    return stored().get(FIELDS[name])


def get(name):
    """Setting `name` as the site uses it: the admin's value, else the environment's."""
    value = stored_value(name)
    return value if value is not None else environment(name)


def general():
    """The site's name, tagline and description (one cache read). The description falls back
    on the tagline, then on a sentence made of the name."""
    values = stored()

    def pick(name):
        return values.get(FIELDS[name]) or getattr(settings, name)

    name, tagline = pick("SITE_NAME"), pick("SITE_TAGLINE")
    description = pick("SITE_DESCRIPTION") or tagline or f"The latest articles from {name}."
    return SimpleNamespace(name=name, tagline=tagline, description=description)


def version() -> str:
    """What the admin set, in a few characters (part of a page's ETag)."""
    text = repr(sorted(stored().items()))
    return hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()[:12]


def forget(**kwargs):
    tolerant_cache.delete(KEY)
