"""
What the search reads of an article: one row per article with the words a reader sees.

An article's searchable text is its title, its categories' and tags' names, its excerpt and the
plain text of its rendered body (what readers read, not the Markdown). `SearchDocument.refresh`
writes those rows; `Article.save()` and `Article.touch()` (every change of a term, an author
or an image an article shows goes through it, fitness/articles/signal_handlers.py) call it, so
the index is current after any change a page would show.

Each database indexes the row its own way (fitness/articles/migrations/0008):
- PostgreSQL: `vector`, a stored tsvector (title and terms weighted A, excerpt B, body C) with a
  GIN index, finds the matches; `ranking`, a small one without the body, orders them. Both are
  written by the same `refresh` (`ts_rank` over `to_tsvector(body)` parsed every matching
  article again: 2.8 s for one word at 3,467 articles).
- SQLite: an FTS5 table with the porter stemmer (`fitness_search_fts`) over these rows, kept
  current by triggers on this table.
"""

import time
from html import unescape

from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import connection, models
from django.utils.html import strip_tags

from fitness.core import tolerant_cache

CONFIG = "english"  # PostgreSQL's text search configuration (stemming, stop words)
FTS_TABLE = "fitness_search_fts"  # SQLite's FTS5 table over SearchDocument
# The shared cache's key whose value moves on every write here: cached results are keyed by it.
GENERATION = "search:generation"


def stored_vector():
    """The expression `vector` holds (written by `refresh`, on PostgreSQL only)."""
    return (
        SearchVector("title", weight="A", config=CONFIG)
        + SearchVector("terms", weight="A", config=CONFIG)
        + SearchVector("excerpt", weight="B", config=CONFIG)
        + SearchVector("body", weight="C", config=CONFIG)
    )


def ranking_vector():
    """The small vector results are ranked by: title and terms (A), excerpt (B). Ranking by
    `vector` meant reading every match's whole body vector (13.6 KB each, out of line): 430 ms
    for one common word at 10,000 articles, against 7 ms for finding the matches."""
    return (
        SearchVector("title", weight="A", config=CONFIG)
        + SearchVector("terms", weight="A", config=CONFIG)
        + SearchVector("excerpt", weight="B", config=CONFIG)
    )


def plain_text(html: str) -> str:
    """Rendered HTML as the words a reader sees: tags dropped, entities read, blocks apart."""
    return " ".join(unescape(strip_tags(html.replace("<", " <"))).split())


class SearchDocument(models.Model):
    article = models.OneToOneField(
        "fitness.Article",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="search_document",
    )
    title = models.TextField()
    terms = models.TextField(blank=True)  # the names of its categories and tags
    excerpt = models.TextField(blank=True)
    body = models.TextField(blank=True)  # plain text of the rendered body
    # PostgreSQL only (a plain unused column elsewhere); its GIN index is made by migration 0008.
    vector = SearchVectorField(null=True, editable=False)
    ranking = SearchVectorField(null=True, editable=False)  # PostgreSQL only: ranking_vector()

    class Meta:
        verbose_name = "search document"

    def __str__(self):
        return self.title

    @classmethod
    def refresh(cls, article_pks):
        """Write the rows of these articles from what they show now (a few queries whatever
        their number: the articles, their terms, one upsert, and on PostgreSQL one UPDATE)."""
        from fitness.articles.models.articles import Article

        pks = {pk for pk in article_pks if pk is not None}
        if not pks:
            return
        articles = (
            Article.objects.filter(pk__in=pks)
            .only("pk", "title", "excerpt", "body_html")
            .prefetch_related("categories", "tags")
        )
        documents = [
            cls(
                article_id=article.pk,
                title=article.title,
                terms=" ".join(
                    term.name for term in [*article.categories.all(), *article.tags.all()]
                ),
                excerpt=article.excerpt,
                body=plain_text(article.body_html),
            )
            for article in articles
        ]
        cls.objects.bulk_create(
            documents,
            update_conflicts=True,
            unique_fields=["article"],
            update_fields=["title", "terms", "excerpt", "body"],
        )
        if connection.vendor == "postgresql" and documents:
            cls.objects.filter(pk__in=[d.article_id for d in documents]).update(
                vector=stored_vector(), ranking=ranking_vector()
            )
        tolerant_cache.set(GENERATION, time.time_ns(), None)
