"""
The little formatting a comment may use, as WordPress allows, written as a small Markdown subset:

    **bold**   *italics* or _italics_   `code`   > a quote   - a list   1. a numbered list
    [text](https://…)   a bare https://… address   ``` a block of code ```

and a link pasted as HTML, `<a href="https://…">text</a>`, which becomes that link (not an
escaped tag around a half-linked address). Anything else a reader types, HTML included, is
shown as the characters typed.

The HTML is built from escaped text and a fixed set of tags, then passed through nh3 with
exactly those tags allowed (links: http(s) only, rel="nofollow ugc noopener"): the sanitiser
is the last word on what reaches a page. nh3 writes quotes in text unescaped; they are escaped
again so that a plain comment's HTML is byte for byte what it always was.

Rendered once, when a comment is saved or edited (comments.threads.rendering.render_body); never per
request. `FORMATTING_HINT` is the line under the comment box that says what works.
"""

import re
from html import escape
from urllib.parse import urlsplit

import nh3

LINK_REL = "nofollow ugc noopener"
FORMATTING_HINT = (
    "You can use **bold**, *italics*, `code`, > quotes, - lists and links; "
    "other HTML shows as typed."
)

ALLOWED_TAGS = {"a", "blockquote", "br", "code", "em", "li", "ol", "p", "pre", "strong", "ul"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
URL_SCHEMES = {"http", "https"}

# An http(s) address inside running text: up to the next space or angle bracket/quote.
URL_IN_TEXT = r"\bhttps?://[^\s<>\"']+"
# Punctuation that ends a sentence rather than the address ("see https://x.org/a.").
TRAILING_PUNCTUATION = ".,;:!?)]}'\""
PARAGRAPH_BREAK = re.compile(r"\n\s*\n")

# One inline token: `code`, [text](url), a pasted <a href="url">text</a>, or a bare address.
INLINE = re.compile(
    r"(?P<code>`[^`\n]+`)"
    r"|\[(?P<label>[^\]\n]+)\]\((?P<target>https?://[^\s()<>]+)\)"
    r"|<a\s[^>]*?href\s*=\s*(?P<q>[\"']?)(?P<href>https?://[^\"'\s>]+)(?P=q)[^>]*>"
    r"(?P<text>[^<]*)</a\s*>"
    rf"|(?P<url>{URL_IN_TEXT})",
    re.IGNORECASE,
)
STRONG = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
EM_STAR = re.compile(r"(?<![\w*])\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?![\w*])")
EM_UNDERSCORE = re.compile(r"(?<![\w_])_(?=[^\s_])(.+?)(?<=[^\s_])_(?![\w_])")
QUOTE_LINE = re.compile(r"^ {0,3}> ?")
BULLET = re.compile(r"^ {0,3}[-*+] +(?=\S)")
NUMBERED = re.compile(r"^ {0,3}\d{1,9}[.)] +(?=\S)")
FENCE = re.compile(r"^ {0,3}```[^`\n]*$", re.MULTILINE)
TEXT_BETWEEN_TAGS = re.compile(r">([^<]*)<")


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


def _link(url, label):
    """<a> to an http(s) address, or the label as text when the address is not one."""
    if not safe_link_url(url):
        return escape(label)
    return f'<a href="{escape(url)}" rel="{LINK_REL}">{escape(label)}</a>'


def _emphasis(escaped):
    """**bold** and *italics* / _italics_ inside already escaped text."""
    escaped = STRONG.sub(r"<strong>\1</strong>", escaped)
    escaped = EM_STAR.sub(r"<em>\1</em>", escaped)
    return EM_UNDERSCORE.sub(r"<em>\1</em>", escaped)


def inline(line):
    """One line of text as HTML: escaped, with code, links and emphasis."""
    pieces, position = [], 0
    for match in INLINE.finditer(line):
        pieces.append(_emphasis(escape(line[position : match.start()])))
        position = match.end()
        if match.group("code"):
            pieces.append(f"<code>{escape(match.group('code')[1:-1])}</code>")
        elif match.group("label"):
            pieces.append(_link(match.group("target"), match.group("label")))
        elif match.group("href"):
            text = match.group("text").strip() or match.group("href")
            pieces.append(_link(match.group("href"), text))
        else:
            url, trailing = _split_trailing(match.group("url"))
            pieces.append(_link(url, url) + escape(trailing))
    pieces.append(_emphasis(escape(line[position:])))
    return "".join(pieces)


def _lines_html(lines):
    """Lines of one block: lists and quotes grouped, other lines joined by <br>."""
    out, run, kind = [], [], None

    def flush():
        if not run:
            return
        if kind == "quote":
            out.append(f"<blockquote>{_paragraphs(chr(10).join(run))}</blockquote>")
        elif kind in ("ul", "ol"):
            items = "".join(f"<li>{inline(item)}</li>" for item in run)
            out.append(f"<{kind}>{items}</{kind}>")
        else:
            out.append("<p>" + "<br>".join(inline(item) for item in run) + "</p>")
        run.clear()

    for line in lines:
        if QUOTE_LINE.match(line):
            this, text = "quote", QUOTE_LINE.sub("", line, count=1)
        elif BULLET.match(line):
            this, text = "ul", BULLET.sub("", line, count=1)
        elif NUMBERED.match(line):
            this, text = "ol", NUMBERED.sub("", line, count=1)
        else:
            this, text = "text", line
        if this != kind:
            flush()
            kind = this
        run.append(text)
    flush()
    return out


def _paragraphs(text):
    blocks = []
    for paragraph in PARAGRAPH_BREAK.split(text.strip("\n")):
        lines = paragraph.strip("\n").split("\n")
        if any(line.strip() for line in lines):
            blocks.extend(_lines_html(lines))
    return "\n".join(blocks) or "<p></p>"


def _blocks(text):
    """Fenced code blocks kept as they are; the rest in paragraphs."""
    html, position = [], 0
    fences = list(FENCE.finditer(text))
    index = 0
    while index + 1 < len(fences):
        start, end = fences[index], fences[index + 1]
        before = text[position : start.start()]
        if before.strip():
            html.append(_paragraphs(before))
        code = text[start.end() : end.start()].strip("\n")
        html.append(f"<pre><code>{escape(code)}</code></pre>")
        position = end.end()
        index += 2
    rest = text[position:]
    if rest.strip() or not html:
        html.append(_paragraphs(rest))
    return "\n".join(html)


def _requote(match):
    return ">" + match.group(1).replace('"', "&quot;").replace("'", "&#x27;") + "<"


def format_body(text):
    """A comment's text as sanitised HTML (a str; the caller marks it safe)."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    built = _blocks(text)
    clean = nh3.clean(
        built,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=LINK_REL,
        strip_comments=True,
    )
    # nh3 writes " and ' in text as themselves; escaped as html.escape does (and always did).
    return TEXT_BETWEEN_TAGS.sub(_requote, f">{clean}<")[1:-1]
