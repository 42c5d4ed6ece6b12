"""
Searching the published articles: what a reader sees of them, with word forms, bounded.

What is searched is each article's `SearchDocument` (fitness/articles/models/search.py): its
title and its categories' and tags' names (weighted first), its excerpt, then the plain text of
its body. Word forms match on both databases ("cramps" finds "cramp", "stretching" finds
"stretch"): PostgreSQL's English configuration over a stored tsvector with a GIN index, and on
SQLite an FTS5 table with the porter stemmer (in Python's own sqlite3).

The reader's words are read as a web search (`"exact phrase"`, `-word`, `or`), the same on both
databases (`parse`). One query's work is bounded:
- at most SEARCH_MAX_WORDS words (the page says what was left out);
- the database stops it after SEARCH_TIMEOUT_MS (a statement timeout on PostgreSQL, a progress
  handler on SQLite): the reader is asked for fewer or more precise words;
- at most 1,000 results are ranked and kept;
- each network runs SEARCH_RATE_PER_MINUTE searches a minute that are not cached (a 429 page
  says how long to wait); the found ids of a query are cached for SEARCH_CACHE_SECONDS, and any
  change to an article's search row starts them afresh (`GENERATION`); so does the moment a
  scheduled article comes out (no row changes then: the results are kept no longer).

A page of results is then the page's articles (one query) and their marked passages (one).
"""

import hashlib
import math
import re
import time
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import OperationalError, connection, transaction
from django.db.models import F, Min
from django.db.models.functions import Left
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe

from fitness.articles.models import Article, SearchDocument
from fitness.articles.models.search import CONFIG, FTS_TABLE, GENERATION
from fitness.core import tolerant_cache

MAX_QUERY_LENGTH = 200
MAX_RESULTS = 1000
# <mark> cannot come from the article's text: the databases mark with these, the text is
# escaped, then they become tags.
START, STOP = "\x02", "\x03"
HEADLINE_CHARACTERS = 3000
# FTS5's bm25 weights for its columns: title, terms, excerpt, body.
FTS_WEIGHTS = (10.0, 8.0, 4.0, 1.0)

WORD = re.compile(r"\w+")
TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')


class Refused(Exception):
    """The search was not run; `message` says why and what to do, `status` is the answer's."""

    def __init__(self, message, status, retry_after=None):
        super().__init__(message)
        self.message = message
        self.status = status
        self.retry_after = retry_after


@dataclass(frozen=True)
class Term:
    words: tuple  # one word, or a phrase's words in order
    negated: bool = False
    or_before: bool = False  # "a or b": b is the other choice to what came before


@dataclass
class Query:
    terms: list = field(default_factory=list)
    left_out: list = field(default_factory=list)  # words past SEARCH_MAX_WORDS

    @property
    def wanted(self):
        return [term for term in self.terms if not term.negated]

    def web_search(self):
        """The terms as PostgreSQL's websearch_to_tsquery reads them."""
        parts = []
        for term in self.terms:
            if term.or_before and parts:
                parts.append("or")
            text = " ".join(term.words)
            text = f'"{text}"' if len(term.words) > 1 else text
            parts.append(f"-{text}" if term.negated else text)
        return " ".join(parts)

    def fts5(self):
        """The terms as an FTS5 MATCH expression: the wanted words (implicit AND, OR), then
        NOT each unwanted one. Only \\w words are quoted, so no reader's text is syntax."""
        parts = []
        for term in self.wanted:
            if term.or_before and parts:
                parts.append("OR")
            parts.append('"' + " ".join(term.words) + '"')
        expression = "(" + " ".join(parts) + ")"
        for term in self.terms:
            if term.negated:
                expression += ' NOT "' + " ".join(term.words) + '"'
        return expression

    def key(self):
        text = self.web_search().lower()
        return hashlib.sha256(f"{connection.vendor}:{text}".encode()).hexdigest()[:32]

    def highlight_words(self):
        return sorted({w.lower() for t in self.wanted for w in t.words}, key=len, reverse=True)


def clean_query(raw: str) -> str:
    """The reader's words, trimmed and with runs of spaces made one ("" when there are none)."""
    return " ".join(str(raw or "").split())[:MAX_QUERY_LENGTH]


def parse(text: str, max_words: int | None = None) -> Query:
    """The reader's words as terms: `"a phrase"`, `-unwanted`, `or` between two choices."""
    max_words = settings.SEARCH_MAX_WORDS if max_words is None else max_words
    query, used, or_next = Query(), 0, False
    for found in TOKEN.finditer(text):
        minus, phrase, bare = found.groups()
        if bare is not None:
            if bare.lower() == "or":
                or_next = bool(query.terms)
                continue
            minus, phrase = ("-", bare[1:]) if bare.startswith("-") else ("", bare)
        words = tuple(WORD.findall(phrase))
        if not words:
            continue
        if used + len(words) > max_words:
            query.left_out.extend(words)
            continue
        used += len(words)
        query.terms.append(Term(words, negated=bool(minus), or_before=or_next))
        or_next = False
    return query


@dataclass
class Found:
    query: Query
    ids: list  # the published articles' ids, best first


def find(raw: str, network: str = "") -> Found | None:
    """The published articles matching the reader's words, best first (ids); None when there
    is no word to look for. Raises Refused past the rate limit or the time limit."""
    query = parse(clean_query(raw))
    if not query.wanted:
        return None
    key = f"search:{tolerant_cache.get(GENERATION, 0)}:{query.key()}"
    ids = tolerant_cache.get(key)
    if ids is None:
        _count(network)
        ids = _bounded(_postgres_ids if connection.vendor == "postgresql" else _sqlite_ids, query)
        seconds = seconds_kept()
        if seconds:
            tolerant_cache.set(key, ids, seconds)
    return Found(query, ids)


def seconds_kept(now=None) -> int:
    """How long found ids are kept: SEARCH_CACHE_SECONDS, or less, so that they are gone when
    the next scheduled article is published (a time passing changes no row, so nothing else
    starts them afresh; scheduling one is a save, which does); 0: not kept (it is due within
    the second, and caches count whole seconds)."""
    seconds = settings.SEARCH_CACHE_SECONDS
    due = Article.objects.scheduled().aggregate(first=Min("publish_at"))["first"]
    if due is not None:
        until = (due - (now or timezone.now())).total_seconds()
        seconds = max(0, min(seconds, math.floor(until)))
    return seconds


def _count(network):
    limit = settings.SEARCH_RATE_PER_MINUTE
    if not limit or not network:
        return
    digest = hashlib.sha256(network.encode()).hexdigest()[:24]
    minute = int(time.time() // 60)
    count = tolerant_cache.count(f"search:rate:{digest}:{minute}", 90)
    if count is not None and count > limit:
        raise Refused(
            "Too many searches from your network in the last minute. "
            "Please wait a minute and search again.",
            status=429,
            retry_after=60 - int(time.time()) % 60,
        )


QUERY_CANCELED = "57014"  # PostgreSQL's code for a statement stopped by its timeout
TOO_SLOW = (
    "That search took too long, so it was stopped. Try fewer words, or more precise ones "
    "(a phrase in quotes, or a word that names the topic)."
)


def _bounded(run, query):
    """`run(query)` with the database told to give up after SEARCH_TIMEOUT_MS (0: never)."""
    milliseconds = settings.SEARCH_TIMEOUT_MS
    if connection.vendor == "postgresql":
        try:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    if milliseconds:
                        cursor.execute("SET LOCAL statement_timeout = %s", [milliseconds])
                    # Find matches through the GIN index (a bitmap scan): the planner, blind
                    # to the cost of reading each body's vector (13.6 KB, out of line), chose
                    # to read them all by a scan of the table or its key (405 ms at 10,000
                    # articles, against 75 ms this way, ranking included).
                    cursor.execute("SET LOCAL enable_seqscan = off")
                    cursor.execute("SET LOCAL enable_indexscan = off")
                return run(query)
        except OperationalError as error:
            if getattr(error.__cause__, "sqlstate", None) == QUERY_CANCELED:
                raise Refused(TOO_SLOW, status=503) from error
            raise
    if not milliseconds:
        return run(query)
    connection.ensure_connection()
    deadline = time.monotonic() + milliseconds / 1000
    raw = connection.connection
    raw.set_progress_handler(lambda: int(time.monotonic() > deadline), 10_000)
    try:
        return run(query)
    except OperationalError as error:
        if "interrupted" in str(error):
            raise Refused(TOO_SLOW, status=503) from error
        raise
    finally:
        raw.set_progress_handler(None, 0)


def _postgres_ids(query):
    search_query = SearchQuery(query.web_search(), search_type="websearch", config=CONFIG)
    found = (
        Article.objects.published()
        .filter(search_document__vector=search_query)
        .annotate(rank=SearchRank(F("search_document__ranking"), search_query))
        .order_by("-rank", "-publish_at")
        .values_list("pk", flat=True)
    )
    return list(found[:MAX_RESULTS])


def _sqlite_ids(query):
    # A join, not `rowid IN (published ids)`: with IN, FTS5 looked every id up (1.1 s, not
    # 47 ms, for one common word at 2,000 articles).
    weights = ", ".join(str(w) for w in FTS_WEIGHTS)
    found = (
        Article.objects.published()
        .extra(
            tables=[FTS_TABLE],
            where=[f"{FTS_TABLE}.rowid = fitness_article.id", f"{FTS_TABLE} MATCH %s"],
            params=[query.fts5()],
            select={"score": f"bm25({FTS_TABLE}, {weights})"},
            order_by=["score", "-publish_at"],
        )
        .values_list("pk", flat=True)
    )
    return list(found[:MAX_RESULTS])


def page(ids, found: Found):
    """The articles of one page of results, in the results' order, each with `.title_html`
    and `.summary_html`: the matched words marked (stems included), everything escaped."""
    articles = Article.objects.for_listing().in_bulk(list(ids))
    marked = _marked(list(articles), found.query)
    shown = []
    for pk in ids:
        article = articles.get(pk)
        if article is None:  # unpublished since the results were cached
            continue
        title, passage = marked.get(pk, ("", ""))
        article.title_html = highlighted(title) if START in title else mark(article.title, "")
        if passage and START in passage:
            article.summary_html = highlighted(passage)
        else:
            article.summary_html = mark(article.summary, "")
        shown.append(article)
    return shown


def _marked(ids, query):
    """{id: (title, passage of the body)} marked with START/STOP where the words matched."""
    if not ids:
        return {}
    if connection.vendor == "postgresql":
        search_query = SearchQuery(query.web_search(), search_type="websearch", config=CONFIG)
        rows = SearchDocument.objects.filter(pk__in=ids).annotate(
            marked_title=SearchHeadline(
                "title",
                search_query,
                config=CONFIG,
                start_sel=START,
                stop_sel=STOP,
                highlight_all=True,
            ),
            # Within the body's first HEADLINE_CHARACTERS: ts_headline parses all it is given
            # (4.5 ms for one 7.5 KB body); a match further on shows the summary instead.
            marked_body=SearchHeadline(
                Left("body", HEADLINE_CHARACTERS),
                search_query,
                config=CONFIG,
                start_sel=START,
                stop_sel=STOP,
                max_words=35,
                min_words=15,
            ),
        )
        return {row.pk: (row.marked_title, row.marked_body) for row in rows}
    with connection.cursor() as cursor:
        marks = f"'{START}', '{STOP}'"
        cursor.execute(
            f"SELECT rowid, highlight({FTS_TABLE}, 0, {marks}),"
            f" snippet({FTS_TABLE}, 3, {marks}, '…', 30)"
            f" FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s AND rowid IN"
            f" ({', '.join('%s' for _ in ids)})",
            [query.fts5(), *ids],
        )
        return {row[0]: (row[1], row[2]) for row in cursor.fetchall()}


def words(query: str) -> list[str]:
    """The words of a query (quotes and a leading minus dropped)."""
    return [w for w in (part.strip('"').lstrip("-") for part in query.split()) if w]


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


def highlighted(text: str):
    """A database's marked text (START/STOP) as safe HTML: escaped, then marked."""
    html = escape(text).replace(START, "<mark>").replace(STOP, "</mark>")
    return mark_safe(html)
