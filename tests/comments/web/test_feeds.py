import pytest
from django.urls import reverse

from tests.factories import CommentFactory

pytestmark = pytest.mark.django_db


def test_the_comment_feed_lists_approved_comments_without_emails(client, article):
    CommentFactory(
        article=article,
        status="approved",
        author_name="Tina Shute",
        author_email="tina@private.example",
        body_html="<p>Visible</p>",
    )
    CommentFactory(article=article, status="pending", body_html="<p>Held back</p>")
    response = client.get(reverse("comments:feed", args=[article.slug]))
    xml = response.content.decode()
    assert response.status_code == 200
    assert "By: Tina Shute" in xml and "Visible" in xml
    assert "Held back" not in xml and "private.example" not in xml


def test_no_feed_for_a_draft(client, draft_article):
    assert client.get(reverse("comments:feed", args=[draft_article.slug])).status_code == 404


def test_a_readers_name_is_plain_text_in_the_comment_feed(client, article):
    import xml.etree.ElementTree as ET

    CommentFactory(article=article, status="approved", author_name="<b>Bold</b> Bob & co")

    response = client.get(reverse("comments:feed", args=[article.slug]))

    (item,) = ET.fromstring(response.content).findall("./channel/item")
    assert item.findtext("title") == "By: &lt;b&gt;Bold&lt;/b&gt; Bob &amp; co"
