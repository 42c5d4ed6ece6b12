"""Issue 16, the reader's side: a failed post shows its errors, preview, badges, pages, logout."""

import pytest
from django.urls import reverse

from comments.models import Comment
from comments.services.counts import refresh_article_counts
from tests.factories import CommentFactory, UserFactory

pytestmark = pytest.mark.django_db


def post_url(article):
    return reverse("comments:post", args=[article.pk])


def test_a_failed_post_lands_on_the_form_with_a_summary_linking_each_field(client, article):
    response = client.post(post_url(article), {"comment": "", "name": "", "email": "nope"})
    assert response.status_code == 400
    html = response.content.decode()
    assert f'action="/comments/post/{article.pk}/"' in html  # no #fragment: it blocks autofocus
    summary = html[html.index('id="comment-errors"') :]
    summary = summary[: summary.index("</div>")]
    assert "autofocus" in html[html.index('<div id="comment-errors"') :][:200]
    assert 'href="#id_comment"' in summary and "Please type a comment." in summary
    assert 'href="#id_name"' in summary
    assert 'href="#id_email"' in summary and "valid email address" in summary


def test_a_message_for_no_field_is_a_sentence_not_a_list(client, article, comment_form_data):
    data = comment_form_data(article, timestamp="forged")
    html = client.post(post_url(article), data).content.decode()
    summary = html[html.index('id="comment-errors"') :]
    summary = summary[: summary.index("</div>")]
    assert '<p class="mb-1">This form was tampered with' in summary
    assert "<ul" not in summary
    assert "alert-block" not in html  # crispy's bulleted list of the same message is gone


def test_preview_shows_the_text_rendered_and_saves_nothing(client, article, comment_form_data):
    data = comment_form_data(article, comment="Hello\n\nsecond paragraph", preview="1")
    response = client.post(post_url(article), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="comment-preview"' in html
    assert "<p>Hello</p>\n<p>second paragraph</p>" in html
    assert "Hello\n\nsecond paragraph</textarea>" in html  # the text stays in the form
    assert not Comment.objects.exists()


def test_an_out_of_range_comment_page_is_404(client, article, settings):
    settings.COMMENTS_THREADS_PER_PAGE = 1
    for _ in range(2):
        CommentFactory(article=article, status="approved")
    refresh_article_counts([article.pk])
    url = article.get_absolute_url()
    assert client.get(url + "?page=2").status_code == 200
    assert client.get(url + "?page=99").status_code == 404
    assert client.get(url + "?page=x").status_code == 404
    assert client.get(url + "?page=0").status_code == 404
    assert client.get(url).status_code == 200


def test_replies_by_the_author_and_staff_carry_a_badge(client, article, staff_user):
    article.author = UserFactory(username="writer")
    article.save()
    top = CommentFactory(article=article, status="approved", author_name="Ada")
    CommentFactory(parent=top, status="approved", user=article.author, author_name="Writer")
    CommentFactory(parent=top, status="approved", user=staff_user, author_name="Mod")
    CommentFactory(parent=top, status="approved", user=UserFactory(), author_name="Plain")
    refresh_article_counts([article.pk])
    html = client.get(article.get_absolute_url()).content.decode()
    assert 'Writer</b> <span class="comment-badge">Author</span>' in html
    assert 'Mod</b> <span class="comment-badge">Moderator</span>' in html
    assert 'Plain</b><a class="comment-date"' in html
    assert 'Ada</b><a class="comment-date"' in html


def test_staff_on_the_site_can_log_out_with_a_post(client, article, staff_user):
    client.force_login(staff_user)
    html = client.get(article.get_absolute_url()).content.decode()
    assert 'form="comment-logout"' in html and ">Log out</button>" in html
    assert f'action="{reverse("admin:logout")}"' in html
    response = client.post(reverse("admin:logout"), {"next": article.get_absolute_url()})
    assert response.status_code == 302
    assert response["Location"] == article.get_absolute_url()
    assert "_auth_user_id" not in client.session


def test_names_and_texts_read_in_their_own_direction(client, article):
    CommentFactory(article=article, status="approved", author_name="مريم", body="مرحبا")
    refresh_article_counts([article.pk])
    html = client.get(article.get_absolute_url()).content.decode()
    assert '<b class="comment-author fn" dir="auto">مريم</b>' in html
    assert '<div class="comment-content" dir="auto"><p>مرحبا</p></div>' in html


def test_the_box_says_what_formatting_works(client, article):
    html = client.get(article.get_absolute_url()).content.decode()
    assert 'aria-describedby="id_comment_helptext"' in html
    assert "You can use **bold**, *italics*" in html
    assert 'name="preview"' in html


def test_the_site_wide_comments_feed(client, article, draft_article):
    CommentFactory(article=article, status="approved", author_name="Ada", body="Visible one")
    CommentFactory(article=article, status="pending", body="Held one")
    CommentFactory(article=draft_article, status="approved", body="On a draft")
    response = client.get("/comments/feed/")
    assert response.status_code == 200
    xml = response.content.decode()
    assert f"<title>Ada on {article.title}</title>" in xml
    assert "Held one" not in xml and "On a draft" not in xml
    assert "@example.com" not in xml


def test_every_page_names_its_canonical_address_and_the_article_links_its_feed(
    client, article, settings
):
    html = client.get(article.get_absolute_url() + "?replytocom=5&utm_source=x").content.decode()
    canonical = f'<link rel="canonical" href="{settings.SITE_URL}{article.get_absolute_url()}">'
    assert canonical in html
    feed = reverse("comments:feed", args=[article.slug])
    link = f'<a href="{feed}" class="tap-target">Follow the comments on this article (RSS)</a>'
    assert link in html
    for url in ("/", reverse("privacy")):
        page = client.get(url).content.decode()
        assert f'<link rel="canonical" href="{settings.SITE_URL}{url}">' in page
    assert 'rel="canonical"' not in client.get("/no-such-page/").content.decode()


def test_an_out_of_range_page_is_404_with_the_page_cache_on_too(client, article, page_cache_on):
    CommentFactory(article=article, status="approved")
    refresh_article_counts([article.pk])
    url = article.get_absolute_url()
    assert client.get(url + "?page=99").status_code == 404
    assert client.get(url).status_code == 200
    assert client.get(url + "?page=99").status_code == 404  # nothing stored under page 99
