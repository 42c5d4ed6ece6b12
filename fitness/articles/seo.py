"""
What search engines and shared links read of a page: schema.org JSON-LD for an article
(`BlogPosting`), written as a data block that cannot end its <script> early.

The comments app adds the approved comments of the page to the article's data
(`{% article_structured_data %}` in comments/templatetags/comment_tags.py); this module knows
nothing about them.
"""

import json

from django.conf import settings
from django.utils.safestring import mark_safe

from fitness.articles import site_settings

# What json_script escapes: no "</script>", "<!--" or "&" can appear in the data block.
JSON_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def absolute(path: str) -> str:
    return path if "://" in path else f"{settings.SITE_URL}{path}"


def publisher():
    return {"@type": "Organization", "name": site_settings.get("SITE_NAME"), "url": absolute("/")}


def blog_posting(article) -> dict:
    """The article as schema.org BlogPosting (without its comments)."""
    url = absolute(article.get_absolute_url())
    author = {"@type": "Person", "name": article.author_name}
    if article.author_url:
        author["url"] = absolute(article.author_url)
    data = {
        "@context": "https://schema.org",
        "@type": "BlogPosting",
        "@id": url,
        "mainEntityOfPage": url,
        "url": url,
        "headline": article.title[:110],
        "description": article.page_description,
        "datePublished": article.publish_at.isoformat(),
        "dateModified": article.updated_at.isoformat(),
        "author": author,
        "publisher": publisher(),
        "commentCount": article.comment_count,
    }
    keywords = [tag.name for tag in article.tags.all()]
    sections = [category.name for category in article.categories.all()]
    if sections:
        data["articleSection"] = sections
    if keywords:
        data["keywords"] = keywords
    image = getattr(article, "featured_image", None)
    if image:
        data["image"] = {
            "@type": "ImageObject",
            "url": image.share_url,
            "width": image.share_width,
            "height": image.share_height,
        }
    return data


def json_text(data) -> str:
    """`data` as compact JSON that can sit in a <script> block (no "<", ">" or "&")."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(JSON_ESCAPES)


def json_ld_script(data, *, encoded=None) -> str:
    """<script type="application/ld+json"> with `data`, safe whatever text it holds.

    `encoded`: {name: JSON text from `json_text()`}, members added after `data`'s own, as
    they were encoded before (a long list kept encoded in a cache is not encoded again)."""
    text = json_text(data)
    extra = "".join(f",{json_text(name)}:{value}" for name, value in (encoded or {}).items())
    if extra:
        text = f"{{{extra[1:]}}}" if text == "{}" else f"{text[:-1]}{extra}}}"
    return mark_safe(f'<script type="application/ld+json">{text}</script>')
