"""
The dates of a page of threads, read fast: a thread of 5,000 comments is 5,000 dates, and the
database drivers' general loaders were most of reading one.

    column(sql, name, vendor=, aware=)   a row column's SQL, with SQLite's converter named
                                         in its alias for the date
    fast_dates(cursor)                   on PostgreSQL, this cursor loads dates with psycopg's
                                         C loader

Both give the same aware UTC datetimes as Django's own loaders
(tests/comments/threads/test_reading.py compares them to the microsecond).
"""

import sqlite3
from datetime import datetime
from functools import lru_cache

from django.db import connection

from comments.conf import settings

# On SQLite, the rows' date goes through a converter of ours, named in the column's alias
# (Django opens SQLite with PARSE_COLNAMES): the text stored (naive UTC, Django's way) parsed
# with its zone in one C call. Django's converter (parse_datetime) and then labelling each date
# UTC cost about 0.8 µs a row more (4 ms of a thread of 5,000).
SQLITE_CONVERTER = "comments_utc"
sqlite3.register_converter(
    SQLITE_CONVERTER, lambda value: datetime.fromisoformat(value.decode() + "+00:00")
)
SQLITE_COLUMN = {"created_at": f'{{column}} AS "created_at [{SQLITE_CONVERTER}]"'}


def column(sql, name, *, vendor, aware):
    """The column `sql` of field `name` as a page's rows select it: on SQLite with aware dates,
    the date aliased with the converter's name (Django opens SQLite with PARSE_COLNAMES)."""
    if vendor == "sqlite" and aware and name in SQLITE_COLUMN:
        return SQLITE_COLUMN[name].format(column=sql)
    return sql


@lru_cache(maxsize=1)
def _c_timestamptz_loader():
    """psycopg's own (C) loader of `timestamptz` text, or None without psycopg's C module."""
    import psycopg  # only on PostgreSQL
    from psycopg.pq import Format

    loader = psycopg.adapters.get_loader(psycopg.postgres.types["timestamptz"].oid, Format.TEXT)
    return loader if loader.__module__.startswith("psycopg_binary") else None


def fast_dates(cursor):
    """On PostgreSQL, this cursor reads dates with psycopg's C loader, not Django's.

    Django's (psycopg_any.BaseTzLoader, which relabels each date with the connection's zone)
    is a subclass of psycopg's pure-Python loader, which parses each date with a regular
    expression: about 3.4 µs a row, 60 % of reading a thread of 5,000 comments. With USE_TZ
    the session's TimeZone is the connection's (UTC), so the C loader gives the same aware
    datetimes (tests/comments/threads/test_reading.py compares them)."""
    if connection.vendor != "postgresql" or not settings.USE_TZ:
        return
    loader = _c_timestamptz_loader()
    if loader is not None:
        cursor.cursor.adapters.register_loader("timestamptz", loader)
