"""fitness.core.prepared: a query built and compiled once per shape, its values given each time
it runs, prepared as Django prepares them (a datetime as SQLite keeps it, an address as
PostgreSQL's inet)."""

from datetime import timedelta

import pytest
from django.db import connection, models
from django.utils import timezone

from fitness.articles.models import Article
from fitness.core import prepared
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def published_since(key, builds):
    def build(slots):
        builds.append(key)
        found = Article.objects.filter(slug__in=[slots.first, slots.second])
        found = found.filter(publish_at__gte=slots.since).order_by("slug").values("slug")
        return found.query.sql_with_params()

    return prepared.compiled(
        key,
        build,
        first=models.CharField(),
        second=models.CharField(),
        since=models.DateTimeField(),
    )


def slugs(sql, params, **values):
    with connection.cursor() as cursor:
        cursor.execute(sql, prepared.filled(params, **values))
        return [row[0] for row in cursor.fetchall()]


def test_a_shape_is_compiled_once_and_answers_for_each_call_s_values():
    now = timezone.now()
    ArticleFactory(slug="old-news", publish_at=now - timedelta(days=30))
    ArticleFactory(slug="fresh", publish_at=now - timedelta(hours=1))
    ArticleFactory(slug="fresher", publish_at=now - timedelta(minutes=5))
    builds = []
    key = ("test.published_since", id(builds))

    sql, params = published_since(key, builds)
    week_ago = now - timedelta(days=7)
    assert slugs(sql, params, first="old-news", second="fresh", since=week_ago) == ["fresh"]
    sql, params = published_since(key, builds)
    assert slugs(
        sql, params, first="fresher", second="old-news", since=now - timedelta(days=60)
    ) == [
        "fresher",
        "old-news",
    ]
    assert slugs(
        sql, params, first="fresh", second="fresher", since=now - timedelta(minutes=30)
    ) == ["fresher"]
    assert builds == [key]  # built once; three answers


def test_a_lookup_that_rewrites_its_value_is_refused_not_answered_wrongly():
    def build(slots):
        return Article.objects.filter(slug__iexact=slots.slug).query.sql_with_params()

    if connection.vendor == "sqlite":  # iexact escapes its value for LIKE, in Python
        with pytest.raises(ValueError, match="compare slots with = or IN"):
            prepared.compiled(("test.iexact", 1), build, slug=models.CharField())
    else:  # PostgreSQL's iexact is UPPER(...) = UPPER(%s): the value is left alone
        ArticleFactory(slug="mixed")
        sql, params = prepared.compiled(("test.iexact", 2), build, slug=models.CharField())
        with connection.cursor() as cursor:
            cursor.execute(sql, prepared.filled(params, slug="MIXED"))
            assert len(cursor.fetchall()) == 1
