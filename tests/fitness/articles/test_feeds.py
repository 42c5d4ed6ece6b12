"""The article feeds: plain-text titles, sanitised descriptions (issue 15), the full text
(issue 26)."""

import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from tests.factories import ArticleFactory, CategoryFactory, TagFactory

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


# --- The whole text, as WordPress's "For each post in a feed, include: Full text" (issue 26) ---

CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"


def test_every_article_feed_carries_the_full_text_beside_the_excerpt(client, settings):
    settings.SITE_URL = "https://fitness.example"
    article = ArticleFactory(
        excerpt="Short.",
        body="## Why\n\nThe **whole** story, [further down](#how).\n\n## How\n\n"
        "![A squat](/media/squat.webp)\n\n<script>alert(1)</script>",
    )
    category = CategoryFactory(slug="recovery")
    tag = TagFactory(slug="sleep")
    article.categories.add(category)
    article.tags.add(tag)
    feeds = [
        reverse("articles:feed"),
        reverse("articles:category_feed", kwargs={"slug": "recovery"}),
        reverse("articles:tag_feed", kwargs={"slug": "sleep"}),
    ]
    page = f"https://fitness.example{article.get_absolute_url()}"
    for url in feeds:
        (item,) = feed_items(client, url)
        assert item.findtext("description") == "Short."
        content = item.findtext(CONTENT)
        assert "<strong>whole</strong> story" in content, url
        assert "script" not in content  # sanitised, as the page shows it
        assert f'href="{page}#how"' in content  # an in-page link works away from the page
        assert 'src="https://fitness.example/media/squat.webp"' in content


def test_the_full_text_can_be_turned_off(client, settings):
    settings.FEEDS_FULL_TEXT = False
    ArticleFactory(excerpt="Short.", body="The whole story.")
    (item,) = feed_items(client, reverse("articles:feed"))
    assert item.findtext("description") == "Short."
    assert item.find(CONTENT) is None


def test_absolute_urls_leave_other_hosts_alone_and_rewrite_each_srcset_candidate(settings):
    from fitness.articles.feeds import absolute_urls

    settings.SITE_URL = "https://fitness.example"
    html = (
        '<a href="https://other.example/x">x</a><a href="//cdn.example/y">y</a>'
        '<img src="/media/a.webp" srcset="/media/a-480.webp 480w, /media/a-800.webp 800w">'
    )
    out = absolute_urls(html, "https://fitness.example/articles/a/")
    assert 'href="https://other.example/x"' in out and 'href="//cdn.example/y"' in out
    assert (
        'srcset="https://fitness.example/media/a-480.webp 480w, '
        'https://fitness.example/media/a-800.webp 800w"'
    ) in out
