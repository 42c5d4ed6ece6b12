"""The Insights page (issue 27): a known history of posts, holds, approvals, spam and an undo,
rolled up, and every figure the page and its CSV files show."""

import csv
import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from comments.models import DailyFigure
from comments.services import insights, insights_figures
from tests.comments.insights_history import MONDAY, at, build_history, post, step
from tests.factories import CommentFactory, UserFactory

pytestmark = pytest.mark.django_db

PAGE = reverse("admin:comments_comment_insights")
QUEUE = reverse("admin:comments_comment_changelist")
PERIOD = {"start": "2026-11-02", "end": "2026-11-08"}


@pytest.fixture
def history(moderators_group):
    return build_history(moderators_group)


@pytest.fixture
def moderator_client(client, history):
    client.force_login(history["alice"])
    return client


def test_each_rule_s_record(history):
    figures = insights_figures.figures(MONDAY, MONDAY + datetime.timedelta(days=6))
    rows = {row.rule: (row.held, row.false_positives, row.missed) for row in figures.rules}
    assert rows == {"first_time": (2, 1, 1), "links": (1, 0, 1), "akismet": (1, 0, 1)}


def test_time_to_decision_and_the_queue(history):
    figures = insights_figures.figures(MONDAY, MONDAY + datetime.timedelta(days=6))
    # First decisions: 1 h (c1), 1 day (c2), 1 h (c3), 2 h (c4); the undo is not one.
    assert figures.latency == [("week of 2026-11-02", 4, "within 1 hour", "within 1 day")]
    assert figures.queue[:3] == [
        (MONDAY, 2),  # c1, c2, c5 held; c1 approved
        (MONDAY + datetime.timedelta(days=1), 1),  # c2 marked spam
        (MONDAY + datetime.timedelta(days=2), 1),
    ]
    # Posted 5; spam: c4 at posting, c4 again by the undo, c2 on Tuesday.
    assert figures.per_day[:2] == [(MONDAY, 5, 2), (MONDAY + datetime.timedelta(days=1), 0, 1)]
    # Published comments only: c1 (Squats); the spam, the removed and the held do not count.
    assert [(a.title, n) for a, n in figures.articles] == [("Squats", 1)]


def test_each_moderator_s_decisions_and_undo_rate(history):
    figures = insights_figures.figures(MONDAY, MONDAY + datetime.timedelta(days=6))
    by_name = {m["name"]: m for m in figures.moderators}
    assert figures.decision_kinds == ["approved", "pending", "spam", "removed"]
    assert by_name["alice"]["lines"] == [
        {
            "period": "week of 2026-11-02",
            "kinds": [1, 0, 1, 0],
            "decisions": 2,
            "undos": 0,
            "undo_rate": 0.0,
        }
    ]
    assert by_name["bob"]["lines"] == [
        {
            "period": "week of 2026-11-02",
            "kinds": [1, 0, 0, 1],
            "decisions": 2,
            "undos": 1,
            "undo_rate": 50.0,
        }
    ]


def test_the_page_shows_every_figure_and_links_the_comments_behind_them(moderator_client, history):
    response = moderator_client.get(PAGE, PERIOD)
    assert response.status_code == 200
    html = response.content.decode()
    rules = {line["row"].rule: line for line in response.context["rules"]}
    assert [line["row"].rule for line in response.context["rules"]] == [
        "first_time",
        "akismet",
        "links",
    ]
    assert '<th scope="row">first_time</th>' in html
    assert "50.0 %" in html  # first_time's false positive rate, and bob's undo rate
    assert "within 1 hour" in html and "within 1 day" in html
    assert "Squats</a>: 1 published comment<" in html and "Rest days</a>" not in html
    assert (
        'role="img"' in html and '<title id="posted-title">Comments posted per day</title>' in html
    )
    c1, _c2, c3, c4, c5 = history["comments"]
    shown = lambda url: set(moderator_client.get(url).context["cl"].result_list)  # noqa: E731
    assert shown(rules["first_time"]["held_url"]) == {c1, c5}
    assert shown(rules["first_time"]["fp_url"]) == {c1}
    assert shown(rules["links"]["missed_url"]) == {c3}
    assert shown(rules["akismet"]["held_url"]) == {c4}


def test_rules_sort_by_a_column(moderator_client, history):
    response = moderator_client.get(PAGE, {**PERIOD, "sort": "rule"})
    assert [line["row"].rule for line in response.context["rules"]] == [
        "akismet",
        "first_time",
        "links",
    ]
    response = moderator_client.get(PAGE, {**PERIOD, "sort": "rate"})
    assert response.context["rules"][0]["row"].rule == "first_time"


def test_moderators_csv(moderator_client, history):
    response = moderator_client.get(PAGE, {**PERIOD, "export": "moderators"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows == [
        [
            "moderator",
            "period",
            "to approved",
            "to pending",
            "to spam",
            "to removed",
            "decisions",
            "undos",
            "undo rate %",
        ],
        ["alice", "week of 2026-11-02", "1", "0", "1", "0", "2", "0", "0.0"],
        ["bob", "week of 2026-11-02", "1", "0", "0", "1", "2", "1", "50.0"],
    ]


def test_by_month(moderator_client, history):
    response = moderator_client.get(
        PAGE, {"start": "2026-11-01", "end": "2026-11-30", "group": "month"}
    )
    assert response.context["figures"].latency == [("2026-11", 4, "within 1 hour", "within 1 day")]


def test_a_bad_period_is_said_and_the_default_shown(moderator_client, history):
    response = moderator_client.get(PAGE, {"start": "2026-11-08", "end": "2026-11-01"})
    assert response.status_code == 200
    assert "The period&#x27;s first day comes after its last." in response.content.decode()


def test_only_moderators_and_superusers(client, history, admin_user):
    staff = UserFactory(username="viewer", is_staff=True)
    client.force_login(staff)
    assert client.get(PAGE).status_code == 403
    client.force_login(admin_user)
    assert client.get(PAGE).status_code == 200


def test_the_queue_and_the_index_link_the_page(moderator_client):
    assert PAGE in moderator_client.get(QUEUE).content.decode()
    assert PAGE in moderator_client.get(reverse("admin:index")).content.decode()


def test_the_page_s_queries_do_not_grow_with_comments(
    moderator_client, history, django_assert_max_num_queries
):
    with django_assert_max_num_queries(20) as before:
        moderator_client.get(PAGE, PERIOD)
    article = history["squats"]
    for hour in range(20):
        post(article, at(MONDAY, hour), "pending", step("first_time", "hold"))
    insights.rebuild(MONDAY, MONDAY)
    with django_assert_max_num_queries(len(before.captured_queries)):
        moderator_client.get(PAGE, PERIOD)


def test_the_rollup_job_counts_again_and_replaces(history):
    today = timezone.localdate()
    CommentFactory(status="pending", screening=[step("links", "hold")])
    insights.rollup_recent(1)
    insights.rollup_recent(1)
    assert DailyFigure.objects.get(day=today, metric="held", key="links").value == 1
    assert DailyFigure.objects.get(day=today, metric="posted").value == 1


def test_rebuild_insights_command(history):
    DailyFigure.objects.all().delete()
    out = io.StringIO()
    call_command("rebuild_insights", "--since", "2026-11-02", stdout=out)
    assert out.getvalue().startswith("Counted ")
    assert DailyFigure.objects.get(day=MONDAY, metric="posted").value == 5
    with pytest.raises(CommandError, match="not a date"):
        call_command("rebuild_insights", "--since", "November")


def test_the_scheduler_keeps_the_rollup():
    from comments.schedule import JOBS

    job = next(job for job in JOBS if job.name == "insights-rollup")
    assert job.load() is insights.rollup_recent and job.is_enabled()


def test_a_writer_deleting_their_own_comment_is_not_a_miss(history):
    from comments.services.status import remove

    own = post(history["squats"], at(MONDAY, 18), "approved", step("links", "pass"))
    remove(own, actor_label="its writer", note="Removed by its writer.")
    insights.rebuild(MONDAY, MONDAY)
    figures = insights_figures.figures(MONDAY, MONDAY)
    assert {row.rule: row.missed for row in figures.rules}["links"] == 1  # c3 only


def test_a_damaged_link_shows_nothing_and_says_so(moderator_client):
    response = moderator_client.get(QUEUE, {"status": "all", "insight": "held:links:yesterday"})
    assert list(response.context["cl"].result_list) == []
    assert "this link from the Insights page is not understood" in response.content.decode()
