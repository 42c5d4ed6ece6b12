"""The changelist's bulk actions, as the queue's script sends them for the rows a moderator
selected (the page, then an operation's key): one request, the rows redrawn, one Undo; each
comment in the admin's log and its history, as a row's own action leaves them."""

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse

from comments.models import Comment
from tests.factories import CommentFactory

pytestmark = pytest.mark.django_db

QUEUE = reverse("admin:comments_comment_changelist")
FETCH = {"HTTP_X_REQUESTED_WITH": "fetch"}


def act_on_selected(client, action, comments, view="pending"):
    """The changelist form as the script sends it: Go's `index`, the operation in the menu."""
    form = {"action": action, "index": "0", "select_across": "0",
            "_selected_action": [c.pk for c in comments]}  # fmt: skip
    return client.post(f"{QUEUE}?status={view}", form, **FETCH)


def test_selected_rows_are_approved_in_one_request_and_undone_as_one(
    moderator_client, moderator, article
):
    selected = CommentFactory.create_batch(3, article=article)
    left = CommentFactory(article=article)

    answer = act_on_selected(moderator_client, "approve", selected).json()

    assert answer["ok"] and answer["message"] == "3 comments approved."
    assert {int(pk): row["status"] for pk, row in answer["rows"].items()} == {
        c.pk: "approved" for c in selected
    }
    assert answer["counts"]["pending"] == 1
    assert Comment.objects.get(pk=left.pk).status == "pending"
    logged = LogEntry.objects.filter(user=moderator, change_message="Approve")
    assert sorted(int(e.object_id) for e in logged) == sorted(c.pk for c in selected)
    assert all(c.history.filter(kind="status", actor=moderator).exists() for c in selected)

    undone = moderator_client.post(answer["undo_url"], **FETCH).json()
    assert undone["message"] == "Undone: 3 comments put back."
    assert set(Comment.objects.values_list("status", flat=True)) == {"pending"}


def test_a_selected_row_another_moderator_moved_is_left_and_redrawn(moderator_client, article):
    selected = CommentFactory.create_batch(2, article=article)
    Comment.objects.filter(pk=selected[1].pk).update(status="spam")  # someone else, meanwhile

    answer = act_on_selected(moderator_client, "approve", selected).json()

    assert answer["message"] == "1 comment approved."
    assert {int(pk): row["status"] for pk, row in answer["rows"].items()} == {
        selected[0].pk: "approved",
        selected[1].pk: "spam",
    }


def test_without_the_script_the_same_action_answers_with_a_page(moderator_client, article):
    selected = CommentFactory.create_batch(2, article=article)
    form = {"action": "approve", "index": "0", "_selected_action": [c.pk for c in selected]}
    response = moderator_client.post(f"{QUEUE}?status=pending", form, follow=True)
    assert [str(m) for m in response.context["messages"]] == ["2 comments approved."]
    assert response.context["undo_offer"]["message"] == "2 comments approved."


def test_the_bulk_action_needs_the_moderation_permission(client, staff_user, article):
    held = CommentFactory(article=article)
    client.force_login(staff_user)
    response = act_on_selected(client, "approve", [held])
    assert response.status_code in (302, 403)
    assert Comment.objects.get(pk=held.pk).status == "pending"
