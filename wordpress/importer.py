"""
Importing a WordPress export: its posts as articles, their comments with threads, status and
history, and the old site's addresses as redirects. Keyed on WordPress's ids, so a second run
changes nothing and a later export adds what is new.

    report = import_export(path_or_binary_file, uploads=None, dry_run=False, by=None,
                           progress=None)
    print(report.text())

A bad item is skipped with its reason in the report, never an exception; a file that cannot be
read raises nothing either: `report.error` says why (and what was read before is kept).
New comments go through `posting.create_comments_in_bulk`; status changes of comments imported
before go through `moderation.change_status`.
"""

from contextlib import contextmanager
from pathlib import Path

from django.db import connection, transaction
from django.utils.text import slugify

from comments.models import Comment
from fitness.articles.models import (
    RESERVED_PAGE_SLUGS,
    Article,
    Page,
)
from wordpress import content, media, wxr
from wordpress.importing.authors import Authors
from wordpress.importing.comments import Comments
from wordpress.importing.context import Context
from wordpress.importing.redirects import Redirects
from wordpress.importing.report import Report
from wordpress.importing.terms import Terms
from wordpress.importing.values import int_or_zero, item_date, parse_date
from wordpress.models import ImportedPost

Status = Comment.Status
PAGE_STATUS = {"publish": "published", "draft": "draft", "pending": "draft", "private": "draft",
               "future": "draft"}  # fmt: skip
POST_STATUS = {
    "publish": Article.Status.PUBLISHED,
    "future": Article.Status.PUBLISHED,  # with its date to come: scheduled
    "draft": Article.Status.DRAFT,
    "pending": Article.Status.DRAFT,
    "private": Article.Status.DRAFT,
}


class Importer:
    def __init__(self, *, uploads=None, by=None, report=None, dry_run=False):
        self.uploads = Path(uploads) if uploads else None
        self.by = by
        self.report = report or Report()
        self.context = Context(report=self.report, by=by)
        self.library = media.Library(source="", uploads=self.uploads, by=by, dry_run=dry_run)
        self.media_targets = []  # (label, article or page, featured image's attachment id)
        self.site = wxr.Site()
        self.authors = Authors(self.report)
        self.terms = Terms()
        self.redirects = Redirects(self.context, self.terms)
        self.comments = Comments(self.context, self.authors)
        self.seen_posts = set()

    # --- the stream -------------------------------------------------------------------------

    def run(self, source, progress=None) -> Report:
        try:
            for kind, value in wxr.read(source):
                if kind == "site":
                    self.start(value)
                elif kind == "author":
                    self.authors.add(value)
                elif kind == "term":
                    self.terms.add(value)
                else:
                    self.item(value)
                    if progress:
                        progress()
        except wxr.WXRError as error:
            self.report.error = str(error)
        self.comments.save_pending()
        self.comments.count_articles()
        self.redirects.add_for_terms()
        self.redirects.add_for_attachment_pages()
        self.link_media()
        return self.report

    def start(self, site: wxr.Site) -> None:
        self.site = site
        self.context.start(site)
        self.library.source = self.context.source

    # --- items --------------------------------------------------------------------------------

    def item(self, item: wxr.Item) -> None:
        label = f'{item.type or "item"} {item.id or "?"} "{content.plain(item.title)[:60]}"'
        if not item.id.isdigit():
            self.report.skip(label, f"no valid post id ({item.id!r})")
            return
        if item.id in self.seen_posts:
            self.report.skip(label, f"duplicate post id {item.id}: the first one was imported")
            return
        self.seen_posts.add(item.id)
        if item.type == "attachment":
            self.library.add(item)
            self.redirects.note_attachment_page(item)
        elif item.type == "page":
            self.page(item, label)
        elif item.type == "post":
            self.post(item, label)
        else:
            self.report.skip(label, f"post type {item.type!r} is not an article")

    def post(self, item: wxr.Item, label: str) -> None:
        status = POST_STATUS.get(item.status)
        if status is None:
            self.report.skip(label, f"status {item.status!r} (trash, auto-draft, ...) is not kept")
            return
        title = content.plain(item.title) or "(untitled)"
        publish_at = item_date(item.date_gmt, item.date)
        if publish_at is None:
            if status == Article.Status.PUBLISHED:
                self.report.skip(label, f"invalid date {item.date_gmt or item.date!r}")
                return
            publish_at = self.context.now
        if item.status == "private":
            self.report.warn(label, "private in WordPress: imported as a draft")
        if item.password:
            status = Article.Status.DRAFT
            self.report.warn(label, "password-protected in WordPress: imported as a draft")
        user = self.authors.find_or_create(item.creator) if item.creator else None
        fields = {
            "title": title[:200],
            "excerpt": content.plain(item.excerpt),
            "body": content.post_html(item.content),
            "author": user,
            "byline": (getattr(user, "wordpress_display_name", "") if user else "")[:100],
            "status": status,
            "publish_at": publish_at,
            "comments_open": item.comment_status != "closed",
        }
        modified = parse_date(item.modified_gmt)
        mapping = (
            ImportedPost.objects.filter(source=self.context.source, source_id=int(item.id))
            .select_related("article")
            .first()
        )
        counts = self.report.counts
        if mapping is None:
            article = Article(slug=self.free_slug(item, title, label), **fields)
            article.save()
            self.terms.assign(item, article)
            ImportedPost.objects.create(
                source=self.context.source,
                source_id=int(item.id),
                source_modified=modified,
                article=article,
            )
            counts["articles_new"] += 1
            if status == Article.Status.DRAFT:
                counts["drafts"] += 1
            elif publish_at > self.context.now:
                counts["scheduled"] += 1
            else:
                counts["published"] += 1
        elif mapping.article is None:  # the id was a page or an image here
            self.report.skip(label, f"id {item.id} was imported as something else before")
            return
        else:
            article = mapping.article
            changed = self.update_if_modified(mapping, article, fields, modified)
            if changed:
                self.terms.assign(item, article)
            counts["articles_updated" if changed else "articles_unchanged"] += 1
        self.redirects.add_for_article(item, article)
        self.note_shortcodes(label, fields["body"])
        self.media_targets.append((label, article, item.meta.get("_thumbnail_id", "").strip()))
        self.comments.import_for(item, article)

    def page(self, item: wxr.Item, label: str) -> None:
        """A WordPress page becomes a standalone page here (fitness.Page, at /<slug>/), not an
        article: it has no date, category or discussion, and stays out of the article list,
        the feeds and search, as it did on WordPress."""
        status = PAGE_STATUS.get(item.status)
        if status is None:
            self.report.skip(label, f"status {item.status!r} (trash, auto-draft, ...) is not kept")
            return
        if item.status in ("private", "future") or item.password:
            why = "password-protected" if item.password else item.status
            self.report.warn(label, f"{why} in WordPress: imported as a draft page")
            status = Page.Status.DRAFT
        title = content.plain(item.title) or "(untitled)"
        fields = {
            "title": title[:200],
            "body": content.post_html(item.content),
            "status": status,
            "menu_order": int_or_zero(item.menu_order),
        }
        modified = parse_date(item.modified_gmt)
        mapping = (
            ImportedPost.objects.filter(source=self.context.source, source_id=int(item.id))
            .select_related("page")
            .first()
        )
        counts = self.report.counts
        if mapping is None or mapping.page is None:
            if mapping is not None:  # the id was an article or an image here
                self.report.skip(label, f"id {item.id} was imported as something else before")
                return
            page = Page(slug=self.free_page_slug(item, title, label), **fields)
            page.save()
            ImportedPost.objects.create(
                source=self.context.source,
                source_id=int(item.id),
                source_type="page",
                source_modified=modified,
                page=page,
            )
            counts["pages_new"] += 1
        else:
            page = mapping.page
            changed = self.update_if_modified(mapping, page, fields, modified)
            counts["pages_updated" if changed else "pages_unchanged"] += 1
        self.redirects.add_for_page(item, page)
        if item.comments:
            self.report.not_imported.append(
                (label, f"its {len(item.comments)} comments: pages here have no discussion")
            )
        self.note_shortcodes(label, fields["body"])
        self.media_targets.append((label, page, ""))

    @staticmethod
    def update_if_modified(mapping, target, fields, modified) -> bool:
        """Apply a later export's fields to what an earlier one imported, only if WordPress
        changed the item since (so an edit made here is not overwritten for nothing)."""
        if not modified or (mapping.source_modified and modified <= mapping.source_modified):
            return False
        for name, value in fields.items():
            setattr(target, name, value)
        target.save()
        mapping.source_modified = modified
        mapping.save(update_fields=["source_modified"])
        return True

    def free_page_slug(self, item: wxr.Item, title: str, label: str) -> str:
        wanted = (slugify(item.slug) or slugify(title) or f"page-{item.id}")[:180]
        base = f"{wanted}-page" if wanted.lower() in RESERVED_PAGE_SLUGS else wanted
        slug, n = base, 1
        while Page.objects.filter(slug=slug).exists():
            n += 1
            slug = f"{base}-{n}"
        if slug != wanted:
            self.report.warn(label, f"the address /{wanted}/ is taken here: imported as /{slug}/")
        return slug

    def free_slug(self, item: wxr.Item, title: str, label: str) -> str:
        base = (slugify(item.slug) or slugify(title) or f"post-{item.id}")[:190]
        slug, n = base, 1
        while Article.objects.filter(slug=slug).exists():
            n += 1
            slug = f"{base}-{n}"
        if slug != base:
            self.report.warn(label, f"the address {base!r} is taken here: imported as {slug!r}")
        return slug

    def note_shortcodes(self, label, body) -> None:
        codes = content.shortcodes(body)
        if codes:
            note = self.report.not_imported.append
            note((label, f"shortcodes {', '.join(codes)}: shown as text (WordPress ran them)"))

    def link_media(self) -> None:
        """Featured images and the images in bodies, from the uploads folder into the media
        library, once the whole file is read: an attachment comes after the posts that
        show it."""
        for label, target, thumbnail in self.media_targets:
            for why in self.library.place(target, thumbnail):
                self.report.not_imported.append((label, why))
        for what, why in self.library.unused():
            self.report.skip(what, why)
        self.report.counts.update(self.library.counts)


def import_export(source, *, uploads=None, dry_run=False, by=None, progress=None, file_name=""):
    """Import a WXR file (a path or a binary file object); returns the Report. One transaction:
    a dry run rolls it back, so its report says exactly what a real run would do."""
    report = Report(file_name=file_name or str(getattr(source, "name", source)), dry_run=dry_run)
    importer = Importer(uploads=uploads, by=by, report=report, dry_run=dry_run)
    with sqlite_cache(), transaction.atomic():
        importer.run(source, progress=progress)
        if dry_run:
            transaction.set_rollback(True)
    return report


@contextmanager
def sqlite_cache(kib: int = 65536):
    """SQLite's page cache raised for the import (2 MiB by default): with ten indexes to keep,
    10,000 comments made 569,380 page reads; with 64 MiB, 950. Put back after."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        before = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA cache_size = -{int(kib)}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(before)}")
