"""Every address form of the old WordPress site answered after the move (issue 31): uploads,
date archives, comment pages, and the home page's query (?s=, ?cat=, ?tag=, ?author=, ?m=)."""

import pytest
from django.urls import reverse

from fitness.articles.models import Article, Image, Redirect
from tests.factories import ArticleFactory
from tests.wordpress.conftest import SEED_LINK, SEED_SLUG

pytestmark = pytest.mark.django_db

UPLOAD = "/wp-content/uploads/2026/12/twitch-guide"


def seed():
    return Article.objects.get(slug=SEED_SLUG)


def location(client, url):
    response = client.get(url)
    assert response.status_code == 301, (url, response.status_code)
    return response["Location"]


def test_old_image_addresses_answer_301_to_our_copies(client, imported):
    image = Image.objects.get()
    assert location(client, UPLOAD + ".png") == image.file.url
    # WordPress's resized copies go to our rendition nearest their width (never narrower).
    widths = {r["width"]: image.file.storage.url(r["name"]) for r in image.renditions}
    assert sorted(widths) == [480, 800, 1200]
    assert location(client, UPLOAD + "-300x158.png") == widths[480]
    assert location(client, UPLOAD + "-768x403.png") == widths[800]
    assert location(client, UPLOAD + "-1024x538.png") == widths[1200]
    assert location(client, UPLOAD + "-150x150.png") == widths[480]
    target = client.get(location(client, UPLOAD + ".png"))
    assert target.status_code == 200 and target["Content-Type"] == "image/png"
    assert client.get("/wp-content/uploads/2026/12/other.png").status_code == 404


def test_no_image_address_without_the_uploads(client, export_path, run_import):
    run_import(export_path)  # no --uploads: no image, so nothing to send its address to
    assert not Redirect.objects.filter(old_path__startswith="/wp-content/").exists()
    assert client.get(UPLOAD + ".png").status_code == 404


def test_old_date_archives_are_archive_pages_here(client, imported):
    html = client.get("/2010/03/").content.decode()
    assert "<h1>March 2010</h1>" in html and "Why Do Muscles Twitch" in html
    assert "Understanding" not in html  # June 2011
    assert "Why Do Muscles Twitch" in client.get("/2010/03/15/").content.decode()
    assert client.get("/2010/").status_code == 200
    assert client.get("/2010/04/").status_code == 404


@pytest.mark.parametrize("number, query", [(1, ""), (2, "?page=2"), (7, "?page=7")])
def test_comment_pages_land_on_that_page_of_our_comments(client, imported, number, query):
    url = f"{seed().get_absolute_url()}{query}#comments"
    assert location(client, f"{SEED_LINK}comment-page-{number}/") == url
    assert location(client, f"{SEED_LINK}comment-page-{number}") == url
    assert location(client, f"/?p=5&cpage={number}") == url


def test_a_comment_page_of_an_unknown_post_is_a_404(client, imported):
    assert client.get("/2010/03/15/no-such-post/comment-page-2/").status_code == 404


def test_search_category_tag_author_and_month_on_the_home_page(client, imported):
    guide = Article.objects.get(slug="understanding-muscle-twitching-guide")
    assert location(client, "/?s=cramps") == "/search/?q=cramps"
    assert location(client, "/?s=night+%09cramps&utm_source=x") == "/search/?q=night+cramps"
    assert location(client, "/?s=") == "/search/"
    # ?cat= by WordPress's term id: 2 is Fitness, 4 Health (the export's <wp:term_id>).
    assert location(client, "/?cat=2") == "/category/fitness/"
    assert location(client, "/?cat=4") == "/category/health/"
    assert location(client, "/?tag=cramps") == "/tag/cramps/"
    # ?author= by WordPress's user id (2: dana), ?author_name= by login.
    assert location(client, "/?author=2") == reverse("articles:author", args=["dana"])
    assert location(client, "/?author_name=dana") == "/author/dana/"
    assert location(client, "/?m=201003") == "/2010/03/"
    assert location(client, "/?m=20110602") == "/2011/06/02/"
    assert location(client, "/?m=2011") == "/2011/"
    assert location(client, "/?year=2010&monthnum=3") == "/2010/03/"
    assert location(client, "/?paged=2") == "/?page=2"
    assert location(client, "/?feed=rss2") == "/feed/"
    assert guide.title in client.get("/?cat=4", follow=True).content.decode()


@pytest.mark.parametrize(
    "query",
    [
        "cat=99", "cat=two", "cat=-2", "tag=no-such-tag", "author=99", "author_name=nobody",
        "m=201004", "m=201013", "m=abc", "p=999", "page_id=999", "attachment_id=999",
        "feed=nonsense", "paged=0", "year=2010&day=3",
    ],
)  # fmt: skip
def test_a_wordpress_query_that_names_nothing_is_a_404_not_the_home_page(client, imported, query):
    response = client.get(f"/?{query}")
    assert response.status_code == 404, query


def test_the_home_page_is_still_itself(client, db):
    ArticleFactory(title="Plain home")
    for query in ("", "?page=1", "?utm_source=x", "?p=", "?cat="):
        response = client.get(f"/{query}")
        assert response.status_code == 200 and "Plain home" in response.content.decode()


def test_wordpress_queries_work_on_a_site_that_imported_nothing(client, db):
    from datetime import datetime

    from django.utils import timezone

    from tests.factories import TagFactory

    ArticleFactory(
        tags=[TagFactory(name="cramps", slug="cramps")],
        publish_at=timezone.make_aware(datetime(2012, 5, 1, 12)),
    )
    assert location(client, "/?s=cramps") == "/search/?q=cramps"
    assert location(client, "/?tag=cramps") == "/tag/cramps/"
    assert location(client, "/?m=201205") == "/2012/05/"
    assert client.get("/?cat=1").status_code == 404  # only an import knows WordPress's ids


def test_control_characters_stop_at_the_door_first(client, imported):
    assert client.get("/?s=%00").status_code == 400
    assert client.get("/?cat=%01").status_code == 400


def test_a_listings_pages_and_the_search_address(client, imported):
    assert location(client, "/page/2/") == "/?page=2"
    assert location(client, "/category/fitness/page/3/") == "/category/fitness/?page=3"
    assert location(client, "/tag/cramps/page/2") == "/tag/cramps/?page=2"
    assert location(client, "/2010/page/1/") == "/2010/"
    assert location(client, "/author/dana/page/2/") == "/author/dana/?page=2"
    # An old category address that leads elsewhere keeps leading there, at that page.
    assert location(client, "/category/uncategorized/page/2/") == "/?page=2"
    assert location(client, "/search/night+cramps/") == "/search/?q=night+cramps"
    assert client.get("/no-such-thing/page/2/").status_code == 404
    assert client.get(f"{SEED_LINK}page/2/").status_code == 404  # an article is no listing
