"""
The elements of a WXR file as this site's exporter writes them (wordpress/exporter.py: `write`
puts them together, one article at a time, and says what each carries): the channel's head,
an author, the terms, a post with its comments, a page, an attachment; text in CDATA sections,
as WordPress's own exporter writes it, and each post, page and attachment at its id in the
export's one sequence (`post_id`).
"""

import re
from datetime import UTC
from pathlib import PurePosixPath
from xml.sax.saxutils import escape

from django.utils import timezone

from comments.models import Comment
from fitness.articles import site_settings
from fitness.articles.markdown import render
from fitness.articles.models import Article, Category, Image, Page, Tag
from wordpress.wxr import FITNESS_NAMESPACE

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
\txmlns:fitness="{FITNESS}"
>
<channel>
""".replace("{FITNESS}", FITNESS_NAMESPACE)
UPLOADS = "/wp-content/uploads/"
LIBRARY_IMAGE = re.compile(r"(\]\(|src=[\"'])image:(\d+)")


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
    """The author's login ("" for an article without an account: none is made of it)."""
    return article.author.get_username() if article.author_id else ""


OFFSETS = {Article: 0, Page: 1, Image: 2}


def post_id(thing, pk=None) -> int:
    """Its id in the export's one sequence of posts, pages and attachments, as
    wordpress/exporter.py describes it: `post_id(article)`, or `post_id(Image, 5)` for the
    image 5."""
    model = thing if isinstance(thing, type) else type(thing)
    return 3 * int(thing.pk if pk is None else pk) + OFFSETS[model]


def upload_path(image: Image) -> str:
    """Where the image's file goes under wp-content/uploads: YYYY/MM/<its file's name>."""
    return f"{image.created_at:%Y/%m}/{PurePosixPath(image.file.name).name}"


def channel_head(site, now):
    """The channel's own elements: the site's name (as the admin's Site settings give it), its
    address, the date, and the mark that the addresses in it are this site's own (the old ones
    travel with it)."""
    return "".join(
        line + "\n"
        for line in (
            HEAD.rstrip("\n"),
            tag("title", site_settings.get("SITE_NAME")),
            tag("link", site, raw=True),
            tag("pubDate", now.strftime("%a, %d %b %Y %H:%M:%S +0000"), raw=True),
            tag("wp:wxr_version", "1.2", raw=True),
            tag("wp:base_site_url", site, raw=True),
            tag("wp:base_blog_url", site, raw=True),
            tag("fitness:export", 1, raw=True),
        )
    )


def author_element(login, article, number):
    user = article.author
    return (
        "<wp:author>"
        + tag("wp:author_id", user.pk if user else number, raw=True)
        + tag("wp:author_login", login)
        + tag("wp:author_email", user.email if user else "")
        + tag("wp:author_display_name", article.author_name)
        + tag("wp:author_first_name", user.first_name if user else "")
        + tag("wp:author_last_name", user.last_name if user else "")
        + "</wp:author>\n"
    )


def term_elements(articles=None):
    """Every category and tag, or (with `articles`) only theirs, each kept on import even
    when no article uses it (fitness:keep)."""
    categories, tags = Category.objects.all(), Tag.objects.all()
    if articles is not None:
        categories = categories.filter(articles__in=articles).distinct()
        tags = tags.filter(articles__in=articles).distinct()
    for category in categories.order_by("slug"):
        yield (
            "<wp:category>"
            + tag("wp:term_id", category.pk, raw=True)
            + tag("wp:category_nicename", category.slug)
            + tag("wp:category_parent", "")
            + tag("wp:cat_name", category.name)
            + tag("wp:category_description", category.description)
            + tag("fitness:keep", 1, raw=True)
            + "</wp:category>\n"
        )
    for term in tags.order_by("slug"):
        yield (
            "<wp:tag>"
            + tag("wp:term_id", term.pk, raw=True)
            + tag("wp:tag_slug", term.slug)
            + tag("wp:tag_name", term.name)
            + tag("wp:tag_description", term.description)
            + tag("fitness:keep", 1, raw=True)
            + "</wp:tag>\n"
        )


def redirect_element(old_path: str, target: str) -> str:
    """An old address this site answers that leads to neither an article nor an image."""
    return (
        "<fitness:redirect>"
        + tag("fitness:from", old_path)
        + tag("fitness:to", target)
        + "</fitness:redirect>\n"
    )


def meta(key: str, value) -> str:
    return (
        "<wp:postmeta>" + tag("wp:meta_key", key) + tag("wp:meta_value", value) + "</wp:postmeta>"
    )


def exported_body(thing, site: str) -> tuple[str, str]:
    """(the HTML WordPress shows, its images at their uploads address; the body as written
    here, its images named by their attachment's id)."""

    def library(ids):
        return {pk: ExportedImage(image) for pk, image in Image.objects.in_bulk(ids).items()}

    html = render(thing.body, library=library).html.replace(
        f'src="{UPLOADS}', f'src="{site}{UPLOADS}'
    )
    markdown = LIBRARY_IMAGE.sub(
        lambda m: f"{m.group(1)}image:{post_id(Image, m.group(2))}", thing.body
    )
    return html, markdown


class ExportedImage:
    """A library image as the export's HTML shows it: its file at its uploads address."""

    def __init__(self, image: Image):
        self.image, self.alt, self.caption = image, image.alt, image.caption

    def img_attributes(self, *, sizes, eager=False, alt=None):
        return {
            "src": UPLOADS + upload_path(self.image),
            "alt": self.alt if alt is None else alt,
            "width": str(self.image.width),
            "height": str(self.image.height),
        }


def common(thing, title, site, link, date, post_type, status, old="") -> list[str]:
    return [
        "<item>",
        tag("title", title),
        tag("link", site + link, raw=True),
        tag("pubDate", date.strftime("%a, %d %b %Y %H:%M:%S +0000"), raw=True),
        f'<guid isPermaLink="false">{escape(site + link)}</guid>',
        "<description></description>",
        tag("wp:post_id", post_id(thing), raw=True),
        tag("wp:post_date", wp_date(date)),
        tag("wp:post_date_gmt", wp_date(date)),
        tag("wp:post_modified", wp_date(getattr(thing, "updated_at", None) or date)),
        tag("wp:post_modified_gmt", wp_date(getattr(thing, "updated_at", None) or date)),
        tag("wp:ping_status", "closed"),
        tag("wp:status", status),
        tag("wp:post_type", post_type),
        tag("wp:post_password", ""),
        tag("wp:is_sticky", 0, raw=True),
        *([meta("_fitness_old_addresses", old)] if old else []),
    ]


def item(article: Article, site: str, now, author_ids: set, counts: dict, old) -> str:
    if article.status == Article.Status.DRAFT:
        status = "draft"
    else:
        status = "future" if article.publish_at > now else "publish"
    html, markdown = exported_body(article, site)
    parts = [
        *common(
            article,
            article.title,
            site,
            article.get_absolute_url(),
            article.publish_at,
            "post",
            status,
            old.of_article(article),
        ),
        tag("dc:creator", login_of(article)),
        tag("content:encoded", html),
        tag("excerpt:encoded", article.excerpt),
        tag("wp:comment_status", "open" if article.comments_open else "closed"),
        tag("wp:post_name", article.slug),
        tag("wp:post_parent", 0, raw=True),
        tag("wp:menu_order", 0, raw=True),
        meta("_fitness_markdown", markdown),
        meta("_fitness_byline", article.byline),
        *(
            [meta("_thumbnail_id", post_id(article.featured_image))]
            if article.featured_image_id
            else []
        ),
        *([meta("_yoast_wpseo_title", article.seo_title)] if article.seo_title else []),
        *(
            [meta("_yoast_wpseo_metadesc", article.meta_description)]
            if article.meta_description
            else []
        ),
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


def page_item(page: Page, site: str, now, old) -> str:
    html, markdown = exported_body(page, site)
    parts = [
        *common(
            page,
            page.title,
            site,
            page.get_absolute_url(),
            page.updated_at or now,
            "page",
            "publish" if page.is_published else "draft",
        ),
        tag("dc:creator", ""),
        tag("content:encoded", html),
        tag("excerpt:encoded", ""),
        tag("wp:comment_status", "closed"),
        tag("wp:post_name", page.slug),
        tag("wp:post_parent", 0, raw=True),
        tag("wp:menu_order", page.menu_order, raw=True),
        meta("_fitness_markdown", markdown),
        meta("_fitness_in_footer", "1" if page.in_footer else "0"),
        "</item>\n",
    ]
    return "\n".join(parts)


def attachment_item(image: Image, site: str, now, old) -> str:
    relative = upload_path(image)
    url = f"{site}{UPLOADS}{relative}"
    parts = [
        *common(
            image,
            image.alt,
            site,
            f"{UPLOADS}{relative}",
            image.created_at or now,
            "attachment",
            "inherit",
            old.of_image(image),
        ),
        tag("dc:creator", image.uploaded_by.get_username() if image.uploaded_by else ""),
        tag("content:encoded", ""),
        tag("excerpt:encoded", image.caption),
        tag("wp:comment_status", "closed"),
        tag("wp:post_name", PurePosixPath(relative).stem),
        tag("wp:post_parent", 0, raw=True),
        tag("wp:menu_order", 0, raw=True),
        tag("wp:attachment_url", url),
        meta("_wp_attached_file", relative),
        meta("_wp_attachment_image_alt", image.alt),
        meta("_fitness_image", "1"),
        *([meta("_fitness_credit", image.credit)] if image.credit else []),
        "</item>\n",
    ]
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
        # The text as it was written (its formatting marks), which the HTML above renders.
        + "<wp:commentmeta>"
        + tag("wp:meta_key", "_fitness_text")
        + tag("wp:meta_value", comment.body)
        + "</wp:commentmeta>"
        + "</wp:comment>"
    )
