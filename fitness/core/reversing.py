"""
`reverse()` once per process for each address: a page names the same dozen addresses on every
request (the header's and footer's links, the feeds, an article's and its terms' addresses),
and Django's reverse walks the URL patterns each time (about 30 µs, a tenth of a page rendered
around a cached thread). An address depends only on the view's name, its arguments, the
script prefix and the URLconf, which are the key; a change of ROOT_URLCONF (tests) empties it.

    reverse_cached("articles:detail", kwargs={"slug": slug})
    {% load reversing %}{% site_url "privacy" %}      in templates, for addresses without
                                                       arguments
"""

from functools import lru_cache

from django.core.signals import setting_changed
from django.urls import get_script_prefix, get_urlconf, reverse


@lru_cache(maxsize=4096)
def _reversed(viewname, args, kwargs, prefix, urlconf):
    return reverse(viewname, urlconf=urlconf, args=args or None, kwargs=dict(kwargs) or None)


def reverse_cached(viewname, *, args=(), kwargs=None) -> str:
    """`django.urls.reverse(viewname, args=args, kwargs=kwargs)`, kept (see the module)."""
    items = tuple(sorted(kwargs.items())) if kwargs else ()
    return _reversed(viewname, tuple(args), items, get_script_prefix(), get_urlconf())


def _forget(setting, **kwargs):
    if setting == "ROOT_URLCONF":
        _reversed.cache_clear()


setting_changed.connect(_forget, dispatch_uid="fitness.core.reversing")
