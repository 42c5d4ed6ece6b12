"""Issue 16: a reader edits or deletes their own comment, for a while, from the same browser;
the edit is screened again and recorded with the text before."""

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from comments.models import Comment, CommentEvent, ScreeningWord
from comments.readers.cookies import EDITABLE_COOKIE
from comments.screening import rules
from tests.factories import CommentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(client, article, comment_form_data, settings):
    """A comment this client's browser just sent, published at once."""
    settings.COMMENTS_HOLD_FIRST_TIME = False
    response = client.post(reverse("comments:post", args=[article.pk]), comment_form_data(article))
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert comment.status == "approved"
    return comment


def edit_url(comment):
    return reverse("comments:edit", args=[comment.pk])


def test_the_writer_sees_an_edit_link_and_others_do_not(client, published, article):
    html = client.get(article.get_absolute_url() + "?mine=1").content.decode()
    assert f'href="{edit_url(published)}"' in html
    mine = client.get(reverse("comments:mine", args=[article.pk])).json()
    assert f'href="{edit_url(published)}"' in mine["own"]  # for the script, on the shared page
    assert edit_url(published) not in client.get(article.get_absolute_url()).content.decode()
    other = Client().get(article.get_absolute_url() + "?mine=1").content.decode()
    assert edit_url(published) not in other


def test_an_edit_is_saved_rendered_and_recorded_with_the_old_text(client, published, article):
    old = published.body
    response = client.post(edit_url(published), {"comment": "Now with **bold**."})
    assert response.status_code == 302
    published.refresh_from_db()
    assert published.body == "Now with **bold**."
    assert published.body_html == "<p>Now with <strong>bold</strong>.</p>"
    assert published.status == "approved"
    event = published.history.get(kind=CommentEvent.Kind.EDIT)
    assert event.actor_label == "its writer"
    assert old in event.note and "screened again" in event.note
    assert "<strong>bold</strong>" in client.get(article.get_absolute_url()).content.decode()


def test_the_same_edit_sent_again_is_recorded_once(client, published, akismet_emulator):
    """Its answer lost (a worker killed after the commit), nginx or the writer sends it again:
    nothing is screened or recorded a second time."""
    checks = len(akismet_emulator.requests_to("/1.1/comment-check"))
    for _ in range(2):
        assert client.post(edit_url(published), {"comment": "Said better."}).status_code == 302
    assert published.history.filter(kind=CommentEvent.Kind.EDIT).count() == 1
    assert len(akismet_emulator.requests_to("/1.1/comment-check")) == checks + 1


def test_an_edit_that_trips_a_rule_goes_back_to_the_queue(client, published, article):
    ScreeningWord.objects.create(kind="moderation", term="casino")
    cache.delete(rules.WORDS_CACHE_KEY)  # dropped on commit, which a test never reaches
    client.post(edit_url(published), {"comment": "Visit my casino."})
    published.refresh_from_db()
    assert published.status == "pending"
    moved = published.history.filter(kind="status").last()
    assert (moved.from_status, moved.to_status) == ("approved", "pending")
    assert 'moderation word "casino"' in moved.note
    article.refresh_from_db()
    assert article.comment_count == 0


def test_an_edit_is_screened_by_akismet_again(client, published, akismet_emulator):
    client.post(edit_url(published), {"comment": "Buy now akismet-discard-marker"})
    published.refresh_from_db()
    assert published.status == "spam"
    assert published.akismet_verdict == "blatant"
    assert akismet_emulator.requests_to("/1.1/comment-check")


def test_another_browser_may_not_edit_or_delete(published):
    stranger = Client()
    assert stranger.get(edit_url(published)).status_code == 403
    assert stranger.post(edit_url(published), {"comment": "mine now"}).status_code == 403
    assert stranger.post(reverse("comments:delete", args=[published.pk])).status_code == 403
    published.refresh_from_db()
    assert published.body != "mine now" and published.status == "approved"


def test_after_the_window_the_edit_is_refused(client, published, settings):
    Comment.objects.filter(pk=published.pk).update(
        created_at=timezone.now() - timezone.timedelta(minutes=11)
    )
    response = client.post(edit_url(published), {"comment": "too late"})
    assert response.status_code == 403
    assert "can no longer be changed" in response.content.decode()
    published.refresh_from_db()
    assert published.body != "too late"


def test_the_cookie_lasts_the_window(client, published):
    from comments.conf import settings

    cookie = client.cookies[EDITABLE_COOKIE]
    assert int(cookie["max-age"]) == settings.COMMENTS_EDIT_MINUTES * 60 == 600


def delete_url(comment):
    return reverse("comments:delete", args=[comment.pk])


def restore_url(comment):
    return reverse("comments:restore", args=[comment.pk])


CONFIRMED = {"confirmed": "1"}


def test_the_writer_deletes_within_the_window_through_moderation(client, published, article):
    reply = CommentFactory(parent=published, status="approved")
    response = client.post(delete_url(published), CONFIRMED)
    assert response.status_code == 302
    published.refresh_from_db()
    assert published.status == "removed"
    event = published.history.filter(kind="status").last()
    assert (event.actor_label, event.to_status, event.note) == (
        "its writer", "removed", "Removed by its writer."
    )  # fmt: skip
    assert reply.pk  # its reply keeps its place (a placeholder above it)
    html = client.get(article.get_absolute_url()).content.decode()
    assert "This comment was removed." in html
    assert client.post(delete_url(published), CONFIRMED).status_code == 403


# --- Deleting asks first, and can be undone while the window lasts (issue 26) -----------------


def test_deleting_asks_first_and_nothing_is_deleted_until_confirmed(client, published):
    response = client.post(delete_url(published))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Delete your comment?" in html
    assert 'name="confirmed" value="1"' in html  # the button that deletes
    assert "Thanks, the part about recovery helped me." in html  # which comment
    published.refresh_from_db()
    assert published.status == "approved"
    assert not published.history.filter(to_status="removed").exists()


def test_the_edit_page_asks_with_a_dialog_too(client, published):
    html = client.get(edit_url(published)).content.decode()
    question = 'data-confirm="Delete your comment?" data-confirm-until="You can undo this until"'
    assert question in html
    assert "js/comments.js" in html


def test_a_deletion_is_undone_by_its_writer_within_the_window(client, published, article):
    response = client.post(delete_url(published), CONFIRMED)
    assert response["Location"].endswith(f"?mine=1#own-comment-{published.pk}")
    # The article offers the undo, to this browser only: in their own page, where the deletion
    # lands, and from the private request the script makes on the shared page.
    html = client.get(response["Location"].split("#")[0]).content.decode()
    assert f'action="{restore_url(published)}"' in html
    mine = client.get(reverse("comments:mine", args=[article.pk])).json()
    assert f'action="{restore_url(published)}"' in mine["own"]
    assert "You deleted your comment" in html
    assert (
        f'action="{restore_url(published)}"'
        not in Client().get(article.get_absolute_url()).content.decode()
    )

    response = client.post(restore_url(published))
    assert response.status_code == 302
    assert response["Location"].endswith(f"?mine=1#comment-{published.pk}")
    published.refresh_from_db()
    assert published.status == "approved"
    last = published.history.filter(kind="status").last()
    assert (last.actor_label, last.from_status, last.to_status, last.note) == (
        "its writer", "removed", "approved", "Deletion undone by its writer."
    )  # fmt: skip
    html = client.get(response["Location"].split("#")[0]).content.decode()
    assert "Thanks, the part about recovery helped me." in html
    assert "Edit or delete" in html  # still the writer's to change, for the rest of the window
    # Undone once: nothing left to undo.
    assert client.post(restore_url(published)).status_code == 403


def test_a_held_comment_deleted_and_brought_back_is_still_held(client, article, comment_form_data):
    client.post(reverse("comments:post", args=[article.pk]), comment_form_data(article))
    held = Comment.objects.get()
    assert held.status == "pending"
    client.post(delete_url(held), CONFIRMED)
    held.refresh_from_db()
    assert held.status == "removed"
    response = client.post(restore_url(held))
    held.refresh_from_db()
    assert held.status == "pending"  # for a moderator still, never published by an undo
    html = client.get(response["Location"].split("#")[0]).content.decode()
    assert "Your comment is awaiting moderation." in html


def test_no_undo_after_the_window_nor_from_another_browser(client, published):
    client.post(delete_url(published), CONFIRMED)
    assert Client().post(restore_url(published)).status_code == 403
    Comment.objects.filter(pk=published.pk).update(
        created_at=timezone.now() - timezone.timedelta(minutes=11)
    )
    response = client.post(restore_url(published), follow=True)
    assert response.status_code == 403
    assert "can no longer be undone" in response.content.decode()
    published.refresh_from_db()
    assert published.status == "removed"  # kept, with its history: a moderator may restore it


def test_the_writer_cannot_undo_a_moderators_removal(client, published, moderator):
    from comments.services.status import remove

    remove(published, by=moderator, note="Off-topic.")
    assert client.post(restore_url(published)).status_code == 403
    published.refresh_from_db()
    assert published.status == "removed"


def test_a_moderators_decision_after_the_writers_deletion_wins(client, published, moderator):
    from comments.services.status import remove, restore

    client.post(delete_url(published), CONFIRMED)
    published.refresh_from_db()
    restore(published, by=moderator)  # back to the queue
    remove(published, by=moderator, note="Removed after all.")
    assert client.post(restore_url(published)).status_code == 403


def test_a_held_comment_stays_held_after_a_clean_edit(client, article, comment_form_data):
    client.post(reverse("comments:post", args=[article.pk]), comment_form_data(article))
    held = Comment.objects.get()
    assert held.status == "pending"
    client.post(edit_url(held), {"comment": "Corrected typo."})
    held.refresh_from_db()
    assert (held.status, held.body) == ("pending", "Corrected typo.")


def test_an_erasure_with_the_text_erases_the_text_before_an_edit(client, published):
    from comments.services.privacy import erase_commenter_data

    client.post(edit_url(published), {"comment": "Second version."})
    old_note = published.history.get(kind="edit").note
    assert "Thanks, the part about recovery helped me." in old_note
    erase_commenter_data(published.author_email, remove_text=True)
    note = published.history.get(kind="edit").note
    assert "recovery" not in note and "erased" in note


def test_the_privacy_page_describes_the_edit_cookie(client):
    html = client.get(reverse("privacy")).content.decode()
    assert f"<code>{EDITABLE_COOKIE}</code>, for 10 minutes)" in html


def test_moderators_hear_of_a_comment_an_edit_sent_back(
    client, published, notifications_on, moderator, mailoutbox, django_capture_on_commit_callbacks
):
    ScreeningWord.objects.create(kind="moderation", term="casino")
    cache.delete(rules.WORDS_CACHE_KEY)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(edit_url(published), {"comment": "Visit my casino."})
    assert [m.to for m in mailoutbox] == [[moderator.email]]
    assert "Moderation word “casino” in the text" in mailoutbox[0].body
