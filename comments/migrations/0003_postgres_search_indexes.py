"""
Trigram indexes for the moderation queue's search box, on PostgreSQL.

The admin searches name, email, IP and text with `icontains`, which PostgreSQL runs as
`UPPER(column) LIKE UPPER('%term%')`: without these indexes every search reads the whole table
(1.3 s at 100,000 comments for a term that is rare). Each index is on exactly the expression
Django writes, so the four conditions of the search combine as one bitmap scan.

pg_trgm ships with PostgreSQL and is a trusted extension (13+): the owner of the database may
create it. The indexes are built CONCURRENTLY, so upgrading a live site does not hold up new
comments while they build; hence the migration is not atomic. Other databases have no such
index and search as before.
"""

from django.db import migrations

TABLE = "comments_comment"
INDEXES = {
    "comment_search_name_trgm": 'UPPER("author_name"::text)',
    "comment_search_email_trgm": 'UPPER("author_email"::text)',
    "comment_search_ip_trgm": 'UPPER(HOST("ip_address"))',
    "comment_search_body_trgm": 'UPPER("body"::text)',
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, expression in INDEXES.items():
        # An earlier build that was interrupted leaves an invalid index behind: build it again.
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {name}")
        schema_editor.execute(
            f"CREATE INDEX CONCURRENTLY {name} ON {TABLE} USING gin (({expression}) gin_trgm_ops)"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {name}")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("comments", "0002_groups"),
    ]

    operations = [
        migrations.RunPython(create_indexes, drop_indexes, elidable=False),
    ]
