"""The Authors group: write, edit, publish and delete their own articles; nobody else's; no
moderation. Editors (superusers, or `fitness.edit_any_article`) change any article."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from comments.readers.people import badges, is_trusted
from fitness.articles.models import Article
from tests.factories import ArticleFactory, CategoryFactory, TagFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def own(author):
    return ArticleFactory(title="Ann's draft", slug="anns-draft", status="draft", author=author)


@pytest.fixture
def others(authors_group):
    bob = UserFactory(username="bob", is_staff=True)
    bob.groups.add(authors_group)
    return ArticleFactory(title="Bob's draft", slug="bobs-draft", status="draft", author=bob)


def form_data(**overrides):
    data = {
        "title": "Cramps at night",
        "slug": "cramps-at-night",
        "byline": "",
        "excerpt": "",
        "body": "Stretch before bed.",
        "seo_title": "",
        "meta_description": "",
        "status": "published",
        "publish_at": "2026-01-01T09:00",
        "comments_open": "on",
    }
    return {**data, **overrides}


def test_the_group_may_write_articles_and_tags_and_moderate_nothing():
    perms = set(Group.objects.get(name="Authors").permissions.values_list("codename", flat=True))
    assert {"add_article", "change_article", "delete_article", "add_tag", "view_category"} <= perms
    assert "edit_any_article" not in perms and "add_category" not in perms
    assert not {p for p in perms if "comment" in p or "user" in p or "group" in p}


def test_an_author_sees_only_their_own_articles_in_the_admin(author_client, own, others):
    html = author_client.get(reverse("admin:fitness_article_changelist")).content.decode()
    assert "Ann&#x27;s draft" in html and "Bob&#x27;s draft" not in html
    response = author_client.get(reverse("admin:fitness_article_change", args=[others.pk]))
    assert response.status_code == 302  # "doesn't exist": not theirs to see
    assert author_client.get(reverse("admin:comments_comment_changelist")).status_code == 403
    assert author_client.get(reverse("admin:fitness_category_add")).status_code == 403
    assert author_client.get(reverse("admin:fitness_tag_add")).status_code == 200


def test_an_author_cannot_change_or_delete_anybody_elses_article(author_client, others):
    author_client.post(
        reverse("admin:fitness_article_change", args=[others.pk]),
        form_data(title="Hijacked", slug=others.slug),
    )
    author_client.post(reverse("admin:fitness_article_delete", args=[others.pk]), {"post": "yes"})
    others.refresh_from_db()
    assert others.title == "Bob's draft"
    changelist = reverse("admin:fitness_article_changelist")
    author_client.post(
        changelist, {"action": "delete_selected", "_selected_action": [others.pk], "post": "yes"}
    )
    assert Article.objects.filter(pk=others.pk).exists()


def test_an_author_writes_and_publishes_as_themselves(author_client, author, others):
    fitness = CategoryFactory(name="Fitness")
    cramps = TagFactory(name="cramps", slug="cramps")
    add = reverse("admin:fitness_article_add")
    page = author_client.get(add).content.decode()
    assert 'name="author"' not in page  # not theirs to choose
    response = author_client.post(
        add,
        form_data(author=others.author_id, categories=[fitness.pk], tag_names="cramps"),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    article = Article.objects.get(slug="cramps-at-night")
    assert article.author == author and article.is_published
    assert list(article.tags.all()) == [cramps]

    change = reverse("admin:fitness_article_change", args=[article.pk])
    author_client.post(change, form_data(title="Cramps at night, again", author=others.author_id))
    article.refresh_from_db()
    assert article.title == "Cramps at night, again" and article.author == author
    author_client.post(reverse("admin:fitness_article_delete", args=[article.pk]), {"post": "yes"})
    assert not Article.objects.filter(pk=article.pk).exists()


def test_an_editor_sees_and_changes_every_article_and_chooses_the_author(admin_client, own, others):
    html = admin_client.get(reverse("admin:fitness_article_changelist")).content.decode()
    assert "Ann&#x27;s draft" in html and "Bob&#x27;s draft" in html
    page = admin_client.get(reverse("admin:fitness_article_change", args=[others.pk]))
    assert 'name="author"' in page.content.decode()


def test_an_author_previews_only_their_own_drafts(author_client, own, others):
    assert author_client.get(own.get_absolute_url()).status_code == 200
    assert author_client.get(others.get_absolute_url()).status_code == 404


def test_an_author_is_not_a_moderator_for_the_comments_app(author, admin_user, article):
    assert not is_trusted(author)
    assert is_trusted(admin_user)
    # Commenting under someone else's article: no "Moderator" badge.
    assert badges([author.pk], article) == {}
    assert badges([author.pk], ArticleFactory(author=author)) == {author.pk: "Author"}


def test_the_site_header_gives_an_author_the_admin_but_not_the_queue(author_client, article):
    html = author_client.get("/").content.decode()
    assert 'href="/admin/"' in html and "awaiting moderation" not in html


def test_the_author_name_links_to_the_author_page(client, author):
    mine = ArticleFactory(title="Ann's article", slug="anns", author=author, byline="")
    ArticleFactory(title="Someone else's", slug="someone")
    ArticleFactory(title="Ann's draft", slug="anns-draft", author=author, status="draft")
    html = client.get(mine.get_absolute_url()).content.decode()
    assert '<a class="article-author" rel="author" href="/author/ann/">Ann Writer</a>' in html
    page = client.get("/author/ann/").content.decode()
    assert "<h1>Ann Writer</h1>" in page and "Ann&#x27;s article" in page
    assert "Someone else" not in page and "Ann&#x27;s draft" not in page
    assert client.get("/author/nobody/").status_code == 404


@pytest.mark.parametrize(
    "who",
    ["staff without articles", "a reader", "a writer of drafts only", "scheduled only", "nobody"],
)
def test_only_a_published_author_has_a_page(client, author, who):
    """Issue 28: the author's page answered 200 for any active account, so its address told
    who has one (staff included); now any other name is the 404 of a name nobody has."""
    ArticleFactory(title="Ann's article", slug="anns", author=author)
    UserFactory(username="staffer", is_staff=True)
    UserFactory(username="reading")
    ArticleFactory(slug="d", author=UserFactory(username="drafter"), status="draft")
    scheduled = timezone.now() + timedelta(days=3)
    ArticleFactory(slug="s", author=UserFactory(username="later"), publish_at=scheduled)
    name = {
        "staff without articles": "staffer",
        "a reader": "reading",
        "a writer of drafts only": "drafter",
        "scheduled only": "later",
        "nobody": "no-such-name",
    }[who]

    missing = client.get(f"/author/{name}/")

    assert missing.status_code == 404
    nobody = client.get("/author/no-such-name/").content.replace(b"no-such-name", name.encode())
    assert missing.content == nobody  # the same page, but for the name in its address
    assert client.get("/author/ann/").status_code == 200
