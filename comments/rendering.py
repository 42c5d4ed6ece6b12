"""
Comments as HTML: the text of one comment (rendered once, when it is saved) and the rows of a
thread (rendered in one loop, no template include per comment, so a page of 1,000 stays fast).

Everything a reader wrote is escaped; the only markup we add is paragraphs, line breaks and
links to http(s) addresses with rel="nofollow ugc noopener". A `javascript:` address never
becomes a link.
"""

import re
from functools import lru_cache
from urllib.parse import urlsplit

from django.utils import dateformat
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.timezone import localtime

from .avatars import avatar_html

LINK_REL = "nofollow ugc noopener"
REPLY_HEADING = "Leave a Reply"
REMOVED_TEXT = "This comment was removed."
AWAITING_TEXT = "Your comment is awaiting moderation."
DATE_FORMAT = r"F j, Y \a\t g:i a"

# An http(s) address inside running text: up to the next space or angle bracket/quote.
URL_IN_TEXT = re.compile(r"\bhttps?://[^\s<>\"']+", re.IGNORECASE)
# Punctuation that ends a sentence rather than the address ("see https://x.org/a.").
TRAILING_PUNCTUATION = ".,;:!?)]}'\""
PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


def safe_link_url(url):
    """The address if it is an absolute http(s) URL with a host, else "" (never a link)."""
    url = (url or "").strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    if parts.scheme.lower() not in {"http", "https"} or not parts.netloc:
        return ""
    return url


def _split_trailing(url):
    """("https://x.org/a", ".") from "https://x.org/a."; keeps balanced brackets."""
    end = len(url)
    while end and url[end - 1] in TRAILING_PUNCTUATION:
        if url[end - 1] == ")" and url[:end].count("(") >= url[:end].count(")"):
            break
        end -= 1
    return url[:end], url[end:]


def _linkify_line(line):
    pieces = []
    position = 0
    for match in URL_IN_TEXT.finditer(line):
        url, trailing = _split_trailing(match.group(0))
        pieces.append(escape(line[position : match.start()]))
        if safe_link_url(url):
            pieces.append(format_html('<a href="{}" rel="{}">{}</a>', url, LINK_REL, url))
        else:
            pieces.append(escape(url))
        pieces.append(escape(trailing))
        position = match.end()
    pieces.append(escape(line[position:]))
    return "".join(pieces)


def render_body(text):
    """A comment's text as safe HTML: paragraphs, line breaks kept, http(s) links."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    paragraphs = []
    for paragraph in PARAGRAPH_BREAK.split(text):
        lines = [_linkify_line(line) for line in paragraph.strip("\n").split("\n")]
        paragraphs.append("<p>" + "<br>".join(lines) + "</p>")
    # Every piece above was escaped or built with format_html.
    return mark_safe("\n".join(paragraphs))


@lru_cache(maxsize=4096)
def _comment_date(created_at):
    return dateformat.format(localtime(created_at), DATE_FORMAT)


def author_html(name, url):
    url = safe_link_url(url)
    if url:
        return format_html('<a href="{}" rel="{}" class="url">{}</a>', url, LINK_REL, name)
    return escape(name)


def comment_html(row, *, reply_href=None, pending=False):
    """One comment's <article>: avatar, number, name, date permalink, text, Reply link."""
    if row.placeholder:
        return format_html(
            '<article class="comment-body comment-placeholder" id="div-comment-{}">'
            '{}<p class="text-body-secondary fst-italic mb-0">{}</p></article>',
            row.id,
            format_html('<span class="comment-number">{}.</span> ', row.number)
            if row.number
            else "",
            REMOVED_TEXT,
        )
    reply = ""
    if reply_href:
        reply = format_html(
            '<p class="comment-reply mb-0"><a class="comment-reply-link" href="{}" rel="nofollow"'
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
    return format_html(
        '<article class="comment-body" id="div-comment-{id}">'
        '<header class="comment-meta">{avatar}'
        '<div class="comment-meta-text">{number}<b class="comment-author fn">{author}</b>'
        '<a class="comment-date" href="#comment-{id}"><time datetime="{iso}">{date}</time></a>'
        "</div></header>{awaiting}"
        '<div class="comment-content">{body}</div>{reply}</article>',
        id=row.id,
        avatar=avatar_html(row.author_name),
        number=format_html('<span class="comment-number">{}.</span> ', row.number)
        if row.number
        else "",
        author=author_html(row.author_name, row.author_url),
        iso=row.created_at.isoformat(),
        date=_comment_date(row.created_at),
        awaiting=awaiting,
        body=mark_safe(row.body_html),  # rendered and escaped by render_body() when saved
        reply=reply,
    )


def thread_rows_html(rows, *, reply_href):
    """The nested <ol>/<li> markup of a page of threads from a flat, depth-first list.

    `reply_href(row)` gives the Reply link of a row, or None when no reply is offered.
    Depth decides nesting: deeper opens a <ol class="children">, shallower closes them.
    """
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
        out.append(comment_html(row, reply_href=None if row.placeholder else reply_href(row)))
    if depth >= 0:
        out.append("</li>")
        out.extend("</ol></li>" for _ in range(depth))
    return mark_safe("".join(out))
