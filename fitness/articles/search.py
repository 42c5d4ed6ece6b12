"""
Searching the published articles.

PostgreSQL: full-text search in English (stemming: "twitching" finds "twitch"), weighted
title (A) > excerpt (B) > body (C), the reader's words read as a web search (`"exact phrase"`,
`-word`, `or`), ranked by `SearchRank`, the match highlighted by `SearchHeadline`. The vector
is the expression of the GIN index `article_search` (fitness/articles/migrations/0006): change
one, change the other (tests/fitness/articles/test_search.py checks the index serves the query).

Elsewhere (SQLite, in development): every word must appear (icontains) in the title, excerpt or
body; the newest first; the words marked in the summary after it is escaped.
"""

import re

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import F, Q
from django.utils.html import escape
from django.utils.safestring import mark_safe

from fitness.articles.models import Article

CONFIG = "english"
MAX_QUERY_LENGTH = 200
# <mark> cannot come from the article's text: SearchHeadline marks with these, the text is
# escaped, then they become tags.
START, STOP = "\x02", "\x03"


def vector():
    return (
        SearchVector("title", weight="A", config=CONFIG)
        + SearchVector("excerpt", weight="B", config=CONFIG)
        + SearchVector("body", weight="C", config=CONFIG)
    )


def clean_query(raw: str) -> str:
    """The reader's words, trimmed and with runs of spaces made one ("" when there are none)."""
    return " ".join(str(raw or "").split())[:MAX_QUERY_LENGTH]


def search(raw: str):
    """The published articles matching `raw`, best first; None when `raw` has no words."""
    query = clean_query(raw)
    if not query:
        return None
    articles = Article.objects.for_listing()
    if connection.vendor == "postgresql":
        return _postgres(articles, query)
    return _fallback(articles, query)


def _postgres(articles, query):
    search_query = SearchQuery(query, search_type="websearch", config=CONFIG)
    return (
        articles.alias(search=vector())
        .filter(search=search_query)
        .annotate(
            rank=SearchRank(F("search"), search_query),
            # The passage of the body where the words are (its Markdown marks are dropped).
            headline_text=SearchHeadline(
                "body",
                search_query,
                config=CONFIG,
                start_sel=START,
                stop_sel=STOP,
                max_words=35,
                min_words=15,
            ),
            headline_title=SearchHeadline(
                "title",
                search_query,
                config=CONFIG,
                start_sel=START,
                stop_sel=STOP,
                highlight_all=True,
            ),
        )
        .order_by("-rank", "-publish_at")
    )


def words(query: str) -> list[str]:
    """The words of the query for the fallback (quotes and a leading minus dropped)."""
    return [w for w in (part.strip('"').lstrip("-") for part in query.split()) if w]


def _fallback(articles, query):
    terms = words(query)
    condition = Q()
    for word in terms:
        condition &= Q(title__icontains=word) | Q(excerpt__icontains=word) | Q(body__icontains=word)
    return articles.filter(condition).order_by("-publish_at")


def mark(text: str, query: str):
    """`text` as safe HTML with each word of `query` in <mark> (case-insensitive). The words
    are found in the plain text and every piece is escaped, so no mark lands inside an
    entity ("lt" in "&lt;") and nothing of the text or the query is markup."""
    terms = sorted({w.lower() for w in words(query)}, key=len, reverse=True)
    if not terms:
        return mark_safe(escape(text))
    pattern = re.compile("|".join(re.escape(term) for term in terms), re.IGNORECASE)
    parts, last = [], 0
    for found in pattern.finditer(text):
        parts += [escape(text[last : found.start()]), f"<mark>{escape(found.group(0))}</mark>"]
        last = found.end()
    parts.append(escape(text[last:]))
    return mark_safe("".join(parts))


MARKDOWN_MARKS = re.compile(r"[#*_`|>]+|\[|\]\([^)]*\)")


def highlighted(text: str):
    """SearchHeadline's output (marked with START/STOP) as safe HTML: escaped, then marked."""
    text = MARKDOWN_MARKS.sub("", text)
    html = escape(text).replace(START, "<mark>").replace(STOP, "</mark>")
    return mark_safe(html)


def decorate(articles, query: str):
    """Give each article of a page `.title_html` and `.summary_html`, the match marked."""
    for article in articles:
        if hasattr(article, "headline_text"):
            article.title_html = highlighted(article.headline_title)
            article.summary_html = highlighted(article.headline_text)
        else:
            article.title_html = mark(article.title, query)
            article.summary_html = mark(article.summary, query)
    return articles
