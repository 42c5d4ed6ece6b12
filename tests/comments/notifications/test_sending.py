"""Sending one email about a comment (comments.notifications.sending): the row that says it
was sent and the history line that tells moderators so are saved together. A worker killed
between the two (bench/chaos.py's worker-kill phase found it) left an email sent that no
history line told of, and no later try wrote one."""

import pytest

from comments.models import CommentEvent, Notification
from comments.notifications import sending
from tests.factories import CommentFactory

pytestmark = pytest.mark.django_db

SAID = "Article's author emailed: published (1 recipient)"


def said(comment):
    lines = comment.history.filter(kind=CommentEvent.Kind.NOTIFICATION)
    return list(lines.values_list("note", flat=True))


def send(comment):
    return sending.send_once(
        comment,
        kind=Notification.Kind.PUBLISHED,
        subject="Your comment is published",
        body="Thank you for it.",
        recipients=["author@example.com"],
    )


def test_an_email_goes_once_and_its_history_says_so_once(article, mailoutbox):
    comment = CommentFactory(article=article, status="approved")

    assert send(comment) is True
    assert send(comment) is False

    assert len(mailoutbox) == 1
    assert said(comment) == [SAID]


def test_a_worker_killed_before_the_history_line_leaves_the_email_to_send_again(
    article, mailoutbox, monkeypatch
):
    comment = CommentFactory(article=article, status="approved")

    def killed(*args, **kwargs):
        raise SystemExit("the worker was killed")

    monkeypatch.setattr(sending, "record_in_history", killed)
    with pytest.raises(SystemExit):
        send(comment)
    monkeypatch.undo()

    assert send(comment) is True  # not left "sent" with nothing said: sent again, and said
    assert said(comment) == [SAID]
    row = Notification.objects.get(comment=comment, kind=Notification.Kind.PUBLISHED)
    assert row.status == Notification.Status.SENT
    assert len(mailoutbox) == 2  # twice rather than never
