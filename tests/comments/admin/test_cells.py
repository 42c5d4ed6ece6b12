"""Every status's row renders as markup, never as escaped markup: each cell is built by
`format_html` (the empty fragment included), and the changelist of every status is read as a
person reads it (its visible text). The status cell says its two facts with their labels."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString

from comments.admin import cells
from comments.models import Comment
from tests.factories import CommentFactory, UserFactory

pytestmark = pytest.mark.django_db

QUEUE = reverse("admin:comments_comment_changelist")
HELD_FOR = [
    {"step": "links", "verdict": "hold", "reason": "3 links", "facts": {"count": 3}},
    {"step": "akismet", "verdict": "spam", "reason": "Akismet says spam"},
]
VIEWS = [*Comment.Status.values, "all"]


class VisibleText(HTMLParser):
    """The page's text as a browser shows it (no tags, no scripts, entities decoded)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self.hidden = [], 0

    def handle_starttag(self, tag, attrs):
        self.hidden += tag in ("script", "style", "template")

    def handle_endtag(self, tag):
        self.hidden -= tag in ("script", "style", "template") and self.hidden > 0

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def visible_text(html):
    parser = VisibleText()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


@pytest.fixture
def one_of_each(article):
    """A reply in every status, each held for reasons, one scrubbed: every fragment drawn."""
    parent = CommentFactory(article=article, status="approved", author_name="Rui Parent")
    made = {}
    for status in Comment.Status.values:
        made[status] = CommentFactory(
            article=article,
            parent=parent,
            status=status,
            screening=HELD_FOR,
            akismet_verdict="spam" if status == "spam" else "ham",
        )
    Comment.objects.filter(pk=made["removed"].pk).update(scrubbed_at=timezone.now())
    return made


@pytest.mark.parametrize("view", VIEWS)
def test_every_status_renders_markup_never_escaped_markup(moderator_client, one_of_each, view):
    html = moderator_client.get(QUEUE, {"status": view}).content.decode()
    text = visible_text(html)
    assert "<a" not in text and "<span" not in text and "<button" not in text
    assert "&lt;" not in html.split('id="result_list"')[1]
    shown = [c for c in one_of_each.values() if view in ("all", c.status)]
    for comment in shown:
        edit = reverse("admin:comments_comment_edit", args=[comment.pk])
        assert f'<a class="queue-edit-link" href="{edit}">Edit</a>' in html
    assert "in reply to Rui Parent" in text


def test_every_cell_is_safe_markup_in_every_status(one_of_each, moderator):
    viewer = cells.Viewer(user=moderator, may_change=True, reply_query="return_to=changelist")
    nobody = cells.Viewer(user=UserFactory(), may_change=False, reply_query="")
    for comment in Comment.objects.select_related("article", "parent"):
        fragments = [
            cells.comment_column(viewer)(comment),
            cells.comment_column(nobody)(comment),
            cells.actions(comment, nobody),
            cells.reply_link(comment, nobody),
            cells.edit_link(comment, nobody),
            cells.reasons(comment),
            cells.author(comment),
            cells.article_link(comment),
            cells.in_reply_to(comment),
            cells.state(comment),
            cells.status_column(comment),
            cells.purge(comment),
            cells.age(comment),
        ]
        for fragment in fragments:
            assert isinstance(fragment, SafeString), (comment.status, fragment)


def test_the_status_cell_labels_the_status_and_akismets_verdict(moderator_client, one_of_each):
    html = moderator_client.get(QUEUE, {"status": "spam"}).content.decode()
    text = visible_text(html)
    assert "Status: Spam" in text and "Akismet: Spam" in text
    assert "Spam Spam" not in text


def test_a_row_says_why_in_words_and_keeps_the_code(moderator_client, one_of_each):
    html = moderator_client.get(QUEUE).content.decode()
    assert '<li class="queue-reason" data-step="links">3 links</li>' in html
    assert '<li class="queue-reason" data-step="akismet">Akismet: spam</li>' in html


def test_the_change_page_says_why_held_in_the_same_words(moderator_client, one_of_each):
    page = reverse("admin:comments_comment_change", args=[one_of_each["pending"].pk])
    text = visible_text(moderator_client.get(page).content.decode())
    assert "Held because: 3 links; Akismet: spam" in text
