"""A page's editor keeps the site owner's work as an article's does: a revision per save that
changed the text, one autosave per writer, the revisions, one beside the page as it is now and
one-click restore (fitness/articles/revisions_admin.py on the PageAdmin)."""

import pytest
from django.contrib.auth.models import Permission
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from fitness.articles.models import Page, Revision
from fitness.articles.revisions_admin import compared
from tests.factories import ArticleFactory, PageFactory, UserFactory

pytestmark = pytest.mark.django_db


def url(name, page, *args):
    return reverse(f"admin:fitness_page_{name}", args=[page.pk, *args])


def save(client, page, **changes):
    """Post the page's change form as the admin sends it, with `changes`."""
    data = {
        "title": page.title,
        "slug": page.slug,
        "body": page.body,
        "status": page.status,
        "in_footer": "on",
        "menu_order": "0",
        **changes,
    }
    response = client.post(url("change", page), data)
    assert response.status_code == 302, response.content.decode()[:2000]


@pytest.fixture
def about(db):
    return PageFactory(title="About", slug="about", body="We lift.\nWe rest.")


def test_each_page_save_that_changes_the_text_is_a_revision(admin_client, admin_user, about):
    save(admin_client, about, body="We lift.\nWe run.")
    save(admin_client, about, body="We lift.\nWe run.", menu_order="3")  # text unchanged
    save(admin_client, about, title="About us", body="We lift.\nWe run.")

    saved = Revision.objects.filter(page=about, kind="saved")
    assert [(r.title, r.body) for r in saved] == [
        ("About us", "We lift.\nWe run."),
        ("About", "We lift.\nWe run."),
    ]
    assert saved[0].by == admin_user and saved[0].article is None
    html = admin_client.get(url("change", about)).content.decode()
    assert f'href="{url("revisions", about)}" class="revisionslink">Revisions (2)' in html


def test_the_page_editor_loads_the_autosave_with_the_pages_own_address(admin_client, about):
    html = admin_client.get(url("change", about)).content.decode()
    assert "js/admin-autosave.js" in html
    assert f'data-url="{url("autosave", about)}"' in html
    assert 'data-fields="title body"' in html  # a page has no excerpt
    assert f'data-key="page:{about.pk}"' in html  # not the article of the same id's copy
    added = admin_client.get(reverse("admin:fitness_page_add")).content.decode()
    assert 'data-key="page:new"' in added and "data-url=" not in added


def test_a_page_autosave_is_one_row_per_writer_until_the_page_is_saved(
    admin_client, admin_user, about
):
    autosave = url("autosave", about)
    response = admin_client.post(autosave, {"title": "About", "body": "Typed, unsaved."})
    assert response.status_code == 200 and "saved_at" in response.json()
    admin_client.post(autosave, {"title": "About", "excerpt": "ignored", "body": "Typed more."})
    other = UserFactory(is_staff=True, is_superuser=True)
    Revision.autosave(about, other, title="About", body="Their draft.")

    mine = Revision.objects.get(page=about, kind="autosave", by=admin_user)  # one row
    assert (mine.body, mine.excerpt) == ("Typed more.", "")
    about.refresh_from_db()
    assert about.body == "We lift.\nWe rest."  # an autosave never changes what readers read
    html = admin_client.get(url("change", about)).content.decode()
    assert "newer than this page" in html and '"body": "Typed more."' in html
    assert "Their draft." not in html

    save(admin_client, about, body="Typed more.")
    assert list(Revision.objects.filter(page=about, kind="autosave")) == [
        Revision.objects.get(by=other, kind="autosave")  # theirs is still theirs
    ]
    assert "newer than this page" not in admin_client.get(url("change", about)).content.decode()


def test_a_page_autosave_can_be_discarded(admin_client, about):
    autosave = url("autosave", about)
    admin_client.post(autosave, {"title": "x", "body": "y"})
    assert admin_client.post(autosave, {"discard": "1"}).json() == {"discarded": True}
    assert not Revision.objects.filter(page=about).exists()


def test_a_page_revision_is_listed_shown_beside_the_page_and_restored(client, about):
    owner = UserFactory(is_staff=True)
    owner.user_permissions.add(Permission.objects.get(codename="change_page"))
    client.force_login(owner)
    save(client, about)
    first = Revision.objects.get(page=about)
    save(client, about, body="We lift.\nWe swim.\nWe sleep.")

    listing = client.get(url("revisions", about)).content.decode()
    assert "Revisions of “About”, newest first" in listing
    assert f'href="{url("revision", about, first.pk)}"' in listing
    assert f'href="{reverse("admin:fitness_page_changelist")}"' in listing  # the breadcrumbs

    shown = client.get(url("revision", about, first.pk)).content.decode()
    assert "<del>We rest.</del>" in shown and "<ins>We swim.</ins>" in shown
    assert "<ins>We sleep.</ins>" in shown and "We lift." in shown
    assert "beside the page as it is now" in shown and "Excerpt" not in shown

    response = client.post(url("revision", about, first.pk))
    assert response.status_code == 302 and response.url == url("change", about)
    about.refresh_from_db()
    assert about.body == "We lift.\nWe rest."
    # Restoring is a save: the restored text is the newest revision, the one it replaced kept.
    bodies = list(Revision.objects.filter(page=about, kind="saved").values_list("body", flat=True))
    assert bodies == ["We lift.\nWe rest.", "We lift.\nWe swim.\nWe sleep.", "We lift.\nWe rest."]
    assert "We rest." in client.get("/about/").content.decode()  # what readers read


def test_who_may_not_change_pages_cannot_reach_their_revisions(client, author, about):
    Revision.record(about)
    revision = Revision.objects.get(page=about)
    viewer = UserFactory(is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_page"))
    for user in (author, viewer):  # an author writes articles; a viewer only reads pages
        client.force_login(user)
        assert client.post(url("autosave", about), {"body": "x"}).status_code == 403
        assert client.get(url("revisions", about)).status_code == 403
        assert client.get(url("revision", about, revision.pk)).status_code == 403
        assert client.post(url("revision", about, revision.pk)).status_code == 403
    assert not Revision.objects.filter(kind="autosave").exists()
    assert Revision.objects.filter(page=about).count() == 1  # nothing restored
    html = client.get(url("change", about)).content.decode()  # the viewer's read-only page
    assert 'id="autosave"' not in html and "revisionslink" not in html


def test_a_revision_is_reached_only_through_its_own_page(admin_client, about):
    article = ArticleFactory(body="An article's text.")
    of_the_article = Revision.record(article)
    contact = PageFactory(title="Contact", slug="contact")
    of_contact = Revision.record(contact)
    assert admin_client.get(url("revision", about, of_the_article.pk)).status_code == 404
    assert admin_client.get(url("revision", about, of_contact.pk)).status_code == 404
    assert admin_client.get(reverse("admin:fitness_page_revisions", args=[999])).status_code == 404


def test_compared_reads_a_pages_title_and_body_only():
    old = Page(title="About", body="a\nb")
    new = Page(title="About us", body="a\nb")
    (title,) = compared(old, new)
    assert title == {"name": "title", "rows": [("About", "About us", "changed")]}


def test_a_revision_is_of_one_article_or_one_page(about):
    article = ArticleFactory()
    for keys in ({}, {"article": article, "page": about}):
        with pytest.raises(IntegrityError), transaction.atomic():
            Revision.objects.create(title="t", **keys)


@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_the_articles_revisions_and_gives_each_page_its_first():
    before, after = (
        ("fitness", "0013_article_thread_count"),
        ("fitness", "0015_page_first_revisions"),
    )
    executor = MigrationExecutor(connection)
    executor.migrate([before])
    old = executor.loader.project_state([before]).apps
    article = old.get_model("fitness", "Article").objects.create(
        title="Squats", slug="squats", body="Knees out."
    )
    kept = old.get_model("fitness", "Revision").objects.create(
        article=article, title="Squats", excerpt="Short.", body="Knees out."
    )
    old.get_model("fitness", "Page").objects.create(title="About", slug="about", body="We lift.")
    fields = ["pk", "article_id", "kind", "title", "excerpt", "body", "by_id", "created_at"]
    as_it_was = Revision.objects.filter(pk=kept.pk).values(*fields).get()

    executor = MigrationExecutor(connection)
    executor.migrate([after])

    assert Revision.objects.filter(pk=kept.pk).values(*fields).get() == as_it_was
    (first,) = Revision.objects.filter(page__slug="about")
    assert (first.kind, first.title, first.body, first.article_id) == (
        "saved",
        "About",
        "We lift.",
        None,
    )
