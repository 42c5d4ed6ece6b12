"""
Markdown to sanitised HTML, used when an article (or comment) is saved, never per request.

`render` is the one way an article's body becomes HTML, for the page and for the admin's
preview alike. Besides the HTML it returns the `problems`: sentences for the author about what
the reader will not see as written, found by comparing what the author wrote with what
survived the sanitiser (`removed_by_sanitiser`), plus images the site cannot show:

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
from html import escape
from html.parser import HTMLParser
from urllib.parse import urlsplit
from xml.etree.ElementTree import Element

import markdown as md
import nh3
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from fitness.core.security_headers import image_sources

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
EXTENSIONS = ["tables", "fenced_code", "sane_lists", "smarty"]
LIBRARY_SCHEME = "image:"
VIDEO_CLASS = "video-embed"
# The video hosts an address may come from (static/js/video-embeds.js reads the same shapes),
# and the player each one is played in: (name, address pattern, player address).
VIDEO_HOSTS = [
    (
        "YouTube",
        r"https://(?:www\.|m\.)?youtube\.com/(?:watch\?v=|embed/|shorts/)([\w-]{11})(?:[&?#].*)?",
        "https://www.youtube-nocookie.com/embed/{}",
    ),
    (
        "YouTube",
        r"https://youtu\.be/([\w-]{11})(?:[?#].*)?",
        "https://www.youtube-nocookie.com/embed/{}",
    ),
    (
        "Vimeo",
        r"https://(?:www\.)?vimeo\.com/(\d+)(?:[?#].*)?",
        "https://player.vimeo.com/video/{}?dnt=1",
    ),
]
BODY_IMAGE_SIZES = "(min-width: 47rem) 46rem, calc(100vw - 1.5rem)"


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
    written = _raw_html_images(converter.convert(text), library, problems)
    html = sanitize(written)
    problems.extend(removed_by_sanitiser(written, html))
    return Rendered(html, problems)


def render_markdown(text, *, library=None):
    """Render Markdown to HTML that can never run script (tags, attributes and URLs allowlisted)."""
    return render(text, library=library).html


def sanitize(html):
    """HTML that can never run script: only the tags, attributes and URL schemes above."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        filter_style_properties={"text-align"},
        allowed_classes={"a": {VIDEO_CLASS}},
        link_rel="noopener noreferrer",
    )


# --- Images ------------------------------------------------------------------------------------


def image_source_allowed(url):
    """Whether the CSP's img-src (fitness.core.security_headers.image_sources: the site, data:, the
    media
    storage's host, CSP_IMG_SRC) lets a reader's browser load `url`."""
    parts = urlsplit(url)
    if not parts.scheme and not parts.netloc:
        return True  # on this site
    if parts.scheme == "data":
        return True
    for source in image_sources():
        if source.startswith("'"):  # 'self': handled above
            continue
        if source.endswith(":") and "/" not in source:  # a scheme source, such as https:
            if parts.scheme == source[:-1]:
                return True
            continue
        allowed = urlsplit(source if "://" in source else f"{parts.scheme}://{source}")
        host = allowed.hostname or ""
        host_matches = (
            (parts.hostname or "").endswith(host[1:]) if host.startswith("*.") else
            parts.hostname == host
        )  # fmt: skip
        if (
            host_matches
            and allowed.scheme == parts.scheme
            and (allowed.port is None or allowed.port == parts.port)
            and parts.path.startswith(allowed.path or "/")
        ):
            return True
    return False


class _ImagesProcessor(Treeprocessor):
    def __init__(self, converter, library, problems):
        super().__init__(converter)
        self.library, self.problems = library, problems

    def run(self, root):
        images = list(root.iter("img"))
        wanted = {_library_id(img.get("src", "")) for img in images} - {None}
        found = self.library(wanted) if wanted and self.library else {}
        parents = {child: parent for parent in root.iter() for child in parent}
        for img in images:
            src = img.get("src", "")
            if src.startswith(LIBRARY_SCHEME):
                image = found.get(_library_id(src))
                if image is None:
                    self.problems.append(_unknown_image(src))
                    _replace(parents, img, None)
                    continue
                attributes = image.img_attributes(
                    sizes=BODY_IMAGE_SIZES, alt=img.get("alt") or image.alt
                )
                title = img.get("title")
                img.attrib.clear()
                img.attrib.update(attributes)
                if title:
                    img.set("title", title)
            elif not image_source_allowed(src):
                self.problems.append(_blocked_image(src))
                link = Element("a", {"href": src})
                link.text = f"Image: {img.get('alt') or src}"
                link.tail = img.tail
                _replace(parents, img, link)


RAW_IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)


class _TagAttributes(HTMLParser):
    def __init__(self, tag):
        super().__init__(convert_charrefs=True)
        self.attributes = {}
        self.feed(tag)

    def handle_starttag(self, tag, attrs):
        self.attributes = {name: value or "" for name, value in attrs}


def _raw_html_images(html, library, problems):
    """An `<img>` written as HTML (a WordPress body keeps its HTML) is treated as a Markdown
    image is: `src="image:ID"` gets the library image's renditions, and a host the CSP blocks
    becomes a link. Run on the converter's output, where Markdown's own images are done: what
    is left with such a src came from raw HTML."""
    tags = {
        match.group(0): _TagAttributes(match.group(0)).attributes
        for match in RAW_IMG.finditer(html)
    }
    pending = {tag: attrs for tag, attrs in tags.items() if _needs_work(attrs.get("src", ""))}
    if not pending:
        return html
    wanted = {_library_id(attrs["src"]) for attrs in pending.values()} - {None}
    found = library(wanted) if wanted and library else {}

    def replace(match):
        attrs = pending.get(match.group(0))
        if attrs is None:
            return match.group(0)
        src, alt = attrs["src"], attrs.get("alt", "")
        if src.startswith(LIBRARY_SCHEME):
            image = found.get(_library_id(src))
            if image is None:
                problems.append(_unknown_image(src))
                return ""
            new = image.img_attributes(sizes=BODY_IMAGE_SIZES, alt=alt or image.alt)
            if attrs.get("title"):
                new["title"] = attrs["title"]
            return "<img " + " ".join(f'{k}="{escape(v)}"' for k, v in new.items()) + ">"
        problems.append(_blocked_image(src))
        return f'<a href="{escape(src)}">{escape(f"Image: {alt or src}")}</a>'

    return RAW_IMG.sub(replace, html)


def _needs_work(src):
    return src.strip().startswith(LIBRARY_SCHEME) or not image_source_allowed(src)


def _unknown_image(src):
    return (
        f"The image {src} is not in the media library (was it deleted?); "
        "readers see nothing there. Pick it again from the media library."
    )


def _blocked_image(src):
    host = urlsplit(src).netloc or src
    return (
        f"The image {src} is on another site ({host}), which the site's "
        "Content-Security-Policy does not let browsers load: readers see a link to "
        "it instead. Upload it to the media library, or (if you trust that host) "
        f"add {urlsplit(src).scheme or 'https'}://{host} to CSP_IMG_SRC."
    )


def _library_id(src):
    match = re.fullmatch(r"image:(\d+)", src.strip())
    return int(match.group(1)) if match else None


def _replace(parents, old, new):
    parent = parents[old]
    index = list(parent).index(old)
    parent.remove(old)
    if new is not None:
        parent.insert(index, new)
    elif old.tail:  # keep the text after a removed image
        if index:
            previous = parent[index - 1]
            previous.tail = (previous.tail or "") + old.tail
        else:
            parent.text = (parent.text or "") + old.tail


# --- Videos -------------------------------------------------------------------------------------


def video(url):
    """(host name, player address) when `url` is a video of an allowed host, else None."""
    for name, pattern, player in VIDEO_HOSTS:
        if match := re.fullmatch(pattern, url.strip()):
            return name, player.format(match.group(1))
    return None


class _VideosProcessor(Treeprocessor):
    """A paragraph that is only a link to a video becomes its click-to-play link."""

    def run(self, root):
        for paragraph in root.iter("p"):
            children = list(paragraph)
            if len(children) != 1 or children[0].tag != "a":
                continue
            link = children[0]
            if (paragraph.text or "").strip() or (link.tail or "").strip() or len(link):
                continue
            found = video(link.get("href", ""))
            if found is None:
                continue
            text = (link.text or "").strip()
            if not text or text == link.get("href"):
                text = "the video"
            link.set("class", VIDEO_CLASS)
            link.text = f"Play {text} (from {found[0]}, loads when you click)"


class _BodyExtension(Extension):
    def __init__(self, library, problems):
        super().__init__()
        self.library, self.problems = library, problems

    def extendMarkdown(self, converter):
        images = _ImagesProcessor(converter, self.library, self.problems)
        # After the inline patterns have made the <img> and <a> elements.
        converter.treeprocessors.register(images, "library_images", 5)
        converter.treeprocessors.register(_VideosProcessor(converter), "videos", 4)


# --- What the sanitiser removed, and why ------------------------------------------------------

EMBED_TAGS = {"iframe", "embed", "object", "video", "audio"}
TAG_REASONS = {
    "script": (
        "<script> was removed: scripts never run inside an article (they could act as any "
        "reader who opens it)."
    ),
    "style": "<style> was removed: articles use the site's own stylesheet.",
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
    """Every tag and every (tag, attribute, value) of an HTML fragment, counted."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.tags, self.attributes = Counter(), Counter()
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags[tag] += 1
        for name, value in attrs:
            if (
                name == "style"
            ):  # as nh3 writes what it keeps: "text-align: left;" -> "text-align:left"
                value = re.sub(r"\s+", "", value or "").rstrip(";")
            self.attributes[tag, name, value or ""] += 1

    handle_startendtag = handle_starttag


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
