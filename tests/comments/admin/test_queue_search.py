"""The queue's search box finds a word anywhere in name, email, IP or text, from an index."""

import pytest
from django.contrib.admin.sites import site
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from comments.models import Comment
from tests.factories import CommentFactory

pytestmark = pytest.mark.django_db


def search(term):
    admin = site._registry[Comment]
    queryset, _ = admin.get_search_results(RequestFactory().get("/"), Comment.objects.all(), term)
    return queryset


def test_a_word_is_found_in_any_field_whatever_its_case(article):
    by_text = CommentFactory(article=article, body="My calves cramp at NIGHT.")
    by_name = CommentFactory(article=article, author_name="Nightingale")
    by_email = CommentFactory(article=article, author_email="night.owl@example.com")
    by_network = CommentFactory(article=article, ip_address="100.64.12.77")
    CommentFactory(article=article, body="Nothing to see", author_name="Ann")

    assert set(search("night")) == {by_text, by_name, by_email}
    assert list(search("100.64.12.")) == [by_network]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram indexes are PostgreSQL's")
def test_on_postgresql_a_search_reads_the_trigram_indexes_not_the_table(article):
    CommentFactory.create_batch(3, article=article)

    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a tiny table would be scanned anyway
        plan = search("zorro").order_by().explain()

    for index in ("name", "email", "ip", "body"):
        assert f"comment_search_{index}_trgm" in plan, plan


# --- From any view, a search looks in every status (issue 25) --------------------------------

QUEUE = reverse("admin:comments_comment_changelist")


@pytest.fixture
def rui(article):
    """That person's four comments, one in each status, and someone else's."""
    made = {
        status: CommentFactory(
            article=article,
            author_name="Rui",
            author_email="rui.reply@example.com",
            body=f"Rui's {status} comment",
            status=status,
            ip_address="198.51.100.23",
        )
        for status in Comment.Status.values
    }
    CommentFactory(article=article, author_name="Ann", body="Someone else", ip_address="192.0.2.1")
    return made


@pytest.mark.parametrize("view", [*Comment.Status.values, "all"])
def test_from_any_view_a_search_finds_every_status_and_says_which(moderator_client, rui, view):
    page = moderator_client.get(QUEUE, {"status": view, "q": "rui.reply"})
    html = page.content.decode()
    assert {c.pk for c in page.context["cl"].result_list} == {c.pk for c in rui.values()}
    for status, comment in rui.items():
        label = Comment.Status(status).label
        row = html.split(f'id="queue-row-{comment.pk}"')[1].split("</tr>")[0]
        assert f'<span class="status status-{status}">{label}</span>' in row
    assert "The search looks in every status" in html


def test_choosing_a_status_leaves_the_search(moderator_client, rui):
    page = moderator_client.get(QUEUE, {"status": "pending", "q": "rui.reply"})
    changelist = page.context["cl"]
    links = {
        c["display"]: c["query_string"] for c in changelist.filter_specs[0].choices(changelist)
    }
    assert "q=" not in links["Approved (1)"] and "status=approved" in links["Approved (1)"]


@pytest.mark.parametrize(
    "network, found",
    [("198.51.100.0/24", True), ("198.51.0.0/16", True), ("198.51.101.0/24", False)],
)
def test_a_network_finds_every_address_inside_it(rui, network, found):
    assert set(search(network)) == (set(rui.values()) if found else set())


def test_an_ipv6_network_finds_its_addresses(article):
    inside = CommentFactory(article=article, ip_address="2001:db8:1:2::77")
    CommentFactory(article=article, ip_address="2001:db8:1:3::77")
    assert list(search("2001:db8:1:2::/64")) == [inside]


def test_a_search_costs_the_same_queries_for_few_or_many_results(moderator_client, article):
    def queries_for(count):
        CommentFactory.create_batch(count, article=article, author_email="many@example.com")
        with CaptureQueriesContext(connection) as captured:
            moderator_client.get(QUEUE, {"status": "pending", "q": "many@example"})
        return len(captured)

    moderator_client.get(QUEUE)  # the Site settings row, read once and cached
    few = queries_for(2)
    assert queries_for(20) == few
