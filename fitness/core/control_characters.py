"""
Control characters refused at the door: no view, middleware or query ever sees them.

PostgreSQL cannot store or compare a NUL in text: `/?p=%00`, a 404 path with `%00` (looked up
as an old address) or `/search/?q=%00` raised DataError, a 500. No address of this site and no
parameter a reader types holds a control character, so one check before anything reads the
request answers them all:

* the path: any C0 control (U+0000 to U+001F) or DEL (U+007F) is a page that cannot exist,
  answered by the site's 404 page;
* a query parameter's name or value: the same characters are a bad parameter, the site's 400
  page; except tab, line feed and carriage return in a value, which a reader may paste into the
  search box (whitespace, which `search.clean_query` folds into one space like any other).

The request body is not read here: Django's form fields already refuse NUL
(`ProhibitNullCharactersValidator`), and reading it would spend a form's upload on a check.
The refusals are rendered before the session and the user are read, so the page shown is the
anonymous one (and stays out of the page cache, which is further in).
"""

import re

from fitness.core import errors

# C0 controls and DEL; in a parameter's value, tab, LF and CR are whitespace, allowed.
_IN_PATH = re.compile(r"[\x00-\x1f\x7f]")
_IN_NAME = _IN_PATH
_IN_VALUE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def bad_path(path: str) -> bool:
    """True when the path holds a control character."""
    return _IN_PATH.search(path) is not None


def bad_parameters(query) -> bool:
    """True when a parameter's name, or one of its values, holds a control character
    (a QueryDict: `request.GET`, percent-escapes already decoded)."""
    return any(
        _IN_NAME.search(name) or any(_IN_VALUE.search(value) for value in values)
        for name, values in query.lists()
    )


class ControlCharactersMiddleware:
    """404 for a path, 400 for a query parameter holding a control character (see above).

    Placed in MIDDLEWARE before anything that looks the request up (static files, the page
    cache, the session, the old addresses), after the security headers so the refusal has
    them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if bad_path(request.path):
            return errors.page_not_found(request, None)
        if bad_parameters(request.GET):
            return errors.bad_request(request, None)
        return self.get_response(request)
