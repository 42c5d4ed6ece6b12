"""
A command run against a database that was never migrated (or is behind the code) fails on its
first query with a 40-line traceback ending in "no such table". manage.py asks here instead:
if migrations are waiting, the owner is told so in one line, with the command that fixes it.
"""

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections


def waiting_migrations(alias=DEFAULT_DB_ALIAS) -> int:
    """How many migrations the database lacks (0 when it is current or cannot be asked)."""
    from django.db.migrations.executor import MigrationExecutor

    try:
        connection = connections[alias]
        executor = MigrationExecutor(connection)
        return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))
    except DatabaseError:
        return 0


def unmigrated_message(error) -> str:
    """One line for a database error a missing migration explains ("" when none does)."""
    if not isinstance(error, DatabaseError):
        return ""
    waiting = waiting_migrations()
    if not waiting:
        return ""
    return (
        f"The database is not migrated ({waiting} migration{'s' if waiting != 1 else ''} to "
        f"apply): run `./manage migrate` first (on a server: deploy/manage migrate)."
    )
