"""
The search reads one row per article (`SearchDocument`), indexed each database's way.

- SQLite: an FTS5 table with the porter stemmer over the rows ("cramps" finds "cramp"), kept
  current by triggers on the rows (external content: the text is stored once).
- PostgreSQL: a stored tsvector with a GIN index; the expression index of 0006 (which made
  `ts_rank` parse every matching body again) is dropped.

The rows are filled here for the articles already written (the words a reader sees: title,
the terms' names, excerpt, the rendered body's plain text), as `SearchDocument.refresh` does.
"""

from html import unescape

import django.contrib.postgres.search
import django.db.models.deletion
from django.db import migrations, models
from django.utils.html import strip_tags

FTS = "fitness_search_fts"
DOCS = "fitness_searchdocument"
COLUMNS = "title, terms, excerpt, body"
SQLITE_CREATE = [
    f"CREATE VIRTUAL TABLE {FTS} USING fts5({COLUMNS}, content='{DOCS}',"
    " content_rowid='article_id', tokenize='porter unicode61 remove_diacritics 2')",
    f"CREATE TRIGGER {FTS}_ai AFTER INSERT ON {DOCS} BEGIN"
    f" INSERT INTO {FTS}(rowid, {COLUMNS})"
    " VALUES (new.article_id, new.title, new.terms, new.excerpt, new.body); END",
    f"CREATE TRIGGER {FTS}_ad AFTER DELETE ON {DOCS} BEGIN"
    f" INSERT INTO {FTS}({FTS}, rowid, {COLUMNS})"
    " VALUES ('delete', old.article_id, old.title, old.terms, old.excerpt, old.body); END",
    f"CREATE TRIGGER {FTS}_au AFTER UPDATE ON {DOCS} BEGIN"
    f" INSERT INTO {FTS}({FTS}, rowid, {COLUMNS})"
    " VALUES ('delete', old.article_id, old.title, old.terms, old.excerpt, old.body);"
    f" INSERT INTO {FTS}(rowid, {COLUMNS})"
    " VALUES (new.article_id, new.title, new.terms, new.excerpt, new.body); END",
]
SQLITE_DROP = [
    f"DROP TRIGGER IF EXISTS {FTS}_ai",
    f"DROP TRIGGER IF EXISTS {FTS}_ad",
    f"DROP TRIGGER IF EXISTS {FTS}_au",
    f"DROP TABLE IF EXISTS {FTS}",
]
POSTGRES_INDEX = "fitness_search_vector"


def create_indexes(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for statement in SQLITE_CREATE:
            schema_editor.execute(statement)
    elif vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS article_search")
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {POSTGRES_INDEX} ON {DOCS} USING gin (vector)"
        )


def drop_indexes(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for statement in SQLITE_DROP:
            schema_editor.execute(statement)
    elif vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {POSTGRES_INDEX}")


def plain_text(html):
    return " ".join(unescape(strip_tags(html.replace("<", " <"))).split())


def fill(apps, schema_editor):
    Article = apps.get_model("fitness", "Article")
    SearchDocument = apps.get_model("fitness", "SearchDocument")
    articles = Article.objects.prefetch_related("categories", "tags").only(
        "pk", "title", "excerpt", "body_html"
    )
    batch = []
    for article in articles.iterator(chunk_size=500):
        names = [term.name for term in [*article.categories.all(), *article.tags.all()]]
        batch.append(
            SearchDocument(
                article_id=article.pk,
                title=article.title,
                terms=" ".join(names),
                excerpt=article.excerpt,
                body=plain_text(article.body_html),
            )
        )
        if len(batch) == 500:
            SearchDocument.objects.bulk_create(batch)
            batch = []
    SearchDocument.objects.bulk_create(batch)
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"UPDATE {DOCS} SET vector ="
            " setweight(to_tsvector('english', coalesce(title, '')), 'A')"
            " || setweight(to_tsvector('english', coalesce(terms, '')), 'A')"
            " || setweight(to_tsvector('english', coalesce(excerpt, '')), 'B')"
            " || setweight(to_tsvector('english', coalesce(body, '')), 'C'),"
            " ranking ="
            " setweight(to_tsvector('english', coalesce(title, '')), 'A')"
            " || setweight(to_tsvector('english', coalesce(terms, '')), 'A')"
            " || setweight(to_tsvector('english', coalesce(excerpt, '')), 'B')"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("fitness", "0007_wordpress_models_moved"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchDocument",
            fields=[
                (
                    "article",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="search_document",
                        serialize=False,
                        to="fitness.article",
                    ),
                ),
                ("title", models.TextField()),
                ("terms", models.TextField(blank=True)),
                ("excerpt", models.TextField(blank=True)),
                ("body", models.TextField(blank=True)),
                (
                    "vector",
                    django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
                ),
                (
                    "ranking",
                    django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
                ),
            ],
            options={
                "verbose_name": "search document",
            },
        ),
        migrations.RunPython(create_indexes, drop_indexes, elidable=False),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
