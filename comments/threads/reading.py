"""
Reading a page of threads in a constant number of queries, whatever the size of the discussion.

1. the page's top-level ids: approved top-level comments, plus hidden ones (removed, spam,
   pending) that still have approved replies, in chronological order (a slice used as the
   subquery of 2; how many there are is the article's `thread_count`, not counted). Which
   threads are shown is stored on the top-level comment (`thread_visible`, kept by
   `refresh_visibility`), so this reads one range of a partial index, not every top-level row;
2. every comment of those threads (their ids a subquery), depth-first by `path`, as plain values.

The threads come in one of three orders (`ORDERS`, the reader's `?sort=`): oldest first (the
default), newest first, most helpful first (the top comment's `helpful_count`, then oldest).

A hidden comment with visible replies stays as a placeholder ("This comment was removed.") so
its replies keep their place; any other hidden comment is left out. Top-level comments are
numbered 1..n in chronological order across pages (page 2 of 50 starts at 51): oldest first
counts up, newest first counts down, "most helpful" shows no numbers.
"""

from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import connection
from django.db.models import Q

from comments.conf import settings
from comments.models import Comment
from comments.threads import row_dates

Status = Comment.Status
ROW_FIELDS = (
    "id",
    "parent_id",
    "thread_id",
    "depth",
    "path",
    "status",
    "author_name",
    "author_url",
    "body_html",
    "created_at",
    "user_id",
    "helpful_count",
)


@dataclass(slots=True)
class Row:
    """What a thread shows of one comment; never the email."""

    id: int
    parent_id: int | None
    thread_id: int
    depth: int
    path: str
    status: str
    author_name: str
    author_url: str
    body_html: str
    created_at: datetime
    user_id: int | None = None  # for the "Author" / "Moderator" badge, never shown itself
    helpful_count: int = 0
    number: int = 0  # 1..n for top-level comments, 0 for replies
    placeholder: bool = False
    badge: str = ""  # "Author", "Moderator" or "" (filled by whoever renders the page)


@dataclass
class ThreadPage:
    rows: list = field(default_factory=list)
    number: int = 1
    num_pages: int = 1
    thread_ids: list = field(default_factory=list)
    # The number shown on the page's first thread and the step to the next (`_numbering`).
    first_number: int = 0
    step: int = 0

    def number_of(self, thread_id):
        """The number a top-level comment of this page shows (0: none, or not on the page)."""
        if thread_id not in self.thread_ids:
            return 0
        return self.first_number + self.step * self.thread_ids.index(thread_id)

    @property
    def has_previous(self):
        return self.number > 1

    @property
    def has_next(self):
        return self.number < self.num_pages

    @property
    def is_last(self):
        return self.number == self.num_pages


def threads_per_page():
    return max(1, settings.COMMENTS_THREADS_PER_PAGE)


def is_shown_thread(replies=None):
    """A top-level comment readers see: approved, or hidden but with an approved reply.

    The replies are one list, read once (`replies`: the approved replies that may matter),
    not a subquery per thread: SQLite, without statistics, answers that correlated subquery
    by the status index, reading every approved comment for each thread (4.7 s for the 3,000
    threads of 50 articles in a table of 10,000 comments; this way, 0.04 s)."""
    if replies is None:
        replies = Comment.objects.filter(depth__gt=0, status=Status.APPROVED)
    return Q(status=Status.APPROVED) | Q(
        pk__in=replies.filter(thread__isnull=False).values("thread")
    )


def refresh_visibility(*, thread_ids=None, article_ids=None, appeared=False) -> int:
    """Recompute `thread_visible` of the given threads, or of every thread of the articles;
    returns how many more threads are listed (shown less hidden).

    Called wherever a status changes or comments are deleted (comments.services.counts); rows whose
    value is already right are not written. `appeared`: the only change was a comment coming
    into view, which can show a thread but never hide one (one statement, not two).
    """
    roots = Comment.objects.filter(depth=0)
    replies = Comment.objects.filter(depth__gt=0, status=Status.APPROVED)
    if thread_ids is not None:
        thread_ids = [pk for pk in thread_ids if pk is not None]
        roots = roots.filter(pk__in=thread_ids)
        replies = replies.filter(thread__in=thread_ids)
    else:
        roots = roots.filter(article__in=article_ids)
        replies = replies.filter(article__in=article_ids)
    shown = is_shown_thread(replies)
    change = roots.filter(shown, thread_visible=False).update(thread_visible=True)
    if not appeared:
        change -= roots.filter(thread_visible=True).exclude(shown).update(thread_visible=False)
    return change


def listed_threads():
    """The threads the pages list (top-level comments shown), for a count per article."""
    return Comment.objects.filter(depth=0, thread_visible=True)


# Which threads the pages list, and in which order: written once, here, and used to read a
# page (`read_page`) and to find a comment's page (`page_of`), so the two cannot disagree.
# The queries are written out: a page is read on every uncached article view, and the ORM
# spent longer building them (about 2 ms a page) than the database spent answering.
# Plain SQL that SQLite and PostgreSQL read alike; the indexes they use are on the model
# (the oldest and newest orders read comment_visible_threads_idx one way or the other, the
# most helpful comment_helpful_threads_idx).
OLDEST, NEWEST, HELPFUL = "oldest", "newest", "helpful"
ORDERS = (OLDEST, NEWEST, HELPFUL)
DEFAULT_ORDER = OLDEST
# order -> (ORDER BY of the listing, "this row comes before the thread thread_") for `_place_sql`.
_ORDER_SQL = {
    OLDEST: ("created_at, id", "(created_at, id) < (thread_created_at_, thread_id_)"),
    NEWEST: ("created_at DESC, id DESC", "(created_at, id) > (thread_created_at_, thread_id_)"),
    HELPFUL: (
        "helpful_count DESC, created_at, id",
        "(helpful_count > thread_helpful_ OR (helpful_count = thread_helpful_"
        " AND (created_at, id) < (thread_created_at_, thread_id_)))",
    ),
}
# The same orders, of the rows in Python (the page's top comments come back in path order).
_ORDER_KEY = {
    OLDEST: lambda row: (row.created_at, row.id),
    NEWEST: lambda row: (-row.created_at.timestamp(), -row.id),
    HELPFUL: lambda row: (-row.helpful_count, row.created_at, row.id),
}
_LISTED = "article_id = %s AND depth = 0 AND thread_visible = %s"  # [article id, True]


def order_of(raw) -> str:
    """The order a `?sort=` value names; anything else is the default (oldest first)."""
    return raw if raw in ORDERS else DEFAULT_ORDER


def _rows_sql(order):
    return (
        "SELECT {columns} FROM {table} WHERE thread_id IN ("
        f"SELECT id FROM {{table}} WHERE {_LISTED} ORDER BY {_ORDER_SQL[order][0]}"
        " LIMIT %s OFFSET %s) ORDER BY path"
    )


def _place_sql(order):
    """For one thread (its id the first parameter): how many threads are listed, whether it is
    one of them, and how many come before it in the order's listing."""
    return (
        "SELECT COUNT(*), COUNT(CASE WHEN id = thread_id_ THEN 1 END),"
        f" COUNT(CASE WHEN {_ORDER_SQL[order][1]} THEN 1 END)"
        " FROM {table} CROSS JOIN ("
        "SELECT id AS thread_id_, created_at AS thread_created_at_,"
        " helpful_count AS thread_helpful_ FROM {table} WHERE id = %s"
        f") thread_ WHERE {_LISTED}"
    )


def _paginator(listed, per_page):
    """The pages `listed` threads fill (one page when there are none)."""
    return Paginator(range(listed), per_page)


def _first_position(number, per_page):
    """The position in the listing (0-based) of the first thread of page `number`."""
    return (number - 1) * per_page


def _number_at(position, per_page):
    """The page that lists the thread at `position` (0-based): `_first_position` inverted."""
    return position // per_page + 1


def _column(name, vendor, aware):
    column = connection.ops.quote_name(Comment._meta.get_field(name).column)
    return row_dates.column(column, name, vendor=vendor, aware=aware)


def _sql(template, vendor):
    """`template` with this database's quoting; built once per process."""
    return _built_sql(template, vendor, settings.USE_TZ)


@lru_cache(maxsize=32)
def _built_sql(template, vendor, aware):
    columns = ", ".join(_column(name, vendor, aware) for name in ROW_FIELDS)
    return template.format(table=connection.ops.quote_name(Comment._meta.db_table), columns=columns)


def _locate_page(article, page_number, per_page):
    """(paginator, number, start) of the page asked for, from how many threads the article's
    pages list (`thread_count`, kept by comments.services.counts: no query); an invalid
    number gives a valid page (1, or the last past the end)."""
    paginator = _paginator(article.thread_count, per_page)
    try:
        number = paginator.validate_number(page_number)
    except PageNotAnInteger:
        number = 1
    except EmptyPage:
        number = paginator.num_pages
    return paginator, number, _first_position(number, per_page)


def read_page(article, page_number=1, *, per_page=None, order=DEFAULT_ORDER):
    """The page `page_number` of the article's threads in `order` (an invalid number gives a
    valid page).

    One query: every comment of the page's threads (the page's thread ids are a subquery;
    their order comes back with their top comments). How many threads there are is the
    article's `thread_count`: `article` is read afresh, as a request reads it.
    """
    per_page = per_page or threads_per_page()
    paginator, number, start = _locate_page(article, page_number, per_page)
    with connection.cursor() as cursor:
        row_dates.fast_dates(cursor)
        rows_sql = _sql(_rows_sql(order), connection.vendor)
        cursor.execute(rows_sql, [article.pk, True, per_page, start])
        values = cursor.fetchall()
    result = ThreadPage(number=number, num_pages=paginator.num_pages)
    first_number, step = _numbering(order, start, paginator.count)
    result.rows, result.thread_ids = _thread_rows(
        values, first_number=first_number, step=step, key=_ORDER_KEY[order]
    )
    return result


def _numbering(order, start, listed):
    """(the number of the thread at `start`, the step to the next) in `order`: oldest first
    counts up, newest first counts down from the count of `listed` threads, "most helpful"
    shows none."""
    if order == OLDEST:
        return start + 1, 1
    if order == NEWEST:
        return listed - start, -1
    return 0, 0


def _thread_rows(values, *, first_number, step=1, key=_ORDER_KEY[OLDEST]):
    """(rows depth-first, thread by thread in page order; the page's thread ids in order)."""
    rows = [Row(*value) for value in values]  # aware dates: comments.threads.row_dates
    tops = [row for row in rows if row.depth == 0]  # in path order
    in_order = sorted(tops, key=key)
    thread_ids = [row.id for row in in_order]
    if in_order != tops:  # the page's threads come in path order unless the order says not
        position = {thread_id: index for index, thread_id in enumerate(thread_ids)}
        rows.sort(key=lambda row: position[row.thread_id])  # stable: keeps path order inside
    tops = in_order
    for index, row in enumerate(tops):
        row.number = first_number + step * index
    approved = str(Status.APPROVED)  # a plain str compares faster than the enum member
    if all(row.status == approved for row in rows):
        return rows, thread_ids  # the usual page: nothing hidden, no placeholder

    # Hidden comments that are ancestors of an approved one stay, as placeholders.
    needed = set()
    for row in rows:
        if row.status == Status.APPROVED and row.depth:
            needed.update(int(segment) for segment in row.path.split("/")[:-1])
    shown = []
    for row in rows:
        if row.status != Status.APPROVED:
            if row.id not in needed:
                continue
            row.placeholder = True
            row.author_name = row.author_url = row.body_html = ""
            row.user_id = None
        shown.append(row)
    return shown, thread_ids


def page_of(comment, *, per_page=None, order=DEFAULT_ORDER):
    """The page the comment is shown on in `order`: the page that lists its thread, or, for a
    thread no page lists (a held top-level comment and its replies), the last page, where
    `own_rows.reader_pending_rows` shows it to its writer. One query, none for a top-level
    comment its row says is not listed (a new held comment: the article counts the listed)."""
    per_page = per_page or threads_per_page()
    if comment.thread_id is None:
        return 1
    if comment.depth == 0 and not comment.thread_visible:
        return _paginator(comment.article.thread_count, per_page).num_pages
    with connection.cursor() as cursor:
        params = [comment.thread_id, comment.article_id, True]
        cursor.execute(_sql(_place_sql(order), connection.vendor), params)
        listed, is_listed, before = cursor.fetchone()
    if not is_listed:
        return _paginator(listed, per_page).num_pages
    return _number_at(before, per_page)


def _ids_sql(order):
    """The ids of one page of listed threads: the subquery of `_rows_sql`, alone."""
    return (
        f"SELECT id FROM {{table}} WHERE {_LISTED}"
        f" ORDER BY {_ORDER_SQL[order][0]} LIMIT %s OFFSET %s"
    )


def page_threads(article, page_number=1, *, per_page=None, order=DEFAULT_ORDER):
    """The page `page_number` of the article's threads in `order` as `read_page` finds it
    (the same number, the same threads), without its comments: where the reader's own held
    comments go (`own_rows.reader_pending_rows`) when the page itself came from a cache. One
    query."""
    per_page = per_page or threads_per_page()
    paginator, number, start = _locate_page(article, page_number, per_page)
    with connection.cursor() as cursor:
        params = [article.pk, True, per_page, start]
        cursor.execute(_sql(_ids_sql(order), connection.vendor), params)
        thread_ids = [row[0] for row in cursor.fetchall()]
    first_number, step = _numbering(order, start, paginator.count)
    return ThreadPage(
        number=number,
        num_pages=paginator.num_pages,
        thread_ids=thread_ids,
        first_number=first_number,
        step=step,
    )
