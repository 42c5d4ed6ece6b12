"""The queue's search box finds a word anywhere in name, email, IP or text, from an index."""

import pytest
from django.contrib.admin.sites import site
from django.db import connection
from django.test import RequestFactory

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
