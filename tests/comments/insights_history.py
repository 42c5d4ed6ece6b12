"""A known moderation history for the Insights tests (tests/comments/admin/test_insights.py,
tests/browser/test_insights.py): five comments posted on Monday 2 November 2026, what two
moderators did with them, and the rollup counted."""

import datetime

from django.utils import timezone

from comments.models import Comment, CommentEvent
from comments.services import insights, moderation
from comments.services.status import approve, mark_spam, remove
from tests.factories import ArticleFactory, CommentFactory, UserFactory

MONDAY = datetime.date(2026, 11, 2)


def step(name, verdict):
    return {"step": name, "verdict": verdict, "reason": name, "ms": 1}


def at(day, hour):
    tz = timezone.get_current_timezone()
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=tz)


def post(article, when, status, *steps):
    comment = CommentFactory(article=article, status=status, screening=list(steps))
    Comment.objects.filter(pk=comment.pk).update(created_at=when)
    CommentEvent.objects.filter(comment=comment).update(created_at=when)
    comment.refresh_from_db()
    return comment


def decide(when, operation, comment, by, **kwargs):
    before = set(CommentEvent.objects.filter(comment=comment).values_list("pk", flat=True))
    result = operation(comment, by=by, **kwargs)
    CommentEvent.objects.filter(comment=comment).exclude(pk__in=before).update(created_at=when)
    return result


def build_history(moderators_group):
    """Five comments posted on Monday 2 November 2026 and what two moderators did with them."""
    alice = UserFactory(username="alice", is_staff=True)
    bob = UserFactory(username="bob", is_staff=True)
    for user in (alice, bob):
        user.groups.add(moderators_group)
    squats = ArticleFactory(title="Squats")
    rest = ArticleFactory(title="Rest days")
    ham, ok_links, ok_first = (
        step("akismet", "ham"),
        step("links", "pass"),
        step("first_time", "pass"),
    )
    # 1: held by first_time, approved by alice an hour later (a false positive of first_time).
    c1 = post(squats, at(MONDAY, 10), "pending", ok_links, step("first_time", "hold"), ham)
    decide(at(MONDAY, 11), approve, c1, alice)
    # 2: held by links, marked spam by alice a day later.
    c2 = post(squats, at(MONDAY, 10), "pending", step("links", "hold"), ok_first, ham)
    decide(at(MONDAY + datetime.timedelta(days=1), 10), mark_spam, c2, alice)
    # 3: published by every rule, removed by bob an hour later (missed by all three).
    c3 = post(squats, at(MONDAY, 12), "approved", ok_links, ok_first, ham)
    decide(at(MONDAY, 13), remove, c3, bob)
    # 4: Akismet said spam; bob approved it two hours later, then took it back with Undo.
    c4 = post(squats, at(MONDAY, 12), "spam", ok_links, ok_first, step("akismet", "spam"))
    steps = decide(
        at(MONDAY, 14), lambda c, by: moderation.apply("approve", [c], by=by).steps, c4, bob
    )
    decide(at(MONDAY, 15), lambda c, by: moderation.undo(steps, by=by), c4, bob)
    # 5: held by first_time, still waiting.
    c5 = post(rest, at(MONDAY, 16), "pending", ok_links, step("first_time", "hold"), ham)
    insights.rebuild(MONDAY - datetime.timedelta(days=1), MONDAY + datetime.timedelta(days=7))
    return {"alice": alice, "bob": bob, "comments": [c1, c2, c3, c4, c5], "squats": squats}
