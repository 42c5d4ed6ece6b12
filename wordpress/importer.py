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

import hashlib
import ipaddress
from collections import defaultdict
from contextlib import contextmanager
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import connection, transaction
from django.utils.text import slugify

from comments.conf import settings
from comments.models import Comment, CommentEvent
from comments.services import moderation, posting
from fitness.articles.models import (
    RESERVED_PAGE_SLUGS,
    Article,
    Page,
)
from wordpress import content, media, php, wxr
from wordpress.importing.authors import Authors
from wordpress.importing.context import Context
from wordpress.importing.redirects import Redirects
from wordpress.importing.report import Report
from wordpress.importing.terms import Terms
from wordpress.importing.values import int_or_zero, item_date, parse_date, timestamp, valid_email
from wordpress.models import ImportedComment, ImportedPost

Status = Comment.Status
ACTOR = "WordPress import"
COMMENT_STATUS = {
    "1": Status.APPROVED,
    "approve": Status.APPROVED,
    "approved": Status.APPROVED,
    "0": Status.PENDING,
    "hold": Status.PENDING,
    "spam": Status.SPAM,
    "trash": Status.REMOVED,
    "post-trashed": Status.REMOVED,
}
READER_TYPES = {"", "comment"}
PING_TYPES = {"pingback", "trackback"}
PAGE_STATUS = {"publish": "published", "draft": "draft", "pending": "draft", "private": "draft",
               "future": "draft"}  # fmt: skip
POST_STATUS = {
    "publish": Article.Status.PUBLISHED,
    "future": Article.Status.PUBLISHED,  # with its date to come: scheduled
    "draft": Article.Status.DRAFT,
    "pending": Article.Status.DRAFT,
    "private": Article.Status.DRAFT,
}
AKISMET_EVENTS = {
    "check-ham": "checked: not spam",
    "check-spam": "checked: spam",
    "recheck-ham": "rechecked: not spam",
    "recheck-spam": "rechecked: spam",
    "check-error": "could not be reached",
    "recheck-error": "could not be reached on a recheck",
    "cron-retry-ham": "retried: not spam",
    "cron-retry-spam": "retried: spam",
    "report-spam": "reported as spam by a moderator",
    "report-ham": "reported as not spam by a moderator",
    "submit-spam": "reported as spam by a moderator",
    "submit-ham": "reported as not spam by a moderator",
    "wp-blacklisted": "held by WordPress's disallowed words",
    "wp-disallowed": "held by WordPress's disallowed words",
}
FLUSH_AT = 5000  # comments saved together
COUNT_AT = 1000  # articles recounted together
MAX_URL = 200  # Comment.author_url


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
        self.seen_posts = set()
        self.seen_comments = set()
        self.pending = []  # (comment, history, mapping) waiting for a bulk save
        self.touched_articles = set()
        self.articles_to_count = set()  # new comments saved: counted once, at the end
        self.pingbacks = settings.COMMENTS_WORDPRESS_PINGBACKS
        self.name_length = settings.COMMENTS_NAME_MAX_LENGTH

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
        self.flush()
        self.count_articles()
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
        self.comments(item, article, label)

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

    # --- comments -----------------------------------------------------------------------------

    def comments(self, item: wxr.Item, article: Article, post_label: str) -> None:
        if not item.comments:
            return
        by_id = {}
        for wc in item.comments:
            label = f"comment {wc.id or '?'} on post {item.id} by {content.plain(wc.author)[:40]!r}"
            if not wc.id.isdigit():
                self.report.skip(label, f"no valid comment id ({wc.id!r})")
            elif wc.id in self.seen_comments:
                self.report.skip(label, f"duplicate comment id {wc.id}: the first one was kept")
            else:
                self.seen_comments.add(wc.id)
                wc.label = label
                by_id[wc.id] = wc
        existing = {}
        ids = [int(i) for i in by_id] if self.context.imported_before else []
        for start in range(0, len(ids), 900):
            for mapping in ImportedComment.objects.filter(
                source=self.context.source, source_id__in=ids[start : start + 900]
            ).select_related("comment"):
                existing[str(mapping.source_id)] = mapping
        placed = {}  # WordPress id -> Comment (saved, or waiting in self.pending)
        for wc in self.parent_first(by_id):
            parent = self.find_parent(wc, by_id, placed, article)
            if wc.id in existing:
                placed[wc.id] = self.update_comment(existing[wc.id], wc)
                continue
            comment = self.new_comment(wc, article, parent)
            if comment is not None:
                placed[wc.id] = comment
        if len(self.pending) >= FLUSH_AT:
            self.flush()

    def parent_first(self, by_id: dict) -> list:
        """The comments with each parent before its replies (a parent may come later in the
        file); a loop of parents is broken where it is found."""
        order, state = [], {}
        for wc in by_id.values():
            chain = []
            node = wc
            while node is not None and node.id not in state:
                state[node.id] = "visiting"
                chain.append(node)
                parent = by_id.get(node.parent)
                if parent is not None and state.get(parent.id) == "visiting":
                    self.report.warn(
                        node.label,
                        f"its parent {parent.id} is also its reply: "
                        "imported as a top-level comment",
                    )
                    node.parent = "0"
                    parent = None
                node = parent
            for node in reversed(chain):
                state[node.id] = "done"
                order.append(node)
        return order

    def find_parent(self, wc, by_id, placed, article) -> Comment | None:
        if wc.parent in ("", "0"):
            return None
        if wc.parent in placed:
            return placed[wc.parent]
        if wc.parent in by_id:  # the parent itself was not imported (a pingback, a bad date)
            self.report.warn(
                wc.label,
                f"its parent {wc.parent} was not imported: imported as a top-level comment",
            )
            return None
        mapping = (
            ImportedComment.objects.filter(
                source=self.context.source, source_id=int(wc.parent or 0)
            )
            .select_related("comment")
            .first()
            if wc.parent.isdigit() and self.context.imported_before
            else None
        )
        if mapping is not None and mapping.comment.article_id == article.pk:
            return mapping.comment
        self.report.warn(
            wc.label,
            f"its parent {wc.parent!r} is not in the export: imported as a top-level comment",
        )
        return None

    def new_comment(self, wc, article: Article, parent: Comment | None) -> Comment | None:
        report = self.report
        if wc.type in PING_TYPES and self.pingbacks != "removed":
            report.skip(
                wc.label,
                f"a {wc.type}: not imported (COMMENTS_WORDPRESS_PINGBACKS "
                "is 'skip'; 'removed' keeps them, never shown)",
            )
            return None
        if wc.type not in READER_TYPES | PING_TYPES:
            report.skip(wc.label, f"comment type {wc.type!r} is not a reader's comment")
            return None
        created = item_date(wc.date_gmt, wc.date)
        if created is None:
            report.skip(wc.label, f"invalid date {wc.date_gmt or wc.date!r}")
            return None
        text, body_html = content.comment_text(wc.content)
        if not text:
            report.skip(wc.label, "no text")
            return None
        status = COMMENT_STATUS.get(wc.approved)
        if status is None:
            status = Status.PENDING
            report.warn(wc.label, f"unknown status {wc.approved!r}: held for review")
        meta = defaultdict(list)
        for key, value in wc.meta:
            meta[key].append(value)
        submitted = self.php_value(meta.get("akismet_as_submitted", [""])[-1], wc.label)
        comment = Comment(
            article=article,
            parent=parent,
            user=self.authors.of_comment(wc),
            author_name=content.plain(wc.author)[: self.name_length] or "Anonymous",
            author_email=self.checked_email(wc),
            author_url=self.checked_url(wc),
            body=text,
            body_html=body_html,
            created_at=created,
            status_changed_at=created,
            ip_address=self.checked_ip(wc),
            user_agent=str((submitted or {}).get("user_agent", ""))[:500]
            if isinstance(submitted, dict)
            else "",
        )
        history = self.history(wc, comment, status, meta)
        mapping = {
            "source": self.context.source,
            "source_id": int(wc.id),
            "source_status": wc.approved,
            "source_hash": self.content_hash(wc),
        }
        self.pending.append((comment, history, mapping))
        return comment

    def history(self, wc, comment: Comment, status: str, meta) -> list[dict]:
        """The comment's history: first that it was imported (dated when it was posted, so
        the WordPress history after it stays in order), then Akismet's, then the trash."""
        first_status = status
        trash_time = None
        if status == Status.REMOVED:
            before = meta.get("_wp_trash_meta_status", [""])[-1].strip()
            first_status = COMMENT_STATUS.get(before, Status.PENDING)
            if first_status == Status.REMOVED:
                first_status = Status.PENDING
            trash_time = timestamp(meta.get("_wp_trash_meta_time", [""])[-1])
        kind_note = (
            f"a {wc.type}, kept for the record: never shown to readers. "
            if (wc.type in PING_TYPES)
            else ""
        )
        if wc.type in PING_TYPES:
            status = Status.REMOVED
        events = [
            {
                "kind": CommentEvent.Kind.STATUS,
                "created_at": comment.created_at,
                "actor_label": ACTOR,
                "actor_id": self.context.actor_id,
                "to_status": first_status,
                "note": (
                    f"Imported from WordPress ({self.context.source}, comment {wc.id}, status "
                    f"{wc.approved!r}) on {self.context.now:%Y-%m-%d %H:%M} UTC; {kind_note}dated "
                    "with its WordPress date."
                ),
            }
        ]
        result = meta.get("akismet_result", [""])[-1].strip()
        if result in ("true", "false"):
            comment.akismet_verdict = (
                Comment.Akismet.SPAM if result == "true" else (Comment.Akismet.HAM)
            )
        checked = []
        for raw in meta.get("akismet_history", []):
            entry = self.php_value(raw, wc.label)
            if not isinstance(entry, dict):
                continue
            when = timestamp(entry.get("time")) or comment.created_at
            event = str(entry.get("event", "")) or "unknown"
            user = str(entry.get("user", "") or "")
            kind = (
                CommentEvent.Kind.AKISMET_REPORT
                if event.startswith(("report-", "submit-"))
                else CommentEvent.Kind.STATUS
                if event.startswith("status-")
                else CommentEvent.Kind.AKISMET_CHECK
            )
            checked.append(when)
            events.append(
                {
                    "kind": kind,
                    "created_at": max(when, comment.created_at),
                    "actor_label": f"Akismet in WordPress{f' ({user})' if user else ''}"[:100],
                    "note": f"{event}: {AKISMET_EVENTS.get(event, 'as WordPress recorded it')}.",
                }
            )
        if result and not checked:
            events.append(
                {
                    "kind": CommentEvent.Kind.AKISMET_CHECK,
                    "created_at": comment.created_at,
                    "actor_label": "Akismet in WordPress",
                    "note": f"akismet_result {result!r} (no akismet_history).",
                }
            )
        if checked:
            comment.akismet_checked_at = min(checked)
        if status != first_status:
            when = trash_time or comment.created_at
            events.append(
                {
                    "kind": CommentEvent.Kind.STATUS,
                    "created_at": max(when, comment.created_at),
                    "actor_label": "WordPress",
                    "from_status": first_status,
                    "to_status": status,
                    "note": "Moved to the trash in WordPress."
                    if trash_time or wc.approved in ("trash", "post-trashed")
                    else f"A {wc.type}: not shown to readers.",
                }
            )
            comment.status_changed_at = max(when, comment.created_at)
        comment.status = status
        return events

    def update_comment(self, mapping: ImportedComment, wc) -> Comment:
        """A comment imported before: apply what WordPress changed since, unless a moderator
        here changed it too (their decision stands)."""
        comment = mapping.comment
        changed = False
        if wc.approved != mapping.source_status:
            imported_as = COMMENT_STATUS.get(mapping.source_status)
            wanted = COMMENT_STATUS.get(wc.approved, Status.PENDING)
            if comment.status == imported_as:
                moderation.change_status(
                    comment,
                    wanted,
                    actor_label=ACTOR,
                    note=f"Changed in WordPress ({mapping.source_status!r} -> {wc.approved!r}); "
                    "seen in a later export.",
                )
            else:
                self.report.warn(
                    wc.label,
                    f"changed in WordPress to {wc.approved!r}, but a "
                    f"moderator here made it {comment.status}: kept",
                )
            mapping.source_status = wc.approved
            changed = True
        digest = self.content_hash(wc)
        if digest != mapping.source_hash:
            comment.body, comment.body_html = content.comment_text(wc.content)
            comment.save(update_fields=["body", "body_html", "updated_at"])
            mapping.source_hash = digest
            self.touched_articles.add(comment.article_id)
            changed = True
        if changed:
            mapping.save(update_fields=["source_status", "source_hash"])
            self.report.counts["comments_updated"] += 1
        else:
            self.report.counts["comments_unchanged"] += 1
        return comment

    def flush(self) -> None:
        """Save the comments waiting, with their history and their WordPress ids."""
        if self.pending:
            posting.create_comments_in_bulk(
                [(c, history) for c, history, _ in self.pending], refresh_counts=False
            )
            for comment, history, mapping in self.pending:
                mapping["comment_id"] = comment.pk
                counts = self.report.counts
                counts["comments_new"] += 1
                counts[comment.status] += 1
                counts["history"] += len(history)
                self.articles_to_count.add(comment.article_id)
            posting.insert_rows(ImportedComment, [m for _, _, m in self.pending])
            self.pending = []
        if self.touched_articles:
            moderation.refresh_article_counts(self.touched_articles)
            self.touched_articles = set()

    def count_articles(self) -> None:
        """The approved count of each article that got new comments, once, after its last
        batch (per batch, the same articles were recounted again and again)."""
        article_ids = sorted(self.articles_to_count)
        if article_ids and connection.vendor == "postgresql":
            # The planner's statistics still describe the table as it was before this
            # transaction (for a new site: empty), and with them PostgreSQL recounted each
            # article by reading the whole status index (5.4 s for 1,000 articles, 100,000
            # comments); after ANALYZE of the two columns the count filters on (0.3 s), it
            # reads each article's own rows. ANALYZE sees this transaction's rows; a dry run's
            # rollback takes its statistics back; a role that does not own the table gets a
            # warning from PostgreSQL, not an error.
            with connection.cursor() as cursor:
                cursor.execute(
                    f"ANALYZE {connection.ops.quote_name(Comment._meta.db_table)} "
                    "(article_id, status)"
                )
        for start in range(0, len(article_ids), COUNT_AT):
            chunk = article_ids[start : start + COUNT_AT]
            # The new threads' visibility was set as they were saved (create_comments_in_bulk).
            moderation.refresh_article_counts(chunk, thread_ids=())
        self.articles_to_count = set()

    # --- checks on one comment's fields -------------------------------------------------------

    def checked_email(self, wc) -> str:
        email = wc.email.strip()
        if email and not valid_email(email):
            self.report.warn(wc.label, f"invalid email {email[:80]!r}: left out")
            return ""
        return email

    def checked_url(self, wc) -> str:
        url = wc.url.strip()
        if not url:
            return ""
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError:
            self.report.warn(wc.label, f"invalid website {url[:80]!r}: left out")
            return ""
        if len(url) > MAX_URL:
            self.report.warn(wc.label, f"website longer than {MAX_URL} characters: left out")
            return ""
        return url

    def checked_ip(self, wc) -> str | None:
        ip = wc.ip.strip()
        if not ip:
            return None
        try:
            return str(ipaddress.ip_address(ip))
        except ValueError:
            self.report.warn(wc.label, f"invalid IP address {ip[:60]!r}: left out")
            return None

    def php_value(self, raw: str, label: str):
        if not raw:
            return None
        try:
            return php.loads(raw)
        except php.PHPValueError as error:
            self.report.warn(label, f"unreadable Akismet meta ({error}): left out")
            return None

    @staticmethod
    def content_hash(wc) -> str:
        return hashlib.sha256((wc.content or "").encode()).hexdigest()


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
