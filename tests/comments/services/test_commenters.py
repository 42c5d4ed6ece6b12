"""The person behind comments: recognised at posting, banned and let back in, trusted by what
they have written or by a moderator, and erased without getting round a ban."""

from datetime import timedelta

import pytest
from django.contrib.admin.models import ADDITION, LogEntry
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from comments.models import Ban, Comment, Commenter, CommenterNetwork, CommenterNote
from comments.readers import commenters as recognise
from comments.screening.rules import BANNED
from comments.services import bans, commenters, moderation
from comments.services.data_export import export_commenter_data
from comments.services.privacy import erase_commenter_data
from tests.comments.screening_helpers import new_comment, post
from tests.factories import CommentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_flood_window(settings):
    """Several posts from one address in a test: flood control is another test's subject."""
    settings.COMMENTS_FLOOD_SECONDS = 0


def days_ago(days):
    return timezone.now() - timedelta(days=days)


# --- Recognised at posting ---------------------------------------------------------------------


def test_one_commenter_per_normalised_email_whatever_the_case(article):
    first = CommentFactory(article=article, author_email="Amy@Example.com ", author_name="Amy")
    second = CommentFactory(article=article, author_email="amy@example.com", author_name="Amy B")
    assert first.commenter_id == second.commenter_id
    commenter = Commenter.objects.get()
    assert (commenter.email, commenter.name) == ("amy@example.com", "Amy B")  # the last name


def test_without_an_email_a_commenter_is_their_network_ipv6_by_its_64(article):
    one = CommentFactory(article=article, author_email="", ip_address="2001:db8:1::1")
    two = CommentFactory(article=article, author_email="", ip_address="2001:db8:1::ffff")
    other = CommentFactory(article=article, author_email="", ip_address="2001:db8:2::1")
    assert one.commenter_id == two.commenter_id != other.commenter_id
    assert one.commenter.key == "network:2001:db8:1::/64"


def test_the_networks_a_commenter_wrote_from_are_kept_with_first_and_last_seen(article):
    CommentFactory(article=article, author_email="amy@example.com", ip_address="198.51.100.1")
    c = CommentFactory(article=article, author_email="amy@example.com", ip_address="198.51.100.2")
    assert sorted(c.commenter.networks.values_list("network", flat=True)) == [
        "198.51.100.1",
        "198.51.100.2",
    ]


def test_a_network_seen_again_moves_its_last_seen_on_never_back(article):
    def network_dates():
        row = CommenterNetwork.objects.get(network="198.51.100.7")
        return row.first_seen, row.last_seen

    five, three, one = days_ago(5), days_ago(3), days_ago(1)
    amy = {"author_email": "amy@example.com", "ip_address": "198.51.100.7"}
    CommentFactory(article=article, created_at=five, **amy)
    CommentFactory(article=article, created_at=one, **amy)
    assert network_dates() == (five, one)
    CommentFactory(article=article, created_at=three, **amy)  # an import of an older one
    assert network_dates() == (five, one)
    assert Commenter.objects.get().last_seen == one


def test_the_same_mailbox_spelt_otherwise_is_one_family():
    family = recognise.email_family
    assert family("A.my+news@Gmail.com") == family("amy@googlemail.com") == "amy@gmail.com"
    assert family("a.my+x@example.com") == "a.my@example.com"  # dots count elsewhere


def test_link_commenters_links_comments_saved_without_one(article, capsys):
    comment = CommentFactory(article=article, author_email="old@example.com")
    Comment.objects.filter(pk=comment.pk).update(commenter=None)
    Commenter.objects.all().delete()
    call_command("link_commenters")
    assert "Linked 1 comment" in capsys.readouterr().out
    comment.refresh_from_db()
    assert comment.commenter.email == "old@example.com"


def test_posting_adds_a_fixed_number_of_queries_however_many_comments_they_have(
    article, django_assert_max_num_queries
):
    for _ in range(50):
        CommentFactory(article=article, author_email="amy@example.com", status="approved")
    # The upsert of the commenter and of its network: one statement (PostgreSQL), two (SQLite);
    # never one per earlier comment.
    with django_assert_max_num_queries(1 if connection.vendor == "postgresql" else 2):
        commenters.attach(
            new_comment(article, author_email="amy@example.com", ip_address="192.0.2.10")
        )


# --- The ban rule -------------------------------------------------------------------------------


@pytest.fixture
def troll(article):
    return CommentFactory(
        article=article, author_email="troll@example.com", ip_address="2001:db8:9::1"
    ).commenter


def test_a_banned_email_is_refused_with_a_plain_message_and_nothing_saved(article, troll):
    bans.ban_commenter(troll, scopes=["email"], duration="day", reason="insults")
    comment = new_comment(article, author_email="TROLL@example.com")
    decision = post(comment)
    assert decision.refusal == BANNED
    assert comment.pk is None


def test_a_banned_network_refuses_every_address_in_it(article, troll):
    bans.ban_commenter(troll, scopes=["network"], duration="ever")
    decision = post(
        new_comment(article, author_email="new@example.com", ip_address="2001:db8:9::2")
    )
    assert decision.refusal == BANNED
    assert not post(new_comment(article, ip_address="2001:db8:10::1")).refusal


def test_a_ban_held_quietly_when_the_setting_says_so(article, troll, settings):
    settings.COMMENTS_BANNED_ACTION = "hold"
    bans.ban_commenter(troll, scopes=["email"], duration="week", reason="insults")
    comment = new_comment(article, author_email="troll@example.com")
    decision = post(comment)
    assert not decision.refusal and comment.status == "pending"
    banned = next(step for step in comment.screening if step["step"] == "banned")
    assert banned["verdict"] == "hold" and "insults" in banned["reason"]


def test_a_ban_ends_at_its_end_and_when_lifted(article, troll):
    result = bans.ban_commenter(troll, scopes=["email"], duration="hour")
    later = timezone.now() + timedelta(hours=1, seconds=1)
    assert recognise.active_ban("troll@example.com", None) is not None
    assert recognise.active_ban("troll@example.com", None, now=later) is None
    forever = bans.ban_commenter(troll, scopes=["email"], duration="ever").bans[0]
    assert forever.ends_at is None and forever.is_active(now=later + timedelta(days=3650))
    assert bans.lift_ban(forever) and not bans.lift_ban(forever)  # one click; once
    assert recognise.active_ban("troll@example.com", None) == result.bans[0]


def test_ban_with_remove_pending_is_undone_as_one_action(article, troll, staff_user):
    held = [
        CommentFactory(
            article=article, author_email="troll@example.com", ip_address="2001:db8:9::3"
        )
        for _ in range(3)
    ]
    approved = CommentFactory(article=article, author_email="troll@example.com", status="approved")
    result = bans.ban_commenter(troll, by=staff_user, scopes=["email"], remove_pending=True)
    assert result.removed == 4  # the fixture's first comment too
    assert result.message.endswith("4 pending comments removed.")
    assert Comment.objects.get(pk=approved.pk).status == "approved"
    assert all(Comment.objects.get(pk=c.pk).status == "removed" for c in held)

    moderation.undo(result.steps, by=staff_user)
    assert all(Comment.objects.get(pk=c.pk).status == "pending" for c in held)
    ban = Ban.objects.get()
    assert ban.lifted_by == staff_user and not ban.is_active()


def test_a_network_ban_removes_the_pending_comments_of_every_address_seen_there(article, troll):
    other = CommentFactory(
        article=article, author_email="sock@example.com", ip_address="2001:db8:9::7"
    )
    elsewhere = CommentFactory(
        article=article, author_email="sock@example.com", ip_address="192.0.2.1"
    )
    result = bans.ban_commenter(troll, scopes=["network"], remove_pending=True)
    assert Comment.objects.get(pk=other.pk).status == "removed"
    assert Comment.objects.get(pk=elsewhere.pk).status == "pending"  # another network
    assert result.bans[0].label == "2001:db8:9::/64"


# --- Trust ------------------------------------------------------------------------------------


def approved_history(article, email, *, count, first_days_ago):
    for i in range(count):
        CommentFactory(
            article=article, author_email=email, status="approved",
            created_at=days_ago(first_days_ago - i),
        )  # fmt: skip


def test_trust_is_earned_after_n_approved_over_d_days_without_spam(article, settings):
    settings.COMMENTS_TRUST_APPROVED, settings.COMMENTS_TRUST_DAYS = 3, 7
    approved_history(article, "amy@example.com", count=3, first_days_ago=10)
    comment = new_comment(
        article, author_email="amy@example.com", body="a http://a b http://b c http://c"
    )
    post(comment)
    links = next(step for step in comment.screening if step["step"] == "links")
    assert links["verdict"] == "skip" and "trusted" in links["reason"]
    assert comment.status == "approved"
    assert recognise.standing(comment.commenter).level == recognise.EARNED


def test_trust_is_not_earned_too_soon_or_with_a_spam(article, settings):
    settings.COMMENTS_TRUST_APPROVED, settings.COMMENTS_TRUST_DAYS = 3, 7
    approved_history(article, "new@example.com", count=5, first_days_ago=3)
    approved_history(article, "spam@example.com", count=5, first_days_ago=30)
    CommentFactory(article=article, author_email="spam@example.com", status="spam")
    for email in ("new@example.com", "spam@example.com"):
        comment = new_comment(article, author_email=email, body="x http://a http://b http://c")
        assert not post(comment).refusal
        assert comment.status == "pending", email
        assert recognise.standing(comment.commenter).level == recognise.NEW


def test_a_moderator_trusts_a_newcomer_or_holds_a_regular(article, staff_user):
    first = CommentFactory(article=article, author_email="new@example.com", status="removed")
    commenters.set_trust(first.commenter, Commenter.Trust.TRUSTED, by=staff_user)
    comment = new_comment(article, author_email="new@example.com")
    post(comment)
    assert comment.status == "approved"  # the first-time hold no longer applies

    approved_history(article, "reg@example.com", count=5, first_days_ago=60)
    regular = Commenter.objects.get(email="reg@example.com")
    commenters.set_trust(regular, Commenter.Trust.HOLD, by=staff_user)
    comment = new_comment(article, author_email="reg@example.com")
    assert not post(comment).refusal
    assert comment.status == "pending"
    held = next(step for step in comment.screening if step["step"] == "held_commenter")
    assert held["verdict"] == "hold"


# --- Privacy ----------------------------------------------------------------------------------


def test_erasure_removes_notes_and_names_and_the_ban_still_bars_them(article, troll, staff_user):
    commenters.add_note(troll, "Writes as Grumpy, insults people.", by=staff_user)
    bans.ban_commenter(troll, by=staff_user, scopes=["email", "network"], reason="Grumpy")

    LogEntry.objects.log_actions(
        staff_user.pk, [troll], ADDITION, change_message="Banned by email."
    )  # what the admin logs when a moderator bans
    erase_commenter_data("troll@example.com")
    assert LogEntry.objects.get().object_repr == "[erased]"

    assert not Commenter.objects.filter(email="troll@example.com").exists()
    assert not CommenterNote.objects.exists() and not CommenterNetwork.objects.exists()
    for ban in Ban.objects.all():
        assert (ban.label, ban.reason, ban.commenter) == ("", "", None)
        assert ban.is_active()
    decision = post(new_comment(article, author_email="troll@example.com", ip_address="192.0.2.99"))
    assert decision.refusal == BANNED  # erasing is no way round a ban


def test_the_export_includes_what_is_kept_about_the_person(article, troll, staff_user):
    commenters.add_note(troll, "Watch this one.", by=staff_user)
    bans.ban_commenter(troll, by=staff_user, scopes=["email"], duration="week", reason="insults")
    data = export_commenter_data("troll@example.com")["commenter"]
    assert data["email"] == "troll@example.com"
    assert [n["network"] for n in data["networks"]] == ["2001:db8:9::/64"]
    assert [n["text"] for n in data["notes"]] == ["Watch this one."]
    assert [(b["scope"], b["reason"]) for b in data["bans"]] == [("email", "insults")]
    assert "value_hash" not in data["bans"][0]


def test_a_ban_is_kept_as_a_salted_hash_not_the_address(troll):
    ban = bans.ban_commenter(troll, scopes=["email"]).bans[0]
    assert "troll" not in ban.value_hash and len(ban.value_hash) == 64
    assert ban.value_hash == recognise.ban_hash("email", "troll@example.com")


def test_a_post_costs_the_same_queries_for_a_commenter_of_3_or_40_comments(article, settings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.COMMENTS_MAX_LINKS = 0  # a link: the trust check reads their counts too

    def post_counting(email):
        comment = new_comment(article, author_email=email, body=f"See http://x.example {email}")
        with CaptureQueriesContext(connection) as captured:
            assert not post(comment).refusal
        return len(captured)

    approved_history(article, "few@example.com", count=3, first_days_ago=30)
    approved_history(article, "many@example.com", count=40, first_days_ago=60)
    post_counting("warm@example.com")  # the word lists read once into the cache
    assert post_counting("few@example.com") == post_counting("many@example.com")


def test_a_commenter_whose_comments_are_all_gone_is_forgotten_with_the_ip_addresses(article):
    old = CommentFactory(article=article, author_email="gone@example.com", status="spam",
                         created_at=days_ago(100))  # fmt: skip
    Commenter.objects.filter(pk=old.commenter_id).update(last_seen=days_ago(100))
    ban = bans.ban_commenter(old.commenter, scopes=["email"], duration="day").bans[0]
    Ban.objects.filter(pk=ban.pk).update(created_at=days_ago(90), ends_at=days_ago(89))
    kept = CommentFactory(
        article=article, author_email="kept@example.com", created_at=days_ago(100)
    )
    Comment.objects.filter(pk=old.pk).delete()  # the spam purge
    commenters.forget_old_networks()
    assert list(Commenter.objects.values_list("email", flat=True)) == ["kept@example.com"]
    ban.refresh_from_db()
    assert (ban.label, ban.commenter) == ("", None)
    assert kept.commenter.email == "kept@example.com"
