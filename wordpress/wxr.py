"""
Reading a WordPress eXtended RSS (WXR) export as a stream, one item at a time.

    for kind, value in read(file):   # ("site", Site), ("author", Author), ("term", Term),
        ...                           # ("item", Item), ("redirect", (old path, target): this
                                      # site's own exports); raises WXRError on a bad file

The XML goes through defusedxml: a DTD, entity declarations or external references are refused
(billion laughs, XXE). Elements are cleared once read, so memory stays flat however long the
file. An error after some items were read is raised after they were yielded: the caller keeps
what it had, and says where the file broke.
"""

from dataclasses import dataclass, field
from functools import lru_cache

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, iterparse

VERSIONS = ("1.0", "1.1", "1.2")
WP_NAMESPACE = "http://wordpress.org/export/"
# What this site's own exporter adds (wordpress/exporter.py): the old addresses it answers.
FITNESS_NAMESPACE = "urn:x-fitness:wxr:1"
PREFIXES = {
    FITNESS_NAMESPACE: "fitness",
    "http://purl.org/rss/1.0/modules/content/": "content",
    "http://purl.org/dc/elements/1.1/": "dc",
    "http://wellformedweb.org/CommentAPI/": "wfw",
}


class WXRError(Exception):
    """The file cannot be read (or read further): the message says why, for the site owner."""


@dataclass
class Site:
    title: str = ""
    link: str = ""
    base_site_url: str = ""
    base_blog_url: str = ""
    version: str = ""
    ours: bool = False  # written by this site's exporter (<fitness:export>)


@dataclass
class Author:
    id: int | None
    login: str
    email: str = ""
    display_name: str = ""
    first_name: str = ""
    last_name: str = ""


@dataclass
class Term:
    taxonomy: str  # "category", "post_tag", or another taxonomy
    id: int | None
    slug: str
    name: str
    parent: str = ""  # the parent's slug
    description: str = ""
    keep: bool = False  # this site's export: a term of the site, made even if no post has it


@dataclass
class WXRComment:
    """A <wp:comment> as the export writes it (strings); the importer makes a Comment of it."""

    id: str
    author: str = ""
    email: str = ""
    url: str = ""
    ip: str = ""
    date: str = ""
    date_gmt: str = ""
    content: str = ""
    approved: str = ""
    type: str = ""
    parent: str = "0"
    user_id: str = "0"
    meta: list = field(default_factory=list)  # [(key, value)]: keys may repeat


@dataclass
class Item:
    id: str = ""
    type: str = ""
    status: str = ""
    title: str = ""
    link: str = ""
    guid: str = ""
    creator: str = ""
    content: str = ""
    excerpt: str = ""
    date: str = ""
    date_gmt: str = ""
    modified_gmt: str = ""
    slug: str = ""
    comment_status: str = ""
    parent: str = "0"
    menu_order: str = "0"
    password: str = ""
    attachment_url: str = ""
    terms: list = field(default_factory=list)  # [(domain, nicename, name)]
    meta: dict = field(default_factory=dict)
    comments: list = field(default_factory=list)
    line: int = 0  # roughly where it ended in the file, for messages


@lru_cache(maxsize=512)
def local_name(tag: str) -> str:
    """'wp:post_id' for '{http://wordpress.org/export/1.2/}post_id', and so on."""
    if not tag.startswith("{"):
        return tag
    uri, _, name = tag[1:].partition("}")
    if uri.startswith(WP_NAMESPACE):
        return f"excerpt:{name}" if uri.rstrip("/").endswith("excerpt") else f"wp:{name}"
    prefix = PREFIXES.get(uri)
    return f"{prefix}:{name}" if prefix else name


def _text(element) -> str:
    return (element.text or "").strip() if element is not None else ""


def _children(element) -> dict:
    return {local_name(child.tag): child.text or "" for child in element}


def _int(value) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


ITEM_FIELDS = {
    "title": "title",
    "link": "link",
    "guid": "guid",
    "dc:creator": "creator",
    "content:encoded": "content",
    "excerpt:encoded": "excerpt",
    "wp:post_id": "id",
    "wp:post_type": "type",
    "wp:status": "status",
    "wp:post_date": "date",
    "wp:post_date_gmt": "date_gmt",
    "wp:post_modified_gmt": "modified_gmt",
    "wp:post_name": "slug",
    "wp:comment_status": "comment_status",
    "wp:post_parent": "parent",
    "wp:menu_order": "menu_order",
    "wp:post_password": "password",
    "wp:attachment_url": "attachment_url",
}
COMMENT_FIELDS = {
    "wp:comment_id": "id",
    "wp:comment_author": "author",
    "wp:comment_author_email": "email",
    "wp:comment_author_url": "url",
    "wp:comment_author_IP": "ip",
    "wp:comment_date": "date",
    "wp:comment_date_gmt": "date_gmt",
    "wp:comment_content": "content",
    "wp:comment_approved": "approved",
    "wp:comment_type": "type",
    "wp:comment_parent": "parent",
    "wp:comment_user_id": "user_id",
}
KEEP_WHITESPACE = {"content", "excerpt"}


def _item(element) -> Item:
    item = Item()
    for child in element:
        name = local_name(child.tag)
        if name in ITEM_FIELDS:
            attribute = ITEM_FIELDS[name]
            value = child.text or ""
            setattr(item, attribute, value if attribute in KEEP_WHITESPACE else value.strip())
        elif name == "category":
            domain = child.get("domain", "category")
            item.terms.append((domain, child.get("nicename", ""), (child.text or "").strip()))
        elif name == "wp:postmeta":
            meta = _children(child)
            item.meta[meta.get("wp:meta_key", "")] = meta.get("wp:meta_value", "")
        elif name == "wp:comment":
            item.comments.append(_comment(child))
    return item


def _comment(element) -> WXRComment:
    comment = WXRComment(id="")
    for child in element:
        name = local_name(child.tag)
        if name in COMMENT_FIELDS:
            attribute = COMMENT_FIELDS[name]
            value = child.text or ""
            setattr(comment, attribute, value if attribute == "content" else value.strip())
        elif name == "wp:commentmeta":
            meta = _children(child)
            comment.meta.append((meta.get("wp:meta_key", ""), meta.get("wp:meta_value", "")))
    return comment


ENTRY_ELEMENTS = ("wp:author", "wp:category", "wp:tag", "wp:term", "item", "fitness:redirect")


def read(source):
    """Yield ("site" | "author" | "term" | "item", value) from a WXR file (a path or a binary
    file object); raise WXRError when the file is not WXR, breaks off or is refused."""
    site = Site()
    announced = False
    try:
        for name, element in _channel_children(source):
            if name not in ENTRY_ELEMENTS:
                _read_site_field(site, name, element)
                continue
            if not announced:
                _check_version(site)
                announced = True
                yield "site", site
            yield _entry(name, element)
        if not announced:
            _check_version(site)
            yield "site", site
    except DefusedXmlException as error:
        raise WXRError(
            "Refused: the file declares a DTD, entities or external references "
            f"({type(error).__name__}). A WordPress export never does; this can be an attack "
            "(billion laughs, external entities), so nothing more is read."
        ) from error
    except ParseError as error:
        line = error.position[0] if error.position else "?"
        if "no element found" in str(error) or "unclosed token" in str(error):
            raise WXRError(
                f"The file ends early (at line {line}): it was cut off, perhaps by an upload "
                "limit. What came before was read; export again and import the whole file."
            ) from error
        raise WXRError(f"The file is not well-formed XML: {error}.") from error


def _channel_children(source):
    """Yield (name, element) for each complete child of <rss><channel>, streaming: what was
    yielded is cleared from memory after it, so a 100 MB export is read in constant memory."""
    depth = 0
    channel = None
    for event, element in iterparse(source, events=("start", "end"), forbid_dtd=True):
        if event == "start":
            depth += 1
            if depth == 1 and local_name(element.tag) != "rss":
                raise WXRError(
                    "This is not a WordPress export: it is XML, but not RSS (its first "
                    f"element is <{local_name(element.tag)}>). In WordPress use "
                    "Tools › Export › All content."
                )
            if depth == 2 and local_name(element.tag) == "channel":
                channel = element
            continue
        depth -= 1
        if depth == 2 and channel is not None:
            yield local_name(element.tag), element
            channel.clear()  # what was read is kept in `site` or was yielded


def _read_site_field(site: Site, name, element) -> None:
    """The channel's own fields (title, link, version, base addresses, our export's mark)."""
    if name in ("title", "link"):
        setattr(site, name, _text(element))
    elif name == "wp:wxr_version":
        site.version = _text(element)
    elif name in ("wp:base_site_url", "wp:base_blog_url"):
        setattr(site, name[3:], _text(element))
    elif name == "fitness:export":
        site.ours = True


def _check_version(site: Site) -> None:
    if not site.version:
        raise WXRError(
            "This is not a WordPress export (WXR): it has no <wp:wxr_version>. In WordPress "
            "use Tools › Export › All content."
        )
    if site.version not in VERSIONS:
        raise WXRError(
            f"Unknown WXR version {site.version!r}: this importer reads versions "
            f"{', '.join(VERSIONS)}. Nothing was imported."
        )


def _entry(name: str, element):
    if name == "item":
        return "item", _item(element)
    values = _children(element)
    if name == "fitness:redirect":
        return "redirect", (
            values.get("fitness:from", "").strip(),
            values.get("fitness:to", "").strip(),
        )
    if name == "wp:author":
        return "author", Author(
            id=_int(values.get("wp:author_id")),
            login=values.get("wp:author_login", "").strip(),
            email=values.get("wp:author_email", "").strip(),
            display_name=values.get("wp:author_display_name", "").strip(),
            first_name=values.get("wp:author_first_name", "").strip(),
            last_name=values.get("wp:author_last_name", "").strip(),
        )
    if name == "wp:category":
        return "term", Term(
            "category",
            _int(values.get("wp:term_id")),
            values.get("wp:category_nicename", "").strip(),
            values.get("wp:cat_name", "").strip(),
            values.get("wp:category_parent", "").strip(),
            values.get("wp:category_description", "").strip(),
            values.get("fitness:keep", "").strip() == "1",
        )
    if name == "wp:tag":
        return "term", Term(
            "post_tag",
            _int(values.get("wp:term_id")),
            values.get("wp:tag_slug", "").strip(),
            values.get("wp:tag_name", "").strip(),
            description=values.get("wp:tag_description", "").strip(),
            keep=values.get("fitness:keep", "").strip() == "1",
        )
    return "term", Term(
        values.get("wp:term_taxonomy", "").strip(),
        _int(values.get("wp:term_id")),
        values.get("wp:term_slug", "").strip(),
        values.get("wp:term_name", "").strip(),
        values.get("wp:term_parent", "").strip(),
        values.get("wp:term_description", "").strip(),
    )
