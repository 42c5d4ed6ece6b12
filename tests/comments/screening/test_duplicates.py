"""A comment sent again is refused however it was disguised (issue 15)."""

import pytest
from django.urls import reverse

from comments.models import Comment
from comments.text.normalize import normal_form

pytestmark = pytest.mark.django_db

FIRST = "Great article, thanks for the tips."
DISGUISED = {
    "capitals": "GREAT ARTICLE, THANKS FOR THE TIPS.",
    "doubled spaces": "Great  article,   thanks for the tips.",
    "non-breaking space": "Great\u00a0article, thanks for the tips.",
    "zero-width space": "Great art\u200bicle, thanks for the tips.",
    "no full stop": "Great article, thanks for the tips",
    "two full stops and a newline": "Great article, thanks for the tips..\n",
    "Cyrillic a": "Great \u0430rticle, thanks for the tips.",
    "Greek omicron": "Great article, thanks f\u03bfr the tips.",
    "fullwidth letter": "\uff27reat article, thanks for the tips.",
}


@pytest.fixture(autouse=True)
def _no_flood_window(settings):
    settings.COMMENTS_FLOOD_SECONDS = 0  # the same reader at once: the duplicate check decides


def post(client, article, comment_form_data, text, **fields):
    data = comment_form_data(article, comment=text, **fields)
    return client.post(reverse("comments:post", args=[article.pk]), data)


@pytest.mark.parametrize("disguise", DISGUISED)
def test_a_disguised_duplicate_is_refused_with_the_text_kept(
    client, article, comment_form_data, disguise
):
    assert post(client, article, comment_form_data, FIRST).status_code == 302

    response = post(client, article, comment_form_data, DISGUISED[disguise])

    assert response.status_code == 400
    html = response.content.decode()
    assert "Duplicate comment detected" in html
    assert "thanks for the tips" in html.casefold()
    assert Comment.objects.count() == 1


def test_something_new_from_the_same_reader_is_kept(client, article, comment_form_data):
    post(client, article, comment_form_data, FIRST)

    response = post(client, article, comment_form_data, "Great article, thanks for the tip!?")
    again = post(client, article, comment_form_data, "Great article; thanks for the tips.")

    assert (response.status_code, again.status_code) == (302, 302)


def test_the_same_words_from_someone_else_are_not_a_duplicate(client, article, comment_form_data):
    post(client, article, comment_form_data, FIRST)

    response = post(client, article, comment_form_data, FIRST.upper(), email="bo@example.com")

    assert response.status_code == 302


def test_the_comment_is_stored_as_written(client, article, comment_form_data):
    post(client, article, comment_form_data, "Straße\u00a0ÜBER  alles…")

    assert Comment.objects.get().body == "Straße\u00a0ÜBER  alles…"
    assert normal_form("Straße\u00a0ÜBER  alles…") == "strasse über alles"


@pytest.mark.parametrize("name", ["Ada\u200bReader", "Ada\u00adReader", "\u2060Ada"])
def test_a_name_with_invisible_characters_is_refused(client, article, comment_form_data, name):
    response = post(client, article, comment_form_data, FIRST, name=name)

    assert response.status_code == 400
    assert "Please remove the invisible characters from your name." in response.content.decode()
    assert FIRST in response.content.decode()
    assert not Comment.objects.exists()
