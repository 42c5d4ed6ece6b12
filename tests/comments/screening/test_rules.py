"""Each screening rule on its own: its verdict and the reason a moderator will read."""

import pytest
from django.utils import timezone

from comments import conf
from comments.models import Comment, ScreeningWord
from comments.readers.people import is_trusted
from comments.screening import rules
from comments.screening.pipeline import ScreeningContext
from tests.factories import CommentFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def new_comment(article):
    return Comment(
        article=article,
        author_name="Ada Reader",
        author_email="ada@example.com",
        author_url="https://ada.example",
        body="Warming up first made my knees stop aching.",
        ip_address="203.0.113.7",
    )


@pytest.fixture
def context():
    return ScreeningContext(ip="203.0.113.7", user_agent="Firefox", form_age=30)


def test_the_steps_run_in_the_documented_order():
    assert [step.__name__ for step in rules.STEPS] == [
        "honeypot", "banned", "timing", "flood", "duplicate", "disallowed_words",
        "moderation_words", "links", "first_time", "held_commenter", "akismet_check",
    ]  # fmt: skip


def test_honeypot_filled_is_spam(new_comment, context):
    context.honeypot = "http://cheap.example"
    assert rules.honeypot(new_comment, context) == (
        "honeypot", "spam", "the hidden field was filled in"
    )  # fmt: skip


def test_honeypot_empty_passes(new_comment, context):
    assert rules.honeypot(new_comment, context).verdict == "pass"


def test_timing_faster_than_a_human_is_held_for_a_moderator(new_comment, context, settings):
    settings.COMMENTS_MIN_SUBMIT_SECONDS = 3
    context.form_age = 1.2
    verdict = rules.timing(new_comment, context)
    assert verdict.verdict == "hold"
    assert verdict.reason == "sent 1.2 s after the form was shown"


def test_timing_too_old_asks_to_send_again(new_comment, context, settings):
    settings.COMMENTS_FORM_MAX_AGE = 7200
    context.form_age = 7201
    verdict = rules.timing(new_comment, context)
    assert verdict.verdict == "refuse"
    assert verdict.reason == "This form has expired; please send your comment again."


def test_timing_in_between_passes(new_comment, context):
    assert rules.timing(new_comment, context).verdict == "pass"


def test_flood_refuses_the_same_ip_within_the_window(new_comment, context, settings):
    settings.COMMENTS_FLOOD_SECONDS = 15
    assert rules.flood(new_comment, context).verdict == "pass"
    again = ScreeningContext(ip=context.ip)
    other_email = Comment(article=new_comment.article, author_email="someone@example.com")
    verdict = rules.flood(other_email, again)
    assert verdict.verdict == "refuse"
    assert verdict.reason == (
        "You are posting comments too quickly. Please wait 15 seconds and try again."
    )


def test_flood_refuses_the_same_email_from_another_ip(new_comment, context):
    rules.flood(new_comment, context)
    another = Comment(article=new_comment.article, author_email=new_comment.author_email,
                      body="And one more thing.")  # fmt: skip
    verdict = rules.flood(another, ScreeningContext(ip="198.51.100.1"))
    assert verdict.verdict == "refuse"


def test_flood_refuses_the_same_post_sent_twice_at_once(new_comment, context):
    """A double click: the second request comes while the first is screened (Akismet); were
    it let through, neither would see the other stored and both would be saved."""
    rules.flood(new_comment, context)
    assert rules.flood(new_comment, context).verdict == "refuse"


def test_flood_lets_someone_else_post(new_comment, context):
    rules.flood(new_comment, context)
    other = Comment(article=new_comment.article, author_email="bea@example.com")
    assert rules.flood(other, ScreeningContext(ip="198.51.100.1")).verdict == "pass"


def test_duplicate_same_text_same_email_same_article_is_refused(new_comment, context):
    CommentFactory(
        article=new_comment.article, author_email="ADA@example.com", body=new_comment.body
    )
    verdict = rules.duplicate(new_comment, context)
    assert verdict.verdict == "refuse"
    assert verdict.reason == (
        "Duplicate comment detected; it looks as though you've already said that!"
    )


def test_duplicate_older_than_the_window_passes(new_comment, context, settings):
    settings.COMMENTS_DUPLICATE_WINDOW_HOURS = 24
    CommentFactory(
        article=new_comment.article,
        author_email=new_comment.author_email,
        body=new_comment.body,
        created_at=timezone.now() - timezone.timedelta(hours=25),
    )
    assert rules.duplicate(new_comment, context).verdict == "pass"


def test_duplicate_on_another_article_passes(new_comment, context):
    CommentFactory(author_email=new_comment.author_email, body=new_comment.body)
    assert rules.duplicate(new_comment, context).verdict == "pass"


@pytest.mark.parametrize(
    ("term", "where"),
    [
        ("casino", "text"),
        ("Ada Read", "name"),
        ("@example.com", "email"),
        ("ada.example", "website"),
        ("203.0.113.", "IP"),
    ],
)
def test_disallowed_word_anywhere_is_spam(new_comment, context, term, where):
    new_comment.body += " Best CASINO bonus."
    ScreeningWord.objects.create(kind="disallowed", term=term)
    verdict = rules.disallowed_words(new_comment, ScreeningContext(ip=context.ip))
    assert verdict.verdict == "spam"
    assert verdict.reason == f'disallowed word "{term.lower()}" in {where}'


def test_moderation_word_holds(new_comment, context):
    ScreeningWord.objects.create(kind="moderation", term="supplement")
    new_comment.body = "Which Supplement do you take?"
    verdict = rules.moderation_words(new_comment, context)
    assert verdict == ("moderation_words", "hold", 'moderation word "supplement" in text')


def test_a_moderation_word_does_not_make_spam(new_comment, context):
    ScreeningWord.objects.create(kind="moderation", term="knees")
    assert rules.disallowed_words(new_comment, context).verdict == "pass"


def test_too_many_links_hold(new_comment, context, settings):
    settings.COMMENTS_MAX_LINKS = 2
    new_comment.body = "See https://a.example, http://b.example and www.c.example"
    verdict = rules.links(new_comment, context)
    assert verdict == ("links", "hold", "3 links (more than 2)")


def test_links_up_to_the_limit_pass(new_comment, context):
    new_comment.body = "See https://a.example and https://b.example"
    assert rules.links(new_comment, context) == ("links", "pass", "2 links")


def test_first_time_commenter_is_held(new_comment, context):
    verdict = rules.first_time(new_comment, context)
    assert verdict == ("first_time", "hold", "no approved comment yet from this email")


def test_returning_commenter_passes(new_comment, context):
    CommentFactory(author_email="Ada@Example.com", status="approved")
    assert rules.first_time(new_comment, context).verdict == "pass"


def test_a_pending_or_spam_comment_does_not_make_a_returning_commenter(new_comment, context):
    CommentFactory(author_email=new_comment.author_email, status="pending")
    CommentFactory(author_email=new_comment.author_email, status="spam")
    assert rules.first_time(new_comment, context).verdict == "hold"


def test_a_reader_with_an_approved_comment_under_their_account_is_returning(new_comment, context):
    reader = UserFactory(username="regular")
    CommentFactory(user=reader, author_email="old-address@example.com", status="approved")
    context.user = reader
    assert rules.first_time(new_comment, context).verdict == "pass"


def test_a_held_comment_rechecked_is_not_its_own_approved_predecessor(article, context):
    stored = CommentFactory(article=article, author_email="solo@example.com", status="approved")
    assert rules.first_time(stored, context).verdict == "hold"


def test_the_rules_database_questions_are_one_query(
    new_comment, context, django_assert_num_queries
):
    """Ban, duplicate, first-time and the commenter's trust: asked together, once (the site's
    settings and the reader's permissions are read before, as on a post)."""
    CommentFactory(author_email=new_comment.author_email, status="approved")
    context.user = UserFactory(username="regular")
    assert not is_trusted(context.user) and conf.settings.COMMENTS_HOLD_FIRST_TIME
    asked = [rules.banned, rules.duplicate, rules.first_time, rules.held_commenter]
    with django_assert_num_queries(1):
        verdicts = [rule(new_comment, context).verdict for rule in asked]
    assert verdicts == ["pass", "pass", "pass", "pass"]


def test_first_time_hold_can_be_switched_off(new_comment, context, settings):
    settings.COMMENTS_HOLD_FIRST_TIME = False
    assert rules.first_time(new_comment, context).verdict == "skip"


@pytest.mark.parametrize("step", [rules.moderation_words, rules.links, rules.first_time])
def test_staff_skip_the_local_holds(new_comment, staff_user, step):
    ScreeningWord.objects.create(kind="moderation", term="knees")
    new_comment.body += " https://a https://b https://c"
    verdict = step(new_comment, ScreeningContext(ip="203.0.113.7", user=staff_user))
    assert verdict.verdict == "skip"
    assert verdict.reason == "a moderator"


def test_users_with_the_moderate_permission_skip_the_holds(new_comment):
    from django.contrib.auth.models import Permission

    user = UserFactory(username="helper")
    user.user_permissions.add(Permission.objects.get(codename="moderate_comment"))
    context = ScreeningContext(user=user)
    assert rules.first_time(new_comment, context).verdict == "skip"


def test_staff_still_hit_the_honeypot(new_comment, staff_user):
    context = ScreeningContext(user=staff_user, honeypot="x")
    assert rules.honeypot(new_comment, context).verdict == "spam"


def test_akismet_off_without_a_key(new_comment, context):
    assert rules.akismet_check(new_comment, context) == (
        "akismet", "off", "Akismet is off (no key)"
    )  # fmt: skip
    assert new_comment.akismet_verdict == "off"


def test_a_word_added_after_the_lists_were_cached_holds_the_next_comment(
    new_comment, django_capture_on_commit_callbacks
):
    """The word lists are cached for screening; an edit drops them when it commits."""
    assert rules.moderation_words(new_comment, ScreeningContext()).verdict == rules.PASS

    with django_capture_on_commit_callbacks(execute=True):
        ScreeningWord.objects.create(kind="moderation", term="knees")

    assert rules.moderation_words(new_comment, ScreeningContext()).verdict == rules.HOLD
