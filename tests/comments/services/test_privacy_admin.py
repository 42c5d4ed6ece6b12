"""Commenters' personal data from the admin: export and erasure as changelist actions."""

import json

import pytest
from django.urls import reverse
from django.utils import timezone

from comments.services.privacy import (
    ERASED_BODY,
    erase_commenter_data,
    scrub_expired_personal_data,
)
from tests.comments.services.privacy_people import (
    AMY,
    AMY_IP,
    days_ago,
)
from tests.factories import CommentFactory, UserFactory

pytestmark = pytest.mark.django_db


# --- The admin --------------------------------------------------------------------------------

CHANGELIST = "admin:comments_comment_changelist"


def changelist(query="status=all"):
    return f"{reverse(CHANGELIST)}?{query}"


def test_admin_export_action_downloads_the_json_of_the_selected_addresses(
    admin_client, amy_comment, stephen_reply
):
    response = admin_client.post(
        changelist(),
        {"action": "export_commenter_data_action", "_selected_action": [amy_comment.pk]},
    )

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith('attachment; filename="commenter-data-')
    data = json.loads(response.content)
    [amy] = data["commenters"]
    assert amy["email"] == AMY
    assert [c["ip_address"] for c in amy["comments"]] == [AMY_IP]
    assert "stephen@example.com" not in response.content.decode()


def test_admin_erase_action_asks_first_then_erases(admin_client, amy_comment, stephen_reply):
    selected = {"action": "erase_commenter_data_action", "_selected_action": [amy_comment.pk]}

    confirmation = admin_client.post(changelist(), selected)

    assert confirmation.status_code == 200
    page = confirmation.content.decode()
    assert "Erase the personal data of <strong>1 comment</strong>" in page
    assert f"{AMY}: 1 comment" in page
    assert 'name="remove_text"' in page
    assert "Also remove the text" in page
    amy_comment.refresh_from_db()
    assert amy_comment.author_email == AMY  # nothing yet

    response = admin_client.post(
        changelist(), {**selected, "post": "yes", "remove_text": "on"}, follow=True
    )

    assert "Erased the personal data of 1 comment from 1 address (text removed)." in (
        response.content.decode()
    )
    amy_comment.refresh_from_db()
    assert (amy_comment.author_name, amy_comment.body) == ("Anonymous", ERASED_BODY)
    assert amy_comment.history.last().actor.is_superuser
    stephen_reply.refresh_from_db()
    assert stephen_reply.author_email == "stephen@example.com"


def test_admin_erase_of_an_already_erased_comment_says_there_is_no_address(
    admin_client, amy_comment
):
    erase_commenter_data(AMY)
    response = admin_client.post(
        changelist(),
        {"action": "erase_commenter_data_action", "_selected_action": [amy_comment.pk]},
        follow=True,
    )
    assert "None of the selected comments has an email address" in response.content.decode()


def test_admin_shows_and_filters_which_comments_were_scrubbed(admin_client, amy_comment):
    recent = CommentFactory(created_at=days_ago(1), status="approved")
    erased = CommentFactory(author_email="gone@example.com", status="approved")
    scrub_expired_personal_data()
    erase_commenter_data("gone@example.com")

    def listed(query):
        response = admin_client.get(changelist(f"status=all&{query}"))
        return {comment.pk for comment in response.context["cl"].result_list}, response

    assert listed("personal_data=kept")[0] == {recent.pk}
    assert listed("personal_data=scrubbed")[0] == {amy_comment.pk}
    assert listed("personal_data=erased")[0] == {erased.pk}
    page = listed("")[1].content.decode()
    assert f"scrubbed {timezone.now().date().isoformat()}" in page
    assert "Personal data" in page or "personal data" in page


def test_privacy_actions_need_the_moderate_permission(client, amy_comment):
    from django.contrib.auth.models import Permission

    viewer = UserFactory(username="viewer", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_comment"))
    client.force_login(viewer)

    page = client.get(changelist()).content.decode()

    assert "erase_commenter_data_action" not in page
    assert "export_commenter_data_action" not in page
