"""Issue 29: one page for everyone. A returning commenter's article page is the stranger's, byte
for byte, and shareable; what is theirs (their held comments, their edit links, their remembered
name) comes from `comments:mine`, private, or from their own page (`?mine=1`) without the script.
"""

import time

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from comments.models import Comment
from comments.readers.cookies import (
    AUTHOR_COOKIE,
    EDITABLE_COOKIE,
    HINT_COOKIE,
    OWN_COOKIES,
    PENDING_COOKIE,
)
from comments.services.counts import refresh_article_counts
from comments.threads import reading as threads
from fitness.core.http_cache import shared_cache_control
from tests.factories import CommentFactory

pytestmark = pytest.mark.django_db

AWAITING = "Your comment is awaiting moderation."
NAME, EMAIL, TEXT = "Returning Rosalind", "rosalind@example.org", "A held question about squats"


@pytest.fixture
def commenter(article, comment_form_data, settings):
    """A browser that posted a held comment with "remember me": all three comments cookies."""
    settings.COMMENTS_FLOOD_SECONDS = 0
    client = Client()
    data = comment_form_data(article, comment=TEXT, name=NAME, email=EMAIL, remember="on")
    response = client.post(reverse("comments:post", args=[article.pk]), data)
    assert response.status_code == 302
    assert Comment.objects.get(body=TEXT).status == Comment.Status.PENDING
    assert set(OWN_COOKIES) <= set(client.cookies)
    client.location = response["Location"]
    return client


def mine_url(article, query=""):
    return reverse("comments:mine", args=[article.pk]) + query


def same_second(*clients, url):
    """One GET each within one second (the form's shared timestamp), retried at a boundary."""
    for _ in range(5):
        second = int(time.time())
        responses = [client.get(url) for client in clients]
        if int(time.time()) == second:
            return responses
    raise AssertionError("no two requests within one second")


def test_a_returning_commenters_page_is_the_strangers_byte_for_byte(article, commenter):
    url = article.get_absolute_url()

    theirs, strangers = same_second(commenter, Client(), url=url)

    assert theirs.status_code == strangers.status_code == 200
    assert theirs.content == strangers.content
    assert theirs["Cache-Control"] == strangers["Cache-Control"] == shared_cache_control()
    assert theirs["ETag"] == strangers["ETag"]
    assert not theirs.cookies
    html = theirs.content.decode()
    for personal in (NAME, EMAIL, TEXT, AWAITING, "Edit or delete", "Your recent comments"):
        assert personal not in html
    # Where the script asks for the rest.
    assert f'data-mine="{mine_url(article)}"' in html


def test_the_stored_page_serves_the_returning_commenter(page_cache_on, article, commenter):
    url = article.get_absolute_url()
    stored = Client().get(url)

    with CaptureQueriesContext(connection) as queries:
        theirs = commenter.get(url)

    assert not queries.captured_queries  # from the page store, nothing rendered
    assert theirs.content == stored.content


def test_the_private_request_brings_their_pieces(article, commenter):
    response = commenter.get(mine_url(article))

    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    mine = response.json()
    held = Comment.objects.get(body=TEXT)
    assert AWAITING in mine["pending"] and TEXT in mine["pending"]
    assert f'id="comment-{held.pk}"' in mine["pending"]
    assert reverse("comments:edit", args=[held.pk]) in mine["own"]
    assert "Edit or delete" in mine["own"]
    assert mine["author"]["name"] == NAME and mine["author"]["email"] == EMAIL


def test_the_private_request_gives_a_stranger_nothing_from_no_query(
    article, django_assert_num_queries
):
    with django_assert_num_queries(0):
        response = Client().get(mine_url(article))

    assert response.json() == {}
    assert response["Cache-Control"] == "private, no-store"


def test_the_hint_tells_the_script_to_ask_and_goes_once_the_cookies_have(article, commenter):
    hint = commenter.cookies[HINT_COOKIE]
    assert hint.value == "1" and not hint["httponly"]  # the script reads it
    assert commenter.cookies[AUTHOR_COOKIE]["httponly"]  # what it stands for stays hidden

    for name in OWN_COOKIES:
        del commenter.cookies[name]
    response = commenter.get(mine_url(article))

    assert response.json() == {}
    assert response.cookies[HINT_COOKIE]["max-age"] == 0


def test_the_private_request_places_held_comments_as_the_page_does(article, commenter, settings):
    settings.COMMENTS_THREADS_PER_PAGE = 1
    tops = [CommentFactory(article=article, status="approved") for _ in range(2)]
    refresh_article_counts([article.pk])
    held_top = Comment.objects.get(body=TEXT)  # a held top-level comment: on the last page

    first = commenter.get(mine_url(article, "?page=1")).json()
    last = commenter.get(mine_url(article, "?page=2")).json()
    newest_first = commenter.get(mine_url(article, "?page=1&sort=newest")).json()

    assert TEXT not in first["pending"] and TEXT in last["pending"]
    assert TEXT not in newest_first["pending"]  # the last page of that order is page 2 too
    own_page = commenter.get(article.get_absolute_url() + "?page=2&mine=1").content.decode()
    assert last["pending"] in own_page  # the same markup as the reader's own page
    assert f'id="comment-{held_top.pk}"' in own_page and tops


@pytest.mark.parametrize(("page_number", "order"), [(1, "oldest"), (2, "newest"), ("9", "helpful")])
def test_page_threads_finds_the_threads_read_page_shows(article, settings, page_number, order):
    settings.COMMENTS_THREADS_PER_PAGE = 2
    for _ in range(5):
        CommentFactory(article=article, status="approved")
    refresh_article_counts([article.pk])

    full = threads.read_page(article, page_number, order=order)
    light = threads.page_threads(article, page_number, order=order)

    assert (light.number, light.num_pages) == (full.number, full.num_pages)
    assert light.thread_ids == full.thread_ids


def test_the_private_request_takes_the_same_queries_however_many_comments(
    article, comment_form_data, settings
):
    settings.COMMENTS_FLOOD_SECONDS = 0
    settings.COMMENTS_MIN_SUBMIT_SECONDS = 0

    def reader_with(count):
        client = Client()
        for number in range(count):
            data = comment_form_data(article, comment=f"Held {count}-{number}", remember="on")
            assert client.post(reverse("comments:post", args=[article.pk]), data).status_code == 302
        client.get(mine_url(article))  # the Site settings row and the thread cache, warm
        with CaptureQueriesContext(connection) as queries:
            pieces = client.get(mine_url(article)).json()
        assert pieces["pending"].count(AWAITING) == count
        return len(queries.captured_queries)

    assert reader_with(1) == reader_with(3)


def test_without_the_script_the_post_lands_on_their_own_page(page_cache_on, article, commenter):
    location = commenter.location
    assert "mine=1" in location

    response = commenter.get(location.split("#")[0])

    assert response["Cache-Control"] == "private, no-store"
    assert "ETag" not in response  # never confused with the shared page's
    html = response.content.decode()
    assert AWAITING in html and TEXT in html and "Edit or delete" in html
    assert f'value="{NAME}"' in html and 'data-mine="' not in html
    # Never stored: a stranger asking the same address gets nothing of theirs.
    assert TEXT not in Client().get(location.split("#")[0]).content.decode()
    assert TEXT not in Client().get(article.get_absolute_url()).content.decode()


def test_a_form_sent_back_with_errors_stays_their_own(article, commenter, comment_form_data):
    data = comment_form_data(article, comment="Second try", name=NAME, email="not-an-email")
    response = commenter.post(reverse("comments:post", args=[article.pk]), data)

    assert response.status_code == 400
    assert "public" not in response.get("Cache-Control", "")
    html = response.content.decode()
    assert TEXT in html and AWAITING in html  # their held comment, as on their own page
    assert "Second try" in html


def test_a_forged_cookie_shows_nothing_of_anybody_else(article, comment_form_data):
    someone = CommentFactory(article=article, status="pending", body="Somebody else's")
    forger = Client()
    forger.cookies[PENDING_COOKIE] = str(someone.pk)
    forger.cookies[EDITABLE_COOKIE] = str(someone.pk)

    pieces = forger.get(mine_url(article)).json()

    assert pieces["pending"] == "" and pieces["own"] == ""


def test_the_privacy_page_names_the_hint_cookie(client, article, commenter):
    assert HINT_COOKIE in commenter.cookies
    html = client.get(reverse("privacy")).content.decode()
    assert f"<code>{HINT_COOKIE}</code>" in html


def test_an_undo_filled_in_by_the_script_carries_a_token_that_works(article, commenter):
    held = Comment.objects.get(body=TEXT)
    commenter.post(reverse("comments:delete", args=[held.pk]), {"confirmed": "1"})
    strict = Client(enforce_csrf_checks=True)
    strict.cookies = commenter.cookies

    response = strict.get(mine_url(article))
    own = response.json()["own"]
    restore = reverse("comments:restore", args=[held.pk])
    assert f'action="{restore}"' in own
    token = own.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    answer = strict.post(restore, {"csrfmiddlewaretoken": token})

    assert answer.status_code == 302
    held.refresh_from_db()
    assert held.status == Comment.Status.PENDING


def test_the_shared_page_does_not_vary_with_cookies(article, commenter, staff_user):
    """nginx keeps one variant per Cookie header it varies on: each commenter would miss."""
    shared = commenter.get(article.get_absolute_url())
    assert "cookie" not in shared.get("Vary", "").lower()

    staff = Client()
    staff.force_login(staff_user)
    personal = staff.get(article.get_absolute_url())
    assert personal["Cache-Control"] == "private, no-store"
    assert "cookie" in personal["Vary"].lower()


def test_a_returning_commenters_page_takes_the_strangers_queries(article, commenter):
    url = article.get_absolute_url()
    Client().get(url)  # the Site settings row, the thread cache: warm

    with CaptureQueriesContext(connection) as strangers:
        Client().get(url)
    with CaptureQueriesContext(connection) as theirs:
        commenter.get(url)

    assert len(theirs.captured_queries) == len(strangers.captured_queries)


def test_a_report_sets_no_hint(article):
    reported = CommentFactory(article=article, status="approved")
    response = Client().post(
        reverse("comments:report", args=[reported.pk]),
        {"reason": "spam", "good_faith": "on"},
    )
    assert "comments_reporter" in response.cookies  # a cookie of the app's, not one of OWN
    assert HINT_COOKIE not in response.cookies
