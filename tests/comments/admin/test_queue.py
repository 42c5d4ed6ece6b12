"""The queue's row actions, undo, edit, locks, the privacy duty, the admin's log and the
moderators' email about bursts (issue 14). Browser flows are in tests/browser."""

from datetime import timedelta

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from comments.models import AkismetReport, Comment, CommentEvent, Notification
from comments.notifications import moderators
from comments.services import rechecks
from comments.services.status import approve, mark_spam
from tests.factories import CommentFactory, UserFactory

pytestmark = pytest.mark.django_db

QUEUE = reverse("admin:comments_comment_changelist")
FETCH = {"HTTP_X_REQUESTED_WITH": "fetch"}
HELD_FOR = [{"step": "first_time", "verdict": "hold", "reason": "first comment"}]


def act_url(comment, expected="pending"):
    return reverse("admin:comments_comment_act", args=[comment.pk]) + f"?expected={expected}"


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


@pytest.fixture
def held(article):
    return CommentFactory(article=article, body="Is magnesium worth it?", screening=HELD_FOR)


# --- Row actions ----------------------------------------------------------------------------


def test_each_row_has_the_registry_buttons_for_its_status(moderator_client, held, article):
    spam = CommentFactory(article=article, status="spam")
    html = moderator_client.get(QUEUE, {"status": "all"}).content.decode()
    for name in ["approve", "mark_spam", "remove"]:
        assert f'value="{name}" class="queue-action queue-{name}"' in html
    assert f'formaction="{act_url(held)}"' in html.replace("&amp;", "&")
    assert f'formaction="{act_url(spam, "spam")}"' in html.replace("&amp;", "&")
    assert 'id="queue-row-form"' in html and 'name="csrfmiddlewaretoken"' in html
    assert reverse("admin:comments_comment_edit", args=[held.pk]) in html


def test_spam_and_removed_rows_show_their_edit_link_not_escaped_markup(moderator_client, article):
    spam = CommentFactory(article=article, status="spam")
    removed = CommentFactory(article=article, status="removed")
    html = moderator_client.get(QUEUE, {"status": "all"}).content.decode()
    for comment in (spam, removed):  # no Reply link on these rows: the Edit link stands alone
        edit = reverse("admin:comments_comment_edit", args=[comment.pk])
        assert f'<a class="queue-edit-link" href="{edit}">Edit</a>' in html
    assert "&lt;a class=&quot;queue-edit-link" not in html


def test_a_row_answered_after_marking_spam_keeps_its_edit_link(moderator_client, held):
    data = moderator_client.post(act_url(held), {"operation": "mark_spam"}, **FETCH).json()
    edit = reverse("admin:comments_comment_edit", args=[held.pk])
    assert f'<a class="queue-edit-link" href="{edit}">Edit</a>' in data["row"]["actions_html"]


def test_row_action_without_js_returns_to_the_queue_at_the_next_row(
    moderator_client, moderator, held, article
):
    older = CommentFactory(
        article=article, created_at=held.created_at - timedelta(minutes=5), screening=HELD_FOR
    )
    response = moderator_client.post(
        act_url(held), {"operation": "approve", "next": f"{QUEUE}?status=pending"}
    )
    assert response.status_code == 302
    assert response["Location"] == f"{QUEUE}?status=pending#queue-row-{older.pk}"
    held.refresh_from_db()
    assert held.status == "approved"
    page = moderator_client.get(response["Location"])
    assert messages_of(page) == ["1 comment approved."]
    assert "queue-undo" in page.content.decode()  # the message carries its Undo
    assert held.history.get(kind="status").actor == moderator


def test_row_action_with_js_answers_json_with_the_row_and_counts(moderator_client, held):
    response = moderator_client.post(act_url(held), {"operation": "mark_spam"}, **FETCH)
    data = response.json()
    assert data["ok"] and data["message"] == "1 comment marked as spam."
    assert data["row"]["status"] == "spam" and "Spam" in data["row"]["state_html"]
    assert 'value="restore"' in data["row"]["actions_html"]  # what applies now
    assert data["counts"]["spam"] == 1 and data["counts"]["pending"] == 0
    assert data["undo_url"].startswith("/admin/comments/comment/undo/")


def test_row_action_needs_the_permission_and_a_known_operation(client, held, moderator_client):
    viewer = UserFactory(username="viewer", is_staff=True)
    client.force_login(viewer)
    assert client.post(act_url(held), {"operation": "approve"}).status_code == 403
    assert moderator_client.post(act_url(held), {"operation": "delete"}).status_code == 403
    held.refresh_from_db()
    assert held.status == "pending"


def test_row_action_refuses_a_get(moderator_client, held):
    assert moderator_client.get(act_url(held)).status_code == 405


def test_second_moderator_is_told_who_did_it_and_nothing_is_recorded_twice(
    moderator_client, held, moderators_group
):
    alice = UserFactory(username="alice", is_staff=True)
    alice.groups.add(moderators_group)
    approve(held, by=alice)
    response = moderator_client.post(act_url(held), {"operation": "mark_spam"}, **FETCH)
    assert response.json()["message"] == "Already approved by alice."
    assert response.json()["row"]["status"] == "approved"
    held.refresh_from_db()
    assert held.status == "approved"
    assert held.history.filter(kind="status").count() == 1
    assert not held.akismet_reports.exists()


def test_the_status_is_read_under_the_row_lock(held, moderator):
    stale = Comment.objects.get(pk=held.pk)
    approve(held, by=moderator)
    assert approve(stale, by=moderator) is False  # its own copy said pending
    assert held.history.filter(kind="status").count() == 1


# --- Undo -----------------------------------------------------------------------------------


def test_undo_of_a_bulk_spam_puts_each_back_and_tells_akismet(moderator_client, article, settings):
    settings.AKISMET_API_KEY = "key"  # reports are recorded (and sent by a task)
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    first = CommentFactory(article=article, akismet_verdict="ham")
    second = CommentFactory(article=article, status="approved", akismet_verdict="ham")
    response = moderator_client.post(
        f"{QUEUE}?status=all",
        {"action": "mark_spam", "_selected_action": [first.pk, second.pk]},
        follow=True,
    )
    assert messages_of(response) == ["2 comments marked as spam."]
    undo = response.context["undo_offer"]
    assert undo["message"] == "2 comments marked as spam."
    assert f'action="{undo["url"]}"' in response.content.decode()

    back = moderator_client.post(undo["url"], {"next": QUEUE}, follow=True)
    assert messages_of(back) == ["Undone: 2 comments put back."]
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == ("pending", "approved")
    for comment in (first, second):
        assert list(comment.akismet_reports.order_by("pk").values_list("kind", flat=True)) == [
            "spam",
            "ham",
        ]
        assert comment.history.filter(kind="status").last().note == "Undo."
    again = moderator_client.post(undo["url"], follow=True)
    assert messages_of(again) == ["Nothing to undo (already undone?)."]


def test_undo_leaves_a_comment_someone_changed_since(moderator_client, held, moderator):
    data = moderator_client.post(act_url(held), {"operation": "approve"}, **FETCH).json()
    mark_spam(held, by=moderator)
    answer = moderator_client.post(data["undo_url"], **FETCH).json()
    assert answer["message"] == (
        "Undone: 0 comments put back. 1 was changed since and left as it is."
    )
    held.refresh_from_db()
    assert held.status == "spam"


# --- Edit -----------------------------------------------------------------------------------


def test_edit_keeps_the_old_values_rerenders_and_refreshes_the_page(
    moderator_client, article, client
):
    comment = CommentFactory(
        article=article,
        status="approved",
        body="Buy at http://spam.example now",
        author_name="Spammy",
        author_email="s@example.com",
    )
    client.get(article.get_absolute_url())  # cached
    url = reverse("admin:comments_comment_edit", args=[comment.pk])
    assert moderator_client.get(url, **FETCH).json()["body"] == comment.body
    response = moderator_client.post(
        url,
        {"body": "Buy now (link removed)", "author_name": "Sam", "author_url": ""},
        **FETCH,
    )
    assert response.json()["message"] == "Comment edited."
    comment.refresh_from_db()
    assert (comment.body, comment.author_name, comment.author_email) == (
        "Buy now (link removed)",
        "Sam",
        "s@example.com",
    )
    assert "link removed" in comment.body_html
    event = comment.history.get(kind=CommentEvent.Kind.EDIT)
    assert "http://spam.example" in event.note and "Spammy" in event.note
    assert "Buy now (link removed)" in client.get(article.get_absolute_url()).content.decode()

    moderator_client.post(response.json()["undo_url"], **FETCH)
    comment.refresh_from_db()
    assert (comment.body, comment.author_name) == ("Buy at http://spam.example now", "Spammy")


def test_edit_page_without_js_and_its_validation(moderator_client, held):
    url = reverse("admin:comments_comment_edit", args=[held.pk])
    page = moderator_client.get(url)
    assert page.status_code == 200 and 'name="author_url"' in page.content.decode()
    assert 'name="author_email"' not in page.content.decode()
    bad = moderator_client.post(url, {"body": "", "author_name": "x", "author_url": "nope"})
    assert bad.status_code == 200
    assert "This field is required." in bad.content.decode()
    held.refresh_from_db()
    assert held.body == "Is magnesium worth it?"


# --- The comment's page ---------------------------------------------------------------------


def test_approve_and_next_goes_to_the_next_held_comment(moderator_client, held, article):
    older = CommentFactory(article=article, created_at=held.created_at - timedelta(hours=1))
    change = reverse("admin:comments_comment_change", args=[held.pk])
    html = moderator_client.get(change).content.decode()
    assert 'name="_moderate_next" value="approve"' in html and "Spam and next" in html
    response = moderator_client.post(change, {"_moderate_next": "approve"})
    assert response["Location"] == reverse("admin:comments_comment_change", args=[older.pk])
    moderator_client.get(response["Location"])  # (shows the approval's message)
    last = moderator_client.post(response["Location"], {"_moderate_next": "mark_spam"}, follow=True)
    assert messages_of(last) == ["1 comment marked as spam.", "The queue is empty."]


def test_reply_box_quotes_the_comment_answered(moderator_client, held):
    html = moderator_client.get(
        reverse("admin:comments_comment_change", args=[held.pk])
    ).content.decode()
    assert 'id="replying-to"' in html and "Is magnesium worth it?" in html


# --- One story: history page and recent actions ----------------------------------------------


def test_actions_are_in_the_admin_log_and_the_history_page_has_one_table(
    moderator_client, moderator, held
):
    moderator_client.post(act_url(held), {"operation": "approve"})
    [entry] = LogEntry.objects.filter(user=moderator)
    assert entry.object_id == str(held.pk) and entry.get_change_message() == "Approve"
    index = moderator_client.get(reverse("admin:index")).content.decode()
    assert "None available" not in index
    history = moderator_client.get(
        reverse("admin:comments_comment_history", args=[held.pk])
    ).content.decode()
    assert 'id="comment-history"' in history
    assert "doesn’t have a change history" not in history


# --- Privacy is its own duty ----------------------------------------------------------------


def test_moderators_do_not_get_the_privacy_actions(moderator_client, client, held):
    page = moderator_client.get(QUEUE)
    assert "erase_commenter_data_action" not in page.content.decode()
    assert "export_commenter_data_action" not in page.content.decode()
    response = moderator_client.post(
        QUEUE, {"action": "erase_commenter_data_action", "_selected_action": [held.pk]}
    )
    held.refresh_from_db()
    assert held.erased_at is None and response.status_code in (200, 302)

    clerk = UserFactory(username="clerk", is_staff=True)
    clerk.groups.add(Group.objects.get(name="Privacy"))
    client.force_login(clerk)
    assert "erase_commenter_data_action" in client.get(QUEUE).content.decode()


def test_nobody_erases_a_staff_members_comment(admin_client, article, moderator):
    staff_reply = CommentFactory(
        article=article, user=moderator, author_email=moderator.email, status="approved"
    )
    response = admin_client.post(
        f"{QUEUE}?status=all",
        {
            "action": "erase_commenter_data_action",
            "_selected_action": [staff_reply.pk],
            "post": "yes",
        },
        follow=True,
    )
    assert messages_of(response) == [f"Not erased: {moderator.email} belongs to a staff member."]
    staff_reply.refresh_from_db()
    assert staff_reply.erased_at is None


# --- Recheck in the background --------------------------------------------------------------


def test_recheck_is_one_task_per_comment_and_the_row_says_rechecking(
    moderator_client, article, settings
):
    settings.AKISMET_API_KEY = "key"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    from django_tasks import default_task_backend

    comments = CommentFactory.create_batch(3, article=article)
    response = moderator_client.post(
        QUEUE, {"action": "recheck", "_selected_action": [c.pk for c in comments]}, follow=True
    )
    assert messages_of(response) == [
        "3 comments queued: Recheck with Akismet in the background; the queue shows "
        "Akismet's answers once they are in."
    ]
    queued = default_task_backend.results
    assert sorted(r.args[1] for r in queued) == sorted(c.pk for c in comments)
    assert {r.task.name for r in queued} == {"run_operation"}
    row = moderator_client.post(act_url(comments[0]), {"operation": "recheck"}, **FETCH).json()[
        "row"
    ]
    assert "rechecking" in row["state_html"]


# --- Moderators' email: one per burst, none while Akismet has not settled --------------------


@pytest.fixture
def emailed_moderator(moderator, notifications_on):
    return moderator


def test_a_burst_of_held_comments_sends_one_email_listing_them(article, emailed_moderator):
    first = CommentFactory(article=article, screening=HELD_FOR)
    assert moderators.send_held_notice.call(first.pk) is True  # the first: at once
    burst = []
    for _ in range(5):  # held one after another, as their tasks run
        burst.append(CommentFactory(article=article, screening=HELD_FOR))
        assert moderators.send_held_notice.call(burst[-1].pk) is False  # the burst waits
    assert len(mail.outbox) == 1
    Notification.objects.update(sent_at=timezone.now() - moderators.HELD_BURST)
    assert moderators.send_held_notices() == 5  # the window's end (the minute job)
    assert len(mail.outbox) == 2
    listing = mail.outbox[1]
    assert listing.subject.endswith("5 comments held for review")
    for comment in burst:
        assert f"/admin/comments/comment/{comment.pk}/change/" in listing.body
    assert moderators.send_held_notices() == 0  # each told once


def held_for_akismet(article, email):
    return CommentFactory(
        article=article,
        author_email=email,
        body="Akismet was down when I posted this.",
        screening=[{"step": "akismet", "verdict": "unchecked", "reason": "Akismet failed"}],
        akismet_verdict="unchecked",
        akismet_next_check_at=timezone.now(),
    )


@pytest.mark.parametrize("known_commenter", [True, False])
def test_held_only_for_akismet_is_announced_only_if_the_recheck_leaves_it_held(
    article,
    emailed_moderator,
    akismet_emulator,
    django_capture_on_commit_callbacks,
    known_commenter,
):
    email = "regular@example.com" if known_commenter else "new@example.com"
    if known_commenter:
        CommentFactory(article=article, author_email=email, status="approved")
    comment = held_for_akismet(article, email)
    assert moderators.send_held_notice.call(comment.pk) is False  # not yet
    with django_capture_on_commit_callbacks(execute=True):
        assert rechecks.recheck(comment) == "ham"
    comment.refresh_from_db()
    if known_commenter:  # Akismet says ham, no rule holds it: approved, nobody bothered
        assert comment.status == "approved" and mail.outbox == []
    else:  # ham, but a first comment from this address: held, and now a moderator is told
        assert comment.status == "pending"
        [message] = mail.outbox
        assert "Akismet was down" in message.body


def test_reports_are_not_recorded_for_a_conflict(moderator_client, held, moderator):
    mark_spam(held, by=moderator)
    moderator_client.post(act_url(held), {"operation": "mark_spam"})
    assert AkismetReport.objects.count() <= 1
