"""
The approved comments of an article page as schema.org `Comment` items, for the article's
JSON-LD (`{% article_structured_data %}`; the BlogPosting itself is fitness.articles.seo's).

Built from the rows the thread fragment was rendered from and encoded there, once, as JSON text
cached with it (comments.threads.cache): the data costs no query, and a page served from the
thread cache neither builds nor encodes the items again. Each item has the comment's address on
this page as `@id` and `url`; a reply names what it answers in `parentItem`. Placeholders
("This comment was removed.") are left out; the commenter's website is not repeated.
"""

import re
from html import unescape
from json.encoder import encode_basestring as _string  # json.dumps' own, ensure_ascii=False

from django.utils.html import strip_tags

from fitness.articles.seo import JSON_ESCAPES, absolute

ATTRIBUTE = "_comment_schema"

# A tag as comments.text.formatting writes them (and nh3 serialises them): a name, attributes
# in double quotes holding no angle bracket. An entity as it writes them: named or numeric,
# ended by ";".
_PLAIN_TAG = re.compile(r'</?[a-zA-Z][a-zA-Z0-9]*(?:\s+[^<>"=\s]+(?:="[^"<>]*")?)*\s*/?>')
_ODD_AMPERSAND = re.compile(r"&(?![a-zA-Z][a-zA-Z0-9]*;|#[0-9]+;|#[xX][0-9a-fA-F]+;)")


def plain_text(body_html: str) -> str:
    """A comment's text without its markup, entities decoded: what
    `unescape(django.utils.html.strip_tags(body_html)).strip()` gives, in a few µs.

    strip_tags runs an HTML parser (about 40 µs a comment: most of a whole thread's render).
    HTML that the formatter wrote is plain tags, text and complete entities, and for such HTML
    removing the tags is what the parser does; anything else (a comment, an unquoted attribute,
    a stray "&") goes through strip_tags itself."""
    text = _PLAIN_TAG.sub("", body_html)
    if "<" in text or ">" in text or ("&" in text and _ODD_AMPERSAND.search(text)):
        text = strip_tags(body_html)
    return unescape(text).strip()


def schema_comments_json(article, rows, page_number, *, query=None) -> str:
    """The page's approved comments as the JSON text of a list of schema.org `Comment` items
    ("" when there are none), ready for `fitness.articles.seo.json_ld_script(encoded=...)`:

        {"@type": "Comment", "@id": <address>, "url": <address>,
         "author": {"@type": "Person", "name": <name>}, "dateCreated": <ISO 8601>,
         "text": <the text without markup>, "parentItem": {"@id": <address>} (replies only)}

    Written item by item with json's own string encoder: the bytes `json_text()` gives for the
    same list of dicts (tests/comments/threads/test_structured_data.py checks it), at a third
    of the cost on a page of thousands. `query`: the page's own ("?sort=newest&page=2"); by
    default from the page number."""
    if query is None:
        query = f"?page={page_number}" if page_number > 1 else ""
    # The address without its closing quote: "#comment-<id>" needs no escaping.
    base = _string(absolute(article.get_absolute_url()) + query)[:-1]
    items = []
    for row in rows:
        if row.placeholder or row.status != "approved":
            continue
        key = (base, row.id, row.parent_id, row.author_name, row.created_at, row.body_html)
        item = _items.get(key)
        if item is None:
            item = _item(*key)
            if len(_items) >= ITEMS_KEPT:
                _items.clear()
            _items[key] = item
        items.append(item)
    if not items:
        return ""
    text = f"[{','.join(items)}]"
    for character, escaped in JSON_ESCAPES.items():
        text = text.replace(chr(character), escaped)
    return text


# The items of comments shown lately, as the thread markup keeps its own
# (comments.threads.rendering): bounded, emptied when full (about 0.6 KB an entry).
ITEMS_KEPT = 8192
_items = {}


def _item(base, comment_id, parent_id, author_name, created_at, body_html):
    """One comment's item, JSON text; `base`: the page's encoded address, without its quote."""
    address = f'{base}#comment-{comment_id:d}"'
    parent = ""
    if parent_id:
        parent = f',"parentItem":{{"@id":{base}#comment-{parent_id:d}"}}'
    return (
        f'{{"@type":"Comment","@id":{address},"url":{address},'
        f'"author":{{"@type":"Person","name":{_string(author_name)}}},'
        f'"dateCreated":"{created_at.isoformat()}",'
        f'"text":{_string(plain_text(body_html))}{parent}}}'
    )


def remember(request, article, encoded: str) -> None:
    """Keep what the comment section showed (`schema_comments_json`) for the JSON-LD rendered
    after it."""
    found = getattr(request, ATTRIBUTE, None)
    if found is None:
        found = {}
        setattr(request, ATTRIBUTE, found)
    found[article.pk] = encoded


def remembered(request, article) -> str:
    return getattr(request, ATTRIBUTE, {}).get(article.pk, "")
