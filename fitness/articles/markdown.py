"""
Markdown to sanitised HTML, made when an article or a page is saved, never per request.

`render` is the one way an article's body becomes HTML, for the page and for the admin's
preview alike. Besides the HTML it returns the `problems`: sentences for the author about what
the reader will not see as written, found by comparing what the author wrote with what
survived the sanitiser (`removed_by_sanitiser`), plus images the site cannot show
(fitness/articles/body_media.py does the images and videos):

* `![alt](image:ID)` is an image of the media library: rendered with its renditions (`srcset`,
  `sizes`, `width`/`height`, `loading="lazy"`); an unknown ID is reported, not left broken.
* An image on another host is blocked by the Content-Security-Policy (`img-src` allows the
  site, its media storage and CSP_IMG_SRC): it is rendered as a link to the image, and the
  author is told how to show it (upload it, or add the host to CSP_IMG_SRC).
* A YouTube or Vimeo address alone in its paragraph becomes a click-to-play link
  (`<a class="video-embed">`): nothing is asked of those sites until the reader clicks, when
  static/js/video-embeds.js swaps in the player (youtube-nocookie.com, Vimeo with dnt=1, the
  only hosts the CSP's frame-src allows). Without JavaScript it stays a plain link. `<iframe>`
  itself is never kept.
"""

import re
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser

import markdown as md
import nh3
from markdown.extensions import Extension

from fitness.articles.author_html import (
    UnclosedTagsPreprocessor,
    ids_prefixed,
    without_unclosed,
)
from fitness.articles.body_media import (
    VIDEO_CLASS,
    ImagesProcessor,
    VideosProcessor,
    raw_html_images,
)

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "dl", "dt", "em", "figcaption",
    "figure", "h2", "h3",
    "h4", "h5", "h6", "hr", "i", "img", "li", "ol", "p", "pre", "s", "strong", "sub", "sup",
    "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    # srcset, sizes and loading: what a media-library image needs (Image.img_attributes).
    "img": {"src", "alt", "title", "width", "height", "srcset", "sizes", "loading"},
    "th": {"align", "style"},
    "td": {"align", "style"},
    "abbr": {"title"},
    "h2": {"id"},
    "h3": {"id"},
    "h4": {"id"},
}
URL_SCHEMES = {"http", "https", "mailto"}
# Removed with what is inside them: never shown to a reader as written (template, script,
# style), or not HTML the sanitiser can vouch for (MathML, SVG).
REMOVED_WITH_CONTENT = {"script", "style", "template", "math", "svg"}
# What the HTML parser reads as text up to the end tag: tags inside them are not tags.
RAW_TEXT_TAGS = ("script", "style", "iframe", "noembed", "noframes", "noscript", "textarea",
                 "title", "xmp")  # fmt: skip
EXTENSIONS = ["tables", "fenced_code", "sane_lists", "smarty"]


@dataclass
class Rendered:
    html: str
    problems: list[str] = field(default_factory=list)


def render(text, *, library=None):
    """The body's HTML and the problems an author should know about.

    `library(ids)` returns {id: Image} for the media-library images the body names (one query
    for all of them); without it every `image:ID` is reported as unknown.
    """
    problems = []
    converter = md.Markdown(
        extensions=[*EXTENSIONS, _BodyExtension(library, problems)], output_format="html"
    )
    written = raw_html_images(converter.convert(text), library, problems)
    written = without_unclosed(written, problems)
    html = sanitize(written)
    problems.extend(removed_by_sanitiser(written, html))
    return Rendered(ids_prefixed(html, problems), problems)


def sanitize(html):
    """HTML that can never run script: only the tags, attributes and URL schemes above."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        clean_content_tags=REMOVED_WITH_CONTENT,
        filter_style_properties={"text-align"},
        allowed_classes={"a": {VIDEO_CLASS}},
        link_rel="noopener noreferrer",
    )


class _BodyExtension(Extension):
    def __init__(self, library, problems):
        super().__init__()
        self.library, self.problems = library, problems

    def extendMarkdown(self, converter):
        images = ImagesProcessor(converter, self.library, self.problems)
        # After the inline patterns have made the <img> and <a> elements.
        converter.treeprocessors.register(images, "library_images", 5)
        # After fenced code is set aside (25), before raw HTML blocks are read (20).
        unclosed = UnclosedTagsPreprocessor(converter, self.problems)
        converter.preprocessors.register(unclosed, "unclosed_tags", 22)
        converter.treeprocessors.register(VideosProcessor(converter), "videos", 4)


# --- What the sanitiser removed, and why ------------------------------------------------------

EMBED_TAGS = {"iframe", "embed", "object", "video", "audio"}
TAG_REASONS = {
    "script": (
        "<script> was removed: scripts never run inside an article (they could act as any "
        "reader who opens it)."
    ),
    "style": "<style> was removed: articles use the site's own stylesheet.",
    "template": "<template> was removed with everything inside it: a template is never shown.",
    "math": "<math> was removed with everything inside it: MathML is not allowed in articles.",
    "svg": (
        "<svg> was removed with everything inside it: inline SVG is not allowed in articles "
        "(upload the picture to the media library instead)."
    ),
    "h1": (
        "A top-level heading (# or <h1>) was removed: the article's title is the page's one "
        "<h1>. Start your headings at ## instead."
    ),
}
EMBED_REASON = (
    "<{tag}> was removed: embedded players are not allowed (they would load another site for "
    "every reader who opens the article). For a YouTube or Vimeo video, put its address alone "
    "on a line, for example <https://www.youtube.com/watch?v=...>: readers get a player that "
    "loads only when they click it. A video from another site: link to it."
)
RAW_TEXT_REASON = (
    "<{tag}> is not among the tags an article may use, so it was removed; what was inside it "
    "is kept as plain text (tags inside it show to readers as written, not as formatting)."
)
OTHER_TAG_REASON = (
    "<{tag}> is not among the tags an article may use, so it was removed (its text is kept). "
    "Use Markdown instead."
)
ATTRIBUTE_REASONS = {
    "style": "style= was removed: articles are styled by the site's stylesheet, not inline.",
    "class": "class= was removed: articles are styled by the site's stylesheet.",
    "id": "id= was removed from <{tag}>: only headings may carry one.",
}
EVENT_REASON = "{attribute}= was removed from <{tag}>: event handlers are script and never run."
LINK_REASON = (
    "The address {value!r} was removed from <{tag}>: only http, https and mailto links are kept "
    "(javascript: and other schemes could run script)."
)
OTHER_ATTRIBUTE_REASON = "{attribute}= is not allowed on <{tag}>, so it was removed."


class _Inventory(HTMLParser):
    """Every tag and every (tag, attribute, value) of an HTML fragment, counted, as the
    sanitiser's parser (the HTML standard's) sees them: what is inside a raw-text element is
    text, and what is inside an element removed with its content is not counted."""

    CDATA_CONTENT_ELEMENTS = RAW_TEXT_TAGS

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.tags, self.attributes = Counter(), Counter()
        self.hidden = 0  # depth inside REMOVED_WITH_CONTENT elements
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self._count(tag, attrs)
        if tag in REMOVED_WITH_CONTENT:
            self.hidden += 1

    def handle_endtag(self, tag):
        if tag in REMOVED_WITH_CONTENT and self.hidden:
            self.hidden -= 1

    def handle_startendtag(self, tag, attrs):
        self._count(tag, attrs)

    def _count(self, tag, attrs):
        if self.hidden:
            return
        self.tags[tag] += 1
        for name, value in attrs:
            if name == "style":  # as nh3 writes it: "text-align: left;" -> "text-align:left"
                value = re.sub(r"\s+", "", value or "").rstrip(";")
            self.attributes[tag, name, value or ""] += 1


def removed_by_sanitiser(written, survived):
    """Sentences saying what of `written` (HTML before `sanitize`) is missing from `survived`,
    and why: one per kind of thing removed, in the order first met."""
    before, after = _Inventory(written), _Inventory(survived)
    reasons = []
    for tag in before.tags - after.tags:
        if tag in TAG_REASONS:
            reasons.append(TAG_REASONS[tag])
        elif tag in EMBED_TAGS:
            reasons.append(EMBED_REASON.format(tag=tag))
        elif tag in RAW_TEXT_TAGS:
            reasons.append(RAW_TEXT_REASON.format(tag=tag))
        else:
            reasons.append(OTHER_TAG_REASON.format(tag=tag))
    survivors = {tag for tag in before.tags if after.tags[tag]}
    for tag, attribute, value in before.attributes - after.attributes:
        if tag not in survivors and tag not in ALLOWED_TAGS:
            continue  # the whole tag went, and was reported above
        if attribute.startswith("on"):
            reasons.append(EVENT_REASON.format(attribute=attribute, tag=tag))
        elif attribute in ATTRIBUTE_REASONS:
            reasons.append(ATTRIBUTE_REASONS[attribute].format(tag=tag))
        elif attribute in {"href", "src"}:
            reasons.append(LINK_REASON.format(value=value, tag=tag))
        else:
            reasons.append(OTHER_ATTRIBUTE_REASON.format(attribute=attribute, tag=tag))
    return list(dict.fromkeys(reasons))
