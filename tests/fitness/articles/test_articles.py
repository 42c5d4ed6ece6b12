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


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_a_summary_is_made_of_paragraphs_not_of_headings_lists_and_tables(client):
    body = (
        "Kettlebell swings train the whole back chain in one move.\n\n"
        "## How to swing\n\n- Stand with feet apart\n- Hinge at the hips\n\n"
        "| Sets | Reps |\n|---|---|\n| 3 | 15 |\n\n"
        "Keep the back straight and breathe out at the top."
    )
    article = ArticleFactory(excerpt="", body=body)
    assert article.summary == (
        "Kettlebell swings train the whole back chain in one move. "
        "Keep the back straight and breathe out at the top."
    )
    assert article.summary in client.get(reverse("articles:list")).content.decode()


def test_a_captioned_library_image_alone_in_its_paragraph_is_a_figure(client, media_root):
    from tests.fitness.articles.media_helpers import make_image

    image = make_image(alt="A kettlebell on the floor")
    image.caption = "A 16 kg bell: enough for most beginners."
    image.save()
    plain = make_image(alt="No caption here")
    article = ArticleFactory(
        body=f"![A bell](image:{image.pk})\n\nText with ![inline](image:{image.pk}) in it.\n\n"
        f"![Plain](image:{plain.pk})"
    )
    html = client.get(article.get_absolute_url()).content.decode()
    body = html.split('<div class="article-body">')[1].split("</div>")[0]
    assert body.count("<figure>") == 1
    assert "<figcaption>A 16 kg bell: enough for most beginners.</figcaption></figure>" in body
    assert "<p>Text with <img" in body  # inside a sentence: no figure
    assert body.count("<figcaption>") == 1  # the image without a caption stays a plain image


def test_a_card_shows_the_featured_image_else_the_bodys_first_else_a_letter(client, media_root):
    from tests.fitness.articles.media_helpers import make_image

    featured, inline = make_image(alt="Featured"), make_image(alt="Inline")
    ArticleFactory(title="With featured", featured_image=featured, body="Text.")
    ArticleFactory(title="With inline", body=f"Intro.\n\n![x](image:{inline.pk})")
    ArticleFactory(title="Zumba", body="No image at all.")
    html = client.get(reverse("articles:list")).content.decode()
    cards = {c.split("</h2>")[0]: c for c in html.split('<article class="article-card')[1:]}

    def card(title):
        return next(text for head, text in cards.items() if title in head)

    assert 'alt="Featured"' in card("With featured")
    assert 'alt="Inline"' in card("With inline")
    zumba = card("Zumba")
    assert "article-card-placeholder" in zumba and "<span>Z</span>" in zumba
    # Every card has a picture area of the same shape, so none is left with a tall gap.
    assert html.count('class="article-card-image') == 3


def test_the_home_page_costs_the_same_queries_with_body_images(client, media_root):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.fitness.articles.media_helpers import make_image

    ArticleFactory(body="Text.")
    client.get(reverse("articles:list"))  # the header's and footer's menus are cached now
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("articles:list"))
    for n in range(5):
        ArticleFactory(body=f"![x](image:{make_image(alt=f'n{n}').pk})")
    client.get(reverse("articles:list"))  # the menus again (a new article forgets them)
    with CaptureQueriesContext(connection) as six:
        client.get(reverse("articles:list"))
    assert len(six.captured_queries) == len(one.captured_queries)


def test_staff_who_may_edit_see_an_edit_link_and_readers_never_do(client, admin_user, article):
    from django.contrib.auth.models import Group

    from fitness.articles.models import AUTHORS_GROUP
    from tests.factories import UserFactory

    url = article.get_absolute_url()
    edit = reverse("admin:fitness_article_change", args=[article.pk])
    assert "Edit this article" not in client.get(url).content.decode()
    client.force_login(admin_user)
    assert f'href="{edit}">Edit this article' in client.get(url).content.decode()
    # An author sees the link on their own articles only.
    writer = UserFactory(is_staff=True)
    writer.groups.add(Group.objects.get(name=AUTHORS_GROUP))
    client.force_login(writer)
    assert "Edit this article" not in client.get(url).content.decode()
    own = ArticleFactory(author=writer)
    assert "Edit this article" in client.get(own.get_absolute_url()).content.decode()
