"""What the reader's own cookies hold (the privacy page's promises): the remembered author,
only when asked; the ids of their held comments, signed."""

import json

import pytest
from django.urls import reverse

from comments.models import Comment

pytestmark = pytest.mark.django_db


# --- The "remember me" cookie -----------------------------------------------------------------


@pytest.fixture
def posting(settings, client, article):
    """Send the Leave a Reply form as a reader would; returns the response."""
    from comments.web.forms import sign_timestamp

    settings.COMMENTS_FLOOD_SECONDS = 0
    settings.COMMENTS_MIN_SUBMIT_SECONDS = 0
    sent = iter(range(1000))

    def post(**fields):
        data = {
            "comment": f"Comment number {next(sent)} about recovery.",
            "name": "Robin",
            "email": "robin@example.com",
            "website": "https://robin.example",
            "timestamp": sign_timestamp(article.pk),
            **fields,
        }
        return client.post(reverse("comments:post", args=[article.pk]), data)

    return post


def remembered(response):
    """The remember-me cookie the response stores, decoded: None if it stores none (not set,
    or deleted)."""
    from django.http import HttpRequest

    from comments.readers.cookies import AUTHOR_COOKIE, AUTHOR_COOKIE_SALT

    morsel = response.cookies.get(AUTHOR_COOKIE)
    if morsel is None or not morsel.value:
        return None
    request = HttpRequest()
    request.COOKIES[AUTHOR_COOKIE] = morsel.value
    return json.loads(request.get_signed_cookie(AUTHOR_COOKIE, salt=AUTHOR_COOKIE_SALT))


def test_remember_cookie_is_set_only_when_ticked(posting):
    response = posting()
    assert response.status_code == 302
    assert remembered(response) is None


def test_remember_cookie_holds_only_name_email_and_website(posting):
    from comments.readers.cookies import AUTHOR_COOKIE

    response = posting(remember="on")

    assert remembered(response) == {
        "name": "Robin",
        "email": "robin@example.com",
        "website": "https://robin.example",
    }
    morsel = response.cookies[AUTHOR_COOKIE]
    assert morsel["httponly"]
    assert morsel["samesite"] == "Lax"


def test_remember_cookie_fills_the_form_next_time(posting, client, article):
    posting(remember="on")
    page = client.get(article.get_absolute_url() + "?mine=1").content.decode()  # without script
    assert 'value="robin@example.com"' in page
    assert 'value="https://robin.example"' in page
    assert "checked" in page.split('name="remember"')[1].split(">")[0]  # ticked again
    shared = client.get(article.get_absolute_url()).content.decode()
    assert "robin@example.com" not in shared  # the shared page: the script fills it in
    mine = client.get(reverse("comments:mine", args=[article.pk])).json()  # with the script
    assert mine["author"]["email"] == "robin@example.com"


def test_remember_cookie_is_cleared_when_unticked(posting, client):
    from comments.readers.cookies import AUTHOR_COOKIE

    posting(remember="on")
    assert AUTHOR_COOKIE in client.cookies

    response = posting()  # the box left unticked this time

    assert remembered(response) is None
    assert response.cookies[AUTHOR_COOKIE]["max-age"] == 0
    assert not client.cookies[AUTHOR_COOKIE].value


def test_a_form_with_errors_sets_no_cookie(posting):
    response = posting(remember="on", email="not-an-email")
    assert response.status_code == 400
    assert remembered(response) is None


def test_the_pending_cookie_holds_only_the_last_ids_signed(rf):
    """The privacy page: the numbers of the reader's held comments, the last PENDING_CAP."""
    from django.http import HttpResponse

    from comments.readers.cookies import (
        PENDING_CAP,
        PENDING_COOKIE,
        PENDING_COOKIE_MAX_AGE,
        PENDING_COOKIE_SALT,
        remember_pending,
    )

    request = rf.get("/")
    response = HttpResponse()
    for pk in range(1, PENDING_CAP + 6):
        remember_pending(request, response, Comment(pk=pk, status="pending"))
        request.COOKIES[PENDING_COOKIE] = response.cookies[PENDING_COOKIE].value

    cookie = response.cookies[PENDING_COOKIE]
    assert cookie["max-age"] == PENDING_COOKIE_MAX_AGE
    value = request.get_signed_cookie(PENDING_COOKIE, salt=PENDING_COOKIE_SALT)
    assert value == ",".join(str(pk) for pk in range(6, PENDING_CAP + 6))  # ids, nothing else
    assert cookie.value != value  # signed: the reader cannot change it
