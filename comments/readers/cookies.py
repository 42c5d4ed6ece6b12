"""
The reader's cookies, all signed, all optional, all named and read only here:

* `comment_author`: "Save my name, email, and website" (name, email, website as JSON).
* `comments_pending`: the ids of the reader's own held comments (the last PENDING_CAP), so
  that only their writer sees "Your comment is awaiting moderation."
* `comments_editable`: the ids of the comments this browser sent in the last
  COMMENTS_EDIT_MINUTES, held or published: the proof that lets their writer edit or delete
  them, and undo a deletion (a deleted comment's id stays in it). It expires with the window.

These three (OWN_COOKIES) are HttpOnly and do not make a page personal: the article page is
the same bytes for their holder as for a stranger, and shared caches serve it to them. What
they stand for (the remembered form, one's held comments, the edit links) arrives from one
small private request, `comments:mine` (`Cache-Control: private, no-store`), filled in by the
script; without the script, from the reader's own page (`?mine=1`, where a post lands).

* `comments_mine`: the hint, set beside any of the three, that the reader has some: "1", not
  signed, not HttpOnly, so that the script asks `comments:mine` only when there is something
  to fetch (the three are HttpOnly: the script cannot see them). It names nothing and proves
  nothing; it lasts as long as the longest of the three may, and `comments:mine` clears it when
  it finds none of them.

Two more do not make a page personal either, because no page shows anything from them:

* `comments_helpful`: the reader's helpful marks, drawn by the script (below).
* `comments_reporter`: a random token, set when the reader first reports a comment, so that
  a browser reports a comment once (`reporter_token`).
"""

import json
import secrets

from django.http import HttpRequest, HttpResponse

from comments.conf import settings

AUTHOR_COOKIE = "comment_author"
AUTHOR_COOKIE_SALT = "comments.author"
AUTHOR_COOKIE_MAX_AGE = 365 * 24 * 60 * 60
AUTHOR_FIELDS = ("name", "email", "website")

PENDING_COOKIE = "comments_pending"
PENDING_COOKIE_SALT = "comments.pending"
PENDING_COOKIE_MAX_AGE = 30 * 24 * 60 * 60
PENDING_CAP = 20

EDITABLE_COOKIE = "comments_editable"
EDITABLE_COOKIE_SALT = "comments.editable"
EDITABLE_CAP = 20

OWN_COOKIES = (AUTHOR_COOKIE, PENDING_COOKIE, EDITABLE_COOKIE)

HINT_COOKIE = "comments_mine"
# The longest any of OWN_COOKIES lasts (the remembered author; the edit window is minutes).
HINT_COOKIE_MAX_AGE = max(AUTHOR_COOKIE_MAX_AGE, PENDING_COOKIE_MAX_AGE)


def _set(response, name, value, *, salt, max_age):
    response.set_signed_cookie(
        name,
        value,
        salt=salt,
        max_age=max_age,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )
    if name in OWN_COOKIES:
        _set_hint(response)


# --- The hint: the reader has some of OWN_COOKIES ---------------------------------------------


def has_own_cookies(request: HttpRequest) -> bool:
    """Whether the reader holds any of OWN_COOKIES (signed or not: each reader checks its own)."""
    return any(name in request.COOKIES for name in OWN_COOKIES)


def _set_hint(response):
    response.set_cookie(
        HINT_COOKIE,
        "1",
        max_age=HINT_COOKIE_MAX_AGE,
        httponly=False,  # the script reads it: ask `comments:mine` or not
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )


def forget_hint(request: HttpRequest, response: HttpResponse) -> None:
    """The hint outlived the cookies it stood for: gone, so the script stops asking."""
    if HINT_COOKIE in request.COOKIES and not has_own_cookies(request):
        response.delete_cookie(HINT_COOKIE, samesite="Lax")


# --- The remembered author ------------------------------------------------------------------


def remembered_author(request: HttpRequest) -> dict[str, str]:
    """{"name", "email", "website"} from the signed cookie, or {}."""
    data = request.get_signed_cookie(AUTHOR_COOKIE, default=None, salt=AUTHOR_COOKIE_SALT)
    if not data:
        return {}
    try:
        values = json.loads(data)
    except ValueError:
        return {}
    if not isinstance(values, dict):
        return {}
    return {k: str(values.get(k, ""))[:254] for k in AUTHOR_FIELDS}


def remember_author(response: HttpResponse, form) -> None:
    """The "Save my name, email, and website" box: a signed cookie, or none at all."""
    if "remember" not in form.fields:
        return
    if form.cleaned_data.get("remember"):
        data = {key: form.cleaned_data.get(key, "") for key in AUTHOR_FIELDS}
        _set(
            response,
            AUTHOR_COOKIE,
            json.dumps(data),
            salt=AUTHOR_COOKIE_SALT,
            max_age=AUTHOR_COOKIE_MAX_AGE,
        )
    else:
        response.delete_cookie(AUTHOR_COOKIE, samesite="Lax")


# --- The reader's own held comments ----------------------------------------------------------


def pending_ids(request: HttpRequest) -> list[int]:
    """The ids of the reader's own held comments, from their signed cookie (newest last)."""
    value = request.get_signed_cookie(
        PENDING_COOKIE, default="", salt=PENDING_COOKIE_SALT, max_age=PENDING_COOKIE_MAX_AGE
    )
    return [int(part) for part in value.split(",") if part.isascii() and part.isdigit()]


def remember_pending(request: HttpRequest, response: HttpResponse, comment) -> None:
    """After a held comment: its writer's cookie gains its id (the last PENDING_CAP are kept)."""
    if comment.is_public:
        return
    ids = [pk for pk in pending_ids(request) if pk != comment.pk]
    value = ",".join(str(pk) for pk in [*ids, comment.pk][-PENDING_CAP:])
    _set(response, PENDING_COOKIE, value, salt=PENDING_COOKIE_SALT, max_age=PENDING_COOKIE_MAX_AGE)


# --- The reader's own recent comments (edit and delete) --------------------------------------


def edit_seconds() -> int:
    return max(0, int(settings.COMMENTS_EDIT_MINUTES * 60))


def editable_ids(request: HttpRequest) -> list[int]:
    """The ids of the comments this browser sent within the edit window (newest last)."""
    seconds = edit_seconds()
    if not seconds:
        return []
    value = request.get_signed_cookie(
        EDITABLE_COOKIE, default="", salt=EDITABLE_COOKIE_SALT, max_age=seconds
    )
    return [int(part) for part in value.split(",") if part.isascii() and part.isdigit()]


def _set_editable(response, ids):
    if not ids:
        response.delete_cookie(EDITABLE_COOKIE, samesite="Lax")
        return
    value = ",".join(str(pk) for pk in ids[-EDITABLE_CAP:])
    _set(response, EDITABLE_COOKIE, value, salt=EDITABLE_COOKIE_SALT, max_age=edit_seconds())


def remember_editable(request: HttpRequest, response: HttpResponse, comment) -> None:
    """After any comment from this browser: its id joins the cookie, for the edit window.

    The cookie is signed again with each new comment, so it lasts the window of the newest;
    each comment's own window is checked against its date (`own_edits.edit_refusal`).
    """
    if not edit_seconds():
        return
    ids = [pk for pk in editable_ids(request) if pk != comment.pk]
    _set_editable(response, [*ids, comment.pk])


# --- The reader's "helpful" marks ------------------------------------------------------------
# Not one of OWN_COOKIES: the page is the same for every reader, and the script
# draws the reader's own marks from this cookie, which is why it is readable by the script
# (not HttpOnly). Signed, so that the reader id in it is one the server gave out.

HELPFUL_COOKIE = "comments_helpful"
HELPFUL_COOKIE_SALT = "comments.helpful"
HELPFUL_COOKIE_MAX_AGE = 365 * 24 * 60 * 60
HELPFUL_CAP = 200  # the marks the script draws: the reader's latest


def helpful_marks(request: HttpRequest) -> tuple[str, list[int]]:
    """(the reader's id, or "" when they have none; the ids of the comments they marked)."""
    value = request.get_signed_cookie(
        HELPFUL_COOKIE, default="", salt=HELPFUL_COOKIE_SALT, max_age=HELPFUL_COOKIE_MAX_AGE
    )
    reader, *ids = value.split(".") if value else [""]
    if not (reader.isascii() and reader.isalnum() and len(reader) <= 32):
        return "", []
    return reader, [int(part) for part in ids if part.isascii() and part.isdigit()]


def new_reader_id() -> str:
    return secrets.token_hex(8)


def remember_helpful(response: HttpResponse, reader: str, ids: list[int]) -> None:
    """The reader's id and their marks (the last HELPFUL_CAP), as "<reader>.<id>.<id>"."""
    value = ".".join([reader, *(str(pk) for pk in ids[-HELPFUL_CAP:])])
    response.set_signed_cookie(
        HELPFUL_COOKIE,
        value,
        salt=HELPFUL_COOKIE_SALT,
        max_age=HELPFUL_COOKIE_MAX_AGE,
        httponly=False,  # the script reads the ids (nothing secret: the page shows the counts)
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )


# --- The reporter's token (one report per browser per comment) --------------------------------

REPORTER_COOKIE = "comments_reporter"
REPORTER_COOKIE_SALT = "comments.reporter"
REPORTER_COOKIE_MAX_AGE = 365 * 24 * 60 * 60
REPORTER_TOKEN_CHARS = 32


def reporter_token(request: HttpRequest) -> str:
    """The browser's reporter token from its signed cookie, or "" when it has none."""
    value = request.get_signed_cookie(
        REPORTER_COOKIE, default="", salt=REPORTER_COOKIE_SALT, max_age=REPORTER_COOKIE_MAX_AGE
    )
    return value if value.isascii() and 0 < len(value) <= REPORTER_TOKEN_CHARS else ""


def new_reporter_token() -> str:
    return secrets.token_urlsafe(18)[:REPORTER_TOKEN_CHARS]


def remember_reporter(response: HttpResponse, token: str) -> None:
    """Keep the browser's reporter token (signed) for a year from its latest report."""
    _set(
        response,
        REPORTER_COOKIE,
        token,
        salt=REPORTER_COOKIE_SALT,
        max_age=REPORTER_COOKIE_MAX_AGE,
    )
