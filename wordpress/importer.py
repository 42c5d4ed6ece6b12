"""
Importing a WordPress export: its posts as articles, their comments with threads, status and
history, and the old site's addresses as redirects. Keyed on WordPress's ids, so a second run
changes nothing and a later export adds what is new.

    report = import_export(path_or_binary_file, uploads=None, dry_run=False, by=None,
                           progress=None)
    print(report.text())

    for step in import_steps(file, report, ...):   # the same, a step at a time (the admin)
        ...

A bad item is skipped with its reason in the report, never an exception; a file that cannot be
read raises nothing either: `report.error` says why (and what was read before is kept).
New comments go through `bulk.create_comments_in_bulk`; status changes of comments imported
before go through `status.change_status` (both in `comments.services`). The parts, one
concern a module, are in `wordpress/importing/` (its `__init__` maps them).
"""

from contextlib import contextmanager
from pathlib import Path

from django.db import connection, transaction

from wordpress import content, media, wxr
from wordpress.importing.authors import Authors
from wordpress.importing.comments import Comments
from wordpress.importing.context import Context
from wordpress.importing.items import PageImporter, PostImporter
from wordpress.importing.redirects import Redirects
from wordpress.importing.report import Report
from wordpress.importing.terms import Terms
from wordpress.importing.values import ID_RANGE, wordpress_id


class Importer:
    """One run over an export's stream: each part (wordpress/importing/) takes what is its
    own; what needs the whole file (the last bulk save, the counts, the redirects of terms
    and attachment pages, the images) is done at the end."""

    def __init__(self, *, uploads=None, by=None, report=None, dry_run=False):
        self.report = report or Report()
        self.context = Context(report=self.report, by=by)
        uploads = Path(uploads) if uploads else None
        self.library = media.Library(source="", uploads=uploads, by=by, dry_run=dry_run)
        self.media_targets = []  # (label, article or page, featured image's attachment id)
        self.authors = Authors(self.report)
        self.terms = Terms()
        self.redirects = Redirects(self.context, self.terms)
        self.comments = Comments(self.context, self.authors)
        self.posts = PostImporter(
            self.context, self.redirects, self.media_targets, authors=self.authors, terms=self.terms
        )
        self.pages = PageImporter(self.context, self.redirects, self.media_targets)
        self.seen_posts = set()

    def steps(self, source):
        """The run, one step at a time: yields "item" after each item of the export, then
        "images" before the images are placed (the page that shows the progress reads
        how far into the file it is between two steps)."""
        try:
            for kind, value in wxr.read(source):
                if kind == "site":
                    self.context.start(value)
                    self.library.source = self.context.source
                elif kind == "author":
                    self.authors.add(value)
                elif kind == "term":
                    self.terms.add(value)
                elif kind == "redirect":
                    self.redirects.carry(*value)
                else:
                    self.item(value)
                    yield "item"
        except wxr.WXRError as error:
            self.report.error = str(error)
        self.comments.save_pending()
        self.comments.count_articles()
        self.redirects.add_for_terms()
        self.redirects.add_for_authors(self.authors.by_wordpress_id)
        self.redirects.add_for_attachment_pages()
        self.redirects.add_carried()
        yield "images"
        self.link_media()
        self.redirects.add_for_uploads(self.library.made_images())

    def item(self, item: wxr.Item) -> None:
        label = f'{item.type or "item"} {item.id[:30] or "?"} "{content.plain(item.title)[:60]}"'
        number = wordpress_id(item.id)
        if number is None:
            self.report.skip(label, f"no valid post id ({item.id[:30]!r}): {ID_RANGE}")
            return
        item.id = str(number)  # one way to write it: "05" is post 5
        if item.id in self.seen_posts:
            self.report.skip(label, f"duplicate post id {item.id}: the first one was imported")
            return
        self.seen_posts.add(item.id)
        if item.type == "attachment":
            self.library.add(item)
            self.redirects.note_attachment_page(item)
            self.redirects.note_upload_files(item)
        elif item.type == "page":
            self.pages.import_item(item, label)
        elif item.type == "post":
            article = self.posts.import_item(item, label)
            if article is not None:
                self.comments.import_for(item, article)
        else:
            self.report.skip(label, f"post type {item.type!r} is not an article")

    def link_media(self) -> None:
        """Featured images and the images in bodies, from the uploads folder into the media
        library, once the whole file is read: an attachment comes after the posts that
        show it."""
        for label, target, thumbnail, ours in self.media_targets:
            for why in self.library.place(target, thumbnail, markdown=ours):
                self.report.not_imported.append((label, why))
        for what, why in self.library.make_kept():
            self.report.skip(what, why)
        for what, why in self.library.unused():
            self.report.skip(what, why)
        self.report.counts.update(self.library.counts)


def import_export(source, *, uploads=None, dry_run=False, by=None, progress=None, file_name=""):
    """Import a WXR file (a path or a binary file object); returns the Report. One transaction:
    a dry run rolls it back, so its report says exactly what a real run would do. An import
    that fails rolls back, and the image files it wrote (from `uploads`) are deleted with it.
    (Inside a caller's transaction that rolls back later, after this returned, they stay.)"""
    report = Report(file_name=file_name or str(getattr(source, "name", source)), dry_run=dry_run)
    for step in import_steps(source, report, uploads=uploads, dry_run=dry_run, by=by):
        if progress and step == "item":
            progress()
    return report


def import_steps(source, report: Report, *, uploads=None, dry_run=False, by=None):
    """`import_export` one step at a time (`Importer.steps`), filling `report`: for a page
    that shows how far it is. Stopped before its end (the reader went away), it rolls back
    and deletes the image files it wrote, as a failed import does."""
    importer = Importer(uploads=uploads, by=by, report=report, dry_run=dry_run)
    try:
        with sqlite_cache(), transaction.atomic():
            yield from importer.steps(source)
            if dry_run:
                transaction.set_rollback(True)
    except BaseException:  # an interrupted import too (KeyboardInterrupt, a worker's timeout)
        importer.library.delete_written()
        raise


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
