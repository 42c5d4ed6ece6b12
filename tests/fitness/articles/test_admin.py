import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_article_admin_pages_load_for_a_superuser(admin_client, article):
    assert admin_client.get(reverse("admin:fitness_article_changelist")).status_code == 200
    change = admin_client.get(reverse("admin:fitness_article_change", args=[article.pk]))
    assert change.status_code == 200
    assert "View on site" in change.content.decode()
    add = admin_client.get(reverse("admin:fitness_article_add"))
    assert "prepopulated" in add.content.decode()


def test_article_admin_is_refused_to_anonymous_users(client, article):
    response = client.get(reverse("admin:fitness_article_changelist"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_admin_search_and_filters(admin_client, article, draft_article):
    url = reverse("admin:fitness_article_changelist")
    assert article.title in admin_client.get(url, {"q": "Twitch"}).content.decode()
    filtered = admin_client.get(url, {"status__exact": "draft"}).content.decode()
    assert draft_article.title in filtered and article.title not in filtered


def test_close_comments_in_bulk(admin_client, article):
    response = admin_client.post(
        reverse("admin:fitness_article_changelist"),
        {"action": "close_comments", "_selected_action": [article.pk]},
        follow=True,
    )
    article.refresh_from_db()
    assert not article.comments_open
    assert "Comments closed on 1 article." in response.content.decode()


def test_admin_and_reader_pages_name_the_site_icon_so_no_browser_asks_for_favicon_ico(
    admin_client, client, article
):
    icon = 'rel="icon" href="/static/img/favicon.svg"'
    pages = [
        admin_client.get(reverse("admin:index")),
        admin_client.get(reverse("admin:fitness_article_change", args=[article.pk])),
        client.get(reverse("admin:login")),
        client.get(article.get_absolute_url()),
    ]
    for page in pages:
        assert icon in page.content.decode(), page.request["PATH_INFO"]
    assert "Fitness moderation</a>" in pages[0].content.decode()
