"""
The comments app's settings and their defaults, each written once, here.

Inside comments/, `from .conf import settings` stands in for `from django.conf import settings`:
a name the project sets (in its settings module, with `override_settings`, or pytest-django's
`settings` fixture) reads as the project's value; a name of DEFAULTS that it does not set, or
sets to None, reads as the default below; any other name (SITE_URL, SECRET_KEY, ...) is
Django's, as usual. Every read goes to django.conf.settings first, so nothing is cached and
overrides in tests work. The few the site owner sets in the admin (Site settings: the site's
name, the discussion defaults; `fitness.articles.site_settings.FIELDS`) read the admin's value
first, where it gave one: the environment's is then only the default.

The project's settings therefore name every setting but give a value only to what its operator
configures (fitness/settings.py: None otherwise); README.md lists the environment variables and
what each one means.
"""

from django.conf import settings as django_settings

from fitness.articles import site_settings

DEFAULTS = {
    # Reading and writing.
    "COMMENTS_MAX_DEPTH": 5,  # deepest reply level (no Reply link there)
    "COMMENTS_THREADS_PER_PAGE": 50,
    "COMMENTS_MAX_LENGTH": 5000,  # characters
    "COMMENTS_NAME_MAX_LENGTH": 100,
    # A reader may edit or delete their own comment this long after sending it, from the
    # browser that sent it (a signed cookie); the edit is screened again. 0: never.
    "COMMENTS_EDIT_MINUTES": 10,
    # Behind a reverse proxy, the META key of the header holding the client address, for example
    # "HTTP_X_FORWARDED_FOR" (its right-most address is used). Empty: REMOTE_ADDR only.
    "COMMENTS_TRUSTED_PROXY_HEADER": "",
    # The rendered thread of an article page is cached this many seconds (0: not cached); any
    # change readers can see changes the key, so this only bounds memory use.
    "COMMENTS_THREAD_CACHE_SECONDS": 24 * 3600,
    # Screening. Faster than this after the form was shown: held for a moderator. Older: send again.
    "COMMENTS_MIN_SUBMIT_SECONDS": 3.0,
    "COMMENTS_FORM_MAX_AGE": 7200,
    # The same IP or email posting again within this many seconds is refused (shared cache).
    "COMMENTS_FLOOD_SECONDS": 15,
    # Flood control counts an IPv6 address as its network of this many bits (one customer
    # usually holds a /64 or more; 128 counts single addresses).
    "COMMENTS_FLOOD_IPV6_PREFIX": 64,
    # One form's signed timestamp stores at most this many comments from one network (0: no
    # limit). Per network: the cached page gives all readers of an article in the same second
    # the same token. More than one: a reader may go Back and post again (form_tokens.py).
    "COMMENTS_FORM_TOKEN_USES": 3,
    # "Helpful" marks on one comment from one network (as flood control counts it), whatever
    # cookies its readers clear: a household or an office shares an address. 0: no limit.
    "COMMENTS_HELPFUL_PER_NETWORK": 3,
    "COMMENTS_DUPLICATE_WINDOW_HOURS": 24,
    "COMMENTS_MAX_LINKS": 2,  # more links than this: held for a moderator
    # Hold a commenter's first comment until one of theirs has been approved (as WordPress does).
    "COMMENTS_HOLD_FIRST_TIME": True,
    # Trust earned: after this many approved comments over at least this many days (the first
    # approved one that long ago) and never a spam, the first-time and link holds no longer
    # apply to a commenter. 0 approved: never earned (a moderator may still set it).
    "COMMENTS_TRUST_APPROVED": 3,
    "COMMENTS_TRUST_DAYS": 7,
    # A banned commenter's new comment is "refuse"d (a plain message; their text stays in the
    # form) or "hold" (kept for a moderator, the reader told it awaits moderation as usual).
    "COMMENTS_BANNED_ACTION": "refuse",
    # Akismet. No key: comments are screened by the local rules only (the admin warns).
    "AKISMET_API_KEY": "",
    "AKISMET_API_URL": "https://rest.akismet.com",  # or an Akismet-compatible service
    "AKISMET_SITE_URL": lambda: django_settings.SITE_URL,  # Akismet's `blog` value
    "AKISMET_TIMEOUT": 2.0,  # seconds; on timeout the comment is held unchecked and rechecked
    # At most this many requests of one web process wait on Akismet at once (0: no limit); a
    # comment beyond it is held unchecked and rechecked, so readers keep the other threads.
    # Half of gunicorn's default 8 threads; the posting pool (docs/deploying.md) raises it.
    "AKISMET_MAX_CONCURRENT": 4,
    # Sends is_test=1 from a site in debug mode, so that Akismet does not learn from it.
    "AKISMET_IS_TEST": lambda: django_settings.DEBUG,
    # When Akismet fails, recheck after these delays (seconds); the last one repeats until
    # AKISMET_RECHECK_GIVE_UP_DAYS, then the comment is left held for a human.
    "AKISMET_RECHECK_SCHEDULE": (60, 300, 1200, 3600, 21600),
    "AKISMET_RECHECK_GIVE_UP_DAYS": 15,
    # Moderation: email moderators for "each" held comment, in an hourly "digest" (run by the
    # scheduler), or "off"; an article's author when a comment on it is published.
    "COMMENTS_NOTIFY_MODERATORS": "each",
    "COMMENTS_NOTIFY_AUTHOR": True,
    # Commenters may ask to be emailed replies to their comment (the form's checkbox).
    "COMMENTS_REPLY_EMAILS": True,
    # Who gets moderation emails; empty: the Moderators group and superusers with an email.
    "COMMENTS_MODERATORS_EMAILS": (),
    # The Approve, Spam and Remove links in a moderator's email work this many hours.
    "COMMENTS_EMAIL_LINK_HOURS": 72,
    # Spam is deleted after this many days (`manage.py purge_spam`); blatant spam sooner.
    "COMMENTS_SPAM_RETENTION_DAYS": 15,
    "COMMENTS_BLATANT_RETENTION_DAYS": 1,
    # Privacy. IP address, user agent and referrer are cleared this many days after posting
    # (keep it above AKISMET_RECHECK_GIVE_UP_DAYS: a recheck needs the IP).
    "COMMENTS_PERSONAL_DATA_DAYS": 60,
    # Readers' reports. Open reports from this many distinct networks (what flood control
    # counts) hold a published comment for a moderator at once (0: never).
    "COMMENTS_REPORTS_HOLD_NETWORKS": 3,
    # One network may send this many reports an hour (0: no limit).
    "COMMENTS_REPORTS_PER_HOUR": 10,
    # A decided report (its reason, note and, for illegal content, the reporter's name and
    # email) is deleted this many days after the decision; its network and browser token go
    # after COMMENTS_PERSONAL_DATA_DAYS.
    "COMMENTS_REPORTS_RETENTION_DAYS": 180,
    # A moderator's decision is emailed (to an illegal-content notice's reporter; to a removed
    # comment's writer) this many minutes after it, so that an undo in that time sends nothing.
    "COMMENTS_DECISION_EMAIL_MINUTES": 10,
    # WordPress import: pingbacks and trackbacks are "skip"ped, or kept as "removed" comments
    # (in the queue with their history, never shown to readers).
    "COMMENTS_WORDPRESS_PINGBACKS": "skip",
    # Shown on the privacy page; empty: the address of DEFAULT_FROM_EMAIL.
    "PRIVACY_CONTACT_EMAIL": "",
}


class CommentsSettings:
    """django.conf.settings, with the comments app's defaults for the names it leaves unset or
    None."""

    def __getattr__(self, name):
        if name in site_settings.FIELDS:
            value = site_settings.stored_value(name)
            if value is not None:
                return value
        return self.environment(name)

    def environment(self, name):
        """The project's value of `name`, or the app's default: what the admin overrides."""
        try:
            value = getattr(django_settings, name)
        except AttributeError:
            if name not in DEFAULTS:
                raise
            value = None
        if value is not None or name not in DEFAULTS:
            return value
        default = DEFAULTS[name]
        return default() if callable(default) else default


settings = CommentsSettings()
