"""One form's signed timestamp stores a few comments per network, not two hours of them
(issue 15)."""

import re

import pytest
from django.urls import reverse

from comments.models import Comment

pytestmark = pytest.mark.django_db

STAMP = re.compile(r'name="timestamp" value="([^"]+)"')


@pytest.fixture(autouse=True)
def _no_flood_window(settings):
    """Flood control is not what is tested: a replay here is as fast as a script likes."""
    settings.COMMENTS_FLOOD_SECONDS = 0
    settings.COMMENTS_FORM_TOKEN_USES = 3


def send(client, article, data, n, ip="198.51.100.7"):
    return client.post(
        reverse("comments:post", args=[article.pk]),
        {**data, "comment": f"Replayed comment number {n}.", "email": f"bot{n}@example.com"},
        REMOTE_ADDR=ip,
    )


def test_a_replayed_form_stores_only_a_few_comments(client, article, comment_form_data):
    data = comment_form_data(article)  # one fetched form, its timestamp replayed

    statuses = [send(client, article, data, n).status_code for n in range(1, 11)]

    assert statuses == [302] * 3 + [400] * 7
    assert Comment.objects.count() == 3


def test_rotating_ipv6_addresses_of_one_network_share_the_uses(client, article, comment_form_data):
    data = comment_form_data(article)

    statuses = [send(client, article, data, n, ip=f"2001:db8:5::{n}").status_code for n in range(6)]

    assert statuses == [302] * 3 + [400] * 3


def test_readers_of_one_cached_page_do_not_use_up_each_others_form(
    client, article, comment_form_data
):
    """The cached page gives every reader of an article in one second the same token."""
    data = comment_form_data(article)

    statuses = [send(client, article, data, n, ip=f"203.0.113.{n}").status_code for n in range(10)]

    assert statuses == [302] * 10


def test_the_reader_refused_a_used_form_keeps_the_text_and_gets_a_fresh_one(
    client, article, comment_form_data
):
    data = comment_form_data(article)
    for n in range(1, 4):
        send(client, article, data, n)

    response = send(client, article, data, 4)

    html = response.content.decode()
    assert response.status_code == 400
    assert "This form has already been used to send comments" in html
    assert "Replayed comment number 4." in html
    assert STAMP.search(html).group(1) != data["timestamp"]


def test_an_honest_reader_can_post_twice_from_the_same_page(client, article, comment_form_data):
    data = comment_form_data(article)
    url = reverse("comments:post", args=[article.pk])

    first = client.post(url, {**data, "comment": "First thought."})
    second = client.post(url, {**data, "comment": "And a second one."})

    assert (first.status_code, second.status_code) == (302, 302)
    assert Comment.objects.count() == 2


def test_a_refused_comment_gives_its_use_back(client, article, comment_form_data):
    data = comment_form_data(article)
    url = reverse("comments:post", args=[article.pk])
    assert client.post(url, data).status_code == 302
    for _ in range(5):  # the same text in capitals: refused as a duplicate, nothing stored
        again = client.post(url, {**data, "comment": data["comment"].upper()})
        assert "Duplicate comment" in again.content.decode()

    assert client.post(url, {**data, "comment": "Something new."}).status_code == 302


def test_a_reader_who_corrects_a_refused_form_at_once_is_not_taken_for_a_bot(
    client, article, comment_form_data
):
    """The form sent back keeps the time the page was first shown: sending it again quickly
    is not "faster than a human" (COMMENTS_MIN_SUBMIT_SECONDS)."""
    url = reverse("comments:post", args=[article.pk])
    refused = client.post(url, comment_form_data(article, email="not an address"))
    assert refused.status_code == 400

    fixed = comment_form_data(article, timestamp=STAMP.search(refused.content.decode()).group(1))
    response = client.post(url, fixed)

    assert response.status_code == 302
    assert Comment.objects.get().status == "pending"  # held as a first comment, not spam


def test_the_form_sent_back_brings_no_new_uses(client, article, comment_form_data):
    data = comment_form_data(article)
    for n in range(1, 4):
        send(client, article, data, n)
    bad = send(client, article, {**data, "name": ""}, 4)  # a field error: the form comes back
    again = {**data, "timestamp": STAMP.search(bad.content.decode()).group(1)}

    response = send(client, article, again, 5)

    assert response.status_code == 400
    assert "This form has already been used" in response.content.decode()
    assert Comment.objects.count() == 3


def test_two_readers_of_the_shared_page_both_post_and_a_replay_is_stopped(
    page_cache_on, settings, article, comment_form_data, monkeypatch
):
    """The page every anonymous reader gets (one token for all, from the page store): two
    readers on different networks both comment; one script replaying it is stopped by the uses
    and, with the flood window on as in production, by flood control from the second post."""
    from django.test import Client

    settings.COMMENTS_MIN_SUBMIT_SECONDS = 0
    html = Client().get(article.get_absolute_url()).content.decode()
    assert html == Client().get(article.get_absolute_url()).content.decode()  # the same bytes
    shared = {**comment_form_data(article), "timestamp": STAMP.search(html).group(1)}

    assert send(Client(), article, shared, 1, ip="203.0.113.1").status_code == 302
    assert send(Client(), article, shared, 2, ip="198.51.100.9").status_code == 302

    settings.COMMENTS_FLOOD_SECONDS = 15
    replay = [send(Client(), article, shared, n, ip="192.0.2.5").status_code for n in range(3, 9)]
    assert replay[0] == 302 and set(replay[1:]) == {400}
    assert Comment.objects.count() == 3
