"""/search/?q=: published articles only, the match marked safely; PostgreSQL's full-text search
(stemming, weights, the GIN index) in the PostgreSQL run, the simple fallback on SQLite."""

import pytest
from django.contrib.postgres.search import SearchQuery
from django.db import connection
from django.urls import reverse

from fitness.articles import search
from fitness.articles.models import Article
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

on_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="full-text search is PostgreSQL's (CI runs it)"
)
on_sqlite = pytest.mark.skipif(
    connection.vendor == "postgresql", reason="the icontains fallback is for other databases"
)


def results(client, q, **extra):
    response = client.get(reverse("articles:search"), {"q": q, **extra})
    assert response.status_code == 200
    return response


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


@on_sqlite
def test_the_fallback_finds_every_word_anywhere_and_marks_them(client, library):
    # "twitch" is in "twitching": the fallback matches parts of words, newest first.
    assert titles(results(client, "muscles twitch")) == ["Sleep and recovery", "Why muscles twitch"]
    assert titles(results(client, "magnesium workout")) == ["Why muscles twitch"]
    html = results(client, "TWITCH").content.decode()
    assert "Why muscles <mark>twitch</mark>" in html


@on_postgres
def test_postgres_stems_english_words(client, library):
    # "twitching" finds "twitch" (and "twitch" finds "twitching").
    assert set(titles(results(client, "twitching"))) == {"Why muscles twitch", "Sleep and recovery"}
    assert titles(results(client, "magnesiums")) == ["Why muscles twitch"]


@on_postgres
def test_postgres_ranks_the_title_above_the_body_and_reads_web_search_syntax(client, library):
    ArticleFactory(title="Doctors", body="Sleep in the body only.")
    assert titles(results(client, "sleep"))[0] == "Sleep and recovery"  # title (A) over body (C)
    assert titles(results(client, "twitch -magnesium")) == ["Sleep and recovery"]
    assert titles(results(client, '"see a doctor"')) == ["Sleep and recovery"]


@on_postgres
def test_postgres_highlights_the_passage_of_the_body_that_matched(client, library):
    html = results(client, "doctor").content.decode()
    assert "<mark>doctor</mark>" in html
    html = results(client, "twitching").content.decode()
    assert "Why muscles <mark>twitch</mark>" in html


@on_postgres
def test_the_gin_index_serves_the_search_expression(library):
    query = SearchQuery("twitch", search_type="websearch", config=search.CONFIG)
    matching = Article.objects.alias(v=search.vector()).filter(v=query).only("id")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    plan = matching.explain()
    assert "article_search" in plan, plan
