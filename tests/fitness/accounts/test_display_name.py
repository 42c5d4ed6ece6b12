"""A writer whose articles are signed with their username is asked for a name: on logging in and
on the admin's index; the display-name page sets it; the article shows it, with a new version."""

import pytest

from fitness.articles.models import Article
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
PROMPT = "Set your display name"


@pytest.fixture
def nameless(authors_group):
    user = UserFactory(username="admin2", first_name="", last_name="", is_staff=True)
    user.groups.add(authors_group)
    return user


@pytest.fixture
def their_article(nameless):
    return ArticleFactory(author=nameless, byline="", title="Rest days")


def test_asked_on_login_and_on_the_index(client, nameless, their_article):
    page = client.post(
        "/admin/login/?next=/admin/",
        {"username": "admin2", "password": PASSWORD},
        follow=True,
    ).content.decode()
    assert "articles without a byline are signed “By admin2”" in page
    assert page.count(PROMPT) == 2  # the login's message and the index's note
    assert client.get("/admin/").content.decode().count(PROMPT) == 1


def test_not_asked_with_a_name_or_without_an_article(client, nameless, author):
    client.force_login(nameless)
    assert PROMPT not in client.get("/admin/").content.decode()  # no article yet
    ArticleFactory(author=author, byline="")
    client.force_login(author)  # has a name
    assert PROMPT not in client.get("/admin/").content.decode()


def test_the_display_name_page_sets_it_and_the_article_shows_it(client, nameless, their_article):
    client.force_login(nameless)
    before = Article.objects.get(pk=their_article.pk).updated_at
    article_page = client.get(their_article.get_absolute_url()).content.decode()
    assert ">admin2</a>" in article_page
    form = client.get("/admin/auth/user/display-name/")
    assert form.status_code == 200 and "By admin2" in form.content.decode()
    empty = client.post("/admin/auth/user/display-name/", {"first_name": " ", "last_name": ""})
    assert "Give a first or a last name" in empty.content.decode()
    saved = client.post(
        "/admin/auth/user/display-name/", {"first_name": "Rui", "last_name": "Costa"}, follow=True
    ).content.decode()
    assert "Your articles are now signed “By Rui Costa”." in saved
    assert PROMPT not in saved
    assert ">Rui Costa</a>" in client.get(their_article.get_absolute_url()).content.decode()
    assert Article.objects.get(pk=their_article.pk).updated_at > before  # a new ETag


def test_every_admin_page_links_to_it(client, nameless):
    client.force_login(nameless)
    assert 'href="/admin/auth/user/display-name/"' in client.get("/admin/").content.decode()


def test_only_for_staff(client):
    client.force_login(UserFactory(username="reader", is_staff=False))
    answer = client.get("/admin/auth/user/display-name/")
    assert answer.status_code == 302 and "/admin/login/" in answer["Location"]


def test_an_imported_authors_old_display_name_is_suggested(client, nameless):
    ArticleFactory(author=nameless, byline="Dana Reyes")
    client.force_login(nameless)
    assert PROMPT in client.get("/admin/").content.decode()
    form = client.get("/admin/auth/user/display-name/").content.decode()
    assert 'value="Dana"' in form and 'value="Reyes"' in form
