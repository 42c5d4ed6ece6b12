"""Issue 26, the moderators' side of readers' reports: the queue's Reported view (reasons,
notes, how many, at a fixed number of queries), Dismiss reports from a row (JSON and without
JavaScript), its key and undo, the change page's reports and the reason a moderator gives."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from comments.admin import queue
from comments.models import CommentReport
from comments.services import reports
from tests.factories import CommentFactory

pytestmark = pytest.mark.django_db

QUEUE = reverse("admin:comments_comment_changelist")
FETCH = {"HTTP_X_REQUESTED_WITH": "fetch"}


def act_url(comment, expected):
    return reverse("admin:comments_comment_act", args=[comment.pk]) + f"?expected={expected}"


def report(comment, n, reason="abuse", note=""):
    """`n` reports on `comment` from `n` networks."""
    for i in range(n):
        result = reports.report_comment(
            comment,
            reason=reason,
            note=note,
            reader=f"r{comment.pk}-{i}",
            ip=f"10.{comment.pk}.0.{i}",
        )
        assert not result.refusal, result.refusal


@pytest.fixture
def reported_pair(article, settings):
    settings.COMMENTS_REPORTS_HOLD_NETWORKS = 3
    shown = CommentFactory(article=article, status="approved", body="Off-topic rant about cars")
    report(shown, 1, reason="off_topic", note="Nothing to do with twitching")
    held = CommentFactory(article=article, status="approved", body="You are all idiots")
    report(held, 3)
    held.refresh_from_db()
    return shown, held


def test_the_reported_view_lists_reported_comments_with_reasons_notes_and_counts(
    moderator_client, article, reported_pair
):
    shown, held = reported_pair
    quiet = CommentFactory(article=article, status="approved", body="Thanks, useful")
    response = moderator_client.get(QUEUE, {"status": "reported"})
    html = response.content.decode()
    assert "Reported (2)" in html
    listed = {row.pk for row in response.context["cl"].result_list}
    assert listed == {shown.pk, held.pk} and quiet.pk not in listed
    assert held.status == "pending"  # held by the reports, and listed here too
    assert "<strong>3 reports</strong>" in html and "from 3 networks" in html
    assert "<li>Harassment or abuse (3)</li>" in html
    assert "<strong>1 report</strong>" in html and "<li>Off-topic (1)</li>" in html
    assert "“Nothing to do with twitching”" in html
    assert 'value="dismiss_reports"' in html and 'data-key="i"' in html


def test_dismiss_reports_is_offered_only_where_reports_are_open(moderator_client, reported_pair):
    shown, _held = reported_pair
    CommentFactory(article=shown.article, status="pending")
    html = moderator_client.get(QUEUE, {"status": "all"}).content.decode()
    assert html.count('value="dismiss_reports" class="queue-action') == 2


def test_the_reported_view_costs_the_same_queries_for_2_and_12_comments(
    moderator_client, article, reported_pair
):
    def count():
        with CaptureQueriesContext(connection) as captured:
            assert moderator_client.get(QUEUE, {"status": "reported"}).status_code == 200
        return len(captured)

    count()  # the Site settings row, read once and cached
    two = count()
    for _ in range(10):
        report(CommentFactory(article=article, status="approved"), 2, note="spam link")
    assert count() == two


def test_dismiss_from_a_row_with_javascript_then_undo(moderator_client, reported_pair):
    _, held = reported_pair
    data = moderator_client.post(
        act_url(held, "pending"), {"operation": "dismiss_reports"}, **FETCH
    ).json()
    assert data["ok"] and data["message"] == "1 comment kept, its reports dismissed."
    assert data["row"]["status"] == "approved"
    assert data["counts"]["reported"] == 1
    held.refresh_from_db()
    assert held.status == "approved" and not held.reports.open().exists()

    undone = moderator_client.post(data["undo_url"], **FETCH).json()
    assert undone["message"] == "Undone: 1 comment put back."
    assert undone["counts"]["reported"] == 2
    held.refresh_from_db()
    assert held.status == "pending" and held.reports.open().count() == 3


def test_remove_from_the_reported_view_without_javascript(moderator_client, reported_pair):
    _, held = reported_pair
    response = moderator_client.post(
        act_url(held, "pending"), {"operation": "remove", "next": f"{QUEUE}?status=reported"}
    )
    assert response.status_code == 302
    held.refresh_from_db()
    assert held.status == "removed"
    assert set(held.reports.values_list("decision", flat=True)) == {"removed"}
    page = moderator_client.get(response["Location"]).content.decode()
    assert "Reported (1)" in page


def test_the_keys_list_names_dismiss_reports():
    assert ("i", "Dismiss reports") in queue.keyboard_shortcuts()


def test_the_change_page_shows_the_reports_and_a_notices_sender(moderator_client, article):
    comment = CommentFactory(article=article, status="approved")
    reports.report_comment(
        comment,
        reason="illegal",
        explanation="Defamation of a named person.",
        reporter_name="Rita Reporter",
        reporter_email="rita@example.com",
        good_faith=True,
        reader="rita",
        ip="192.0.2.1",
    )
    html = moderator_client.get(
        reverse("admin:comments_comment_change", args=[comment.pk])
    ).content.decode()
    assert "Readers&#x27; reports" in html or "Readers' reports" in html
    assert "Defamation of a named person." in html
    assert "Rita Reporter &lt;rita@example.com&gt;" in html and "good faith stated" in html
    assert 'name="_moderation_note"' in html


def test_the_reason_given_on_the_change_page_reaches_the_reports(moderator_client, article):
    comment = CommentFactory(article=article, status="approved")
    report(comment, 1)
    url = reverse("admin:comments_comment_change", args=[comment.pk])
    response = moderator_client.post(
        url,
        {"_moderate": "remove", "expected": "approved", "_moderation_note": "Insults a reader."},
    )
    assert response.status_code == 302
    stored = CommentReport.objects.get()
    assert (stored.decision, stored.decision_note) == ("removed", "Insults a reader.")
    event = comment.history.filter(kind="status").last()
    assert event.note == "Insults a reader."
