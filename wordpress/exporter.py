"""
Writing a WXR 1.2 file that WordPress's importer (Tools › Import › WordPress) reads: articles as
posts with their categories and tags, comments with their threads and status, standalone pages
as pages, the media library's images as attachments (their files written beside the export, as
a `wp-content/uploads` folder, or in one zip with it). Written as WordPress's own exporter writes
it (text in CDATA sections), as a stream: one article at a time.

Statuses: approved -> "1", pending -> "0", spam -> "spam", removed -> "trash". Ids are ours
(WordPress gives new ones and maps parents by these); posts, pages and attachments share one
sequence in WordPress, so an article is 3 × its id, a page 3 × its id + 1, an image 3 × its
id + 2: each stays the same from one export to the next (a later export updates what an
earlier one made).

What WordPress has no field for travels in post meta it keeps and our importer reads, so that
importing this export into an empty site here gives the same site (tests/wordpress/
test_round_trip.py): the body as written (`_fitness_markdown`, its images as `image:<the
attachment's id>`; WordPress shows `content:encoded`, the body rendered, its images at their
uploads address), the byline, the SEO title and description (Yoast's keys), a page's footer link, an
image's credit, and the old site's addresses this site answers (`_fitness_old_addresses` on
the article or image they lead to; the others as `<fitness:redirect>` in the channel).
"""

import shutil
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from fitness.articles.models import Article, Image, Page, Redirect
from wordpress.wxr_elements import (
    LIBRARY_IMAGE,
    attachment_item,
    author_element,
    channel_head,
    item,
    login_of,
    page_item,
    redirect_element,
    term_elements,
    upload_path,
)


class Files:
    """Where the images' files are written: a folder (the uploads), a zip, or nowhere."""

    def __init__(self, folder: Path | None = None, zip_file=None, prefix: str = ""):
        self.folder, self.zip, self.prefix = folder, zip_file, prefix
        self.written, self.missing = 0, []

    def add(self, image: Image) -> None:
        if self.folder is None and self.zip is None:
            return
        relative = upload_path(image)
        try:
            with image.file.storage.open(image.file.name, "rb") as source:
                if self.zip is not None:
                    with self.zip.open(self.prefix + relative, "w") as out:
                        shutil.copyfileobj(source, out)
                else:
                    target = self.folder / relative
                    target.parent.mkdir(parents=True, exist_ok=True)
                    with target.open("wb") as out:
                        shutil.copyfileobj(source, out)
        except OSError:
            self.missing.append(image.file.name)
            return
        self.written += 1


def write(out, *, articles=None, now=None, files: Files | None = None) -> dict:
    """Write the export to `out` (a text stream), the images' files to `files`; returns what
    was written, counted. With `articles` (a queryset) only those, their authors, terms and
    images: no pages, no other images."""
    now = now or timezone.now()
    site = settings.SITE_URL.rstrip("/")
    everything = articles is None
    articles = Article.objects.all() if everything else articles
    articles = articles.select_related("author").order_by("pk")
    files = files or Files()
    counts = {"articles": 0, "comments": 0, "pages": 0, "images": 0, "redirects": 0}
    out.write(channel_head(site, now))
    authors = authors_of(articles)
    for number, (login, article) in enumerate(authors.items(), start=1):
        out.write(author_element(login, article, number))
    for element in term_elements(None if everything else articles):
        out.write(element)
    images = images_of(None if everything else articles)
    old = OldAddresses(images)
    articles = articles.prefetch_related("categories", "tags")
    author_ids = {a.author_id for a in authors.values() if a.author_id}
    for article in articles.iterator(chunk_size=500):
        out.write(item(article, site, now, author_ids, counts, old))
        counts["articles"] += 1
    for page in Page.objects.order_by("pk") if everything else ():
        out.write(page_item(page, site, now, old))
        counts["pages"] += 1
    for image in images:
        out.write(attachment_item(image, site, now, old))
        files.add(image)
        counts["images"] += 1
    for old_path, target in old.others() if everything else ():
        out.write(redirect_element(old_path, target))
    counts["redirects"] = old.count if everything else 0
    out.write("</channel>\n</rss>\n")
    return counts


def authors_of(articles):
    """{login: the first article of theirs} for every author of `articles`, in article order."""
    authors = {}
    for article in articles.iterator():
        login = login_of(article)
        if login and login not in authors:
            authors[login] = article
    return authors


def images_of(articles=None):
    """Every image of the library, or (with `articles`) those they show: featured or in the
    body."""
    images = Image.objects.order_by("pk")
    if articles is not None:
        shown = {a.featured_image_id for a in articles} | {
            int(n) for a in articles for _, n in LIBRARY_IMAGE.findall(a.body)
        }
        images = images.filter(pk__in=shown)
    return list(images)


class OldAddresses:
    """The old site's addresses this site answers (`Redirect`), by what they lead to: an
    article, an image's file (at a width), or a fixed path here."""

    def __init__(self, images: list[Image]):
        self.by_article, self.by_image, self.fixed = {}, {}, []
        files = {}
        for image in images:
            files[image.file.url] = (image.pk, None)
            for rendition in image.renditions:
                files[image.file.storage.url(rendition["name"])] = (image.pk, rendition["width"])
        self.count = 0
        for redirect in Redirect.objects.order_by("old_path"):
            self.count += 1
            if redirect.article_id:
                self.by_article.setdefault(redirect.article_id, []).append(redirect.old_path)
            elif redirect.target in files:
                image_id, width = files[redirect.target]
                line = f"{redirect.old_path} {width or ''}".strip()
                self.by_image.setdefault(image_id, []).append(line)
            else:
                self.fixed.append((redirect.old_path, redirect.target))

    def of_article(self, article) -> str:
        return "\n".join(self.by_article.get(article.pk, []))

    def of_image(self, image) -> str:
        return "\n".join(self.by_image.get(image.pk, []))

    def others(self):
        return self.fixed
