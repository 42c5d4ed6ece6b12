"""/search/?q=: what a reader sees of the published articles (titles, terms, excerpts, bodies), with
word forms, ranked, the match marked safely, and bounded (words, time, rate, cache). Every test
runs on both databases (SQLite's FTS5 in the SQLite run, PostgreSQL's full-text search in the
PostgreSQL run) unless marked."""

import time
from datetime import timedelta

import pytest
from django.contrib.postgres.search import SearchQuery
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from fitness.articles import search
from fitness.articles.models import Article, Category, SearchDocument, Tag
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

on_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="full-text search is PostgreSQL's (CI runs it)"
)
on_sqlite = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="FTS5 is SQLite's (the SQLite run has it)"
)


def results(client, q, **extra):
    response = client.get(reverse("articles:search"), {"q": q, **extra})
    assert response.status_code == 200
    return response


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()  # cached results and rate counters of other tests
    yield
    cache.clear()


def titles(response):
    return [article.title for article in response.context["articles"]]


@pytest.fixture
def library(db):
    return {
        "twitch": ArticleFactory(
            title="Why muscles twitch",
            excerpt="Electrolytes and energy.",
            body="A twitch after a workout is common. Magnesium may help.",
        ),
        "sleep": ArticleFactory(
            title="Sleep and recovery",
            excerpt="Rest matters.",
            body="Muscles twitching at night? Sleep more, and see a doctor if it lasts.",
        ),
        "draft": ArticleFactory(
            title="Twitch draft", status="draft", body="An unpublished twitch article."
        ),
    }


def test_an_empty_or_blank_query_says_what_to_do(client, library):
    for q in ("", "   ", "\t"):
        response = results(client, q)
        assert list(response.context["articles"]) == []
        assert "Type a word or two to search" in response.content.decode()
    assert "Type a word" in client.get(reverse("articles:search")).content.decode()


def test_no_match_is_said_plainly(client, library):
    html = results(client, "zebra").content.decode()
    assert "No article matches “zebra”" in html


def test_only_published_articles_are_found(client, library, admin_client):
    assert "Twitch draft" not in titles(results(client, "twitch"))
    assert "Twitch draft" not in titles(results(admin_client, "twitch"))  # editors too


def test_the_header_search_box_is_on_every_page(client, library):
    for url in ("/", "/privacy/", library["twitch"].get_absolute_url()):
        html = client.get(url).content.decode()
        assert '<form class="site-search d-flex" role="search" action="/search/"' in html
        assert 'name="q"' in html


def test_results_are_paginated_keeping_the_query(client, monkeypatch):
    from fitness.articles import views

    monkeypatch.setattr(views.SearchView, "paginate_by", 2)
    for n in range(5):
        ArticleFactory(title=f"Squats {n}", body="Squats for strong legs.")
    html = results(client, "squats legs", page=2).content.decode()
    assert 'href="?q=squats%20legs&amp;page=3" rel="next"' in html
    assert "5 articles found." in html
    assert '<link rel="canonical" href="http://' in html and "?q=squats+legs&amp;page=2" in html


def test_the_query_and_the_article_text_are_escaped_before_marking(client):
    ArticleFactory(
        title="<b>Bold</b> & brave squats",
        excerpt='Squats <img src=x onerror="alert(1)">',
        body="squats",
    )
    html = results(client, "<script>alert(1)</script> squats").content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "<img src=x" not in html and "<b>Bold</b>" not in html
    assert "&lt;script&gt;" in html  # the query, shown as text


def test_mark_escapes_first_and_never_marks_inside_an_entity():
    assert search.mark("Tom & <Jerry> squat", "squat &") == (
        "Tom <mark>&amp;</mark> &lt;Jerry&gt; <mark>squat</mark>"
    )
    assert search.mark("a < b", "lt") == "a &lt; b"
    assert search.mark("squat", "") == "squat"


def test_word_forms_match_both_ways(client, library):
    # "twitching" finds "twitch" and "twitch" finds "twitching"; plurals too.
    assert set(titles(results(client, "twitching"))) == {"Why muscles twitch", "Sleep and recovery"}
    assert set(titles(results(client, "twitch"))) == {"Why muscles twitch", "Sleep and recovery"}
    assert titles(results(client, "magnesiums")) == ["Why muscles twitch"]
    assert titles(results(client, "workouts")) == ["Why muscles twitch"]


def test_tags_and_categories_are_searched(client, library):
    library["twitch"].tags.add(Tag.objects.create(name="Cramps", slug="cramps"))
    library["sleep"].categories.add(Category.objects.create(name="Recovery days", slug="rd"))
    assert titles(results(client, "cramp")) == ["Why muscles twitch"]  # the tag, stemmed
    assert titles(results(client, "cramps")) == ["Why muscles twitch"]
    assert titles(results(client, "days")) == ["Sleep and recovery"]


def test_a_renamed_tag_is_found_by_its_new_name_at_once(client, library):
    tag = Tag.objects.create(name="Spasms", slug="spasms")
    library["twitch"].tags.add(tag)
    assert titles(results(client, "spasms")) == ["Why muscles twitch"]  # cached now
    tag.name = "Jerks"
    tag.save()
    assert titles(results(client, "jerks")) == ["Why muscles twitch"]
    assert titles(results(client, "spasms")) == []  # the cached answer went with the change


def test_an_edited_or_unpublished_article_is_searched_as_it_is_now(client, library):
    assert titles(results(client, "magnesium")) == ["Why muscles twitch"]
    article = library["twitch"]
    article.body = "Potassium helps."
    article.save()
    assert titles(results(client, "magnesium")) == []
    assert titles(results(client, "potassium")) == ["Why muscles twitch"]
    article.status = Article.Status.DRAFT
    article.save()
    assert titles(results(client, "potassium")) == []


def test_a_scheduled_article_is_found_once_it_is_out_with_no_save_in_between(client, library):
    """The results of a query are cached, and coming out at the scheduled time changes no row:
    the results are kept only until then."""
    out_at = timezone.now() + timedelta(seconds=2)
    ArticleFactory(title="Stretching at night", body="Stretching eases cramps.", publish_at=out_at)
    assert titles(results(client, "stretching")) == []  # cached, for at most two seconds

    time.sleep(max(0.0, (out_at - timezone.now()).total_seconds()) + 0.2)

    assert titles(results(client, "stretching")) == ["Stretching at night"]


def test_found_ids_are_kept_until_the_next_scheduled_article_comes_out(library, settings):
    settings.SEARCH_CACHE_SECONDS = 300
    now = timezone.now()
    assert search.seconds_kept(now) == 300  # nothing scheduled
    ArticleFactory(publish_at=now + timedelta(seconds=42.5))
    ArticleFactory(publish_at=now + timedelta(hours=2))
    assert search.seconds_kept(now) == 42  # gone before it comes out
    ArticleFactory(status="draft", publish_at=now + timedelta(seconds=5))  # not scheduled
    assert search.seconds_kept(now) == 42
    ArticleFactory(publish_at=now + timedelta(seconds=0.5))
    assert search.seconds_kept(now) == 0  # due within the second: not kept at all


def test_the_body_is_searched_as_readers_read_it_not_as_markdown(client):
    ArticleFactory(title="Form", body="Keep the **back** straight.\n\n- hinge at the hips")
    document = SearchDocument.objects.get()
    assert document.body == "Keep the back straight. hinge at the hips"
    assert titles(results(client, '"back straight"')) == ["Form"]


def test_title_and_terms_rank_above_the_body(client, library):
    ArticleFactory(title="Doctors", body="Sleep in the body only.")
    assert titles(results(client, "sleep"))[0] == "Sleep and recovery"


def test_web_search_syntax_reads_the_same_on_both_databases(client, library):
    assert titles(results(client, "twitch -magnesium")) == ["Sleep and recovery"]
    assert titles(results(client, '"see a doctor"')) == ["Sleep and recovery"]
    assert set(titles(results(client, "magnesium or doctor"))) == {
        "Why muscles twitch",
        "Sleep and recovery",
    }
    assert titles(results(client, "-twitch")) == []  # nothing wanted: nothing found
    # Quotes, stars, brackets and operators of the engines are read as text, never as syntax.
    for q in ('"unclosed', "twitch*", "NEAR(twitch sleep)", "title:twitch", "AND OR NOT", "^a"):
        assert results(client, q).status_code == 200


def test_the_passage_that_matched_is_marked_stems_included(client, library):
    html = results(client, "doctors").content.decode()
    assert "<mark>doctor</mark>" in html
    html = results(client, "twitching").content.decode()
    assert "Why muscles <mark>twitch</mark>" in html


def test_one_search_box_on_the_search_page(client, library):
    html = results(client, "twitch").content.decode()
    assert html.count('role="search"') == 1
    assert 'id="search-page-q"' in html and 'id="site-search-q"' not in html


def test_a_long_query_searches_its_first_words_and_says_what_was_left_out(client, library):
    words = " ".join(["twitch"] + [f"word{n}" for n in range(39)])  # 40 words
    html = results(client, words).content.decode()
    assert "Only the first 12 words were searched" in html
    assert "word11 word12" in html  # the left-out words are named
    parsed = search.parse(words)
    assert sum(len(term.words) for term in parsed.terms) == 12


def search_from(client, q, address):
    return client.get(reverse("articles:search"), {"q": q}, REMOTE_ADDR=address)


def test_a_burst_from_one_network_is_refused_with_a_clear_message(client, library, settings):
    settings.SEARCH_RATE_PER_MINUTE = 5
    for n in range(5):
        assert search_from(client, f"twitch{n}", "2001:db8::1").status_code == 200
    response = search_from(client, "sleep", "2001:db8::99")  # the same /64
    assert response.status_code == 429
    assert int(response["Retry-After"]) <= 60
    assert "Too many searches from your network" in response.content.decode()
    # A query already answered costs nothing and is still served; another network is not held.
    assert search_from(client, "twitch1", "2001:db8::2").status_code == 200
    assert search_from(client, "sleep", "2001:db8:1::1").status_code == 200


def test_a_repeated_query_is_served_from_the_cache(client, library):
    with CaptureQueriesContext(connection) as first:
        results(client, "twitch")
    with CaptureQueriesContext(connection) as again:
        results(client, "twitch")

    # The ranking of every match runs once; the second time only the page's passages are marked.
    def ranked(queries):
        return [q for q in queries if "bm25(" in q["sql"] or "ts_rank(" in q["sql"]]

    assert len(ranked(first.captured_queries)) == 1
    assert ranked(again.captured_queries) == []


def test_the_results_page_costs_the_same_queries_whatever_the_number_found(
    client, django_assert_max_num_queries
):
    for n in range(3):
        ArticleFactory(title=f"Lunges {n}", body="Lunges for legs.")
    cache.clear()
    # On a miss: the search, how long to keep it (the next scheduled article), the page.
    with django_assert_max_num_queries(13) as small:
        results(client, "lunges")
    for n in range(30):
        ArticleFactory(title=f"More lunges {n}", body="Lunges again.")
    cache.clear()
    with django_assert_max_num_queries(len(small.captured_queries)):
        results(client, "lunges")


def test_a_query_that_runs_too_long_is_stopped_with_a_clear_message(client, library, settings):
    settings.SEARCH_TIMEOUT_MS = 50
    if connection.vendor == "postgresql":
        slow = "SELECT pg_sleep(2)"
    else:  # SQLite: a query that keeps the VM busy well past 50 ms
        slow = (
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 50000000)"
            " SELECT count(*) FROM n"
        )

    def busy(query):
        with connection.cursor() as cursor:
            cursor.execute(slow)
        return []

    from unittest import mock

    with (
        mock.patch.object(search, "_postgres_ids", busy),
        mock.patch.object(search, "_sqlite_ids", busy),
    ):
        response = client.get("/search/", {"q": "twitch"})
    assert response.status_code == 503
    assert "That search took too long" in response.content.decode()
    # The next search runs normally (the timeout ended with its query).
    assert titles(results(client, "magnesium")) == ["Why muscles twitch"]


@on_sqlite
def test_sqlite_searches_with_fts5_and_the_porter_stemmer(library):
    with connection.cursor() as cursor:
        cursor.execute("SELECT sql FROM sqlite_master WHERE name = 'fitness_search_fts'")
        (sql,) = cursor.fetchone()
    assert "fts5" in sql and "porter" in sql


@on_postgres
def test_the_gin_index_serves_the_stored_vector(library):
    query = SearchQuery("twitch", search_type="websearch", config="english")
    matching = SearchDocument.objects.filter(vector=query).only("pk")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    plan = matching.explain()
    assert "fitness_search_vector" in plan, plan
