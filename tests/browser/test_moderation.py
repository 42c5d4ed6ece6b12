"""A moderator clears held comments from the admin: one approved, one reported as spam."""

import pytest
from playwright.sync_api import expect

from comments.threads.rendering import render_body
from tests.browser.helpers import save_screenshot
from tests.comments.screening_helpers import REPORTED_FIELDS, new_comment, post
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "correct horse battery staple"


@pytest.fixture
def held_comments(akismet_emulator):
    article = ArticleFactory(title="Why Do Muscles Twitch After a Workout?")
    comments = []
    for name, text, ip in [
        ("Gwenivere", "Magnesium before bed stopped my calf twitching.", "203.0.113.7"),
        ("Best Offer", "Great post! Visit my site for cheap supplements.", "198.51.100.9"),
    ]:
        email = f"{name.split()[0].lower()}@example.com"
        comment = new_comment(
            article, author_name=name, author_email=email, body=text, ip_address=ip
        )
        comment.body_html = render_body(text)  # as the posting code does
        assert not post(comment).refusal
        comment.refresh_from_db()
        assert comment.status == "pending" and comment.akismet_verdict == "ham"
        comments.append(comment)
    return comments


@pytest.fixture
def moderator_login(live_server, page, moderators_group):
    user = UserFactory(username="mod", is_staff=True, password=PASSWORD)
    user.groups.add(moderators_group)
    page.goto(f"{live_server.url}/admin/login/?next=/admin/comments/comment/")
    page.fill("#id_username", "mod")
    page.fill("#id_password", PASSWORD)
    page.locator("input[type=submit]").click()
    return page


def run_action(page, comment, action):
    page.locator(f"input[name=_selected_action][value='{comment.pk}']").check()
    page.select_option("select[name=action]", action)
    page.locator("button[name=index]").click()


def test_moderator_approves_one_and_reports_the_other_as_spam(
    live_server,
    held_comments,
    moderator_login,
    new_context,
    akismet_emulator,
):
    page = moderator_login
    good, bad = held_comments
    expect(page.locator("#changelist-filter")).to_contain_text("Pending (2)")
    expect(page.locator("#result_list")).to_contain_text(good.body)
    expect(page.locator("#result_list")).to_contain_text(bad.body)

    save_screenshot(page, "moderation-queue")
    run_action(page, good, "approve")
    expect(page.locator(".messagelist")).to_contain_text("1 comment approved.")
    expect(page.locator("#result_list")).not_to_contain_text(good.body)  # left the queue

    reader = new_context().new_page()
    reader.goto(live_server.url + good.article.get_absolute_url())
    expect(reader.locator("body")).to_contain_text(good.body)
    expect(reader.locator("body")).not_to_contain_text(bad.body)

    run_action(page, bad, "mark_spam")
    expect(page.locator(".messagelist")).to_contain_text("1 comment marked as spam.")
    [report] = akismet_emulator.requests_to("/1.1/submit-spam")
    [check] = [
        request
        for request in akismet_emulator.requests_to("/1.1/comment-check")
        if request["fields"].get("comment_author") == "Best Offer"
    ]
    for field in REPORTED_FIELDS:
        assert report["fields"].get(field) == check["fields"].get(field), field
    assert report["fields"]["comment_content"] == bad.body

    page.goto(f"{live_server.url}/admin/comments/comment/{bad.pk}/change/")
    expect(page.locator(".moderation-history")).to_contain_text("Reported to Akismet as spam")
    expect(page.locator(".moderation-purge")).to_contain_text("will be purged on")
    save_screenshot(page, "moderation-comment-page")
