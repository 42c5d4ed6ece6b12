"""An article page's shell (fitness/core/page_shells.py): everything but the comment section
kept per process by the page's version. A reader must not be able to tell: the page from its
shell is the page rendered whole, and nothing of one request's section reaches another's.
(That every change to what the page shows is shown at once: tests/fitness/articles/
test_freshness.py.)"""

import re

import pytest
from django.test import Client

from tests.factories import CommentFactory

pytestmark = pytest.mark.django_db


def without_timestamp(page):
    """The page without the form's signed timestamp (it moves each second)."""
    return re.sub(rb'name="timestamp" value="[^"]*"', b"", page)


@pytest.fixture
def discussed(article, settings):
    settings.COMMENTS_THREADS_PER_PAGE = 2
    approved = {"article": article, "status": "approved"}
    first = CommentFactory(**approved, author_name="Ann Lee", body="First <b>bold</b>")
    CommentFactory(**approved, parent=first, author_name="Bo")
    for name in ("Cy", "Di"):
        CommentFactory(**approved, author_name=name)
    article.refresh_from_db()
    return article


@pytest.mark.parametrize(
    "query", ["", "?page=2", "?sort=newest", "?replytocom=REPLY", "?utm_source=feed"]
)
def test_the_page_from_its_shell_is_the_page_rendered_whole(client, discussed, settings, query):
    reply_to = discussed.comments.get(author_name="Ann Lee").pk
    url = discussed.get_absolute_url() + query.replace("REPLY", str(reply_to))
    settings.PAGE_SHELLS_KEPT = 0
    whole = client.get(url)
    settings.PAGE_SHELLS_KEPT = 256
    client.get(url)  # the shell is kept
    from_shell = client.get(url)

    assert from_shell.status_code == whole.status_code == 200
    assert without_timestamp(from_shell.content) == without_timestamp(whole.content)
    assert from_shell["ETag"] == whole["ETag"]
    assert from_shell["Cache-Control"] == whole["Cache-Control"]


def test_each_request_gets_its_own_reply_target(client, discussed):
    url = discussed.get_absolute_url()
    ann = discussed.comments.get(author_name="Ann Lee")
    client.get(url)

    replying = client.get(f"{url}?replytocom={ann.pk}").content.decode()
    plain = client.get(url).content.decode()

    assert "Leave a Reply to Ann Lee" in replying
    assert "Leave a Reply</span>" in plain and "Leave a Reply to" not in plain


def test_a_staff_page_is_never_a_readers_shell(discussed, staff_user):
    """A logged-in page is rendered whole (their own header, the editor's link), and a reader's
    page after it has none of it."""
    url = discussed.get_absolute_url()
    reader = Client()
    reader.get(url)
    staff_user.is_superuser = True
    staff_user.save()
    staff = Client()
    staff.force_login(staff_user)

    assert "Edit this article" in staff.get(url).content.decode()
    assert "Edit this article" not in reader.get(url).content.decode()
