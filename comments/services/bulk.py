"""
Many new comments at once (an import): what `posting.create_comment` does for one (rendered,
placed in the thread, history, counts and thread visibility), in a few statements per
thousand comments; not screened, not announced.

    create_comments_in_bulk(entries)   comments with their history lines, all or nothing
    insert_rows(model, rows)           the INSERT (or COPY) under it, for any model's rows
"""

from collections import defaultdict

from django.db import connection, models, transaction
from django.utils import timezone

from comments.models import Comment, CommentEvent
from comments.services.counts import refresh_article_counts
from comments.threads import reading as threads
from comments.threads.rendering import render_body


def create_comments_in_bulk(
    entries: list[tuple[Comment, list[dict]]],
    *,
    batch_size: int = 1000,
    refresh_counts: bool = True,
) -> list[Comment]:
    """Save many new comments with their history, all or nothing: what create_comment does
    for one, in a few statements per thousand.

    Shaped for speed (bench/wordpress_import.py; bench/README.md has the measures): the ids
    are reserved first, so that each comment's path and a new thread's visibility
    (`shown_threads`) are known before the insert and no row is written twice; rows go in
    with executemany or COPY (`insert_rows`), values prepared once per column type.

    `entries`: (unsaved comment, its history lines as dicts of CommentEvent fields, in order)
    in an order where a parent comes before its replies; a parent is a saved comment or one of
    the entries. History lines are rows, not instances: see insert_rows. Nobody is told:
    these comments are not news (an import), and neither screened nor sent to Akismet.

    `refresh_counts=False`: the articles' approved counts (and their thread version and page
    cache) are left to the caller, who calls `counts.refresh_article_counts` once it has
    added all it adds: an import in many batches counts each article once, at the end.
    """
    comments = [comment for comment, _ in entries]
    for comment in comments:
        if not comment.body_html:
            comment.body_html = render_body(comment.body)
    with transaction.atomic():
        ids = _reserve_ids(Comment, len(comments))
        if ids is None:
            _insert_level_by_level(comments, batch_size)
            old_threads = {comment.thread_id for comment in comments}
        else:
            old_threads = _place_before_insert(comments, ids)
            insert_rows(Comment, comments, batch_size)
        insert_rows(CommentEvent, _history_rows(entries), batch_size)
        if old_threads:
            threads.refresh_visibility(thread_ids=old_threads)
        article_ids = {comment.article_id for comment in comments}
        if article_ids and refresh_counts:
            refresh_article_counts(article_ids, thread_ids=())
    return comments


def _place_before_insert(comments: list[Comment], ids: list[int]) -> set[int]:
    """Give each comment its reserved id, its thread place and (for a new thread) whether
    readers see it; returns the threads saved before that these comments reply in (a reply
    may change whether such a thread is shown)."""
    for comment, pk in zip(comments, ids, strict=True):
        comment.pk = pk
        if comment.parent is not None:
            comment.parent = comment.parent  # the parent's pk is known now
            comment.depth = comment.parent.depth + 1
        comment.place_in_thread()
    new_threads = {comment.pk for comment in comments if comment.parent_id is None}
    shown = shown_threads(comments)
    for comment in comments:
        if comment.parent_id is None:
            comment.thread_visible = comment.pk in shown
    return {comment.thread_id for comment in comments} - new_threads


def _history_rows(entries: list[tuple[Comment, list[dict]]]) -> list[dict]:
    """The entries' history lines, each naming its (now saved) comment."""
    history = []
    for comment, events in entries:
        for event in events:
            event["comment_id"] = comment.pk
            history.append(event)
    return history


def shown_threads(comments: list[Comment]) -> set[int]:
    """The threads among `comments` that readers see, by the rule of `threads.is_shown_thread`
    (the top-level comment is approved, or one of its replies is), read from the comments
    themselves: for threads whose comments are all in the list (a bulk insert's new threads)."""
    return {comment.thread_id for comment in comments if comment.status == Comment.Status.APPROVED}


def _reserve_ids(model, count: int) -> list[int] | None:
    """`count` new primary keys for `model` that no other insert will take (None: this
    database has no way we use; the caller inserts first and reads the keys back)."""
    if not count:
        return []
    quote = connection.ops.quote_name
    table, pk = model._meta.db_table, model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, pk, count],
            )
            return [row[0] for row in cursor.fetchall()]
        if connection.vendor == "sqlite":
            # A write statement takes the database's write lock (held to the commit), so no
            # other insert comes between reading the highest id and using the next ones.
            cursor.execute(f"UPDATE {quote(table)} SET {quote(pk)} = {quote(pk)} WHERE 0")
            cursor.execute(f"SELECT MAX({quote(pk)}) FROM {quote(table)}")
            top = cursor.fetchone()[0] or 0
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
            row = cursor.fetchone()  # AUTOINCREMENT: never an id that was used and deleted
            top = max(top, row[0] if row else 0)
            return list(range(top + 1, top + 1 + count))
    return None


def _insert_level_by_level(comments: list[Comment], batch_size: int) -> None:
    """Insert, then place: a reply's thread and path need its parent's, and its own pk."""
    levels = defaultdict(list)
    for comment in comments:
        comment.depth = comment.parent.depth + 1 if comment.parent is not None else 0
        levels[comment.depth].append(comment)
    for depth in sorted(levels):
        level = levels[depth]
        for comment in level:
            if comment.parent is not None:
                comment.parent = comment.parent
                comment.thread_id = comment.parent.thread_id
        Comment.objects.bulk_create(level, batch_size=batch_size)
        for comment in level:
            comment.place_in_thread()
        Comment.objects.bulk_update(level, ["thread", "path"], batch_size=batch_size)


def insert_rows(model, rows: list, batch_size: int = 1000) -> None:
    """INSERT model instances, or dicts of field values (attnames: "comment_id"), with
    executemany (SQLite) or COPY (PostgreSQL): no signals, no save(). The primary key too
    when it is set. Values are adapted as Django would, once per column kind; a field a dict
    leaves out gets its default, and auto_now fields the time now, as save() would. Dicts,
    because making model instances was a fifth of an import's time (profiled)."""
    if not rows:
        return
    as_dicts = isinstance(rows[0], dict)
    first = rows[0]
    with_pk = (first.get(model._meta.pk.attname) if as_dicts else first.pk) is not None
    fields = [f for f in model._meta.concrete_fields if with_pk or not f.primary_key]
    ops = connection.ops
    now = ops.adapt_datetimefield_value(timezone.now())
    prepare = [_column_value(f, as_dicts, now) for f in fields]
    columns = ", ".join(ops.quote_name(f.column) for f in fields)
    table = ops.quote_name(model._meta.db_table)
    one_row = f"({', '.join(['%s'] * len(fields))})"
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            # SQLite runs one prepared statement per row at C speed.
            sql = f"INSERT INTO {table} ({columns}) VALUES {one_row}"
            for start in range(0, len(rows), batch_size):
                batch = rows[start : start + batch_size]
                cursor.executemany(sql, [[p(row) for p in prepare] for row in batch])
            return
        # PostgreSQL: COPY, the rows streamed in one command (psycopg adapts each value).
        with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row([p(row) for p in prepare])


def _column_value(f, as_dicts: bool, now):
    """The function that gives one column's value for a row (an instance, or a dict), adapted
    for the database as Django would; chosen once per column, called once per row. `now`: the
    adapted time that auto_now fields get."""
    ops = connection.ops
    if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
        return lambda row, now=now: now
    if as_dicts:
        default = f.get_default()

        def get(row, a=f.attname, d=default):
            return row.get(a, d)
    else:

        def get(row, a=f.attname):
            return getattr(row, a)

    if isinstance(f, models.DateTimeField):
        return lambda row, get=get: ops.adapt_datetimefield_value(get(row))
    if isinstance(f, models.GenericIPAddressField):
        return lambda row, get=get: ops.adapt_ipaddressfield_value(get(row))
    if isinstance(f, models.JSONField):
        # The default [] or {} of most rows, adapted once (300,000 adaptations a 100,000-
        # comment import otherwise).
        adapted = {
            list: f.get_db_prep_save([], connection),
            dict: f.get_db_prep_save({}, connection),
        }

        def json_value(row, get=get, f=f, adapted=adapted):
            value = get(row)
            if not value and type(value) in adapted:
                return adapted[type(value)]
            return f.get_db_prep_save(value, connection)

        return json_value
    return get  # text, numbers, booleans and keys go to the driver as they are
