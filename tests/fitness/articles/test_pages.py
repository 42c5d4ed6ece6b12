"""Standalone pages (About, Contact): at /<slug>/, in the footer, never among the articles."""

import pytest
from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.urls import reverse

from fitness.articles.models import Page

pytestmark = pytest.mark.django_db


def make_page(**fields):
    fields = {"title": "About Fitness", "slug": "about", "body": "We write about **training**.",
              "status": Page.Status.PUBLISHED, **fields}  # fmt: skip
    return Page.objects.create(**fields)


def test_a_published_page_is_served_at_its_slug_and_linked_from_the_footer(client, article):
    make_page()
    html = client.get("/about/").content.decode()
    assert "<h1" in html and "About Fitness" in html and "<strong>training</strong>" in html
    home = client.get("/").content.decode()
    assert '<a href="/about/">About Fitness</a>' in home
    assert "About Fitness" not in client.get(reverse("articles:feed")).content.decode()


def test_a_draft_page_is_a_404_for_readers_and_shown_to_staff(client, staff_user):
    make_page(status=Page.Status.DRAFT)
    assert client.get("/about/").status_code == 404
    assert "About Fitness" not in client.get("/").content.decode()
    client.force_login(staff_user)
    html = client.get("/about/").content.decode()
    assert "About Fitness" in html and "Draft" in html


def test_a_page_cannot_take_an_address_the_site_uses(db):
    page = Page(title="Search", slug="search", body="x")
    with pytest.raises(ValidationError) as error:
        page.full_clean()
    assert "the site uses for itself" in str(error.value)


def test_the_footer_costs_no_query_once_cached_and_follows_a_change(
    client, article, django_assert_max_num_queries
):
    make_page()
    client.get("/privacy/")  # fills the cache
    with django_assert_max_num_queries(0):
        assert "About Fitness" in client.get("/privacy/").content.decode()
    page = Page.objects.get()
    page.title = "About us"
    page.save()
    assert '<a href="/about/">About us</a>' in client.get("/privacy/").content.decode()
    page.in_footer = False
    page.save()
    assert "About us" not in client.get("/privacy/").content.decode()


def test_the_footer_is_still_drawn_when_the_cache_is_down(client, monkeypatch):
    make_page()

    def down(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(caches["default"], "get", down)
    monkeypatch.setattr(caches["default"], "set", down)
    assert '<a href="/about/">About Fitness</a>' in client.get("/privacy/").content.decode()


def test_staff_write_a_page_in_the_admin(admin_client):
    response = admin_client.post(
        reverse("admin:fitness_page_add"),
        {
            "title": "Contact",
            "slug": "contact",
            "body": "Write to us.",
            "status": "published",
            "in_footer": "on",
            "menu_order": "1",
        },
    )
    assert response.status_code == 302
    assert "Write to us." in admin_client.get("/contact/").content.decode()


def test_a_page_is_written_with_the_articles_editor_and_its_preview(admin_client):
    form = admin_client.get(reverse("admin:fitness_page_add")).content.decode()
    preview_url = reverse("admin:fitness_page_preview")
    assert f'data-preview-url="{preview_url}"' in form and "media-library" in form
    preview = admin_client.post(preview_url, {"body": "**Hi**<script>x()</script>"}).json()
    assert "<strong>Hi</strong>" in preview["html"] and "<script" not in preview["html"]
    assert any("script" in problem for problem in preview["problems"])
