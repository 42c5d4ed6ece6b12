"""
Writing a WXR 1.2 file that WordPress's importer (Tools › Import › WordPress) reads: articles as
posts with their categories and tags, comments with their threads and status. Written as
WordPress's own exporter writes it (text in CDATA sections), as a stream: one article at a time.

Statuses: approved -> "1", pending -> "0", spam -> "spam", removed -> "trash". Ids are ours
(WordPress gives new ones and maps parents by these). This version has no images.
"""

import re
from datetime import UTC
from xml.sax.saxutils import escape

from django.conf import settings
from django.utils import timezone

from comments.models import Comment
from fitness.articles.models import Article, Category, Tag

WXR_STATUS = {
    Comment.Status.APPROVED: "1",
    Comment.Status.PENDING: "0",
    Comment.Status.SPAM: "spam",
    Comment.Status.REMOVED: "trash",
}
# Characters XML 1.0 cannot carry at all (WordPress's exporter drops them too).
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
HEAD = """<?xml version="1.0" encoding="UTF-8" ?>
<!-- A WordPress eXtended RSS file written by Fitness (manage.py export_wordpress). -->
<rss version="2.0"
\txmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
\txmlns:content="http://purl.org/rss/1.0/modules/content/"
\txmlns:wfw="http://wellformedweb.org/CommentAPI/"
\txmlns:dc="http://purl.org/dc/elements/1.1/"
\txmlns:wp="http://wordpress.org/export/1.2/"
>
<channel>
"""


def cdata(value) -> str:
    text = NOT_XML.sub("", str(value or ""))
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def tag(name: str, value, *, raw: bool = False) -> str:
    """<name>value</name>: text in CDATA, numbers and plain tokens escaped (raw=True)."""
    body = escape(str(value)) if raw else cdata(value)
    return f"<{name}>{body}</{name}>"


def wp_date(value) -> str:
    return timezone.localtime(value, UTC).strftime("%Y-%m-%d %H:%M:%S")


def login_of(article: Article) -> str:
    return article.author.get_username() if article.author_id else "fitness"


def write(out, *, articles=None, now=None) -> dict:
    """Write the export to `out` (a text stream); returns what was written, counted."""
    now = now or timezone.now()
    site = settings.SITE_URL.rstrip("/")
    articles = articles if articles is not None else Article.objects.all()
    articles = articles.select_related("author").order_by("pk")
    counts = {"articles": 0, "comments": 0}
    out.write(HEAD)
    out.write(tag("title", settings.SITE_NAME) + "\n")
    out.write(tag("link", site, raw=True) + "\n")
    out.write(tag("pubDate", now.strftime("%a, %d %b %Y %H:%M:%S +0000"), raw=True) + "\n")
    out.write(tag("wp:wxr_version", "1.2", raw=True) + "\n")
    out.write(tag("wp:base_site_url", site, raw=True) + "\n")
    out.write(tag("wp:base_blog_url", site, raw=True) + "\n")
    authors = {}
    for article in articles.iterator():
        login = login_of(article)
        if login not in authors:
            authors[login] = article
    for number, (login, article) in enumerate(authors.items(), start=1):
        user = article.author
        out.write(
            "<wp:author>"
            + tag("wp:author_id", user.pk if user else number, raw=True)
            + tag("wp:author_login", login)
            + tag("wp:author_email", user.email if user else "")
            + tag("wp:author_display_name", article.author_name)
            + tag("wp:author_first_name", user.first_name if user else "")
            + tag("wp:author_last_name", user.last_name if user else "")
            + "</wp:author>\n"
        )
    for category in Category.objects.filter(articles__in=articles).distinct().order_by("slug"):
        out.write(
            "<wp:category>"
            + tag("wp:term_id", category.pk, raw=True)
            + tag("wp:category_nicename", category.slug)
            + tag("wp:category_parent", "")
            + tag("wp:cat_name", category.name)
            + tag("wp:category_description", category.description)
            + "</wp:category>\n"
        )
    for term in Tag.objects.filter(articles__in=articles).distinct().order_by("slug"):
        out.write(
            "<wp:tag>"
            + tag("wp:term_id", term.pk, raw=True)
            + tag("wp:tag_slug", term.slug)
            + tag("wp:tag_name", term.name)
            + tag("wp:tag_description", term.description)
            + "</wp:tag>\n"
        )
    articles = articles.prefetch_related("categories", "tags")
    author_ids = {a.author_id for a in authors.values() if a.author_id}
    for article in articles.iterator(chunk_size=500):
        out.write(item(article, site, now, author_ids, counts))
        counts["articles"] += 1
    out.write("</channel>\n</rss>\n")
    return counts


def item(article: Article, site: str, now, author_ids: set, counts: dict) -> str:
    if article.status == Article.Status.DRAFT:
        status = "draft"
    else:
        status = "future" if article.publish_at > now else "publish"
    parts = [
        "<item>",
        tag("title", article.title),
        tag("link", site + article.get_absolute_url(), raw=True),
        tag("pubDate", article.publish_at.strftime("%a, %d %b %Y %H:%M:%S +0000"), raw=True),
        tag("dc:creator", login_of(article)),
        f'<guid isPermaLink="false">{escape(site + article.get_absolute_url())}</guid>',
        "<description></description>",
        tag("content:encoded", article.body_html),
        tag("excerpt:encoded", article.excerpt),
        tag("wp:post_id", article.pk, raw=True),
        tag("wp:post_date", wp_date(article.publish_at)),
        tag("wp:post_date_gmt", wp_date(article.publish_at)),
        tag("wp:post_modified", wp_date(article.updated_at)),
        tag("wp:post_modified_gmt", wp_date(article.updated_at)),
        tag("wp:comment_status", "open" if article.comments_open else "closed"),
        tag("wp:ping_status", "closed"),
        tag("wp:post_name", article.slug),
        tag("wp:status", status),
        tag("wp:post_parent", 0, raw=True),
        tag("wp:menu_order", 0, raw=True),
        tag("wp:post_type", "post"),
        tag("wp:post_password", ""),
        tag("wp:is_sticky", 0, raw=True),
        *(
            f'<category domain="category" nicename="{escape(c.slug)}">{cdata(c.name)}</category>'
            for c in article.categories.all()
        ),
        *(
            f'<category domain="post_tag" nicename="{escape(t.slug)}">{cdata(t.name)}</category>'
            for t in article.tags.all()
        ),
    ]
    # Oldest first: a parent always comes before its replies (it was saved first).
    comments = Comment.objects.filter(article=article).order_by("pk")
    for comment in comments.iterator(chunk_size=2000):
        parts.append(comment_element(comment, author_ids))
        counts["comments"] += 1
    parts.append("</item>\n")
    return "\n".join(parts)


def comment_element(comment: Comment, author_ids: set) -> str:
    """One <wp:comment>: its parent by our id, its user only if an exported author wrote it."""
    return (
        "<wp:comment>"
        + tag("wp:comment_id", comment.pk, raw=True)
        + tag("wp:comment_author", comment.author_name)
        + tag("wp:comment_author_email", comment.author_email)
        + tag("wp:comment_author_url", comment.author_url)
        + tag("wp:comment_author_IP", comment.ip_address or "")
        + tag("wp:comment_date", wp_date(comment.created_at))
        + tag("wp:comment_date_gmt", wp_date(comment.created_at))
        + tag("wp:comment_content", comment.body_html)  # its formatting kept
        + tag("wp:comment_approved", WXR_STATUS.get(comment.status, "0"))
        + tag("wp:comment_type", "comment")
        + tag("wp:comment_parent", comment.parent_id or 0, raw=True)
        + tag(
            "wp:comment_user_id",
            comment.user_id if comment.user_id in author_ids else 0,
            raw=True,
        )
        + "</wp:comment>"
    )
