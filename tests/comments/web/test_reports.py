"""Issue 26, a reader reports a comment without an account: the page (no JavaScript needed,
the same for every reader), one report per reader (browser or network), a rate limit per
network, the hold at N networks, an illegal-content notice and its receipt."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from comments.models import Comment, CommentEvent, CommentReport
from comments.readers.cookies import REPORTER_COOKIE
from comments.services.reports import ALREADY_REPORTED, NOT_SHOWN, REPORTS_ACTOR, TOO_MANY
from tests.factories import ArticleFactory, CommentFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_class():
    """Another browser each time it is called: no cookies shared."""
    return Client


@pytest.fixture
def published(article):
    return CommentFactory(
        article=article, status="approved", author_name="Tina Shute", body="Buy pills here"
    )


def report_url(comment):
    return reverse("comments:report", args=[comment.pk])


def send(client, comment, ip="198.51.100.1", **data):
    """A reader's report from `ip` (REMOTE_ADDR), with this client's cookies."""
    return client.post(report_url(comment), {"reason": "spam", **data}, REMOTE_ADDR=ip)


def fresh(client_class, comment, ip, **data):
    """A report from another browser (no cookie) on the network `ip`."""
    return send(client_class(), comment, ip, **data)


def test_every_published_comment_has_a_plain_report_link(client, article, published):
    staff = UserFactory(username="coach", is_staff=True)
    by_staff = CommentFactory(article=article, status="approved", user=staff, author_name="Coach")
    page = client.get(article.get_absolute_url()).content.decode()
    for comment in (published, by_staff):  # staff comments can be reported too
        assert (
            f'<a class="comment-report-link comment-action" href="{report_url(comment)}"'
            ' rel="nofollow"'
            f' aria-label="Report the comment by {comment.author_name}">Report</a>'
        ) in page


def test_the_report_page_is_the_same_for_every_reader_and_needs_no_script(client, published):
    response = client.get(report_url(published))
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("public")  # any cache may share it
    html = response.content.decode()
    assert "<script" not in html.split("</footer>")[0].split("<main")[1]
    for label in ["Spam", "Harassment or abuse", "Off-topic", "Illegal content", "Something else"]:
        assert label in html
    for name in ["note", "explanation", "name", "email", "good_faith"]:
        assert f'name="{name}"' in html
    assert "Buy pills here" in html and "noindex" in html
    assert "csrfmiddlewaretoken" not in html


def test_a_report_is_saved_with_the_network_and_a_browser_token_never_shown_to_the_writer(
    client, published
):
    response = send(client, published, note="Third time today")
    assert response.status_code == 200
    assert "your report was sent" in response.content.decode()
    report = CommentReport.objects.get()
    assert (report.reason, report.note, report.network) == (
        "spam",
        "Third time today",
        "198.51.100.1",
    )
    assert report.reader and response.cookies[REPORTER_COOKIE]["httponly"]
    event = published.history.get(kind=CommentEvent.Kind.REPORT)
    assert (event.who, event.note) == ("a reader", "Reported: spam.")
    published.refresh_from_db()
    assert published.status == "approved"  # one report holds nothing


def test_one_report_per_reader_by_cookie_and_by_network(client, client_class, published):
    assert send(client, published).status_code == 200
    again = send(client, published, ip="203.0.113.9")  # the same browser elsewhere
    assert again.status_code == 409 and ALREADY_REPORTED in again.content.decode()
    same_network = fresh(client_class, published, "198.51.100.1")  # cookies cleared
    assert same_network.status_code == 409
    ipv6_neighbour = fresh(client_class, published, "2001:db8:1::1")
    assert ipv6_neighbour.status_code == 200
    assert fresh(client_class, published, "2001:db8:1::abcd").status_code == 409  # same /64
    assert CommentReport.objects.count() == 2


def test_a_network_sending_too_many_reports_is_told_so(client_class, article, settings):
    settings.COMMENTS_REPORTS_PER_HOUR = 2
    comments = CommentFactory.create_batch(3, article=article, status="approved")
    assert fresh(client_class, comments[0], "192.0.2.7").status_code == 200
    assert fresh(client_class, comments[1], "192.0.2.7").status_code == 200
    refused = fresh(client_class, comments[2], "192.0.2.7", note="keep me")
    assert refused.status_code == 429
    html = refused.content.decode()
    assert TOO_MANY in html and "keep me" in html  # what they typed is still there
    assert fresh(client_class, comments[2], "192.0.2.8").status_code == 200  # another network


def test_reports_from_n_networks_hold_the_comment_at_once(
    client_class, article, published, settings
):
    settings.COMMENTS_REPORTS_HOLD_NETWORKS = 3
    fresh(client_class, published, "198.51.100.1", reason="abuse")
    fresh(client_class, published, "198.51.100.2", reason="abuse")
    published.refresh_from_db()
    assert published.status == "approved"
    third = fresh(client_class, published, "198.51.100.3")
    assert "hidden until a moderator has looked at it" in third.content.decode()
    published.refresh_from_db()
    assert published.status == "pending"
    hold = published.history.get(kind=CommentEvent.Kind.STATUS, to_status="pending")
    assert hold.who == REPORTS_ACTOR
    assert hold.note == (
        "Held for a moderator: open reports from 3 networks (harassment or abuse: 2, spam: 1)."
    )
    assert "Buy pills here" not in client_class().get(article.get_absolute_url()).content.decode()
    gone = fresh(client_class, published, "198.51.100.4")
    assert gone.status_code == 404 and NOT_SHOWN in gone.content.decode()


def test_a_held_or_removed_comment_or_a_drafts_cannot_be_reported(client, article):
    for comment in [
        CommentFactory(article=article, status="pending"),
        CommentFactory(article=article, status="removed"),
    ]:
        assert client.get(report_url(comment)).status_code == 404
        assert send(client, comment).status_code == 404
    draft = CommentFactory(article=ArticleFactory(status="draft"), status="approved")
    assert client.get(report_url(draft)).status_code == 404
    assert not CommentReport.objects.exists()


def test_the_form_says_what_is_missing(client, published):
    response = client.post(report_url(published), {}, REMOTE_ADDR="198.51.100.1")
    assert response.status_code == 400
    assert "Please choose what is wrong with the comment." in response.content.decode()
    assert not CommentReport.objects.exists()


def test_an_illegal_content_notice_asks_what_the_law_asks_then_confirms_receipt(
    client, published, django_capture_on_commit_callbacks
):
    missing = send(client, published, reason="illegal")
    assert missing.status_code == 400
    html = missing.content.decode()
    for message in [
        "Please explain why the comment is illegal",
        "Please give your name",
        "Please give your email address",
        "Please confirm that you believe the notice is accurate and complete.",
    ]:
        assert message in html
    with django_capture_on_commit_callbacks(execute=True):
        sent = send(
            client,
            published,
            reason="illegal",
            explanation="It offers prescription drugs without prescription.",
            name="Rita Reporter",
            email="rita@example.com",
            good_faith="on",
        )
    assert sent.status_code == 200
    assert "We are emailing a confirmation of your notice to rita@example.com" in (
        sent.content.decode()
    )
    report = CommentReport.objects.get()
    assert (report.reporter_name, report.good_faith, report.is_notice) == (
        "Rita Reporter",
        True,
        True,
    )
    assert report.receipt_sent_at is not None
    (receipt,) = mail.outbox
    assert receipt.to == ["rita@example.com"]
    assert "We received your notice" in receipt.body
    assert "It offers prescription drugs" in receipt.body
    assert published.get_absolute_url() in receipt.body
    assert published.history.filter(note__startswith="Reporter emailed: receipt").exists()


def test_a_notice_field_sent_with_another_reason_is_not_kept(
    client, published, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        send(client, published, reason="off_topic", name="Rita", email="rita@example.com")
    report = CommentReport.objects.get()
    assert (report.reporter_name, report.reporter_email) == ("", "")
    assert mail.outbox == []


def test_robots_keep_out_of_the_report_pages(client):
    assert "Disallow: /comments/*/report/" in client.get("/robots.txt").content.decode()


def test_a_cross_site_post_is_refused(published):
    response = Client(enforce_csrf_checks=True).post(
        report_url(published),
        {"reason": "spam"},
        REMOTE_ADDR="198.51.100.1",
        HTTP_SEC_FETCH_SITE="cross-site",
    )
    assert response.status_code == 403
    assert not CommentReport.objects.exists()
    assert Comment.objects.get(pk=published.pk).status == "approved"
