"""The editor keeps the writer's work: a revision per save, autosaves, a side-by-side view and
one-click restore (fitness/articles/revisions_admin.py)."""

import pytest
from django.urls import reverse

from fitness.articles.models import Article, Revision
from fitness.articles.revisions_admin import compared
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db


def change_data(article, **overrides):
    data = {
        "title": article.title,
        "slug": article.slug,
        "byline": "",
        "tag_names": "",
        "excerpt": article.excerpt,
        "body": article.body,
        "seo_title": "",
        "meta_description": "",
        "status": "published",
        "publish_at": "2026-01-01T09:00",
        "comments_open": "on",
    }
    return {**data, **overrides}


def save(client, article, **changes):
    url = reverse("admin:fitness_article_change", args=[article.pk])
    response = client.post(url, change_data(article, **changes))
    assert response.status_code == 302, response.content.decode()[:2000]


def test_each_save_that_changes_the_text_is_a_revision(admin_client, admin_user):
    article = ArticleFactory(title="Squats", body="First draft.")
    save(admin_client, article, body="Second draft.")
    save(admin_client, article, body="Second draft.", comments_open="")  # text unchanged
    save(admin_client, article, title="Better squats", body="Third draft.")
    saved = Revision.objects.filter(article=article, kind="saved")
    assert [r.body for r in saved] == ["Third draft.", "Second draft."]
    assert saved[0].title == "Better squats" and saved[0].by == admin_user


def test_a_revision_is_shown_beside_the_article_and_restored_in_one_click(admin_client):
    article = ArticleFactory(title="Squats", body="Keep the back straight.\nBreathe out.")
    save(admin_client, article)
    first = Revision.objects.get(article=article)
    save(admin_client, article, body="Keep the back straight.\nBreathe in.\nRest.")
    page = admin_client.get(
        reverse("admin:fitness_article_revision", args=[article.pk, first.pk])
    ).content.decode()
    assert "<del>Breathe out.</del>" in page and "<ins>Breathe in.</ins>" in page
    assert "<ins>Rest.</ins>" in page
    assert "Keep the back straight." in page  # the lines in common, side by side
    listing = admin_client.get(reverse("admin:fitness_article_revisions", args=[article.pk]))
    assert listing.content.decode().count("/revisions/") >= 2

    response = admin_client.post(
        reverse("admin:fitness_article_revision", args=[article.pk, first.pk])
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.body == "Keep the back straight.\nBreathe out."
    # The text it replaced is kept: restoring is a save, so it can be undone too.
    bodies = list(
        Revision.objects.filter(article=article, kind="saved").values_list("body", flat=True)
    )
    assert bodies[0] == "Keep the back straight.\nBreathe out."
    assert "Keep the back straight.\nBreathe in.\nRest." in bodies
    # The reader's page shows the restored text.
    assert "Breathe out." in admin_client.get(article.get_absolute_url()).content.decode()


def test_an_autosave_is_offered_back_until_the_article_is_saved(admin_client, admin_user):
    article = ArticleFactory(title="Squats", body="Saved text.")
    url = reverse("admin:fitness_article_autosave", args=[article.pk])
    response = admin_client.post(url, {"title": "Squats", "excerpt": "", "body": "Typed, unsaved."})
    assert response.status_code == 200 and "saved_at" in response.json()
    article.refresh_from_db()
    assert article.body == "Saved text."  # an autosave never changes what readers read
    response = admin_client.post(url, {"title": "Squats", "excerpt": "", "body": "Typed more."})
    assert Revision.objects.filter(article=article, kind="autosave").count() == 1  # one row

    page = admin_client.get(reverse("admin:fitness_article_change", args=[article.pk]))
    html = page.content.decode()
    assert "You have text autosaved at" in html
    assert '"body": "Typed more."' in html  # for the script's offer (a JSON data block)
    save(admin_client, article, body="Typed more.")
    assert not Revision.objects.filter(article=article, kind="autosave").exists()
    html = admin_client.get(reverse("admin:fitness_article_change", args=[article.pk])).content
    assert b"You have text autosaved at" not in html


def test_an_autosave_can_be_discarded(admin_client):
    article = ArticleFactory()
    url = reverse("admin:fitness_article_autosave", args=[article.pk])
    admin_client.post(url, {"title": "x", "body": "y"})
    assert admin_client.post(url, {"discard": "1"}).json() == {"discarded": True}
    assert not Revision.objects.filter(kind="autosave").exists()


@pytest.fixture
def others(authors_group):
    bob = UserFactory(username="bob", is_staff=True)
    bob.groups.add(authors_group)
    return ArticleFactory(title="Bob's draft", status="draft", author=bob)


def test_autosaves_and_revisions_are_only_for_who_may_edit_the_article(client, author, others):
    client.force_login(author)
    url = reverse("admin:fitness_article_autosave", args=[others.pk])
    assert client.post(url, {"title": "x", "body": "y"}).status_code in (403, 404)
    assert not Revision.objects.filter(kind="autosave").exists()
    revisions = reverse("admin:fitness_article_revisions", args=[others.pk])
    assert client.get(revisions).status_code in (403, 404)
    assert (
        client.get(reverse("admin:fitness_article_autosave", args=[others.pk])).status_code == 405
    )


def test_another_writers_autosave_is_theirs_alone(admin_client, admin_user):
    article = ArticleFactory(body="Saved.")
    other = UserFactory(is_staff=True, is_superuser=True)
    theirs = Revision.autosave(article, other, title="t", excerpt="", body="Their draft.")
    html = admin_client.get(reverse("admin:fitness_article_change", args=[article.pk])).content
    assert b"Their draft." not in html
    url = reverse("admin:fitness_article_revision", args=[article.pk, theirs.pk])
    assert admin_client.get(url).status_code == 404


def test_compared_marks_lines_removed_added_and_changed():
    old = Article(title="T", excerpt="", body="a\nb\nc")
    new = Article(title="T", excerpt="", body="a\nB\nc\nd")
    (body,) = compared(old, new)
    assert body["name"] == "body"
    assert body["rows"] == [
        ("a", "a", "same"),
        ("b", "B", "changed"),
        ("c", "c", "same"),
        (None, "d", "added"),
    ]


def test_the_editor_labels_every_input_and_types_tags(admin_client):
    from tests.factories import CategoryFactory

    CategoryFactory(name="Recovery")
    html = admin_client.get(reverse("admin:fitness_article_add")).content.decode()
    assert '<input type="datetime-local" name="publish_at" value="20' in html  # now, by default
    assert 'for="id_publish_at"' in html and 'for="id_tag_names"' in html
    assert 'type="checkbox" name="categories"' in html
    assert "select2" not in html and 'id="id_publish_at_1"' not in html
