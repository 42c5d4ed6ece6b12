"""
Images and videos in an article's body: what `fitness.articles.markdown.render` does to them.

* `![alt](image:ID)` (or `<img src="image:ID">` in raw HTML) is an image of the media library,
  given its renditions; an unknown ID is reported, not left broken.
* An image the Content-Security-Policy's `img-src` would block becomes a link to it, and the
  author is told how to show it.
* A paragraph that is only a YouTube or Vimeo address becomes a click-to-play link
  (`<a class="video-embed">`, static/js/video-embeds.js).
"""

import re
from html import escape
from html.parser import HTMLParser
from urllib.parse import urlsplit
from xml.etree.ElementTree import Element

from markdown.treeprocessors import Treeprocessor

from fitness.core.security_headers import image_sources

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


# --- Images ------------------------------------------------------------------------------------


def image_source_allowed(url):
    """Whether the CSP's img-src (fitness.core.security_headers.image_sources: the site, data:,
    the media storage's host, CSP_IMG_SRC) lets a reader's browser load `url`."""
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


class ImagesProcessor(Treeprocessor):
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
                _figure(parents, img, image.caption)
            elif not image_source_allowed(src):
                self.problems.append(_blocked_image(src))
                link = Element("a", {"href": src})
                link.text = f"Image: {img.get('alt') or src}"
                link.tail = img.tail
                _replace(parents, img, link)


def _figure(parents, img, caption):
    """An image alone in its paragraph, with a caption in the library, becomes a figure with
    its caption under it (an image inside a sentence stays as it is: a figure cannot be
    inside a paragraph)."""
    parent = parents.get(img)
    alone = (
        parent is not None
        and parent.tag == "p"
        and list(parent) == [img]
        and not (parent.text or "").strip()
        and not (img.tail or "").strip()
    )
    if not (caption and alone):
        return
    parent.tag = "figure"
    figcaption = Element("figcaption")
    figcaption.text = caption
    parent.append(figcaption)


RAW_IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)


class _TagAttributes(HTMLParser):
    def __init__(self, tag):
        super().__init__(convert_charrefs=True)
        self.attributes = {}
        self.feed(tag)

    def handle_starttag(self, tag, attrs):
        self.attributes = {name: value or "" for name, value in attrs}


def raw_html_images(html, library, problems):
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


class VideosProcessor(Treeprocessor):
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
