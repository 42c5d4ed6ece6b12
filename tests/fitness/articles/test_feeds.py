"""The article feed carries plain-text titles and sanitised descriptions (issue 15)."""

import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def feed_items(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return ET.fromstring(response.content).findall("./channel/item")


def test_an_article_title_is_plain_text_in_the_feed(client):
    ArticleFactory(title='Squats <img src=x onerror="alert(1)"> & lunges', slug="squats")

    (item,) = feed_items(client, reverse("articles:feed"))

    # What a feed reader gets after reading the XML: text, with the markup escaped.
    assert item.findtext("title") == 'Squats &lt;img src=x onerror="alert(1)"&gt; &amp; lunges'


def test_an_excerpt_is_sanitised_like_the_body_in_the_feed(client):
    ArticleFactory(
        excerpt='<script>alert(1)</script><b onclick="steal()">Strong</b> legs '
        '<a href="javascript:alert(2)">here</a>'
    )

    (item,) = feed_items(client, reverse("articles:feed"))

    description = item.findtext("description")
    assert "<b>Strong</b> legs" in description
    assert "script" not in description and "onclick" not in description
    assert "javascript:" not in description
