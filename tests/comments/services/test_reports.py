"""Issue 26: readers' reports through the operations registry (Dismiss reports, Remove, Spam,
Approve), undo and history; the decision and the statement of reasons emailed after the undo
window; retention; reports in a reporter's and a writer's data."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from comments.models import Comment, CommentEvent, CommentReport, Notification, ReplyAddress
from comments.notifications import reporters, writers
from comments.services import data_export, moderation, privacy, reports
from tests.factories import CommentFactory, UserFactory

pytestmark = pytest.mark.django_db

WRITER = "walt@example.com"


@pytest.fixture
def reported(article, settings):
    """A published comment three networks reported: held for a moderator."""
    settings.COMMENTS_REPORTS_HOLD_NETWORKS = 3
    comment = CommentFactory(
        article=article, status="approved", author_email=WRITER, body="You are all idiots."
    )
    for i, reason in enumerate(["abuse", "abuse", "off_topic"], start=1):
        result = reports.report_comment(
            comment,
            reason=reason,
            note=f"note {i} by Ivy Informer",
            reader=f"reader{i}",
            ip=f"198.51.100.{i}",
        )
        assert not result.refusal
    comment.refresh_from_db()
    assert comment.status == "pending"
    return comment


def notice(comment, ip="203.0.113.5", email="rita@example.com", receipted=True):
    """An illegal-content notice; `receipted`: its receipt already went (its task runs after a
    commit these tests do not make; tests/comments/web/test_reports.py sends it)."""
    result = reports.report_comment(
        comment,
        reason="illegal",
        explanation="Defamation under section 185 StGB.",
        reporter_name="Rita Reporter",
        reporter_email=email,
        good_faith=True,
        reader="rita",
        ip=ip,
    )
    assert not result.refusal
    if receipted:
        CommentReport.objects.filter(pk=result.report.pk).update(receipt_sent_at=timezone.now())
    return result.report


def confirmed(email):
    ReplyAddress.objects.create(email=email, confirmed_at=timezone.now())


def later(minutes=11):
    return timezone.now() + timedelta(minutes=minutes)


def decisions(comment):
    return list(comment.reports.order_by("pk").values_list("decision", flat=True))


# --- The registry ---------------------------------------------------------------------------


def test_dismiss_reports_is_a_registered_operation_with_a_key():
    op = moderation.OPERATIONS["dismiss_reports"]
    assert (op.short, op.key, op.decides_reports) == ("Dismiss reports", "i", "dismissed")
    keys = [o.key for o in moderation.OPERATIONS.values() if o.key]
    assert len(keys) == len(set(keys))


def test_dismiss_reports_publishes_what_reports_held_and_undo_puts_it_all_back(reported, moderator):
    assert moderation.OPERATIONS["dismiss_reports"].applies(reported)
    result = moderation.apply("dismiss_reports", [reported], by=moderator)
    reported.refresh_from_db()
    assert (result.changed, reported.status) == (1, "approved")
    assert decisions(reported) == ["dismissed"] * 3
    assert not moderation.OPERATIONS["dismiss_reports"].applies(reported)
    history = [(e.kind, e.who, e.note) for e in reported.history.order_by("pk")][-2:]
    assert history == [
        ("status", "moderator", "Reports dismissed."),
        ("report", "moderator", "3 reports dismissed."),
    ]

    assert moderation.undo(result.steps, by=moderator) == 1
    reported.refresh_from_db()
    assert reported.status == "pending"
    assert decisions(reported) == [""] * 3
    assert reported.history.order_by("-pk").first().note == "Undo: 3 reports open again."


def test_dismissing_the_reports_on_a_published_comment_keeps_it_published(article, moderator):
    comment = CommentFactory(article=article, status="approved")
    reports.report_comment(comment, reason="spam", reader="a", ip="192.0.2.1")
    result = moderation.apply("dismiss_reports", [comment], by=moderator)
    comment.refresh_from_db()
    assert (result.changed, comment.status, decisions(comment)) == (1, "approved", ["dismissed"])
    moderation.undo(result.steps, by=moderator)
    assert decisions(comment) == [""]


@pytest.mark.parametrize(
    ("name", "status", "decision"),
    [("remove", "removed", "removed"), ("mark_spam", "spam", "spam")],
)
def test_remove_and_spam_uphold_the_reports(reported, moderator, name, status, decision):
    result = moderation.apply(name, [reported], by=moderator, note="Insults readers.")
    reported.refresh_from_db()
    assert reported.status == status and decisions(reported) == [decision] * 3
    report = reported.reports.first()
    assert (report.decided_by, report.decision_note) == (moderator, "Insults readers.")
    moderation.undo(result.steps, by=moderator)
    reported.refresh_from_db()
    assert reported.status == "pending" and decisions(reported) == [""] * 3


def test_approving_decides_the_reports_so_the_next_report_does_not_hold_it_again(
    reported, moderator
):
    moderation.apply("approve", [reported], by=moderator)
    assert decisions(reported) == ["dismissed"] * 3
    reports.report_comment(reported, reason="abuse", reader="late", ip="198.51.100.99")
    reported.refresh_from_db()
    assert reported.status == "approved"  # one open report, from one network


def test_unapprove_leaves_reports_open(article, moderator):
    comment = CommentFactory(article=article, status="approved")
    reports.report_comment(comment, reason="spam", reader="a", ip="192.0.2.1")
    moderation.apply("unapprove", [comment], by=moderator)
    assert decisions(comment) == [""]


def test_the_hold_is_counted_once_however_many_reports_follow(reported, settings):
    holds = reported.history.filter(kind="status", to_status="pending")
    assert holds.count() == 1
    assert reports.summary(reported) == "harassment or abuse: 2, off-topic: 1"


def test_zero_networks_means_reports_never_hold(article, settings):
    settings.COMMENTS_REPORTS_HOLD_NETWORKS = 0
    comment = CommentFactory(article=article, status="approved")
    for i in range(5):
        reports.report_comment(comment, reason="spam", reader=f"r{i}", ip=f"192.0.2.{i}")
    comment.refresh_from_db()
    assert comment.status == "approved"


# --- The decision, to an illegal-content notice's reporter ----------------------------------


def test_the_reporter_of_a_notice_hears_the_decision_after_the_undo_window(
    article, moderator, settings
):
    comment = CommentFactory(article=article, status="approved")
    report = notice(comment, receipted=False)
    moderation.apply("remove", [comment], by=moderator, note="Defamatory about a named person.")
    # The receipt (its task ran no commit here) goes with the job's next run; no decision yet.
    assert reporters.send_due_decisions() == 1
    assert [m.subject for m in mail.outbox] == ["[Fitness] We received your notice about a comment"]
    assert reporters.send_due_decisions(now=later()) == 1
    (email,) = [m for m in mail.outbox if "decision" in m.subject]
    assert email.to == ["rita@example.com"]
    assert "A moderator removed the comment" in email.body
    assert "Reason: Defamatory about a named person." in email.body
    assert "taken by a person" in email.body
    assert reporters.send_due_decisions(now=later(60)) == 0  # once
    report.refresh_from_db()
    assert report.decision_sent_at is not None


def test_a_dismissed_notice_is_told_so_with_the_reason(article, moderator):
    comment = CommentFactory(article=article, status="approved")
    notice(comment)
    moderation.apply("dismiss_reports", [comment], by=moderator)
    reporters.send_due_decisions(now=later())
    (email,) = [m for m in mail.outbox if "decision" in m.subject]
    assert "kept it" in email.body
    assert "We found no breach of the law" in email.body


def test_a_decision_undone_in_the_window_is_never_emailed(article, moderator):
    comment = CommentFactory(article=article, status="approved")
    notice(comment)
    result = moderation.apply("remove", [comment], by=moderator)
    moderation.undo(result.steps, by=moderator)
    assert reporters.send_due_decisions(now=later()) == 0
    assert not [m for m in mail.outbox if "decision" in m.subject]


# --- The statement of reasons, to a removed comment's writer --------------------------------


def test_a_removed_comments_writer_gets_the_reasons_never_the_reporters(
    reported, moderator, django_capture_on_commit_callbacks
):
    confirmed(WRITER)
    with django_capture_on_commit_callbacks(execute=True):
        moderation.apply("remove", [reported], by=moderator, note="Name-calling.")
    assert writers.send_due_statements() == 0  # the undo window first
    assert writers.send_due_statements(now=later()) == 1
    (email,) = mail.outbox
    assert email.to == [WRITER]
    assert "was removed" in email.subject
    body = email.body
    assert "Why: it harasses or abuses someone; it is off-topic for the article." in body
    assert "The moderator's note: Name-calling." in body
    assert "Readers reported it, and a moderator reviewed it and agreed." in body
    assert "out-of-court dispute settlement" in body
    assert "You are all idiots." in body
    assert "Ivy Informer" not in body and "note 1" not in body and "198.51.100" not in body
    assert Notification.objects.get(kind="removed").status == "sent"
    assert writers.send_due_statements(now=later(60)) == 0  # once


def test_no_statement_without_a_confirmed_address_or_after_an_undo(reported, moderator):
    result = moderation.apply("remove", [reported], by=moderator)
    assert writers.send_due_statements(now=later()) == 0  # not confirmed
    assert reported.history.filter(note__startswith="Reasons for the removal not emailed").exists()

    other = CommentFactory(article=reported.article, status="approved", author_email=WRITER)
    confirmed(WRITER)
    result = moderation.apply("remove", [other], by=moderator)
    moderation.undo(result.steps, by=moderator)
    assert writers.send_due_statements(now=later()) == 0
    assert mail.outbox == []
    assert not Notification.objects.filter(kind="removed").exists()


def test_a_writer_deleting_their_own_comment_gets_no_statement(article, settings):
    from comments.services.status import remove

    confirmed(WRITER)
    comment = CommentFactory(article=article, status="approved", author_email=WRITER)
    remove(comment, actor_label="its writer")
    assert writers.send_due_statements(now=later()) == 0


def test_an_accounts_comment_is_told_at_the_accounts_address(article, moderator):
    staff = UserFactory(username="coach", is_staff=True, email="coach@example.com")
    comment = CommentFactory(article=article, status="approved", user=staff)
    moderation.apply("remove", [comment], by=moderator)
    assert writers.send_due_statements(now=later()) == 1
    assert mail.outbox[0].to == ["coach@example.com"]
    assert "Why: it breaks the site's rules for comments." in mail.outbox[0].body


# --- Retention and privacy ------------------------------------------------------------------


def test_retention_clears_the_network_then_deletes_decided_reports(reported, moderator, settings):
    settings.COMMENTS_PERSONAL_DATA_DAYS = 60
    settings.COMMENTS_REPORTS_RETENTION_DAYS = 180
    moderation.apply("remove", [reported], by=moderator)
    assert reports.apply_retention(now=timezone.now() + timedelta(days=61)) == (3, 0)
    assert set(reported.reports.values_list("network", "reader").distinct()) == {("", "")}
    assert reports.apply_retention(now=timezone.now() + timedelta(days=181)) == (0, 3)
    assert not CommentReport.objects.exists()
    assert reported.history.filter(kind=CommentEvent.Kind.REPORT).count() == 4  # kept


def test_open_reports_are_never_deleted_by_retention(reported):
    reports.apply_retention(now=timezone.now() + timedelta(days=1000))
    assert reported.reports.count() == 3


def test_a_writers_export_never_names_who_reported_them(reported):
    other = CommentFactory(article=reported.article, status="approved", author_email=WRITER)
    notice(other, ip="203.0.113.77")
    data = data_export.export_commenter_data(WRITER)
    text = str(data)
    assert len(data["comments"]) == 2
    assert all("reports" not in comment for comment in data["comments"])
    for secret in ["Rita", "rita@example.com", "Ivy Informer", "198.51.100", "203.0.113"]:
        assert secret not in text
    assert data["reports"] == []  # the writer sent none


def test_a_reporters_export_and_erasure_cover_their_notices(article):
    comment = CommentFactory(article=article, status="approved")
    notice(comment)
    exported = data_export.export_commenter_data("RITA@example.com")
    (report,) = exported["reports"]
    assert report["reporter_name"] == "Rita Reporter"
    assert report["comment_url"] == comment.get_absolute_url()
    privacy.erase_commenter_data("rita@example.com")
    stored = CommentReport.objects.get()
    assert (stored.reporter_name, stored.reporter_email, stored.network) == ("", "", "")
    assert stored.explanation == "[erased]" and stored.reason == "illegal"


def test_the_moderators_email_about_a_comment_names_its_reports(reported):
    from comments.notifications.moderators import describe

    assert "Readers' reports: harassment or abuse: 2, off-topic: 1" in describe(reported)


def test_comments_are_read_with_their_open_report_counts_in_one_query(
    reported, article, moderator, django_assert_num_queries
):
    """One queryset method for every list of rows (the queue's views, the commenter's page):
    open reports counted, decided ones not; the Reported view holds only the reported."""
    quiet = CommentFactory(article=article, status="pending")
    decided = CommentFactory(article=article, status="approved")
    reports.report_comment(decided, reason="abuse", reader="r9", ip="198.51.100.9")
    moderation.apply("approve", [decided], by=moderator)  # decides (dismisses) its report

    with django_assert_num_queries(1):
        counted = Comment.objects.with_open_report_counts()
        counts = dict(counted.values_list("pk", "open_report_count"))
    assert counts == {reported.pk: 3, quiet.pk: 0, decided.pk: 0}
    assert list(Comment.objects.reported()) == [reported]
    with django_assert_num_queries(1):
        rows = list(Comment.objects.with_open_report_counts().order_by("pk"))
        assert [reports.open_report_count(c) for c in rows] == [3, 0, 0]
