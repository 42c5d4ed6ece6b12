"""
The counts that are kept, not counted per view: each article's approved comments (with its
thread visibility and `comments_version`, the thread cache's key and the page's ETag), and
how many comments the moderation queue holds in each status.

Every status change moves them (`comments.services.status`); these functions are what it, the
posting sequence, the importer and the scheduler's `status-counts` job call.
"""

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Count, F, OuterRef, Subquery
from django.db.models.functions import Coalesce

from comments.models import Comment
from comments.threads import reading as threads
from fitness.articles.models import Article
from fitness.core import tolerant_cache

Status = Comment.Status


# --- Each article's approved comments --------------------------------------------------------


def refresh_article_counts(article_ids: Iterable[int], *, thread_ids: Iterable[int] | None = None):
    """Recount approved comments and bump the thread version of the given articles.

    Which threads readers see is recomputed too: for `thread_ids` when the caller knows which
    threads changed, else for every thread of the articles.
    """
    article_ids = sorted(set(article_ids))
    with transaction.atomic():
        # Lock the articles first: the recount below then starts after any other transaction
        # that changed their comments has committed, and sees its comment (READ COMMITTED takes
        # a statement's snapshot when it starts; an UPDATE waiting for the row would recount
        # with the older one and miss a comment posted at the same moment).
        list(Article.objects.select_for_update().filter(pk__in=article_ids).values_list("pk"))
        _recount(article_ids, thread_ids)


def _recount(article_ids, thread_ids):
    threads.refresh_visibility(thread_ids=thread_ids, article_ids=article_ids)
    Article.objects.filter(pk__in=article_ids).update(
        comment_count=_per_article(Comment.objects.public()),
        thread_count=_per_article(threads.listed_threads()),
        comments_version=F("comments_version") + 1,
    )


def _per_article(comments):
    """How many of `comments` are on the article of the row being updated (0 for none): a
    subquery, so that many articles are recounted in one statement."""
    counted = (
        comments.filter(article=OuterRef("pk"))
        .order_by()
        .values("article")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted), 0)


def move_article_count(comment: Comment, delta: int, *, new_thread: bool = False) -> None:
    """One comment came into (or left) public view: the article's count moves by one, its
    thread's visibility (and with it the count of listed threads) and comments_version (the
    thread cache's key, the page's ETag) follow. The row lock makes the deltas exact (a thread
    shown by two comments at once is updated by one of them only); a full recount
    (`refresh_article_counts`) would read every approved comment of the article (half a second
    for an article with 27,000). `new_thread`: the comment starts a thread and was saved
    listed (`comments.services.posting.save_in_thread`), so there is none to recompute."""
    if new_thread:
        listed = 1
    else:
        listed = threads.refresh_visibility(thread_ids=[comment.thread_id], appeared=delta > 0)
    Article.objects.filter(pk=comment.article_id).update(
        comment_count=F("comment_count") + delta,
        thread_count=F("thread_count") + listed,
        comments_version=F("comments_version") + 1,
    )


# --- How many comments in each status (the queue's filter) --------------------------------------

COUNTS_KEY = "comments:status-counts"
COUNTS_SECONDS = 300


def status_counts() -> dict[str, int]:
    """{status: n} for the queue's status filter, without counting the whole table each time.

    Held comments are counted exactly on every call (an index range, 5 % of the table); the
    big buckets (approved, spam, removed) come from a count kept in the cache for
    COUNTS_SECONDS and moved along by every status change, so that a table of 1,000,000
    comments is scanned once per COUNTS_SECONDS, not on every page of the queue.
    """
    counts = tolerant_cache.get(COUNTS_KEY)
    if counts is None:  # not counted yet, or the cache down: count now (slower, still right)
        return refresh_status_counts()
    return {**counts, Status.PENDING: Comment.objects.in_moderation().count()}


def refresh_status_counts() -> dict[str, int]:
    """Count every status once (a scan of the table) and keep it; the scheduler's minute job
    `status-counts` runs this, so that no moderator's page pays for it."""
    found = dict(
        Comment.objects.order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    counts = {value: found.get(value, 0) for value in Status.values}
    tolerant_cache.set(COUNTS_KEY, counts, COUNTS_SECONDS)  # failing: the next page counts
    return counts


def move_status_count(from_status, to_status):
    """Move the kept counts along (approximate between the minute job's recounts); a cache
    that fails leaves them to that job: a status change never fails for a count."""
    counts = tolerant_cache.get(COUNTS_KEY)
    if counts is not None:
        counts[from_status] = max(counts.get(from_status, 0) - 1, 0)
        counts[to_status] = counts.get(to_status, 0) + 1
        tolerant_cache.set(COUNTS_KEY, counts, COUNTS_SECONDS)
