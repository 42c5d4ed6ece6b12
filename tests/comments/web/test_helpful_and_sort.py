"""Issue 26, as a reader meets it: "Helpful" on every comment (works without the script, one
mark per reader, undoable, the count in the shared page), the three orders of the threads
(?sort=, kept when paging, permalinks land on the right page, each order its own ETag and
cache entry, the query count independent of the discussion's size), and the live endpoint
the page asks whether its discussion changed."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from comments.models import Comment
from comments.readers.cookies import HELPFUL_COOKIE
from comments.services import reactions
from comments.services.counts import refresh_article_counts
from comments.services.status import approve
from comments.threads import reading as threads
from tests.factories import CommentFactory
from tests.script_helpers import Script

pytestmark = pytest.mark.django_db


def approved(article, **fields):
    return CommentFactory(article=article, status="approved", **fields)


def dated_threads(article, count):
    """`count` approved top-level comments a minute apart, oldest first."""
    start = timezone.now() - timedelta(days=1)
    tops = [approved(article, body=f"Thread {n}") for n in range(count)]
    for n, top in enumerate(tops):
        Comment.objects.filter(pk=top.pk).update(created_at=start + timedelta(minutes=n))
        top.refresh_from_db()
    refresh_article_counts([article.pk])
    return tops


def helpful_url(comment, query=""):
    return reverse("comments:helpful", args=[comment.pk]) + query


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def shown_threads(html):
    return [int(n) for n in re.findall(r'<li id="comment-(\d+)" class="comment depth-1', html)]


# --- Helpful ------------------------------------------------------------------------------------


def test_without_the_script_a_tap_marks_and_a_second_tap_takes_it_back(client, article):
    comment = approved(article)

    marked = client.post(helpful_url(comment))
    assert marked.status_code == 302
    assert marked["Location"] == f"{article.get_absolute_url()}#comment-{comment.pk}"
    cookie = marked.cookies[HELPFUL_COOKIE]
    assert not cookie["httponly"]  # the script draws the reader's marks from it
    html = page(client, marked["Location"].split("#")[0])
    assert "Marked helpful. Tap again to take it back." in html
    assert 'Helpful<span class="comment-helpful-count"> 1</span>' in html

    undone = client.post(helpful_url(comment))
    assert undone.status_code == 302
    assert Comment.objects.get(pk=comment.pk).helpful_count == 0
    html = page(client, undone["Location"].split("#")[0])
    assert "Your mark was taken back." in html
    assert 'Helpful<span class="comment-helpful-count"></span>' in html


def test_the_script_gets_the_count_and_one_reader_counts_once(client, article):
    comment = approved(article)
    json = {"HTTP_ACCEPT": "application/json"}

    first = client.post(helpful_url(comment), {"helpful": "1"}, **json).json()
    again = client.post(helpful_url(comment), {"helpful": "1"}, **json).json()
    other = Client().post(helpful_url(comment), {"helpful": "1"}, **json).json()

    assert first == {"marked": True, "count": 1, "message": first["message"]}
    assert again["marked"] and again["count"] == 1  # the same reader: still one
    assert other["count"] == 2
    undone = client.post(helpful_url(comment), {"helpful": "0"}, **json).json()
    assert undone["marked"] is False and undone["count"] == 1


def test_a_mark_from_another_site_is_refused(article):
    comment = approved(article)
    browser = Client(enforce_csrf_checks=True)

    response = browser.post(helpful_url(comment), HTTP_SEC_FETCH_SITE="cross-site")
    assert response.status_code == 403
    same_site = browser.post(helpful_url(comment), HTTP_SEC_FETCH_SITE="same-origin")
    assert same_site.status_code == 302  # the site's own page: no token needed
    assert Comment.objects.get(pk=comment.pk).helpful_count == 1


def test_a_held_comment_has_no_helpful_address(client, article):
    held = CommentFactory(article=article, status="pending")
    assert client.post(helpful_url(held)).status_code == 404


def test_the_page_stays_shared_for_a_reader_with_marks_and_shows_the_new_count(client, article):
    comment = approved(article)
    url = article.get_absolute_url()
    before = client.get(url)
    client.post(helpful_url(comment), {"helpful": "1"}, HTTP_ACCEPT="application/json")

    after = client.get(url)  # the thread cache is on: the mark moved its key

    assert client.cookies[HELPFUL_COOKIE].value
    assert after["Cache-Control"].startswith("public")
    assert after["ETag"] != before["ETag"]
    assert 'Helpful<span class="comment-helpful-count"> 1</span>' in after.content.decode()
    assert "aria-pressed" not in after.content.decode()  # the reader's own: drawn by the script


def test_the_script_reads_the_cookie_the_server_writes():
    assert f'"{HELPFUL_COOKIE}"' in Script("comments.js").text


# --- Sort ---------------------------------------------------------------------------------------


def test_each_order_lists_the_threads_its_way(client, article):
    tops = dated_threads(article, 4)
    reactions.mark_helpful(tops[2], reader="a", ip="192.0.2.1")
    reactions.mark_helpful(tops[2], reader="b", ip="192.0.2.2")
    reactions.mark_helpful(tops[1], reader="a", ip="192.0.2.1")
    ids = [top.pk for top in tops]
    url = article.get_absolute_url()

    assert shown_threads(page(client, url)) == ids
    assert shown_threads(page(client, url + "?sort=newest")) == ids[::-1]
    assert shown_threads(page(client, url + "?sort=helpful")) == [ids[2], ids[1], ids[0], ids[3]]
    assert shown_threads(page(client, url + "?sort=nonsense")) == ids  # the default


def test_the_sort_links_work_without_the_script_and_paging_keeps_the_order(
    client, article, settings
):
    settings.COMMENTS_THREADS_PER_PAGE = 2
    tops = dated_threads(article, 5)
    url = article.get_absolute_url()
    html = page(client, url)
    assert 'href="?sort=newest#comments"' in html and 'href="?sort=helpful#comments"' in html
    assert 'href="?#comments" rel="nofollow" aria-current="true">Oldest' in html

    first = page(client, url + "?sort=newest")
    assert 'href="?sort=newest&amp;page=2#comments" rel="next">Older comments' in first
    second = page(client, url + "?sort=newest&page=2")
    assert shown_threads(second) == [tops[2].pk, tops[1].pk]
    assert 'href="?sort=newest#comments" rel="prev"' in second
    assert f'href="?sort=newest&amp;page=2&amp;replytocom={tops[2].pk}#respond"' in second
    assert f'action="/comments/{tops[2].pk}/helpful/?sort=newest"' in second


@pytest.mark.parametrize("order", threads.ORDERS)
def test_a_permalink_lands_on_the_page_that_shows_the_comment_in_every_order(
    client, article, settings, order
):
    settings.COMMENTS_THREADS_PER_PAGE = 2
    tops = dated_threads(article, 5)
    for n, top in enumerate(tops):  # distinct helpful counts: 0, 1, 2, 0, 1
        for reader in range(n % 3):
            reactions.mark_helpful(top, reader=f"r{reader}", ip=f"192.0.2.{reader + 1}")
    reply = approved(article, parent=tops[3])

    for comment in [*tops, reply]:
        location = client.get(f"/comments/{comment.pk}/?sort={order}")["Location"]
        assert location.endswith(f"#comment-{comment.pk}")
        html = page(client, location.split("#")[0])
        assert f'id="comment-{comment.pk}"' in html, (order, location)
        if order != threads.DEFAULT_ORDER:
            assert f"sort={order}" in location


@pytest.mark.parametrize("order", threads.ORDERS)
def test_each_orders_page_costs_the_same_queries_whatever_the_discussion_size(
    client, article, settings, order
):
    settings.COMMENTS_THREAD_CACHE_SECONDS = 0  # measure the thread itself, not the cache
    counted = []
    for size in (10, 300):
        Comment.objects.filter(article=article).delete()
        tops = dated_threads(article, size * 7 // 10)
        for index in range(size - len(tops)):
            approved(article, parent=tops[index % len(tops)])
        refresh_article_counts([article.pk])
        url = f"{article.get_absolute_url()}?sort={order}"
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert f"{size} Comments" in response.content.decode()
        counted.append(len(queries))
    assert counted[0] == counted[1] == 2, counted  # the article (its thread count); the rows


def test_every_orders_page_has_its_own_etag_and_answers_304(client, article):
    approved(article)
    refresh_article_counts([article.pk])
    base = article.get_absolute_url()
    etags = {}
    for query in ("", "?sort=newest", "?sort=helpful"):
        response = client.get(base + query)
        etags[query] = response["ETag"]
        again = client.get(base + query, HTTP_IF_NONE_MATCH=response["ETag"])
        assert again.status_code == 304, query
    assert len(set(etags.values())) == 3


def test_each_order_is_cached_apart(client, article):
    tops = dated_threads(article, 2)
    url = article.get_absolute_url()
    assert shown_threads(page(client, url)) == [tops[0].pk, tops[1].pk]  # cached: oldest
    assert shown_threads(page(client, url + "?sort=newest")) == [tops[1].pk, tops[0].pk]


# --- The live endpoint --------------------------------------------------------------------------


def test_the_live_endpoint_answers_304_until_the_discussion_changes(
    client, article, django_assert_num_queries
):
    comment = CommentFactory(article=article, status="pending")
    url = reverse("comments:live", args=[article.pk])
    first = client.get(url)
    assert first.status_code == 200 and first["Cache-Control"].startswith("public")
    assert first.json()["count"] == 0
    etag = first["ETag"]

    with django_assert_num_queries(1):  # the article's version: nothing rendered
        unchanged = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert unchanged.status_code == 304 and unchanged["Cache-Control"].startswith("public")

    approve(comment)
    changed = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed.json()["count"] == 1
    assert changed["ETag"] != etag


def test_the_live_endpoint_is_shared_whatever_the_readers_cookies(client, article):
    client.cookies["comment_author"] = "someone"  # a personal cookie: pages are the reader's
    response = client.get(reverse("comments:live", args=[article.pk]))
    assert response["Cache-Control"].startswith("public")
    assert "Set-Cookie" not in response


def test_the_live_endpoint_knows_only_published_articles(client, draft_article):
    assert client.get(reverse("comments:live", args=[draft_article.pk])).status_code == 404


def test_the_page_tells_the_script_where_to_ask(client, article):
    html = page(client, article.get_absolute_url())
    live = reverse("comments:live", args=[article.pk])
    assert f'data-live="{live}"' in html and 'data-count="0"' in html
