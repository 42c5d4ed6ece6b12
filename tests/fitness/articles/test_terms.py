"""Categories and tags: models, the migration of the old free-text category, archive pages,
their feeds, the header's menu and the admin."""

import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fitness.articles import navigation, views
from fitness.articles.models import Article, Category, Tag
from tests.factories import ArticleFactory, CategoryFactory, TagFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def recovery(db):
    return CategoryFactory(
        name="Recovery", slug="recovery", description="Rest days, sleep & what helps."
    )


def queries_for(client, url):
    client.get(url)  # warm: the menu in the cache, the templates compiled
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_a_category_page_lists_its_published_articles_under_its_description(client, recovery):
    mine = ArticleFactory(title="Rest days", categories=[recovery])
    ArticleFactory(title="Sprints")  # in Fitness only
    ArticleFactory(title="Secret draft", status="draft", categories=[recovery])

    html = client.get(recovery.get_absolute_url()).content.decode()

    assert "<h1>Recovery</h1>" in html
    assert '<p class="lead">Rest days, sleep &amp; what helps.</p>' in html
    assert mine.title in html and "Sprints" not in html and "Secret draft" not in html
    assert f'<a href="{recovery.get_absolute_url()}">Recovery</a>' in html  # the card's link


def test_a_tag_page_and_an_unknown_term(client):
    cramps = TagFactory(name="cramps", slug="cramps")
    ArticleFactory(title="Night cramps", tags=[cramps])
    html = client.get("/tag/cramps/").content.decode()
    assert "<h1>cramps</h1>" in html and "Night cramps" in html
    assert client.get("/tag/nope/").status_code == 404
    assert client.get("/category/nope/").status_code == 404


def test_archive_pages_are_paginated_and_canonical_to_themselves(
    client, settings, monkeypatch, recovery
):
    monkeypatch.setattr(views.CategoryView, "paginate_by", 2)  # read when the class is made
    for n in range(5):
        ArticleFactory(title=f"Rest {n}", categories=[recovery])
    page2 = client.get(recovery.get_absolute_url() + "?page=2").content.decode()
    canonical = f'<link rel="canonical" href="{settings.SITE_URL}/category/recovery/?page=2">'
    assert canonical in page2
    assert 'href="?page=3" rel="next"' in page2 and 'href="?page=1" rel="prev"' in page2
    assert client.get(recovery.get_absolute_url() + "?page=9").status_code == 404


def test_each_archive_has_its_own_feed_linked_from_its_page(client, recovery):
    ArticleFactory(title="Rest days", categories=[recovery])
    ArticleFactory(title="Sprints")
    feed_url = reverse("articles:category_feed", kwargs={"slug": "recovery"})

    html = client.get(recovery.get_absolute_url()).content.decode()
    assert (
        f'<link rel="alternate" type="application/rss+xml" title="Fitness: Recovery" '
        f'href="{feed_url}">' in html
    )
    channel = ET.fromstring(client.get(feed_url).content).find("channel")
    assert channel.findtext("title") == "Fitness: Recovery"
    assert channel.findtext("description") == "Rest days, sleep & what helps."
    assert [i.findtext("title") for i in channel.findall("item")] == ["Rest days"]
    assert [c.text for c in channel.find("item").findall("category")] == ["Recovery"]
    assert client.get("/tag/nope/feed/").status_code == 404


def test_the_main_feed_lists_categories_and_tags_of_each_article(client):
    ArticleFactory(title="Night cramps", tags=[TagFactory(name="cramps", slug="cramps")])
    item = ET.fromstring(client.get(reverse("articles:feed")).content).find("channel/item")
    assert [c.text for c in item.findall("category")] == ["Fitness", "cramps"]


def test_list_pages_need_the_same_queries_for_2_or_12_articles(client):
    recovery = CategoryFactory(name="Recovery", slug="recovery")
    cramps = TagFactory(name="cramps", slug="cramps")
    writer = UserFactory(username="dana")
    urls = ["/", "/category/recovery/", "/tag/cramps/", "/search/?q=note", "/author/dana/"]

    def make(n):
        for _ in range(n):
            article = ArticleFactory(
                categories=[recovery, CategoryFactory()], tags=[cramps], author=writer
            )
            Article.objects.filter(pk=article.pk).update(comment_count=3)

    make(2)
    few = [queries_for(client, url) for url in urls]
    make(10)
    many = [queries_for(client, url) for url in urls]
    assert few == many
    # count + page + the page's categories; archives read their term first.
    assert few[0] <= 3 and few[1] <= 4 and few[2] <= 4 and few[3] <= 3 and few[4] <= 4, few


def test_a_card_names_its_article_in_every_link_and_the_footer_has_the_feeds(client):
    ArticleFactory(title="Squats", slug="squats")
    html = client.get("/").content.decode()
    assert (
        '<a class="read-more" href="/articles/squats/">Read more'
        '<span class="visually-hidden"> about Squats</span>' in html
    )
    assert '<span class="visually-hidden"> on Squats</span>' in html  # the comment count link
    footer = html.split("<footer")[1]
    assert (
        'href="/feed/">Articles RSS' in footer and 'href="/comments/feed/">Comments RSS' in footer
    )
    assert 'href="/privacy/"' in footer


def test_the_header_lists_categories_with_published_articles_from_the_cache(client, recovery):
    ArticleFactory(title="Sprints")
    CategoryFactory(name="Empty", slug="empty")
    navigation.forget()
    html = client.get("/privacy/").content.decode()
    assert '<nav class="category-nav" aria-label="Categories">' in html
    assert '<li><a href="/category/fitness/">Fitness</a></li>' in html
    assert "/category/empty/" not in html and "/category/recovery/" not in html
    # Cached: the header costs no query on the next page.
    assert queries_for(client, "/privacy/") == 0

    # A new article in Recovery shows it at once (the entry is dropped on the change).
    ArticleFactory(title="Rest days", categories=[recovery])
    html = client.get("/privacy/").content.decode()
    assert '<a href="/category/recovery/">Recovery</a>' in html
    recovery.name = "Rest & recovery"
    recovery.save()
    assert "Rest &amp; recovery" in client.get("/privacy/").content.decode()


def test_the_current_category_is_marked_in_the_header(client, recovery):
    ArticleFactory(categories=[recovery])
    html = client.get("/category/recovery/").content.decode()
    assert '<a href="/category/recovery/" aria-current="page">Recovery</a>' in html


def test_the_admin_lists_terms_with_article_counts_and_searches_them(admin_client, recovery):
    ArticleFactory(categories=[recovery])
    ArticleFactory(categories=[recovery])
    changelist = reverse("admin:fitness_category_changelist")
    html = admin_client.get(changelist + "?q=sleep").content.decode()
    assert "Recovery" in html and '<td class="field-article_count">2</td>' in html
    assert "Fitness" not in html.split('id="result_list"')[1]
    add = admin_client.get(reverse("admin:fitness_tag_add")).content.decode()
    assert "prepopulated" in add  # the slug follows the name


def test_the_article_admin_picks_several_categories_and_tags(admin_client, recovery):
    cramps = TagFactory(name="cramps", slug="cramps")
    response = admin_client.post(
        reverse("admin:fitness_article_add"),
        {
            "title": "Cramps at night",
            "slug": "cramps-at-night",
            "byline": "",
            "categories": [recovery.pk, CategoryFactory(name="Fitness").pk],
            "tag_names": "Cramps, night-time, cramps",  # one existing, one new, one again
            "excerpt": "",
            "body": "Stretch.",
            "seo_title": "",
            "meta_description": "",
            "status": "published",
            "publish_at": "2026-01-01T09:00",
            "comments_open": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    article = Article.objects.get(slug="cramps-at-night")
    assert {c.slug for c in article.categories.all()} == {"recovery", "fitness"}
    assert sorted(t.slug for t in article.tags.all()) == ["cramps", "night-time"]
    assert Tag.objects.get(slug="cramps") == cramps  # an existing tag is taken, not copied
    changelist = admin_client.get(reverse("admin:fitness_article_changelist")).content.decode()
    assert "Fitness, Recovery" in changelist or "Recovery, Fitness" in changelist


@pytest.mark.django_db(transaction=True)
def test_the_free_text_category_becomes_a_category():
    executor = MigrationExecutor(connection)
    executor.migrate([("fitness", "0001_initial")])
    old = executor.loader.project_state([("fitness", "0001_initial")]).apps
    OldArticle = old.get_model("fitness", "Article")
    for slug, category in (("a", "Fitness"), ("b", "Fitness"), ("c", "Rest & Recovery")):
        OldArticle.objects.create(title=slug, slug=slug, category=category, body="x")

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    assert sorted(Category.objects.values_list("slug", "name")) == [
        ("fitness", "Fitness"),
        ("rest-recovery", "Rest & Recovery"),
    ]
    fitness = Category.objects.get(slug="fitness")
    assert sorted(fitness.articles.values_list("slug", flat=True)) == ["a", "b"]


@pytest.mark.django_db(transaction=True)
def test_a_new_tag_or_a_renamed_category_shows_within_the_bound_and_moves_the_etag(
    page_cache_on, settings
):
    import time

    from django.test import Client

    recovery = CategoryFactory(name="Recovery", slug="recovery")
    article = ArticleFactory(categories=[recovery])
    url = article.get_absolute_url()
    first = Client().get(url)
    assert ">Recovery</a>" in first.content.decode()  # now stored for PAGE_CACHE_SECONDS

    article.tags.add(TagFactory(name="sleep", slug="sleep"))
    time.sleep(settings.PAGE_CACHE_SECONDS + 0.1)  # the store lets the old copy go
    # A reader holding the old copy is not told it is current (304): they get the new page.
    second = Client().get(url, headers={"if-none-match": first["ETag"]})
    assert 'href="/tag/sleep/">#sleep</a>' in second.content.decode()

    recovery.name = "Rest"
    recovery.save()
    time.sleep(settings.PAGE_CACHE_SECONDS + 0.1)
    response = Client().get(url, headers={"if-none-match": second["ETag"]})
    page = response.content.decode()
    assert 'href="/category/recovery/">Rest</a>' in page and ">Recovery</a>" not in page
