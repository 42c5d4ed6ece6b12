"""An empty ?_to_field= on an admin page is a page, not a 500 (found by tests/test_fuzz.py)."""

import pytest
from django.urls import reverse

from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("view", ["change", "delete"])
def test_an_empty_to_field_means_none(client, view):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    article = ArticleFactory()
    url = reverse(f"admin:fitness_article_{view}", args=[article.pk])
    for query in ("?_to_field", "?_to_field=", "?_to_field=%20&_to_field="):
        response = client.get(url + query)
        assert response.status_code == 200, query
        assert article.title in response.content.decode()


def test_a_field_the_admin_does_not_allow_is_still_refused(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    url = reverse("admin:fitness_article_change", args=[ArticleFactory().pk])
    assert client.get(url + "?_to_field=body").status_code == 400
