"""
Error pages that cannot fail themselves.

Django's default error views are wrapped in `requires_csrf_token`, which runs the CSRF check
again, and that check reads `request.POST`. When reading the body is what failed (a form sent
with `charset=latin1`, utf-16 or utf-7 raises BadRequest), the 400 view raised the same error,
then the 500 view did, and the reader got a bare 500 from the WSGI handler that no middleware
saw (no Content-Security-Policy, no nosniff). These views never touch the request body, so
every error is answered by a page that goes back through the middleware and carries the
security headers. The CSRF middleware has already run, so `{% csrf_token %}` still works.
"""

import logging

from django.http import (
    HttpResponseBadRequest,
    HttpResponseForbidden,
    HttpResponseNotFound,
    HttpResponseServerError,
)
from django.template import loader

logger = logging.getLogger(__name__)

PLAIN = "<!doctype html><title>{title}</title><h1>{title}</h1><p>{text}</p>"


def _page(request, template_name, response_class, title, text):
    try:
        if request is None:
            # The 500 page is rendered without the request's context: whatever broke the view
            # (the session, the database) must not break its error page too.
            content = loader.get_template(template_name).render()
        else:
            content = loader.render_to_string(template_name, request=request)
    except Exception:
        logger.exception("the %s page could not be rendered; answering in plain HTML", title)
        content = PLAIN.format(title=title, text=text)
    return response_class(content)


def bad_request(request, exception):
    return _page(
        request,
        "400.html",
        HttpResponseBadRequest,
        "Bad request",
        "Your browser sent something this site could not read. Please go back and try again.",
    )


def permission_denied(request, exception):
    return _page(
        request,
        "403.html",
        HttpResponseForbidden,
        "Forbidden",
        "You may not see this page.",
    )


def page_not_found(request, exception):
    return _page(
        request,
        "404.html",
        HttpResponseNotFound,
        "Page not found",
        "We couldn't find the page you asked for.",
    )


def server_error(request):
    return _page(
        None,
        "500.html",
        HttpResponseServerError,
        "Something went wrong",
        "The error has been logged. Please try again in a minute.",
    )


# What a form sends that the reader did not type: never shown back to them.
_NOT_TYPED = {"csrfmiddlewaretoken", "timestamp", "parent", "preview", "remember"}


def _typed_back(request):
    """[(field name, value)] the refused form carried, so the reader can copy their text."""
    try:
        posted = request.POST
    except Exception:  # an unreadable body (bad_request above): nothing to give back
        return []
    return [
        (name, value)
        for name, value in posted.items()
        if name not in _NOT_TYPED and value.strip() and len(value) < 100_000
    ]


def csrf_failure(request, reason=""):
    """A post refused as cross-site (fitness.core.csrf): why, and the reader's text to copy.

    Never cached (a POST's answer, `private, no-store`); the text is escaped like any value."""
    context = {"reason": reason, "typed": _typed_back(request)}
    try:
        content = loader.render_to_string("403_csrf.html", context, request=request)
    except Exception:
        logger.exception("the CSRF failure page could not be rendered; answering in plain HTML")
        content = PLAIN.format(title="Forbidden", text="This form was sent from another site.")
    response = HttpResponseForbidden(content)
    response["Cache-Control"] = "private, no-store"
    return response
