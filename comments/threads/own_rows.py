"""
A reader's own rows on a page of threads, for the part of the page that is theirs alone
(comments.web.own): their held comments where the page would show them, and their comments
published since a cached copy of the page was made. Rows as `reading.read_page` makes them, so
`comments.threads.rendering` writes them as it writes the page's.
"""

from comments.models import Comment
from comments.threads.reading import ROW_FIELDS, Row

Status = Comment.Status


def reader_pending_rows(article, comment_ids, page):
    """The reader's own held comments that belong on this page, as rows marked pending.

    The rule `page_of` sends their writer by: a comment goes with its thread when the page
    lists that thread; a thread no page lists (a held top-level comment) on the last page.
    """
    if not comment_ids:
        return []
    values = (
        Comment.objects.filter(
            article=article, pk__in=comment_ids, status__in=[Status.PENDING, Status.SPAM]
        )
        .order_by("created_at", "id")
        .values_list(*ROW_FIELDS, "thread__thread_visible")
    )
    on_page = set(page.thread_ids)
    rows = []
    for *value, thread_listed in values:
        row = Row(*value)
        if row.thread_id in on_page or (not thread_listed and page.is_last):
            rows.append(row)
    return rows


def reader_published_rows(article, comment_ids, page, *, since):
    """(rows, elsewhere): the reader's own published comments written after `since` whose
    threads this page lists, as the page shows them (depth-first, top-level ones numbered):
    what a copy of the page made before they were published lacks; and the ids of the others,
    whose threads are on another page now (an approval of an older comment moves every later
    thread on by one). One query; none without ids."""
    if not comment_ids:
        return [], []
    values = (
        Comment.objects.filter(
            article=article,
            pk__in=comment_ids,
            status=Status.APPROVED,
            created_at__gt=since,
        )
        .order_by("path")
        .values_list(*ROW_FIELDS)
    )
    rows, elsewhere = [], []
    on_page = set(page.thread_ids)
    for value in values:
        row = Row(*value)
        if row.thread_id not in on_page:
            elsewhere.append(row.id)
            continue
        if row.depth == 0:
            row.number = page.number_of(row.id)
        rows.append(row)
    return rows, elsewhere
