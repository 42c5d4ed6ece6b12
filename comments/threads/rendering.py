"""
Comments as HTML, all of it: the text of one comment (rendered once, when it is saved) and
every piece of markup around it that readers see. Nothing else writes a comment's markup: the
template tag calls `comment_list_parts()` and `pending_list_html()`, the templates place what
they return, and static/js/comments.js reads the names in "Names the script reads" below.

Everything a reader wrote is escaped; the only markup in a text is what comments.text.formatting
builds (paragraphs, line breaks, a small Markdown subset, links to http(s) addresses with
rel="nofollow ugc noopener"), sanitised by nh3. A `javascript:` address never becomes a link.

The markup is built with f-strings and `html.escape` rather than `format_html`: a page shows
~150 comments (and can show thousands), and format_html's conditional_escape and lazy wrappers
were the largest Python cost of the uncached page. `html.escape(str(x))` is exactly what
Django's `escape()` does (it is its body), so the bytes are the same; every string that does
not come from this module goes through `_escape` exactly once, numbers through `:d`.
tests/comments/threads/test_rendering_speed.py keeps a format_html version as an independent
specification and checks the two agree byte for byte.
"""

from datetime import time
from functools import lru_cache
from html import escape as _html_escape

from django.urls import get_script_prefix, reverse
from django.utils import dateformat
from django.utils.safestring import mark_safe
from django.utils.timezone import get_current_timezone
from django.utils.translation import get_language

from comments.text.formatting import LINK_REL, format_body, safe_link_url
from comments.threads.avatars import colour_index, initials

REMOVED_TEXT = "This comment was removed."
AWAITING_TEXT = "Your comment is awaiting moderation."
# How readers see a comment's date ("January 2, 2020 at 3:30 a.m. UTC"), in two halves: the
# day, formatted once per day, and the clock, once per minute of the day (each per language),
# then the zone's name, so that a reader without JavaScript knows whose clock it is;
# static/js/local-time.js rewrites it in the reader's own zone.
DAY_FORMAT = r"F j, Y \a\t "
CLOCK_FORMAT = "g:i a"
DATE_FORMAT = DAY_FORMAT + CLOCK_FORMAT


def _escape(value):
    """django.utils.html.escape without the SafeString and lazy-string wrappers."""
    return _html_escape(str(value))


_LINK_REL = _escape(LINK_REL)
_REMOVED_TEXT = _escape(REMOVED_TEXT)
_AWAITING_TEXT = _escape(AWAITING_TEXT)


def render_body(text):
    """A comment's text as safe HTML: paragraphs, line breaks, http(s) links and the small
    formatting comments.text.formatting allows, sanitised there by nh3."""
    return mark_safe(format_body(text))


# --- Names the script reads -------------------------------------------------------------------
# static/js/comments.js declares the same names at its top; tests/comments/threads/test_markup.py
# checks that the two agree, so a rename here that the script misses fails a test.
ITEM_ID_PREFIX = "comment-"  # <li id="comment-<id>">: the permalink and where replies nest
BODY_CLASS = "comment-body"  # the <article>; the moved reply form goes right after it
CHILDREN_CLASS = "children"  # <ol class="children">: the replies under a comment
PENDING_CLASS = "comment-pending"  # the reader's own held comment
REPLY_TO_ATTR = "data-reply-to"  # on the Reply link: the id of the comment answered
AUTHOR_ATTR = "data-author"  # on the Reply link: the name shown in "Leave a Reply to NAME"
PARENT_ATTR = "data-parent"  # on a held reply: the id of the comment it answers
HELPFUL_ATTR = "data-helpful"  # on the Helpful button: the id of its comment
HELPFUL_COUNT_CLASS = "comment-helpful-count"  # the count shown in the button
SCRIPT_NAMES = {
    "ITEM_ID_PREFIX": ITEM_ID_PREFIX,
    "BODY_CLASS": BODY_CLASS,
    "CHILDREN_CLASS": CHILDREN_CLASS,
    "PENDING_CLASS": PENDING_CLASS,
    "REPLY_TO_ATTR": REPLY_TO_ATTR,
    "AUTHOR_ATTR": AUTHOR_ATTR,
    "PARENT_ATTR": PARENT_ATTR,
    "HELPFUL_ATTR": HELPFUL_ATTR,
    "HELPFUL_COUNT_CLASS": HELPFUL_COUNT_CLASS,
}
# The row of links under a comment (Reply, and whatever joins it) and each link in it:
# static/css/comments.css makes every `.comment-action` a 44×44 px tap target in the link
# colour (the writer's "Edit or delete" and the thread's controls use the class too).
ACTIONS_CLASS = "comment-actions"
ACTION_CLASS = "comment-action"
PENDING_LIST_LABEL = "Your comments awaiting moderation"
_PENDING_LIST_LABEL = _escape(PENDING_LIST_LABEL)


# --- One comment ------------------------------------------------------------------------------


@lru_cache(maxsize=4096)
def _day_text(day, language):
    """The day as in "January 2, 2020 at ", in `language` (it names the month), escaped."""
    return _escape(dateformat.format(day, DAY_FORMAT))


@lru_cache(maxsize=2048)
def _clock_text(hour, minute, language):
    """The clock as in "3:30 a.m.", in `language` (it names a.m. and p.m.), escaped."""
    return _escape(dateformat.format(time(hour, minute), CLOCK_FORMAT))


@lru_cache(maxsize=8192)
def _time_html(created_at, zone, language):
    """`<time>` with the date as readers see it in `zone` (rows carry aware datetimes).

    Formatted from two small caches, the day and the clock: their size does not grow with
    the comments. It was once one LRU of whole dates only, and a page with more dates than it
    held (5,000 comments a minute apart against 4,096 entries) missed on every comment, each
    miss a full dateformat call: 80 % of that page. A miss now costs a few µs; this cache of
    whole dates (about 3 MB when full) only spares those µs when the same comments are shown
    again, as they are after every change to a discussion.
    isoformat() writes only digits, "-", ":", "+", "." and "T": nothing to escape.
    """
    if created_at.tzinfo is None:  # as django.utils.timezone.localtime() refuses it
        raise ValueError("localtime() cannot be applied to a naive datetime")
    local = created_at.astimezone(zone)
    return (
        f'<time datetime="{created_at.isoformat()}">'
        f"{_day_text(local.date(), language)}{_clock_text(local.hour, local.minute, language)}"
        f" {_escape(local.tzname())}</time>"
    )


def _avatar(name):
    """The author's initials on a colour from their name (comments.threads.avatars): no request."""
    return (
        f'<span class="comment-avatar avatar-c{colour_index(name):d}" aria-hidden="true">'
        f"{_escape(initials(name))}</span>"
    )


def _author(name, url):
    """The author's name, a nofollow link to their website when it is an http(s) address."""
    url = safe_link_url(url) if url else ""
    if url:
        return f'<a href="{_escape(url)}" rel="{_LINK_REL}" class="url">{_escape(name)}</a>'
    return _escape(name)


@lru_cache(maxsize=4096)
def avatar_html(name):
    return mark_safe(_avatar(name))


@lru_cache(maxsize=4096)
def author_html(name, url):
    return mark_safe(_author(name, url))


@lru_cache(maxsize=4096)
def _author_parts(name, url):
    """An author's pieces of a comment, each escaped once: (the meta line's start with the
    avatar, the name as shown, the name for the Reply link's attributes).

    One lookup per comment; a miss (a name not seen lately) costs about 4 µs.
    """
    return (
        f'<header class="comment-meta">{_avatar(name)}<div class="comment-meta-text">',
        f'<b class="comment-author fn" dir="auto">{_author(name, url)}</b>',
        _escape(name),
    )


def _badge(text):
    """ "Author" / "Moderator" after the name of a comment by the article's author or staff."""
    return f' <span class="comment-badge">{_escape(text)}</span>' if text else ""


def _item_open(row, classes="", attributes=""):
    """The <li> that holds one comment (and, in a thread, its replies)."""
    return (
        f'<li id="{ITEM_ID_PREFIX}{row.id:d}" class="comment depth-{row.depth + 1:d}{classes}"'
        f"{attributes}>"
    )


def helpful_count_text(count):
    """What the Helpful button shows after its label: " 3", or nothing for none."""
    return f" {count:d}" if count else ""


def _helpful(row, action):
    """The Helpful button: a form that works without the script (a POST that toggles the
    reader's mark and comes back to the comment). The same for every reader: the script marks
    the reader's own (aria-pressed) from their cookie."""
    return (
        f'<form class="comment-helpful" method="post" action="{_html_escape(action)}">'
        f'<button type="submit" class="comment-helpful-button" {HELPFUL_ATTR}="{row.id:d}">'
        f'Helpful<span class="{HELPFUL_COUNT_CLASS}">{helpful_count_text(row.helpful_count)}'
        "</span></button></form>"
    )


# The Report link's address, /comments/<id>/report/: reversed once per script prefix (a page of
# 150 comments would otherwise ask for 150 reverses), then filled in with the id.
_REPORT_MARK = 987654321


@lru_cache(maxsize=8)
def _report_path(prefix):
    """(before, after) the id in the Report link's address under this script prefix, escaped."""
    path = reverse("comments:report", kwargs={"pk": _REPORT_MARK})
    before, after = path.split(str(_REPORT_MARK))
    return _escape(before), _escape(after)


def report_href(comment_id, path=None):
    """The Report link's address; `path`: `_report_path()`'s pair, when the caller has it."""
    before, after = path or _report_path(get_script_prefix())
    return f"{before}{comment_id:d}{after}"


def _report(row, name, path):
    """The Report link: a plain link to the report page (the same for every reader)."""
    return (
        f'<p class="comment-report {ACTIONS_CLASS} mb-0">'
        f'<a class="comment-report-link {ACTION_CLASS}"'
        f' href="{path[0]}{row.id:d}{path[1]}" rel="nofollow"'
        f' aria-label="Report the comment by {name}">Report</a></p>'
    )


def _page_facts():
    """What every comment of one page shares: (zone, language, the Report address's parts),
    looked up once per page, not once per comment."""
    return get_current_timezone(), get_language(), _report_path(get_script_prefix())


def _comment_markup(row, reply_href, pending, facts, before="", helpful_action=None):
    """`before` (the <li> that holds it, if any) and one comment's <article>; a published one
    (not `pending`) ends with its Report link. `facts`: `_page_facts()`."""
    zone, language, report_path = facts
    number = f'<span class="comment-number">{row.number:d}.</span> ' if row.number else ""
    if row.placeholder:
        return (
            f'{before}<article class="{BODY_CLASS} comment-placeholder"'
            f' id="div-comment-{row.id:d}">{number}'
            f'<p class="text-body-secondary fst-italic mb-0">{_REMOVED_TEXT}</p></article>'
        )
    meta, author, name = _author_parts(row.author_name, row.author_url)
    reply = ""
    if reply_href:
        reply = (
            f'<p class="comment-reply {ACTIONS_CLASS}"><a class="comment-reply-link {ACTION_CLASS}"'
            f' href="{_html_escape(reply_href)}" rel="nofollow" {REPLY_TO_ATTR}="{row.id:d}"'
            f' {AUTHOR_ATTR}="{name}" aria-label="Reply to {name}">Reply</a></p>'
        )
    awaiting = f'<p class="comment-awaiting-moderation">{_AWAITING_TEXT}</p>' if pending else ""
    helpful = _helpful(row, helpful_action) if helpful_action else ""
    report = "" if pending else _report(row, name, report_path)
    # body_html was rendered and escaped by render_body() when the comment was saved.
    return (
        f'{before}<article class="{BODY_CLASS}" id="div-comment-{row.id:d}">{meta}{number}'
        f"{author}{_badge(row.badge) if row.badge else ''}"
        f'<a class="comment-date" href="#{ITEM_ID_PREFIX}{row.id:d}">'
        f"{_time_html(row.created_at, zone, language)}</a></div></header>{awaiting}"
        f'<div class="comment-content" dir="auto">{row.body_html}</div>{helpful}{reply}{report}'
        "</article>"
    )


def comment_html(row, *, reply_href=None, pending=False, helpful_action=None):
    """One comment's <article>: avatar, number, name, date permalink, text, Helpful, Reply and
    Report links.

    A placeholder row (a removed comment whose replies are still shown) says only that it was
    removed; `pending` adds "Your comment is awaiting moderation." for its author;
    `helpful_action` (the address its form posts to) adds the Helpful button.
    """
    return mark_safe(_comment_markup(row, reply_href, pending, _page_facts(), "", helpful_action))


# --- Lists of comments ------------------------------------------------------------------------


def _thread_markup(rows, reply_href, out, helpful_action=None):
    """Appends to `out` the nested <li>/<ol> markup of a flat, depth-first list of rows."""
    helpful_action = helpful_action or _no_action
    facts = _page_facts()
    children = f'<ol class="{CHILDREN_CLASS}">'
    depth = -1
    for row in rows:
        if row.depth == depth:
            out.append("</li>")
        elif row.depth > depth:
            out.append(children * (row.depth - max(depth, 0)))
        else:
            out.append("</li>" + "</ol></li>" * (depth - row.depth))
        depth = row.depth
        out.append(_listed_markup(row, reply_href, helpful_action, facts))
    if depth >= 0:
        out.append("</li>" + "</ol></li>" * depth)
    # Every value above is a number, a constant, or went through _escape(); bodies were
    # escaped by render_body() when saved.
    return out


def _no_action(row):
    return None


# The markup of comments shown lately, by everything it is made of: a discussion that changes
# is rendered again with all but a few of its comments as they were (each change is a new
# thread-cache key), and a page of thousands then costs a lookup per comment, not a build.
# Bounded: emptied when full (about 1.3 KB an entry, 10 MB at most).
LISTED_MARKUP_KEPT = 8192
_listed = {}


def _listed_markup(row, reply_href, helpful_action, facts):
    """`_item_open` and `_comment_markup` of a row in a list of threads (from `_listed`)."""
    reply, helpful = (None, None) if row.placeholder else (reply_href(row), helpful_action(row))
    key = (
        row.id, row.depth, row.number, row.placeholder, row.badge, row.author_name,
        row.author_url, row.body_html, row.created_at, row.helpful_count, reply, helpful, facts,
    )  # fmt: skip
    markup = _listed.get(key)
    if markup is None:
        if row.placeholder:
            markup = _comment_markup(row, None, False, facts, _item_open(row, " comment-removed"))
        else:
            markup = _comment_markup(row, reply, False, facts, _item_open(row), helpful)
        if len(_listed) >= LISTED_MARKUP_KEPT:
            _listed.clear()
        _listed[key] = markup
    return markup


def thread_rows_html(rows, *, reply_href, helpful_action=None):
    """The nested <li>/<ol> markup of a page of threads from a flat, depth-first list.

    `reply_href(row)` gives the Reply link of a row, or None when no reply is offered;
    `helpful_action(row)` the address its Helpful form posts to (None: no button).
    Depth decides nesting: deeper opens a <ol class="children">, shallower closes them.
    """
    return mark_safe("".join(_thread_markup(rows, reply_href, [], helpful_action)))


def thread_item_html(row, *, reply_href, helpful_action=None):
    """One row as the list of threads has it, without its replies: its <li> (closed) and
    <article>, byte for byte what `comment_list_html` writes for it with the same links."""
    markup = _listed_markup(row, reply_href, helpful_action or _no_action, _page_facts())
    return mark_safe(f"{markup}</li>")


def comment_list_parts(rows, *, reply_href, helpful_action=None):
    """`comment_list_html()` as the list of its pieces (safe HTML), not yet joined: whoever
    places it joins it once with what goes around it (a page of 5,000 comments is 7 MB: each
    copy costs)."""
    if not rows:
        return []
    out = _thread_markup(rows, reply_href, ['<ol class="comment-list">'], helpful_action)
    out.append("</ol>")
    return out


def comment_list_html(rows, *, reply_href, helpful_action=None):
    """The page's threads as <ol class="comment-list">, or "" when there are none."""
    return mark_safe(
        "".join(comment_list_parts(rows, reply_href=reply_href, helpful_action=helpful_action))
    )


def pending_list_html(rows):
    """The reader's own held comments, each marked "awaiting moderation"; "" when none.

    A held reply names its parent in data-parent so the script can show it under that
    comment; without the script they stay together below the threads.
    """
    if not rows:
        return ""
    facts = _page_facts()
    items = []
    for row in rows:
        parent = f' {PARENT_ATTR}="{row.parent_id:d}"' if row.parent_id else ""
        opening = _item_open(row, f" {PENDING_CLASS}", parent)
        items.append(f"{_comment_markup(row, None, True, facts, opening)}</li>")
    return mark_safe(
        f'<ol class="comment-list comment-list-pending" aria-label="{_PENDING_LIST_LABEL}">'
        f"{''.join(items)}</ol>"
    )


def count_heading(count):
    """The discussion's heading: "No comments yet", "1 Comment", "1,234 Comments"."""
    if not count:
        return "No comments yet"
    return "1 Comment" if count == 1 else f"{count:,} Comments"
