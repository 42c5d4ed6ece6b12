"""A member of Moderators clears the queue: by keyboard alone (no page loads, the reply too),
by buttons without JavaScript, and racing another moderator on one comment. axe finds nothing
on the queue, a comment's page and its history."""

import os
import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from comments.models import Comment, CommentEvent
from tests.browser.helpers import PROJECT_ROOT, SCREENSHOT_DIR
from tests.factories import ArticleFactory, CommentFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "correct horse battery staple"
QUEUE = "/admin/comments/comment/"
HELD_FOR = [{"step": "first_time", "verdict": "hold", "reason": "first comment from this email"}]
# UPDATE_SCREENSHOTS=1 writes the queue's screenshots into docs/ (committed); else beside the
# failure screenshots.
SHOTS = PROJECT_ROOT / "docs" if os.environ.get("UPDATE_SCREENSHOTS") else SCREENSHOT_DIR


@pytest.fixture
def held(db):
    article = ArticleFactory(title="Why Do Muscles Twitch After a Workout?")
    texts = [
        "Magnesium before bed stopped my calf twitching.",
        "Great post! Visit my site for cheap supplements.",
        "Does it happen after swimming too?",
        "I get this after every long run, water helps.",
        "My eyelid twitches after leg day, is that related?",
    ]
    return [
        CommentFactory(
            article=article,
            author_name=f"Reader {i}",
            author_email=f"reader{i}@example.com",
            body=text,
            screening=HELD_FOR,
            akismet_verdict="ham",
        )
        for i, text in enumerate(texts)
    ]  # the queue shows the newest first: held[-1] is the top row


def log_in(page, live_server, username, group):
    user = UserFactory(username=username, is_staff=True, password=PASSWORD)
    user.groups.add(group)
    page.goto(f"{live_server.url}/admin/login/?next={QUEUE}")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("input[type=submit]").click()
    expect(page.locator("#result_list")).to_be_visible()
    return user


def row(page, comment):
    return page.locator(f"#result_list tr:has(#queue-row-{comment.pk})")


def assert_no_axe_violations(page):
    violations = Axe().run(page).response["violations"]
    assert violations == [], [(v["id"], [n["target"] for n in v["nodes"]]) for v in violations]


def count_page_loads(page):
    loads = []
    page.on("framenavigated", lambda frame: frame == page.main_frame and loads.append(frame.url))
    return loads


def test_keyboard_only_clearing(live_server, page, moderators_group, held):
    log_in(page, live_server, "mod", moderators_group)
    assert_no_axe_violations(page)
    loads = count_page_loads(page)
    newest, second, third, *_older = reversed(held)

    page.keyboard.press("a")  # the first row gets focus and is approved
    expect(row(page, newest)).to_have_class(re.compile("queue-done"))
    expect(page.locator("#queue-messages")).to_contain_text("1 comment approved.")
    expect(page.locator("#changelist-filter")).to_contain_text("Pending (4)")
    expect(row(page, second)).to_have_class(re.compile("queue-current"))  # focus moved on

    page.keyboard.press("s")
    expect(page.locator("#queue-messages")).to_contain_text("1 comment marked as spam.")
    page.keyboard.press("d")
    expect(page.locator("#queue-messages")).to_contain_text("1 comment removed.")
    page.keyboard.press("z")  # the remove taken back
    expect(page.locator("#queue-messages")).to_contain_text("Undone: 1 comment put back.")
    expect(page.locator("#changelist-filter")).to_contain_text("Pending (3)")

    page.keyboard.press("j")
    page.keyboard.press("k")
    page.keyboard.press("e")  # edit the focused (third) comment in place
    editor = page.locator(f"#queue-row-{third.pk} .queue-editor textarea")
    expect(editor).to_be_focused()
    page.keyboard.press("Control+a")
    page.keyboard.type("Does it happen after swimming too? (link removed)")
    page.keyboard.press("Control+Enter")
    expect(page.locator("#queue-messages")).to_contain_text("Comment edited.")
    expect(row(page, third)).to_contain_text("(link removed)")

    page.keyboard.press("?")
    expect(page.locator("#queue-keys")).to_be_visible()
    assert_no_axe_violations(page)
    page.keyboard.press("Escape")
    expect(page.locator("#queue-keys")).to_be_hidden()

    states = dict(Comment.objects.values_list("pk", "status"))
    assert [states[c.pk] for c in (newest, second, third)] == ["approved", "spam", "pending"]
    third.refresh_from_db()  # its new text, for the pages that quote it
    assert third.body.endswith("(link removed)") and "(link removed)" in third.body_html
    edit = third.history.get(kind=CommentEvent.Kind.EDIT)
    assert "Does it happen after swimming too?" in edit.note  # the old text is kept
    assert [e.to_status for e in third.history.filter(kind="status")] == ["removed", "pending"]

    page.keyboard.press("r")  # reply in place: a box in the row, focused
    expect(page.locator(f"#queue-row-{third.pk} .queue-replybox textarea")).to_be_focused()
    page.keyboard.type("Yes, swimming does it too for some.")
    page.keyboard.press("Control+Enter")
    expect(page.locator("#queue-messages")).to_contain_text("Comment approved and your reply")
    assert Comment.objects.get(pk=third.pk).status == "approved"
    assert loads == []  # all of that without a page load
    the_comment_s_pages_tell_of_it(page, live_server, third)


def the_comment_s_pages_tell_of_it(page, live_server, comment):
    """The change page's reply box (the row's link without JavaScript): focused, the comment
    quoted; its history lists the edit; the admin's recent actions name the reader."""
    page.goto(f"{live_server.url}{QUEUE}{comment.pk}/change/?return_to=changelist#reply")
    expect(page.locator("#id_reply")).to_be_focused()
    expect(page.locator("#replying-to")).to_be_in_viewport()
    expect(page.locator("#replying-to")).to_contain_text(comment.body)
    assert_no_axe_violations(page)

    page.goto(f"{live_server.url}{QUEUE}{comment.pk}/history/")
    expect(page.locator("#comment-history")).to_contain_text("Edit")
    expect(page.locator("body")).not_to_contain_text("doesn’t have a change history")
    assert_no_axe_violations(page)
    page.goto(f"{live_server.url}/admin/")
    expect(page.locator("#recent-actions-module")).to_contain_text("Reader")


def test_clearing_by_buttons_without_javascript(live_server, new_context, moderators_group, held):
    page = new_context(java_script_enabled=False).new_page()
    log_in(page, live_server, "mod", moderators_group)
    newest, second, third, fourth, oldest = reversed(held)

    row(page, newest).get_by_role("button", name="Approve").click()
    expect(page.locator(".messagelist")).to_contain_text("1 comment approved.")
    assert page.url.endswith(f"#queue-row-{second.pk}")  # back at the same place
    page.locator(".messagelist").get_by_role("button", name="Undo").click()
    expect(page.locator(".messagelist")).to_contain_text("Undone: 1 comment put back.")
    assert Comment.objects.get(pk=newest.pk).status == "pending"

    row(page, second).get_by_role("button", name="Spam").click()
    expect(page.locator(".messagelist")).to_contain_text("1 comment marked as spam.")
    row(page, third).get_by_role("button", name="Remove").click()
    expect(page.locator(".messagelist")).to_contain_text("1 comment removed.")

    row(page, fourth).get_by_role("link", name="Edit").click()
    page.fill("#id_author_name", "Reader Four")
    page.locator("input[type=submit]").click()
    expect(page.locator(".messagelist")).to_contain_text("Comment edited.")

    page.goto(f"{live_server.url}{QUEUE}{newest.pk}/change/")
    page.get_by_role("button", name="Approve and next").first.click()
    expect(page.locator(".messagelist")).to_contain_text("1 comment approved.")
    assert page.url.endswith(f"/{fourth.pk}/change/")  # the next held one
    page.get_by_role("button", name="Spam and next").first.click()
    assert page.url.endswith(f"/{oldest.pk}/change/")

    row_link = f"{QUEUE}{oldest.pk}/change/?return_to=changelist#reply"
    page.goto(live_server.url + row_link)
    page.fill("#id_reply", "Thanks, it is common.")
    page.get_by_role("button", name="Approve and reply").click()
    expect(page.locator(".messagelist")).to_contain_text("Comment approved and your reply")

    states = dict(Comment.objects.values_list("pk", "status"))
    assert [states[c.pk] for c in (newest, second, third, fourth, oldest)] == [
        "approved",
        "spam",
        "removed",
        "spam",
        "approved",
    ]
    assert Comment.objects.get(pk=fourth.pk).author_name == "Reader Four"


def test_two_moderators_racing_on_one_comment(
    live_server, page, new_context, moderators_group, held
):
    log_in(page, live_server, "alice", moderators_group)
    other = new_context().new_page()
    log_in(other, live_server, "bob", moderators_group)
    target = held[-1]

    row(page, target).get_by_role("button", name="Approve").click()
    expect(page.locator("#queue-messages")).to_contain_text("1 comment approved.")
    row(other, target).get_by_role("button", name="Spam").click()  # bob's page is older
    expect(other.locator("#queue-messages")).to_contain_text("Already approved by alice.")
    expect(row(other, target)).to_contain_text("Approved")  # bob's row shows the truth

    target.refresh_from_db()
    assert target.status == "approved"
    assert list(target.history.filter(kind="status").values_list("to_status", flat=True)) == [
        "approved"
    ]


@pytest.mark.parametrize(
    "viewport, name",
    [({"width": 1280, "height": 900}, "desktop"), ({"width": 390, "height": 844}, "phone")],
)
def test_queue_fits_the_screen(live_server, new_context, moderators_group, viewport, name):
    article = ArticleFactory(title="Why Do Muscles Twitch After a Workout?")
    for i in range(14):
        CommentFactory(
            article=article,
            author_name=f"Reader {i}",
            author_email=f"reader{i}@example.com",
            ip_address=f"203.0.113.{i + 1}",
            body="Is it normal that my eyelid twitches after long runs? It lasts a few minutes.",
            screening=HELD_FOR,
            akismet_verdict="ham",
        )
    phone = name == "phone"
    page = new_context(viewport=viewport, is_mobile=phone, has_touch=phone).new_page()
    log_in(page, live_server, "mod", moderators_group)
    visible = page.evaluate(
        """() => Array.from(document.querySelectorAll('#result_list tbody tr')).filter(r => {
             const box = r.getBoundingClientRect();
             return box.top >= 0 && box.bottom <= innerHeight; }).length"""
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    assert visible >= (1 if phone else 10)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"moderation-queue-{viewport['width']}.png"))


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_nothing_on_every_status_in_both_themes(
    live_server, new_context, moderators_group, held, scheme
):
    first, second, third, *_ = held
    Comment.objects.filter(pk=first.pk).update(status="approved")
    Comment.objects.filter(pk=second.pk).update(status="spam", akismet_verdict="spam")
    Comment.objects.filter(pk=third.pk).update(status="removed", akismet_verdict="unchecked")
    page = new_context(color_scheme=scheme).new_page()
    log_in(page, live_server, "mod", moderators_group)
    for url in [
        f"{QUEUE}?status=all",
        f"{QUEUE}{second.pk}/change/",
        f"{QUEUE}{first.pk}/history/",
        f"{QUEUE}{first.pk}/edit/",
    ]:
        page.goto(live_server.url + url)
        assert_no_axe_violations(page)
