"""
A query compiled once per shape, its values given each time it runs.

Building querysets and compiling them to SQL is Python work the database never sees; for a
read asked on every request (a comment's screening asks seven subqueries in one SELECT) it
costs more than the query itself. When a query's text depends only on its shape (which parts
it has, how long a list is), its values can be slots, and the SQL kept per shape:

    def build(slots):
        recent = Comment.objects.filter(article_id=slots.article, created_at__gte=slots.since)
        return recent.values("pk").query.sql_with_params()

    sql, params = compiled("recent", build, article=IntegerField(), since=DateTimeField())
    cursor.execute(sql, filled(params, article=7, since=since))

A slot compiles to one placeholder whose parameter is the slot itself; `filled` puts each
value in its place, prepared by the slot's field as Django prepares a `Value` (a datetime as
SQLite stores it, an address as PostgreSQL's inet). Use slots where a query compares with a
value (`=`, `>=`, `IN`, or inside a function such as `Upper`); a lookup that rewrites its
value in Python (`iexact`, `contains`, `startswith`) would see the slot, not the value, so
`compiled` refuses a query whose parameters lost one.
"""

from types import SimpleNamespace

from django.db import connection
from django.db.models import Expression

_compiled: dict = {}


class Slot(Expression):
    """A value of the query given when it runs, not when it is compiled."""

    def __init__(self, name: str, output_field):
        super().__init__(output_field=output_field)
        self.name = name

    def __repr__(self):
        return f"Slot({self.name!r})"

    def as_sql(self, compiler, connection):
        return "%s", [self]

    def prepared(self, value, connection):
        """`value` as the database is given it (as `Value.as_sql` prepares its value)."""
        return self.output_field.get_db_prep_value(value, connection)


def compiled(key, build, /, **fields) -> tuple[str, list]:
    """The (sql, params) `build(slots)` returns, called once per `key` (the query's shape:
    hashable) and database vendor in this process. `slots` has one Slot per keyword, named by
    it, with that field. The params are constants and Slots, for `filled`."""
    cache_key = (connection.vendor, key)
    if cache_key not in _compiled:
        slots = SimpleNamespace(**{name: Slot(name, field) for name, field in fields.items()})
        sql, params = build(slots)
        if any(isinstance(param, str) and "Slot(" in param for param in params):
            raise ValueError(f"A lookup turned a slot into text: compare slots with = or IN. {sql}")
        _compiled[cache_key] = (sql, list(params))
    return _compiled[cache_key]


def filled(params: list, /, **values) -> list:
    """`params` (from `compiled`) with each Slot's value put in its place."""
    return [
        param.prepared(values[param.name], connection) if isinstance(param, Slot) else param
        for param in params
    ]
