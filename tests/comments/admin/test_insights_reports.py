"""The Insights page's readers' reports (issue 27 on issue 26's CommentReport): received, by
reason, acted on or dismissed, the median time to act, and a year's DSA transparency figures
as a page and a CSV file."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from comments.models import CommentReport
from comments.services import insights_figures
from tests.factories import CommentFactory, UserFactory

pytestmark = pytest.mark.django_db

PAGE = reverse("admin:comments_comment_insights")


def at(day, hour):
    return datetime.datetime.combine(
        day, datetime.time(hour), tzinfo=timezone.get_current_timezone()
    )


@pytest.fixture
def reports(moderators_group):
    moderator = UserFactory(username="carol", is_staff=True)
    moderator.groups.add(moderators_group)
    day = datetime.date(2026, 3, 2)
    made = [
        # reason, decision, hours to the decision
        ("spam", "spam", 2),
        ("abuse", "removed", 4),
        ("illegal", "removed", 10),
        ("off_topic", "dismissed", 1),
        ("illegal", "", None),
    ]
    for index, (reason, decision, hours) in enumerate(made):
        comment = CommentFactory(status="approved")
        CommentReport.objects.create(
            comment=comment,
            reason=reason,
            network=f"198.51.100.{index}",
            created_at=at(day, 8),
            decision=decision,
            decided_at=at(day, 8 + hours) if hours else None,
            decided_by=moderator if decision else None,
        )
    # Last year's report: not in 2026's figures.
    CommentReport.objects.create(
        comment=CommentFactory(status="approved"),
        reason="spam",
        network="203.0.113.1",
        created_at=at(datetime.date(2025, 12, 30), 9),
    )
    return moderator


def test_reports_figures_for_a_period_and_a_year(reports):
    figures = insights_figures.reports_figures(
        datetime.date(2026, 3, 1), datetime.date(2026, 3, 31)
    )
    assert figures["received"] == 5
    assert dict(figures["by_reason"]) == {
        "Spam": 1,
        "Harassment or abuse": 1,
        "Off-topic": 1,
        "Illegal content": 2,
        "Something else": 0,
    }
    assert (figures["acted_on"], figures["dismissed"], figures["open"]) == (3, 1, 1)
    assert figures["notices"] == 2
    assert figures["median_hours"] == 2.0  # of 1, 2, 4, 10 hours: the lower middle
    assert insights_figures.reports_year(2026)["received"] == 5
    assert insights_figures.reports_year(2025)["received"] == 1


def test_the_page_and_the_transparency_csv(client, reports):
    client.force_login(reports)
    html = client.get(
        PAGE, {"start": "2026-03-01", "end": "2026-03-31", "year": 2026}
    ).content.decode()
    assert "<dt>Received</dt><dd>5</dd>" in html
    assert "<dt>Illegal-content notices (Art. 16)</dt><dd>2</dd>" in html
    response = client.get(PAGE, {"year": 2026, "export": "reports"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["year", "figure", "value"]
    assert ["2026", "notices and reports received", "5"] in rows
    assert ["2026", "received: Illegal content", "2"] in rows
    assert ["2026", "acted on (removed or marked spam)", "3"] in rows
    assert ["2026", "dismissed", "1"] in rows
    assert ["2026", "still open", "1"] in rows
    assert ["2026", "median time to act (hours)", "2.0"] in rows
