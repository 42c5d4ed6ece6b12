"""The Moderators group: comments and word lists, nothing else."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from tests.factories import CommentFactory

pytestmark = pytest.mark.django_db


def test_moderators_group_has_only_comment_permissions():
    perms = set(Group.objects.get(name="Moderators").permissions.values_list("codename", flat=True))
    assert {"moderate_comment", "view_comment", "change_comment", "change_screeningword"} <= perms
    assert not {p for p in perms if "article" in p or "user" in p or "group" in p}


def test_moderator_reaches_the_queue_and_word_lists_but_not_articles_or_users(moderator_client):
    assert moderator_client.get(reverse("admin:comments_comment_changelist")).status_code == 200
    words = reverse("admin:comments_screeningword_add")
    assert moderator_client.get(words).status_code == 200
    assert moderator_client.get(reverse("admin:fitness_article_changelist")).status_code == 403
    assert moderator_client.get(reverse("admin:auth_user_changelist")).status_code == 403


def test_moderator_can_moderate_but_not_delete(moderator_client, moderator, article):
    comment = CommentFactory(article=article)
    moderator_client.post(
        reverse("admin:comments_comment_change", args=[comment.pk]), {"_moderate": "approve"}
    )
    comment.refresh_from_db()
    assert comment.status == "approved"
    assert moderator.has_perm("comments.moderate_comment")
    assert not moderator.has_perm("comments.delete_comment")
