"""
The GIN index behind the search page, on PostgreSQL.

It is on exactly the expression `fitness.articles.search.vector()` makes Django write (English, title
weighted A, excerpt B, body C), so `WHERE <vector> @@ websearch_to_tsquery(...)` reads the
index instead of computing every article's vector. Change one, change the other:
tests/fitness/articles/test_search.py asks PostgreSQL's planner whether the index serves the query.
Built CONCURRENTLY, so a live site keeps saving articles while it builds (hence not atomic).
Other databases have no such index; their search is a simple `icontains` (fitness.articles.search).
"""

from django.db import migrations

NAME = "article_search"
EXPRESSION = (
    "(setweight(to_tsvector('english'::regconfig, COALESCE(\"title\", '')), 'A')"
    " || setweight(to_tsvector('english'::regconfig, COALESCE(\"excerpt\", '')), 'B'))"
    " || setweight(to_tsvector('english'::regconfig, COALESCE(\"body\", '')), 'C')"
)


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # An earlier build that was interrupted leaves an invalid index behind: build it again.
    schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {NAME}")
    schema_editor.execute(
        f"CREATE INDEX CONCURRENTLY {NAME} ON fitness_article USING gin (({EXPRESSION}))"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {NAME}")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("fitness", "0005_authors_group")]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
