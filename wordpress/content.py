"""
WordPress text made ours: an article body as sanitised HTML, a comment as text plus safe HTML.

An article's body is Markdown here, and Markdown keeps block-level HTML as it is; so a post's
HTML is stored as HTML, its blocks on their own lines, and `fitness.articles.markdown` renders it
as it
renders any body (the same allowlist cleans it). Block comments (`<!-- wp:paragraph -->`) and
other HTML comments go; `[caption]` shortcodes keep what they wrap. Classic-editor posts have
no <p>: WordPress adds them when it shows the post (`wpautop`), so we add them here once.
"""

import html
import re

import nh3

from fitness.articles.markdown import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, URL_SCHEMES

HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
CAPTION = re.compile(r"\[/?caption[^\]]*\]", re.IGNORECASE)
SHORTCODE = re.compile(r"\[(/?)([a-z][a-z0-9_-]*)(?:\s[^\]]*)?\]", re.IGNORECASE)
BLOCK_TAG = re.compile(
    r"<(p|div|h[1-6]|ul|ol|table|blockquote|pre|figure|hr|dl|section)\b", re.IGNORECASE
)
BLOCK_START = re.compile(
    r"\s*(<(?:p|div|h[1-6]|ul|ol|table|blockquote|pre|figure|hr|dl|section|img)\b)",
    re.IGNORECASE,
)
BLANK_LINES = re.compile(r"\n\s*\n")
IMG_SRC = re.compile(r"""<img\b[^>]*?\bsrc\s*=\s*["']([^"']+)["']""", re.IGNORECASE)
# What WordPress lets a commenter use (its $allowedtags), less what we never show.
COMMENT_TAGS = {"a", "abbr", "b", "blockquote", "br", "code", "del", "em", "i", "p", "q", "s",
                "strike", "strong"}  # fmt: skip
# A comment already in paragraphs (this site's export writes its comments' HTML) may also hold
# what this site's comments may: lists and code blocks (comments/text/formatting.py).
FORMATTED_COMMENT_TAGS = COMMENT_TAGS | {"li", "ol", "pre", "ul"}
COMMENT_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}}
COMMENT_LINK_REL = "nofollow ugc noopener"


def autop(text: str) -> str:
    """Paragraphs for a classic post: blank lines part them, a single newline is a <br>."""
    paragraphs = [p.strip() for p in BLANK_LINES.split(text.replace("\r\n", "\n")) if p.strip()]
    return "\n\n".join(
        p if BLOCK_START.match(p) else "<p>" + p.replace("\n", "<br>\n") + "</p>"
        for p in paragraphs
    )


def shortcodes(text: str) -> list[str]:
    """The names of the shortcodes left in a body (reported: they show as text here)."""
    return sorted({m.group(2).lower() for m in SHORTCODE.finditer(text) if not m.group(1)})


def post_html(content: str) -> str:
    """A post's content as the body of an article: sanitised HTML, one block per paragraph."""
    text = HTML_COMMENT.sub("", content or "")
    text = CAPTION.sub("", text)
    if not BLOCK_TAG.search(text):
        text = autop(text)
    cleaned = nh3.clean(
        text,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=None,
    )
    # Markdown keeps an HTML block as it is when it starts a line after a blank one.
    return BLANK_LINES.sub("\n\n", cleaned).strip()


def image_urls(body: str) -> list[str]:
    return IMG_SRC.findall(body)


def comment_text(content: str) -> tuple[str, str]:
    """(text, html) of a WordPress comment: the text for search, Akismet and the queue; the
    HTML, cleaned to what WordPress allowed a commenter, for the page."""
    content = (content or "").replace("\r\n", "\n").strip()
    if content.startswith("<p>") and content.endswith("</p>"):  # in paragraphs already
        safe = nh3.clean(
            content,
            tags=FORMATTED_COMMENT_TAGS,
            attributes=COMMENT_ATTRIBUTES,
            url_schemes={"http", "https", "mailto"},
            link_rel=COMMENT_LINK_REL,
        )
        return html.unescape(nh3.clean(content, tags=set())).strip(), safe
    paragraphs = [p.strip() for p in BLANK_LINES.split(content) if p.strip()]
    if "<" not in content and "&" not in content:  # most comments: plain text
        return content, "\n".join(
            "<p>" + html.escape(p, quote=False).replace("\n", "<br>\n") + "</p>" for p in paragraphs
        )
    safe = "\n".join(
        "<p>"
        + nh3.clean(
            p.replace("\n", "<br>\n"),
            tags=COMMENT_TAGS,
            attributes=COMMENT_ATTRIBUTES,
            url_schemes={"http", "https", "mailto"},
            link_rel=COMMENT_LINK_REL,
        )
        + "</p>"
        for p in paragraphs
    )
    text = html.unescape(nh3.clean(content, tags=set())).strip()
    return text, safe


def plain(text: str) -> str:
    """A title, a name or an excerpt: no tags, entities decoded."""
    if "<" not in (text or "") and "&" not in (text or ""):
        return (text or "").strip()
    return html.unescape(nh3.clean(text or "", tags=set())).strip()
