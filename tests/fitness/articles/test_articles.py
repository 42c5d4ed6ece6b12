import pytest
from django.urls import reverse
from django.utils import timezone

from fitness.articles.models import Article
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_published_excludes_drafts_and_scheduled(article, draft_article, scheduled_article):
    assert list(Article.objects.published()) == [article]


def test_home_lists_published_articles_newest_first(client):
    older = ArticleFactory(publish_at=timezone.now() - timezone.timedelta(days=5))
    newer = ArticleFactory(publish_at=timezone.now() - timezone.timedelta(days=1))
    ArticleFactory(status="draft", title="Secret draft")

    response = client.get(reverse("articles:list"))

    assert response.status_code == 200
    assert list(response.context["articles"]) == [newer, older]
    content = response.content.decode()
    assert "Secret draft" not in content
    assert "No comments yet" in content
    assert "Fitness" in content


def test_home_is_paginated(client, settings):
    for _ in range(12):
        ArticleFactory()
    first = client.get(reverse("articles:list"))
    second = client.get(reverse("articles:list"), {"page": 2})
    assert len(first.context["articles"]) == 10
    assert len(second.context["articles"]) == 2
    assert "Page 1 of 2" in first.content.decode()


def test_an_article_without_excerpt_is_summed_up_by_its_first_words_everywhere(client):
    article = ArticleFactory(excerpt="", body="**Sleep** comes first.\n\n" + "Then water. " * 40)
    expected = "Sleep comes first. Then water. Then water."

    assert expected in client.get(reverse("articles:list")).content.decode()
    assert expected in client.get(reverse("articles:feed")).content.decode()
    page = client.get(article.get_absolute_url()).content.decode()
    assert f'<meta name="description" content="{expected}' in page
    description = page.split('<meta name="description" content="')[1].split('"')[0]
    assert description.count("Then water.") == 18 and description.endswith("Then water. Then…")
    # The same summary is what shared links show (OpenGraph, Twitter).
    assert f'<meta property="og:description" content="{description}">' in page
    assert f'<meta name="twitter:description" content="{description}">' in page

    article.body = "Rewritten: mobility before strength."
    article.save(update_fields=["body"])
    home = client.get(reverse("articles:list")).content.decode()
    assert "Rewritten: mobility before strength." in home


def test_home_shows_the_maintained_comment_count(client, article):
    Article.objects.filter(pk=article.pk).update(comment_count=20)
    assert "20 Comments" in client.get(reverse("articles:list")).content.decode()


def test_article_page_shows_category_title_author_date_and_body(client, article):
    response = client.get(article.get_absolute_url())
    content = response.content.decode()
    assert response.status_code == 200
    assert '<h1 class="article-title">Why Do Muscles Twitch After a Workout?</h1>' in content
    assert "Fitness editors" in content
    assert "<h2>Recovery</h2>" in content
    assert article.publish_at.strftime("%B") in content


def test_draft_and_scheduled_articles_are_404_for_readers(client, draft_article, scheduled_article):
    assert client.get(draft_article.get_absolute_url()).status_code == 404
    assert client.get(scheduled_article.get_absolute_url()).status_code == 404


def test_an_editor_can_preview_a_draft(client, draft_article, admin_user):
    client.force_login(admin_user)
    response = client.get(draft_article.get_absolute_url())
    assert response.status_code == 200
    assert "Draft" in response.content.decode()


def test_custom_404_page(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_privacy_page(client):
    response = client.get(reverse("privacy"))
    assert response.status_code == 200
    assert "Email address" in response.content.decode()


def test_base_layout_is_accessible_and_uses_no_third_party_assets(client, article):
    content = client.get(article.get_absolute_url()).content.decode()
    assert '<html lang="en">' in content
    assert 'href="#main"' in content and 'id="main"' in content
    assert "<header" in content and "<footer" in content and "<nav" in content
    assert "/static/css/bootstrap.site.css" in content  # Bootstrap, cut down (make css)
    for src in ("cdn.", "googleapis", "gravatar", "jsdelivr", "unpkg"):
        assert src not in content


def test_articles_feed(client, article, draft_article):
    response = client.get(reverse("articles:feed"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    content = response.content.decode()
    assert article.title in content
    assert draft_article.title not in content


def test_comments_close_automatically_after_the_configured_days(article, settings):
    settings.COMMENTS_CLOSE_AFTER_DAYS = 0
    assert article.accepts_comments()
    settings.COMMENTS_CLOSE_AFTER_DAYS = 1
    article.publish_at = timezone.now() - timezone.timedelta(days=2)
    assert not article.accepts_comments()
    article.comments_open = False
    settings.COMMENTS_CLOSE_AFTER_DAYS = 0
    assert not article.accepts_comments()
