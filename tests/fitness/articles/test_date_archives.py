"""Date archives as WordPress had them: /YYYY/, /YYYY/MM/, /YYYY/MM/DD/ (issue 31)."""

from datetime import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from fitness.articles import archives, views
from fitness.articles.models import Page
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def at(*parts):
    return timezone.make_aware(datetime(*parts))


@pytest.fixture
def spring_2010(db):
    return [
        ArticleFactory(title="Early march", publish_at=at(2010, 3, 1, 8)),
        ArticleFactory(title="Ides of march", publish_at=at(2010, 3, 15, 9)),
        ArticleFactory(title="Late march", publish_at=at(2010, 3, 31, 23, 59)),
        ArticleFactory(title="In june", publish_at=at(2010, 6, 2, 10)),
        ArticleFactory(title="Next year", publish_at=at(2011, 1, 1, 0, 0)),
        ArticleFactory(title="A draft of march", publish_at=at(2010, 3, 20), status="draft"),
    ]


def titles(response):
    return [a.title for a in response.context["articles"]]


def test_a_year_lists_its_articles_newest_first_and_its_months(client, spring_2010):
    response = client.get("/2010/")
    html = response.content.decode()
    assert response.status_code == 200
    assert titles(response) == ["In june", "Late march", "Ides of march", "Early march"]
    assert "<h1>2010</h1>" in html and "<title>2010 · Fitness</title>" in html
    assert '<a href="/2010/03/">March 2010</a> (3)' in html
    assert '<a href="/2010/06/">June 2010</a> (1)' in html
    assert "A draft of march" not in html
    assert response["Cache-Control"].startswith("public")  # a shared page, like the others


def test_a_month_and_a_day_with_their_way_up(client, spring_2010):
    month = client.get("/2010/03/")
    assert titles(month) == ["Late march", "Ides of march", "Early march"]
    html = month.content.decode()
    assert "<h1>March 2010</h1>" in html and '<a href="/2010/">2010</a>' in html
    day = client.get("/2010/03/15/")
    html = day.content.decode()
    assert titles(day) == ["Ides of march"]
    assert "<h1>March 15, 2010</h1>" in html
    assert '<a href="/2010/03/">March 2010</a>' in html
    assert "Articles published on March 15, 2010 on Fitness." in html


@pytest.mark.parametrize(
    "path",
    ["/2012/", "/2010/04/", "/2010/03/16/", "/2010/13/", "/2010/02/30/", "/0000/", "/2010/00/"],
)
def test_an_empty_period_or_no_date_is_a_404(client, spring_2010, path):
    assert client.get(path).status_code == 404


def test_a_short_month_or_day_answers_301_to_the_one_address(client, spring_2010):
    response = client.get("/2010/3/5/?page=1")
    assert response.status_code == 301 and response["Location"] == "/2010/03/05/?page=1"
    assert client.get("/2010/3/")["Location"] == "/2010/03/"


def test_a_month_is_paginated(client, spring_2010, monkeypatch):
    monkeypatch.setattr(views.DateArchiveView, "paginate_by", 2)
    first, second = client.get("/2010/"), client.get("/2010/?page=2")
    assert titles(first) == ["In june", "Late march"]
    assert titles(second) == ["Ides of march", "Early march"]
    assert "<title>2010 (page 2) · Fitness</title>" in second.content.decode()
    assert client.get("/2010/?page=3").status_code == 404


def test_the_archive_reads_the_same_number_of_queries_for_1_or_12_articles(client):
    def queries():
        client.get("/2010/")  # warm: menus cached, templates compiled
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/2010/").status_code == 200
        return len(captured)

    ArticleFactory(publish_at=at(2010, 1, 5))
    one = queries()
    for month in range(1, 12):
        ArticleFactory(publish_at=at(2010, month + 1, 5))
    assert queries() == one


def test_an_article_dates_links_to_its_month(client, spring_2010):
    html = client.get(spring_2010[1].get_absolute_url()).content.decode()
    assert '<a class="article-date" href="/2010/03/" title="Articles of March 2010">' in html


def test_periods_from_wordpress_m():
    assert archives.Period.from_wordpress_m("201003").url == "/2010/03/"
    assert archives.Period.from_wordpress_m("20100315093000").url == "/2010/03/15/"
    assert archives.Period.from_wordpress_m("2010").url == "/2010/"
    for bad in ("", "20", "201013", "abcd", "２０１０", "20100230"):
        assert archives.Period.from_wordpress_m(bad) is None


def test_a_page_may_not_take_a_years_address():
    from django.core.exceptions import ValidationError

    page = Page(title="2010", slug="2010", body="x")
    with pytest.raises(ValidationError):
        page.full_clean()
