"""The fast comment markup (f-strings and html.escape) gives the same bytes as the readable
format_html version it replaced, for every kind of row, and still escapes hostile values (the
empty comment form rendered once per process: test_empty_form.py)."""

import itertools
from datetime import UTC, datetime, timedelta, timezone

import pytest
from django.urls import reverse
from django.utils import dateformat, translation
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import localtime

from comments.threads import rendering
from comments.threads.avatars import colour_index, initials
from comments.threads.reading import Row
from comments.threads.rendering import (
    AWAITING_TEXT,
    DATE_FORMAT,
    LINK_REL,
    REMOVED_TEXT,
    author_html,
    avatar_html,
    comment_html,
    comment_list_html,
    pending_list_html,
    safe_link_url,
    thread_rows_html,
)
from tests.comments.web.test_security import Markup

# --- The format_html version, kept as the specification of the markup ------------------------
# A second copy of the markup, on purpose: comments/threads/rendering.py is the only code that
# writes
# a comment's HTML for readers, and this copy is the independent check on it. It escapes with
# Django's format_html/conditional_escape (not html.escape), formats the date with one
# dateformat call on the whole DATE_FORMAT (not the module's cached pieces) and takes nothing
# from the module but its wording and safe_link_url, so a value escaped twice or not at all, a
# cache keyed on too little, or a stray attribute shows up as a byte difference. Changing the
# markup means changing both, deliberately.


def reference_avatar_html(name):
    return format_html(
        '<span class="comment-avatar avatar-c{}" aria-hidden="true">{}</span>',
        colour_index(name),
        initials(name),
    )


def reference_author_html(name, url):
    url = safe_link_url(url)
    if url:
        return format_html('<a href="{}" rel="{}" class="url">{}</a>', url, LINK_REL, name)
    return escape(name)


def reference_helpful_html(row, action):
    count = format_html(" {}", row.helpful_count) if row.helpful_count else ""
    return format_html(
        '<form class="comment-helpful" method="post" action="{}">'
        '<button type="submit" class="comment-helpful-button" data-helpful="{}">'
        'Helpful<span class="comment-helpful-count">{}</span></button></form>',
        action,
        row.id,
        count,
    )


def reference_comment_html(row, *, reply_href=None, pending=False, helpful_action=None):
    number = (
        format_html('<span class="comment-number">{}.</span> ', row.number) if row.number else ""
    )
    if row.placeholder:
        return format_html(
            '<article class="comment-body comment-placeholder" id="div-comment-{}">'
            '{}<p class="text-body-secondary fst-italic mb-0">{}</p></article>',
            row.id,
            number,
            REMOVED_TEXT,
        )
    reply = ""
    if reply_href:
        reply = format_html(
            '<p class="comment-reply comment-actions"><a class="comment-reply-link comment-action"'
            ' href="{}" rel="nofollow"'
            ' data-reply-to="{}" data-author="{}" aria-label="Reply to {}">Reply</a></p>',
            reply_href,
            row.id,
            row.author_name,
            row.author_name,
        )
    awaiting = (
        format_html('<p class="comment-awaiting-moderation">{}</p>', AWAITING_TEXT)
        if pending
        else ""
    )
    report = ""
    if not pending:
        report = format_html(
            '<p class="comment-report comment-actions mb-0">'
            '<a class="comment-report-link comment-action" href="{}"'
            ' rel="nofollow" aria-label="Report the comment by {}">Report</a></p>',
            reverse("comments:report", args=[row.id]),
            row.author_name,
        )
    return format_html(
        '<article class="comment-body" id="div-comment-{id}">'
        '<header class="comment-meta">{avatar}'
        '<div class="comment-meta-text">{number}'
        '<b class="comment-author fn" dir="auto">{author}</b>'
        '<a class="comment-date" href="#comment-{id}"><time datetime="{iso}">{date}</time></a>'
        "</div></header>{awaiting}"
        '<div class="comment-content" dir="auto">{body}</div>{helpful}{reply}{report}</article>',
        id=row.id,
        avatar=reference_avatar_html(row.author_name),
        number=number,
        author=reference_author_html(row.author_name, row.author_url),
        iso=row.created_at.isoformat(),
        date=dateformat.format(localtime(row.created_at), DATE_FORMAT + " T"),
        awaiting=awaiting,
        body=mark_safe(row.body_html),
        helpful=reference_helpful_html(row, helpful_action) if helpful_action else "",
        reply=reply,
        report=report,
    )


def reference_thread_rows_html(rows, *, reply_href):
    out = []
    depth = -1
    for row in rows:
        if row.depth > depth:
            out.extend('<ol class="children">' for _ in range(row.depth - max(depth, 0)))
        else:
            out.append("</li>")
            out.extend("</ol></li>" for _ in range(depth - row.depth))
        depth = row.depth
        classes = f"comment depth-{row.depth + 1}"
        if row.placeholder:
            classes += " comment-removed"
        out.append(format_html('<li id="comment-{}" class="{}">', row.id, classes))
        out.append(
            reference_comment_html(row, reply_href=None if row.placeholder else reply_href(row))
        )
    if depth >= 0:
        out.append("</li>")
        out.extend("</ol></li>" for _ in range(depth))
    return mark_safe("".join(out))


def reference_pending_list_html(rows):
    if not rows:
        return ""
    items = "".join(
        format_html(
            '<li id="comment-{}" class="comment depth-{} comment-pending"{}>{}</li>',
            row.id,
            row.depth + 1,
            format_html(' data-parent="{}"', row.parent_id) if row.parent_id else "",
            reference_comment_html(row, pending=True),
        )
        for row in rows
    )
    return format_html(
        '<ol class="comment-list comment-list-pending" aria-label="{}">{}</ol>',
        "Your comments awaiting moderation",
        mark_safe(items),
    )


# --- A corpus of rows ------------------------------------------------------------------------

NAMES = [
    "Tina Shute",
    "",
    "   ",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "'-alert(1)-'",
    'Tom & Jerry\'s "best" <friends>',
    "Zoë Ångström 🏃",
    "amy_lofthotmail.com",
]
URLS = [
    "",
    "https://example.com/blog",
    "  http://example.org/a?b=1&c=<2>  ",
    'https://example.org/"onmouseover="alert(1)',
    "https://x.org/'><script>alert(1)</script>",
    "javascript:alert(1)",
    "//evil.example",
]
TIMES = [
    datetime(2020, 1, 2, 0, 0, tzinfo=UTC),
    datetime(2024, 12, 31, 23, 59, 59, 123456, tzinfo=UTC),
    datetime(2023, 6, 1, 12, 5, tzinfo=timezone(timedelta(hours=-5))),
]
BODY = '<p>Hello &amp; welcome<br><a href="https://a.org" rel="nofollow ugc noopener">x</a></p>'


def make_row(index, *, depth=0, number=0, placeholder=False, name=None, url=None, when=None):
    return Row(
        id=index,
        parent_id=None if depth == 0 else index - 1,
        thread_id=index,
        depth=depth,
        path=f"{index:010d}",
        status="approved",
        author_name=NAMES[index % len(NAMES)] if name is None else name,
        author_url=URLS[index % len(URLS)] if url is None else url,
        body_html=BODY,
        created_at=TIMES[index % len(TIMES)] if when is None else when,
        number=number,
        placeholder=placeholder,
    )


def corpus():
    index = 1
    for name, url, when, (number, depth), placeholder in itertools.product(
        NAMES, URLS, TIMES, [(0, 1), (1, 0), (12345, 0), (0, 3)], [False, True]
    ):
        index += 1
        yield make_row(
            index,
            depth=depth,
            number=number,
            placeholder=placeholder,
            name=name,
            url=url,
            when=when,
        )


REPLY_HREFS = [None, "", "?replytocom=7#respond", "?page=2&replytocom=7#respond", '"><x y="&']


@pytest.mark.parametrize("reply_href", REPLY_HREFS)
@pytest.mark.parametrize("pending", [False, True])
def test_comment_html_is_byte_for_byte_the_format_html_version(reply_href, pending):
    for row in corpus():
        html = comment_html(row, reply_href=reply_href, pending=pending)
        assert html == reference_comment_html(row, reply_href=reply_href, pending=pending), row
        assert isinstance(html, SafeString)


@pytest.mark.parametrize("action", ["/comments/7/helpful/", '/c/7/?sort=newest&x="><y'])
@pytest.mark.parametrize("helpful_count", [0, 1, 12345])
def test_the_helpful_button_is_byte_for_byte_the_format_html_version(action, helpful_count):
    for row in corpus():
        row.helpful_count = helpful_count
        html = comment_html(row, reply_href="?replytocom=7#respond", helpful_action=action)
        expected = reference_comment_html(
            row, reply_href="?replytocom=7#respond", helpful_action=action
        )
        assert html == expected, row


def test_author_and_avatar_match_the_format_html_version():
    for name, url in itertools.product(NAMES, URLS):
        assert author_html(name, url) == reference_author_html(name, url)
        assert isinstance(author_html(name, url), SafeString)
        assert avatar_html(name) == reference_avatar_html(name)


@pytest.mark.parametrize(
    "depths",
    [
        [],
        [0],
        [0, 0, 0],
        [0, 1, 2, 3, 0],
        [0, 1, 1, 2, 2, 1, 0, 1],
        [0, 2, 0],  # a jump of two levels
        [1, 2, 1, 0],  # a page that starts under a thread (never today, but well-formed)
        [0, 1, 2, 3],  # ends deep: every level closed
    ],
)
def test_thread_rows_html_is_byte_for_byte_the_format_html_version(depths):
    rows = [
        make_row(
            index + 1,
            depth=depth,
            number=index + 1 if depth == 0 else 0,
            placeholder=index % 3 == 2,
        )
        for index, depth in enumerate(depths)
    ]

    def reply_href(row):
        return f"?page=2&replytocom={row.id}#respond" if row.depth < 2 else None

    html = thread_rows_html(rows, reply_href=reply_href)
    assert html == reference_thread_rows_html(rows, reply_href=reply_href)
    assert isinstance(html, SafeString)
    listed = comment_list_html(rows, reply_href=reply_href)
    assert listed == (f'<ol class="comment-list">{html}</ol>' if rows else "")
    assert isinstance(listed, SafeString) or not rows


def test_the_readers_held_comments_match_the_format_html_version():
    rows = [row for row in corpus() if not row.placeholder]  # replies have a parent_id
    assert pending_list_html([]) == reference_pending_list_html([]) == ""
    html = pending_list_html(rows)
    assert html == reference_pending_list_html(rows)
    assert isinstance(html, SafeString)
    assert html.count("comment-awaiting-moderation") == len(rows)


def test_a_hostile_name_and_address_are_escaped_everywhere_they_appear():
    row = make_row(
        5,
        number=3,
        name="<script>alert('x')</script>&\"",
        url='https://e.org/?a=1&b="><script>',
    )
    html = comment_html(row, reply_href="?page=2&replytocom=5#respond", pending=True)
    assert "<script>" not in html
    parser = Markup()
    parser.feed(html)
    assert {tag for tag, _ in parser.tags} == {
        "article",
        "header",
        "span",
        "div",
        "b",
        "a",
        "time",
        "p",
        "br",
    }
    links = [attrs for tag, attrs in parser.tags if tag == "a"]
    assert [link["href"] for link in links] == [
        'https://e.org/?a=1&b="><script>',
        "#comment-5",
        "https://a.org",
        "?page=2&replytocom=5#respond",
    ]
    assert links[-1]["data-author"] == "<script>alert('x')</script>&\""
    expected_name = "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;&amp;&quot;"
    assert html.count(expected_name) == 3  # author, data-author, aria-label
    assert 'href="https://e.org/?a=1&amp;b=&quot;&gt;&lt;script&gt;"' in html
    assert 'href="?page=2&amp;replytocom=5#respond"' in html
    assert '<span class="comment-avatar avatar-c' in html


def test_a_javascript_address_is_plain_text():
    assert author_html("<b>", "javascript:alert(1)") == "&lt;b&gt;"


def test_comment_dates_follow_the_current_time_zone(settings):
    row = make_row(9, when=datetime(2020, 1, 2, 3, 30, tzinfo=UTC))
    assert "January 2, 2020 at 3:30 a.m." in comment_html(row)
    settings.TIME_ZONE = "America/New_York"
    assert "January 1, 2020 at 10:30 p.m." in comment_html(row)
    assert comment_html(row) == reference_comment_html(row)


def test_comment_dates_follow_the_active_language():
    row = make_row(9, when=datetime(2020, 1, 2, 15, 30, tzinfo=UTC))
    english = comment_html(row)
    with translation.override("de"):
        german = comment_html(row)
        assert german == reference_comment_html(row)
    assert "January 2, 2020 at 3:30 p.m." in english
    assert "Januar 2, 2020" in german and german != english
    assert comment_html(row) == english


def test_a_page_formats_each_day_and_minute_once_not_each_comment(monkeypatch):
    """5,000 comments a minute apart: the dates repeat only by day and time of day.

    A cache of whole dates (smaller than the page) formatted every one of them afresh.
    """
    calls = []
    real = rendering.dateformat.format
    monkeypatch.setattr(
        rendering.dateformat, "format", lambda *args: calls.append(args) or real(*args)
    )
    start = datetime(2021, 3, 4, tzinfo=UTC)
    rows = [
        make_row(i + 1, number=i + 1, when=start + timedelta(minutes=i), name="Ann", url="")
        for i in range(5000)
    ]
    html = thread_rows_html(rows, reply_href=lambda row: None)
    assert html.count("<time ") == 5000
    days = {row.created_at.date() for row in rows}  # UTC is the test time zone
    assert len(calls) <= len(days) + 24 * 60
    sample = rows[::997]
    assert thread_rows_html(sample, reply_href=lambda row: None) == reference_thread_rows_html(
        sample, reply_href=lambda row: None
    )
