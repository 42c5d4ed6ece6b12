"""
The approved comments of an article page as schema.org `Comment` items, for the article's
JSON-LD (`{% article_structured_data %}`; the BlogPosting itself is fitness.articles.seo's).

Built from the rows the thread fragment was rendered from, and cached with it
(comments.threads.cache), so the data costs no query. Each item has the comment's address on
this page as `@id` and `url`; a reply names what it answers in `parentItem`. Placeholders
("This comment was removed.") are left out; the commenter's website is not repeated.
"""

from html import unescape

from django.utils.html import strip_tags

from fitness.articles.seo import absolute

ATTRIBUTE = "_comment_schema"


def schema_comments(article, rows, page_number, *, query=None) -> list[dict]:
    """`query`: the page's own ("?sort=newest&page=2"); by default from the page number."""
    if query is None:
        query = f"?page={page_number}" if page_number > 1 else ""
    base = absolute(article.get_absolute_url()) + query

    def address(comment_id):
        return f"{base}#comment-{comment_id}"

    items = []
    for row in rows:
        if row.placeholder or row.status != "approved":
            continue
        item = {
            "@type": "Comment",
            "@id": address(row.id),
            "url": address(row.id),
            "author": {"@type": "Person", "name": row.author_name},
            "dateCreated": row.created_at.isoformat(),
            "text": unescape(strip_tags(row.body_html)).strip(),
        }
        if row.parent_id:
            item["parentItem"] = {"@id": address(row.parent_id)}
        items.append(item)
    return items


def remember(request, article, items) -> None:
    """Keep what the comment section showed for the JSON-LD rendered after it."""
    found = getattr(request, ATTRIBUTE, None)
    if found is None:
        found = {}
        setattr(request, ATTRIBUTE, found)
    found[article.pk] = items


def remembered(request, article) -> list[dict]:
    return getattr(request, ATTRIBUTE, {}).get(article.pk, [])
