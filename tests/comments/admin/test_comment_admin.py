"""The moderation queue in the admin: columns, filters, actions, the change page, speed."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from comments.models import Comment, CommentEvent
from tests.factories import CommentFactory, UserFactory

pytestmark = pytest.mark.django_db

QUEUE = reverse("admin:comments_comment_changelist")


def change_url(comment):
    return reverse("admin:comments_comment_change", args=[comment.pk])


def act(client, action, comments, view="all"):
    """Post the action form as the queue page does, from the page showing `view`."""
    return client.post(
        f"{QUEUE}?status={view}",
        {"action": action, "_selected_action": [c.pk for c in comments]},
        follow=True,
    )


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


@pytest.fixture
def held(article):
    return CommentFactory(
        article=article,
        author_name="Gwenivere",
        author_email="gwen@example.com",
        ip_address="203.0.113.7",
        body="Twitching after leg day is normal for me, is it for you?",
        screening=[
            {"step": "honeypot", "verdict": "pass", "reason": "empty", "ms": 0},
            {"step": "first_time", "verdict": "hold", "reason": "first comment", "ms": 1},
        ],
        akismet_verdict="ham",
    )


def test_queue_shows_held_comments_first_with_their_columns(moderator_client, held, article):
    CommentFactory(article=article, status="approved", body="An approved one, not in the queue")
    page = moderator_client.get(QUEUE)
    html = page.content.decode()
    assert page.status_code == 200
    assert "Twitching after leg day" in html
    assert "An approved one" not in html  # pending is the default view
    for shown in ["Gwenivere", "gwen@example.com", "203.0.113.7", article.title, "Ham"]:
        assert shown in html
    # why it was held, in words; the step's code kept for filters
    assert 'data-step="first_time">First comment from this address<' in html
    assert "honeypot" not in html  # steps that passed are not reasons


def test_status_filter_counts_and_all(moderator_client, held, article):
    CommentFactory.create_batch(2, article=article, status="approved", body="Out in public")
    html = moderator_client.get(QUEUE).content.decode()
    assert "Pending (1)" in html and "Approved (2)" in html and "Spam (0)" in html
    everything = moderator_client.get(QUEUE, {"status": "all"}).content.decode()
    assert "Out in public" in everything and "Twitching" in everything


def test_search_by_ip_and_email(moderator_client, held, article):
    other = CommentFactory(article=article, ip_address="198.51.100.1", body="Someone else")
    html = moderator_client.get(QUEUE, {"q": "203.0.113.7"}).content.decode()
    assert "Twitching" in html and other.body not in html
    assert "Twitching" in moderator_client.get(QUEUE, {"q": "gwen@example"}).content.decode()


def test_bulk_approve_says_what_it_did_and_records_who(moderator_client, moderator, article):
    comments = CommentFactory.create_batch(3, article=article)
    response = act(moderator_client, "approve", comments)
    assert messages_of(response) == ["3 comments approved."]
    assert set(Comment.objects.values_list("status", flat=True)) == {"approved"}
    events = CommentEvent.objects.filter(kind="status", to_status="approved")
    assert events.count() == 3 and {e.actor for e in events} == {moderator}
    article.refresh_from_db()
    assert article.comment_count == 3


def test_singular_message_and_already_there(moderator_client, held, article):
    done = CommentFactory(article=article, status="approved")
    response = act(moderator_client, "approve", [held, done])
    assert messages_of(response) == ["1 comment approved. 1 was already there."]


@pytest.mark.parametrize(
    ("action", "start", "end"),
    [
        ("unapprove", "approved", "pending"),
        ("remove", "approved", "removed"),
        ("restore", "removed", "pending"),
        ("mark_spam", "pending", "spam"),
        ("mark_ham", "spam", "approved"),
    ],
)
def test_each_action_moves_the_status_and_writes_history(
    moderator_client, article, action, start, end
):
    comment = CommentFactory(article=article, status=start)
    response = act(moderator_client, action, [comment])
    comment.refresh_from_db()
    assert comment.status == end
    assert len(messages_of(response)) == 1 and messages_of(response)[0].startswith("1 comment ")
    event = comment.history.get(kind="status")
    assert (event.from_status, event.to_status, event.actor.username) == (start, end, "moderator")


def test_mark_spam_schedules_a_report_to_akismet(moderator_client, held):
    act(moderator_client, "mark_spam", [held])
    assert held.akismet_reports.get().kind == "spam"
    assert held.history.filter(kind="akismet_report").exists()


def test_removed_reply_keeps_its_place(moderator_client, held):
    reply = CommentFactory(parent=held, status="approved")
    act(moderator_client, "remove", [held])
    reply.refresh_from_db()
    assert reply.parent_id == held.pk and reply.status == "approved"


def test_users_without_the_permission_see_no_moderation_actions(client, held):
    viewer = UserFactory(username="viewer", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_comment"))
    client.force_login(viewer)
    page = client.get(QUEUE)
    assert page.status_code == 200
    assert "action" not in page.context["cl"].model_admin.get_actions(page.wsgi_request)
    assert act(client, "approve", [held]).status_code == 200
    held.refresh_from_db()
    assert held.status == "pending"


def test_only_superusers_can_delete(moderator_client, admin_client, held):
    actions = moderator_client.get(QUEUE).context["cl"].model_admin.get_actions
    page = moderator_client.get(QUEUE)
    assert "delete_selected" not in actions(page.wsgi_request)
    assert "approve" in actions(page.wsgi_request)
    delete = reverse("admin:comments_comment_delete", args=[held.pk])
    assert moderator_client.post(delete, {"post": "yes"}).status_code == 403
    admin_client.post(delete, {"post": "yes"})
    assert not Comment.objects.filter(pk=held.pk).exists()


def test_change_page_explains_the_comment(moderator_client, held):
    reply = CommentFactory(
        parent=held,
        body="Me too, mostly calves.",
        akismet_verdict="spam",
        akismet_request={"comment_author": "Pat", "user_ip": "198.51.100.2"},
        akismet_response={"verdict": "spam", "pro_tip": "discard", "guid": "abc-123", "ms": 41},
    )
    html = moderator_client.get(change_url(reply)).content.decode()
    assert "Me too, mostly calves." in html
    assert "Twitching after leg day" in html  # the parent, for context
    assert "comment_author" in html and "198.51.100.2" in html  # what was sent
    assert "discard" in html and "abc-123" in html  # what came back
    assert 'name="_moderate" value="approve"' in html
    assert 'name="_save"' not in html  # nothing is edited here


def test_change_page_buttons_moderate_and_history_shows(moderator_client, held):
    response = moderator_client.post(change_url(held), {"_moderate": "approve"}, follow=True)
    held.refresh_from_db()
    assert held.status == "approved"
    assert messages_of(response) == ["1 comment approved."]
    html = response.content.decode()
    assert "moderator" in html and "Status change" in html  # the history table
    assert "View on site" in html  # only meaningful once approved


def test_spam_shows_when_it_will_be_purged(moderator_client, held):
    act(moderator_client, "mark_spam", [held])
    held.refresh_from_db()
    html = moderator_client.get(change_url(held)).content.decode()
    assert "will be purged on" in html
    assert "purged on" in moderator_client.get(QUEUE, {"status": "spam"}).content.decode()


def test_history_cannot_be_edited_or_deleted(admin_client, held):
    event = CommentEvent.objects.create(comment=held, note="kept")
    assert admin_client.get(reverse("admin:comments_commentevent_changelist")).status_code == 200
    url = reverse("admin:comments_commentevent_delete", args=[event.pk])
    assert admin_client.post(url, {"post": "yes"}).status_code == 403
    assert CommentEvent.objects.filter(pk=event.pk).exists()


def test_pending_count_on_admin_index_and_site_header(moderator_client, held, article):
    index = moderator_client.get(reverse("admin:index")).content.decode()
    assert "1 comment awaiting moderation" in index
    page = moderator_client.get(article.get_absolute_url()).content.decode()
    assert f"{QUEUE}?status=pending" in page


def test_pending_count_is_not_shown_to_readers(client, held, article):
    assert "awaiting moderation" not in client.get(article.get_absolute_url()).content.decode()


def test_queue_costs_the_same_queries_for_5_and_50_comments(
    admin_client, article, django_assert_max_num_queries
):
    def count_queries():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert admin_client.get(QUEUE, {"status": "all"}).status_code == 200
        return len(captured)

    parent = CommentFactory(article=article, status="approved")
    CommentFactory.create_batch(4, parent=parent)
    count_queries()  # the site's settings (its name in the header) are read once, then cached
    five = count_queries()
    CommentFactory.create_batch(45, parent=parent)
    assert count_queries() == five


def test_article_admin_shows_counts_without_a_query_per_row(admin_client, article):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    CommentFactory.create_batch(2, article=article, status="approved")
    CommentFactory.create_batch(3, article=article)
    url = reverse("admin:fitness_article_changelist")
    admin_client.get(url)  # the site's settings are read once, then cached
    with CaptureQueriesContext(connection) as one_article:
        page = admin_client.get(url)
    row = page.context["cl"].result_list[0]
    assert (row.approved_count, row.pending_count) == (2, 3)
    assert f"status=pending&amp;article__id__exact={article.pk}" in page.content.decode()
    from tests.factories import ArticleFactory

    ArticleFactory.create_batch(5)
    with CaptureQueriesContext(connection) as six_articles:
        admin_client.get(url)
    assert len(six_articles) == len(one_article)


def test_history_page_lists_the_comment_history(moderator_client, held):
    act(moderator_client, "approve", [held])
    url = reverse("admin:comments_comment_history", args=[held.pk])
    html = moderator_client.get(url).content.decode()
    assert 'id="comment-history"' in html and "approved" in html and "moderator" in html


def test_recheck_with_akismet_off_says_so(moderator_client, held):
    response = act(moderator_client, "recheck", [held])
    assert messages_of(response) == ["Akismet is off (no AKISMET_API_KEY): nothing was rechecked."]
    assert "Akismet is off" in response.content.decode()  # and the queue's banner says it too


def test_recheck_with_akismet_moves_spam(moderator_client, article, akismet_emulator):
    spam = CommentFactory(article=article, author_name="akismet-guaranteed-spam")
    response = act(moderator_client, "recheck", [spam])
    assert messages_of(response) == ["1 comment rechecked with Akismet (spam: 1)."]
    spam.refresh_from_db()
    assert spam.status == "spam"


def test_a_superusers_hard_delete_updates_the_count_and_the_cached_thread(admin_client, article):
    from comments.services.counts import refresh_article_counts

    _kept, deleted = CommentFactory.create_batch(2, article=article, status="approved")
    refresh_article_counts([article.pk])
    page = admin_client.get(article.get_absolute_url()).content.decode()
    assert "2 Comments" in page and deleted.body_html in page

    response = admin_client.post(
        f"{QUEUE}?status=all",
        {"action": "delete_selected", "_selected_action": [deleted.pk], "post": "yes"},
        follow=True,
    )

    assert response.status_code == 200
    assert not Comment.objects.filter(pk=deleted.pk).exists()
    article.refresh_from_db()
    assert article.comment_count == 1
    assert "1 Comment" in admin_client.get(article.get_absolute_url()).content.decode()
