"""Everything a reader sends is escaped, in every field; emails never reach a public page."""

from html import unescape
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from comments.models import Comment
from comments.services.status import approve

pytestmark = pytest.mark.django_db

XSS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "<svg/onload=alert(1)>",
    "javascript:alert(1)",
    "'-alert(1)-'",
    '<a href="javascript:alert(1)">x</a>',
    "</textarea><script>alert(1)</script>",
    "<iframe src=//evil.example></iframe>",
    "{{ 7|add:7 }}{% now 'Y' %}",
    'https://example.org/"onmouseover="alert(1)',
]
ALLOWED_TAGS = {"h2", "ol", "li", "article", "header", "span", "div", "b", "a", "time", "p", "br"}
# Our own controls around the comments: the sort links, the Helpful form and its button.
ALLOWED_TAGS |= {"nav", "ul", "form", "button"}


class Markup(HTMLParser):
    """Every tag and attribute the browser would see."""

    def __init__(self):
        super().__init__()
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def assert_harmless(html):
    parser = Markup()
    parser.feed(html)
    for tag, attrs in parser.tags:
        assert tag in ALLOWED_TAGS, tag
        assert not [name for name in attrs if name.startswith("on")], (tag, attrs)
        href = (attrs.get("href") or "").strip().lower()
        assert not href.startswith(("javascript:", "data:", "vbscript:")), href


def post(client, article, data):
    return client.post(reverse("comments:post", args=[article.pk]), data)


@pytest.mark.parametrize("payload", XSS)
def test_payloads_in_comment_and_name_are_escaped_on_the_page_and_in_the_feed(
    client, article, comment_form_data, payload, settings
):
    settings.COMMENTS_FLOOD_SECONDS = 0
    data = comment_form_data(article, comment=f"Body {payload}", name=f"N {payload}"[:100])
    assert post(client, article, data).status_code == 302
    approve(Comment.objects.get())
    html = client.get(article.get_absolute_url()).content.decode()
    thread = html.split('id="comments-title"')[1].split('<div id="respond"')[0]
    assert_harmless('<h2 id="comments-title"' + thread)
    assert ">14<" not in thread  # no template evaluation
    # In RSS the description is escaped HTML: unescaped once, it must still be harmless.
    feed = client.get(reverse("comments:feed", args=[article.slug])).content.decode()
    description = feed.split("<item>")[1].split("<description>")[1].split("</description>")[0]
    assert_harmless(unescape(description))


@pytest.mark.parametrize("payload", XSS)
def test_payloads_sent_back_in_a_form_with_errors_stay_escaped(
    client, article, comment_form_data, payload
):
    data = comment_form_data(article, comment=payload, name=payload[:100], email=payload)
    html = post(client, article, data).content.decode()
    form = html.split('id="commentform"')[1].split("</form>")[0]
    parser = Markup()
    parser.feed(form)
    for tag, attrs in parser.tags:
        assert tag in {
            "input",
            "div",
            "label",
            "span",
            "textarea",
            "p",
            "button",
            "strong",
            "ul",
            "li",
        }, tag
        assert not [name for name in attrs if name.startswith("on")], (tag, attrs)


@pytest.mark.parametrize(
    "website",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "data:text/html,<b>x</b>",
        "ftp://x.org/",
        "vbscript:msgbox(1)",
        " javascript:alert(1)",
    ],
)
def test_a_website_that_is_not_http_is_refused(client, article, comment_form_data, website):
    response = post(client, article, comment_form_data(article, website=website))
    assert response.status_code == 400
    assert "starting with http:// or https://" in response.content.decode()


def test_a_javascript_url_already_stored_never_becomes_a_link(client, article):
    from tests.factories import CommentFactory

    CommentFactory(article=article, status="approved", author_url="javascript:alert(1)")
    html = client.get(article.get_absolute_url()).content.decode()
    assert 'href="javascript:' not in html


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("comment", "x" * 5001, "under 5,000 characters"),
        ("name", "n" * 101, "at most 100 characters"),
        ("comment", "null\x00byte", "Null characters are not allowed."),
        ("name", "null\x00byte", "Null characters are not allowed."),
        ("comment", "\u202egnp.exe", "invisible control characters"),
        ("comment", "\u200b\u200b \n", "Please type a comment."),
        ("name", "two\nlines", "one line"),
        ("comment", "bell\x07", "invisible control characters"),
    ],
)
def test_huge_nul_and_odd_unicode_input_gets_a_clear_error(
    client, article, comment_form_data, field, value, message
):
    response = post(client, article, comment_form_data(article, **{field: value}))
    assert response.status_code == 400
    assert message in response.content.decode().replace("&#x27;", "'")
    assert not Comment.objects.exists()


def test_emoji_and_accents_are_welcome(client, article, comment_form_data):
    text = "Très bien 🙂 — ça marche, 筋肉"
    assert post(client, article, comment_form_data(article, comment=text)).status_code == 302
    assert Comment.objects.get().body == text


def test_the_email_never_appears_on_public_pages_or_feeds(
    client, article, comment_form_data, settings
):
    settings.COMMENTS_FLOOD_SECONDS = 0
    secret = "very.private.person@example.com"
    post(client, article, comment_form_data(article, email=secret, remember=""))
    approve(Comment.objects.get())
    client.cookies.clear()
    urls = [
        article.get_absolute_url(),
        reverse("comments:feed", args=[article.slug]),
        reverse("articles:feed"),
        reverse("articles:list"),
    ]
    for url in urls:
        assert secret not in client.get(url).content.decode(), url
    assert "very.private.person" not in client.get(article.get_absolute_url()).content.decode()
