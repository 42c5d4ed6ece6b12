"""
A post's comments: each WordPress comment once, parents before their replies; a new one built
with its history and saved with others in bulk (`bulk.create_comments_in_bulk`); one
imported before changed only where WordPress changed it, through `status.change_status`
(a moderator's decision here stands); the articles' counts refreshed once, at the end.
"""

from django.db import connection

from comments.conf import settings
from comments.models import Comment
from comments.services.bulk import create_comments_in_bulk, insert_rows
from comments.services.counts import refresh_article_counts
from comments.services.status import change_status
from fitness.articles.models import Article
from wordpress import content, wxr
from wordpress.importing.authors import Authors
from wordpress.importing.context import Context
from wordpress.importing.fields import (
    COMMENT_STATUS,
    PING_TYPES,
    READER_TYPES,
    checked_email,
    checked_ip,
    checked_url,
    content_hash,
    meta_of,
    php_value,
    source_status,
)
from wordpress.importing.history import ACTOR, apply_wordpress_history
from wordpress.importing.values import ID_RANGE, item_date, wordpress_id
from wordpress.models import ImportedComment

Status = Comment.Status
FLUSH_AT = 5000  # comments saved together
COUNT_AT = 1000  # articles recounted together
LOOKUP_AT = 900  # WordPress ids looked up together (SQLite's limit on a query's parameters)


class Comments:
    def __init__(self, context: Context, authors: Authors):
        self.context, self.report, self.authors = context, context.report, authors
        self.seen = set()  # WordPress ids of the comments read so far
        self.pending = []  # (comment, history, mapping) waiting for a bulk save
        self.touched_articles = set()  # comments changed: counted at the next save
        self.articles_to_count = set()  # new comments saved: counted once, at the end
        self.pingbacks = settings.COMMENTS_WORDPRESS_PINGBACKS
        self.name_length = settings.COMMENTS_NAME_MAX_LENGTH

    def import_for(self, item: wxr.Item, article: Article) -> None:
        """Import the post's comments onto its article (saved in bulk now and then)."""
        if not item.comments:
            return
        by_id = self.valid_comments(item)
        existing = self.imported_before(by_id)
        placed = {}  # WordPress id -> Comment (saved, or waiting in self.pending)
        for wc in self.parent_first(by_id):
            parent = self.find_parent(wc, by_id, placed, article)
            if wc.id in existing:
                placed[wc.id] = self.update_comment(existing[wc.id], wc)
                continue
            comment = self.queue_new_comment(wc, article, parent)
            if comment is not None:
                placed[wc.id] = comment
        if len(self.pending) >= FLUSH_AT:
            self.save_pending()

    def valid_comments(self, item: wxr.Item) -> dict:
        """The post's comments with a valid id, each once, by id; each given its label."""
        by_id = {}
        for wc in item.comments:
            label = (
                f"comment {wc.id[:30] or '?'} on post {item.id} by "
                f"{content.plain(wc.author)[:40]!r}"
            )
            number = wordpress_id(wc.id)
            if number is None:
                self.report.skip(label, f"no valid comment id ({wc.id[:30]!r}): {ID_RANGE}")
                continue
            wc.id = str(number)  # one way to write it: "04" and "4" are one comment
            parent = wordpress_id(wc.parent)
            if parent is not None:
                wc.parent = str(parent)
            if wc.id in self.seen:
                self.report.skip(label, f"duplicate comment id {wc.id}: the first one was kept")
            else:
                self.seen.add(wc.id)
                wc.label = label
                by_id[wc.id] = wc
        return by_id

    def imported_before(self, by_id: dict) -> dict:
        """WordPress id -> its ImportedComment, for those an earlier run imported."""
        existing = {}
        ids = [int(i) for i in by_id] if self.context.imported_before else []
        for start in range(0, len(ids), LOOKUP_AT):
            for mapping in ImportedComment.objects.filter(
                source=self.context.source, source_id__in=ids[start : start + LOOKUP_AT]
            ).select_related("comment"):
                existing[str(mapping.source_id)] = mapping
        return existing

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

    def find_parent(self, wc, by_id: dict, placed: dict, article: Article) -> Comment | None:
        """The comment it replies to: one of this post's placed so far, or imported by an
        earlier run onto the same article; else None (a top-level comment, with a warning)."""
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
            ImportedComment.objects.filter(source=self.context.source, source_id=int(wc.parent))
            .select_related("comment")
            .first()
            if wordpress_id(wc.parent) is not None and self.context.imported_before
            else None
        )
        if mapping is not None and mapping.comment.article_id == article.pk:
            return mapping.comment
        self.report.warn(
            wc.label,
            f"its parent {wc.parent!r} is not in the export: imported as a top-level comment",
        )
        return None

    def queue_new_comment(self, wc, article: Article, parent: Comment | None) -> Comment | None:
        """Build the comment with its history and queue it for the next bulk save; None (the
        reason in the report) for what is not a reader's comment to keep."""
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
        meta = meta_of(wc)
        # This site's export carries the text as the reader wrote it (its formatting marks).
        text = meta.get("_fitness_text", [text])[-1].strip() or text
        if not text:
            report.skip(wc.label, "no text")
            return None
        status = COMMENT_STATUS.get(wc.approved)
        if status is None:
            status = Status.PENDING
            report.warn(wc.label, f"unknown status {wc.approved[:80]!r}: held for review")
        submitted = php_value(meta.get("akismet_as_submitted", [""])[-1], wc.label, report)
        comment = Comment(
            article=article,
            parent=parent,
            user=self.authors.of_comment(wc),
            author_name=content.plain(wc.author)[: self.name_length] or "Anonymous",
            author_email=checked_email(wc, report),
            author_url=checked_url(wc, report),
            body=text,
            body_html=body_html,
            created_at=created,
            status_changed_at=created,
            ip_address=checked_ip(wc, report),
            user_agent=str(submitted.get("user_agent", ""))[:500]
            if isinstance(submitted, dict)
            else "",
        )
        history = apply_wordpress_history(wc, comment, status, meta, self.context)
        mapping = {
            "source": self.context.source,
            "source_id": int(wc.id),
            "source_status": source_status(wc),
            "source_hash": content_hash(wc),
        }
        self.pending.append((comment, history, mapping))
        return comment

    def update_comment(self, mapping: ImportedComment, wc) -> Comment:
        """A comment imported before: apply what WordPress changed since, unless a moderator
        here changed it too (their decision stands)."""
        comment = mapping.comment
        changed = False
        if source_status(wc) != mapping.source_status:
            # An unknown status was imported as held (queue_new_comment).
            imported_as = COMMENT_STATUS.get(mapping.source_status, Status.PENDING)
            wanted = COMMENT_STATUS.get(wc.approved, Status.PENDING)
            if comment.status == imported_as:
                change_status(
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
            mapping.source_status = source_status(wc)
            changed = True
        digest = content_hash(wc)
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

    def save_pending(self) -> None:
        """Save the comments waiting, with their history and their WordPress ids."""
        if self.pending:
            create_comments_in_bulk(
                [(c, history) for c, history, _ in self.pending], refresh_counts=False
            )
            counts = self.report.counts
            for comment, history, mapping in self.pending:
                mapping["comment_id"] = comment.pk
                counts["comments_new"] += 1
                counts[comment.status] += 1
                counts["history"] += len(history)
                self.articles_to_count.add(comment.article_id)
            insert_rows(ImportedComment, [m for _, _, m in self.pending])
            self.pending = []
        if self.touched_articles:
            refresh_article_counts(self.touched_articles)
            self.touched_articles = set()

    def count_articles(self) -> None:
        """The approved count of each article that got new comments, once, after its last
        batch (not after each batch, which recounted the same articles again and again)."""
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
            refresh_article_counts(chunk, thread_ids=())
        self.articles_to_count = set()
