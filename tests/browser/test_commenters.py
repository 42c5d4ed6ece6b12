"""A member of Moderators deals with people, not only comments: sees a commenter's history from
a queue row, bans a troll (both addresses, one network) with "remove everything pending" from
the keyboard, the troll's next comment is refused with their text kept, and the ban is undone
with one key. axe finds nothing on the commenter's page and the ban dialog in either theme.

UPDATE_SCREENSHOTS=1 writes the screenshots into docs/screenshots/ (committed)."""

import os

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from comments.models import Ban, Comment
from comments.screening.rules import BANNED
from tests.browser.helpers import PROJECT_ROOT, SCREENSHOT_DIR
from tests.factories import ArticleFactory, CommentFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "correct horse battery staple"
QUEUE = "/admin/comments/comment/"
HELD_FOR = [{"step": "first_time", "verdict": "hold", "reason": "first comment from this email"}]
DOCS_SHOTS = PROJECT_ROOT / "docs" / "screenshots"
SHOTS = DOCS_SHOTS if os.environ.get("UPDATE_SCREENSHOTS") else SCREENSHOT_DIR
TROLL_NETWORK_IP = "2001:db8:77::{}"
TROLL_EMAILS = ["troll@example.com", "troll.again@example.net"]


@pytest.fixture
def people(db, settings):
    settings.COMMENTS_MIN_SUBMIT_SECONDS = 0
    settings.COMMENTS_FLOOD_SECONDS = 0
    article = ArticleFactory(title="Why Do Muscles Twitch After a Workout?")

    def write(name, email, ip, status, body):
        return CommentFactory(
            article=article, author_name=name, author_email=email, ip_address=ip, body=body,
            status=status, screening=HELD_FOR if status == "pending" else [],
            akismet_verdict="ham",
        )  # fmt: skip

    regular = [
        write("Rui", "rui.reply@example.com", "198.51.100.7", status, f"Comment {i} by Rui.")
        for i, status in enumerate(["approved"] * 4 + ["spam", "removed"])
    ]
    troll = [
        write("Grumpy", TROLL_EMAILS[i % 2], TROLL_NETWORK_IP.format(i + 1), "pending",
              f"You are all wrong, number {i}.")
        for i in range(3)
    ]  # fmt: skip
    rui_held = write("Rui", "Rui.Reply@example.com", "198.51.100.7", "pending", "A held one.")
    return {"article": article, "regular": regular, "troll": troll, "rui_held": rui_held}


def log_in(page, live_server, moderators_group, url=QUEUE):
    user = UserFactory(username="mod", is_staff=True, password=PASSWORD)
    user.groups.add(moderators_group)
    page.goto(f"{live_server.url}/admin/login/?next={url}")
    page.fill("#id_username", "mod")
    page.fill("#id_password", PASSWORD)
    page.locator("input[type=submit]").click()
    return user


def assert_no_axe_violations(page, context=None):
    axe = Axe()
    result = axe.run(page, context=context) if context else axe.run(page)
    violations = result.response["violations"]
    assert violations == [], [(v["id"], [n["target"] for n in v["nodes"]]) for v in violations]


def row(page, comment):
    return page.locator(f"#result_list tr:has(#queue-row-{comment.pk})")


def focus_row(page, comment):
    """Move the queue's focus (j) to the comment's row."""
    for _ in range(10):
        if "queue-current" in (row(page, comment).get_attribute("class") or ""):
            return
        page.keyboard.press("j")
    raise AssertionError(f"row {comment.pk} never got the focus")


def test_a_commenters_history_from_a_row(live_server, page, moderators_group, people):
    log_in(page, live_server, moderators_group)
    held = people["rui_held"]
    rui_row = row(page, held)
    # The author's counts link to their page; email and IP filter the queue.
    counts = rui_row.locator("a.queue-commenter")
    expect(counts).to_have_text("4 approved · 1 spam")
    expect(rui_row.locator("a", has_text="Rui.Reply@example.com")).to_have_attribute(
        "href", f"{QUEUE}?status=all&email=rui.reply%40example.com"
    )
    SHOTS.mkdir(parents=True, exist_ok=True)
    rui_row.screenshot(path=str(SHOTS / "queue-row-commenter.png"))

    focus_row(page, held)
    page.keyboard.press("p")  # the commenter's page
    expect(page.locator("h1")).to_contain_text("rui.reply@example.com")
    comments = page.locator("#result_list .queue-comment")
    expect(comments).to_have_count(7)  # every status
    expect(page.locator(".commenter-dl")).to_contain_text("198.51.100.7")
    page.fill("#id_note", "Regular since spring; one spam was a pasted link.")
    page.locator("button", has_text="Add the note").click()
    expect(page.locator(".commenter-note")).to_contain_text("mod, ")
    page.screenshot(path=str(SHOTS / "commenter-page.png"), full_page=True)

    # Its rows act in place, as the queue's do.
    page.locator(f"#queue-row-{held.pk} button.queue-approve").click()
    expect(page.locator(f"#queue-row-{held.pk}")).to_have_attribute("data-status", "approved")
    assert Comment.objects.get(pk=held.pk).status == "approved"


def test_ban_a_troll_from_the_keyboard_refuse_then_undo(
    live_server, page, new_context, moderators_group, people
):
    troll = people["troll"]
    log_in(page, live_server, moderators_group)
    loads = []
    page.on("framenavigated", lambda f: f == page.main_frame and loads.append(f.url))
    focus_row(page, troll[-1])
    page.keyboard.press("b")
    dialog = page.locator("dialog.ban-dialog")
    expect(dialog).to_be_visible()
    # The email by default, and the network too: another address wrote from it.
    expect(dialog.locator("#id_ban_email")).to_be_checked()
    expect(dialog.locator("#id_ban_network")).to_be_checked()
    expect(dialog.locator("#id_remove_pending")).to_be_checked()
    expect(dialog).to_contain_text("troll@example.com")
    expect(dialog.locator("#id_reason")).to_be_focused()
    dialog.screenshot(path=str(SHOTS / "ban-dialog.png"))
    page.keyboard.type("Insults under two names")
    page.keyboard.press("Enter")

    expect(page.locator("#queue-messages")).to_contain_text("3 pending comments removed")
    assert len(loads) == 1  # the ban's one page load; the queue comes back without the troll
    for comment in troll:
        expect(row(page, comment)).to_have_count(0)
    assert Comment.objects.filter(pk__in=[c.pk for c in troll], status="removed").count() == 3
    assert Ban.objects.active().count() == 2  # the email and the network

    # The troll comes back under the other address: refused, their text kept in the form.
    reader = new_context().new_page()
    reader.goto(live_server.url + people["article"].get_absolute_url())
    reader.fill("#id_comment", "I am back and still right.")
    reader.fill("#id_name", "Grumpy")
    reader.fill("#id_email", TROLL_EMAILS[0])
    reader.locator("#submit").click()
    expect(reader.locator("body")).to_contain_text(BANNED.split(".")[0])
    expect(reader.locator("#id_comment")).to_have_value("I am back and still right.")
    assert not Comment.objects.filter(body="I am back and still right.").exists()

    # One key takes it all back: the bans lifted, the three comments held again.
    page.keyboard.press("z")
    expect(page.locator("#queue-messages")).to_contain_text("Undone")
    assert Ban.objects.active().count() == 0
    assert Comment.objects.filter(pk__in=[c.pk for c in troll], status="pending").count() == 3
    assert all(ban.lifted_by.username == "mod" for ban in Ban.objects.all())


def test_a_ban_held_quietly_when_set_so(live_server, new_context, people, settings):
    settings.COMMENTS_BANNED_ACTION = "hold"
    troll = people["troll"][0]
    from comments.services.bans import ban_commenter

    ban_commenter(troll.commenter, scopes=["email"], duration="day")
    reader = new_context().new_page()
    reader.goto(live_server.url + people["article"].get_absolute_url())
    reader.fill("#id_comment", "Quietly waiting.")
    reader.fill("#id_name", "Grumpy")
    reader.fill("#id_email", troll.author_email)
    reader.locator("#submit").click()
    expect(reader.locator(".comment-pending")).to_contain_text("awaiting moderation")
    held = Comment.objects.get(body="Quietly waiting.")
    assert held.status == "pending"
    assert any(step["step"] == "banned" and step["verdict"] == "hold" for step in held.screening)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_nothing_on_the_commenter_page_and_the_ban_dialog(
    live_server, new_context, moderators_group, people, scheme
):
    page = new_context(color_scheme=scheme).new_page()
    commenter = people["troll"][0].commenter
    log_in(page, live_server, moderators_group, f"/admin/comments/commenter/{commenter.pk}/change/")
    expect(page.locator("#result_list")).to_be_visible()
    assert_no_axe_violations(page)
    page.locator("a.queue-ban").first.click()
    expect(page.locator("dialog.ban-dialog")).to_be_visible()
    assert_no_axe_violations(page)
    page.goto(f"{live_server.url}/admin/comments/commenter/{commenter.pk}/ban/")
    assert_no_axe_violations(page)
