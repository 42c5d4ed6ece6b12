"""Issue 26 in a browser, on a 390×844 phone: three readers on three networks report a comment,
it is held and a moderator finds it under Reported; an illegal-content notice gets its receipt
and, once a moderator removes the comment, the decision; the report form without JavaScript;
axe finds nothing on the report page or the article page; Report is a 44 × 44 px target."""

import re
from datetime import timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from comments.models import Comment, CommentReport
from comments.notifications import reporters, writers
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
PASSWORD = "correct horse battery staple"
QUEUE = "/admin/comments/comment/"


@pytest.fixture
def networks(settings):
    """Readers are told apart by the proxy's header, as behind nginx."""
    settings.COMMENTS_TRUSTED_PROXY_HEADER = "HTTP_X_FORWARDED_FOR"
    settings.COMMENTS_REPORTS_HOLD_NETWORKS = 3


def reader(new_context, ip, **options):
    """A phone on its own network (its own cookies)."""
    context = new_context(**PHONE, extra_http_headers={"X-Forwarded-For": ip}, **options)
    return context.new_page()


def target_comment(article):
    return Comment.objects.public().filter(article=article, depth=0).order_by("created_at").first()


def assert_axe_clean(page):
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def open_report(page, live_server, comment):
    page.goto(live_server.url + comment.article.get_absolute_url() + f"#comment-{comment.pk}")
    link = page.locator(f"#div-comment-{comment.pk} .comment-report-link")
    box = link.bounding_box()
    assert box["width"] >= 44 and box["height"] >= 44, box  # a thumb's target on a phone
    link.click()
    expect(page.locator("h1")).to_have_text("Report a comment")


def test_three_readers_on_three_networks_hold_the_comment_for_the_reported_view(
    live_server, new_context, demo_article, networks, moderators_group
):
    comment = target_comment(demo_article)
    for number, (ip, reason) in enumerate(
        [
            ("198.51.100.1", "Spam"),
            ("198.51.100.2", "Harassment or abuse"),
            ("2001:db8:7::1", "Spam"),
        ],
        start=1,
    ):
        page = reader(new_context, ip)
        open_report(page, live_server, comment)
        if number == 1:
            assert_axe_clean(page)
        page.get_by_label(reason, exact=True).check()
        page.get_by_label("Anything a moderator should know (optional)").fill(f"reader {number}")
        page.get_by_role("button", name="Send report").click()
        expect(page.locator("#report-sent")).to_contain_text("your report was sent")
        expect(page.locator("#report-sent")).to_be_in_viewport()
        if number == 3:
            expect(page.locator("#report-sent")).to_contain_text("hidden until a moderator")
            assert_axe_clean(page)
    comment.refresh_from_db()
    assert comment.status == "pending"

    page.goto(live_server.url + demo_article.get_absolute_url())  # no longer shown to readers
    held = page.locator(f"#div-comment-{comment.pk}")
    expect(held.locator(".comment-content")).to_have_count(0)  # at most its replies' placeholder
    expect(held.locator(".comment-report-link")).to_have_count(0)

    moderator = new_context(**PHONE).new_page()
    log_in(moderator, live_server, moderators_group)
    moderator.goto(f"{live_server.url}{QUEUE}?status=reported")
    expect(moderator.locator("#changelist-filter")).to_contain_text("Reported (1)")
    row = moderator.locator(f"#result_list tr:has(#queue-row-{comment.pk})")
    expect(row).to_contain_text("3 reports")
    expect(row).to_contain_text("from 3 networks")
    expect(row).to_contain_text("Spam (2)")
    expect(row).to_contain_text("“reader 2”")
    row.get_by_role("button", name="Dismiss reports").click()
    expect(moderator.locator("#queue-messages")).to_contain_text("kept, its reports dismissed")
    comment.refresh_from_db()
    assert comment.status == "approved"


def log_in(page, live_server, group):
    user = UserFactory(username="mod", is_staff=True, password=PASSWORD)
    user.groups.add(group)
    page.goto(f"{live_server.url}/admin/login/?next={QUEUE}")
    page.fill("#id_username", "mod")
    page.fill("#id_password", PASSWORD)
    page.locator("input[type=submit]").click()
    expect(page.locator("#changelist")).to_be_visible()


def test_an_illegal_content_notice_without_javascript_gets_its_receipt_and_decision(
    live_server, new_context, demo_article, networks, settings, moderators_group
):
    settings.COMMENTS_DECISION_EMAIL_MINUTES = 10
    comment = target_comment(demo_article)
    page = reader(new_context, "203.0.113.10", java_script_enabled=False)
    open_report(page, live_server, comment)
    notice = page.locator(".report-notice")
    expect(notice).to_be_hidden()  # only once "Illegal content" is chosen (CSS, no script)
    page.get_by_label("Illegal content", exact=True).check()
    expect(notice).to_be_visible()
    page.get_by_role("button", name="Send report").click()  # nothing filled in: told what
    summary = page.locator("#report-errors")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Please give your name")
    page.get_by_label("Why is it illegal?").fill(
        "It names a private person and accuses them of theft."
    )
    page.get_by_label("Your name").fill("Rita Reporter")
    page.get_by_label("Your email address").fill("rita@example.com")
    page.get_by_label(re.compile("I believe in good faith")).check()
    page.get_by_role("button", name="Send report").click()
    expect(page.locator("#report-sent")).to_contain_text(
        "We are emailing a confirmation of your notice to rita@example.com"
    )
    (receipt,) = mail.outbox
    assert receipt.to == ["rita@example.com"] and "We received your notice" in receipt.body

    moderator = new_context(**PHONE, java_script_enabled=False).new_page()
    log_in(moderator, live_server, moderators_group)
    moderator.goto(f"{live_server.url}{QUEUE}{comment.pk}/change/")
    expect(moderator.locator("#readers-reports")).to_contain_text("Rita Reporter")
    moderator.get_by_label(re.compile("Reason for your decision")).fill(
        "An accusation of a crime against a named private person."
    )
    moderator.get_by_role("button", name=re.compile("^Remove")).first.click()
    expect(moderator.locator(".messagelist")).to_contain_text("1 comment removed.")
    report = CommentReport.objects.get()
    assert report.decision == "removed"

    assert reporters.send_due_decisions() == 0  # an undo could still take it back
    later = timezone.now() + timedelta(minutes=settings.COMMENTS_DECISION_EMAIL_MINUTES + 1)
    assert reporters.send_due_decisions(now=later) == 1
    writers.send_due_statements(now=later)  # the demo's writer has no confirmed address
    decision = mail.outbox[-1]
    assert decision.to == ["rita@example.com"]
    assert "A moderator removed the comment" in decision.body
    assert "Reason: An accusation of a crime against a named private person." in decision.body


def test_the_article_page_with_report_links_is_axe_clean_on_a_phone(
    live_server, new_context, demo_article
):
    page = reader(new_context, "192.0.2.1")
    page.goto(live_server.url + demo_article.get_absolute_url())
    links = page.locator(".comment-report-link")
    assert links.count() >= 20
    expect(links.first).to_have_accessible_name(re.compile("^Report the comment by "))
    assert_axe_clean(page)
