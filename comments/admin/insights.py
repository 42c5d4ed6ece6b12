"""
What the Insights page adds to the admin besides its view: its charts, drawn here as SVG on
the server (no script: the CSP allows none inline; each chart has a title, a description and a
table of the same numbers on the page), its CSV files, and the queue's Insights filter that a
number on the page links to (the comments behind it).
"""

import csv
import datetime
import io

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode

from comments.services import insights

WIDTH, HEIGHT, PAD = 640, 200, 28


def bar_chart(slug: str, title: str, points, *, description: str = ""):
    """A bar chart of [(label, value)]: an <svg role="img"> named by its <title> and <desc>;
    the colours come from the admin theme's variables (static/css/admin-insights.css)."""
    points = list(points)
    top = max([value for _, value in points] + [1])
    step = (WIDTH - 2 * PAD) / max(len(points), 1)
    bar = max(step * 0.8, 1)
    bars = format_html_join(
        "",
        '<rect class="insights-bar" x="{}" y="{}" width="{}" height="{}">'
        "<title>{}: {}</title></rect>",
        (
            (
                f"{PAD + index * step:.1f}",
                f"{HEIGHT - PAD - (HEIGHT - 2 * PAD) * value / top:.1f}",
                f"{bar:.1f}",
                f"{(HEIGHT - 2 * PAD) * value / top:.1f}",
                label,
                value,
            )
            for index, (label, value) in enumerate(points)
        ),
    )
    first = points[0][0] if points else ""
    last = points[-1][0] if points else ""
    return format_html(
        '<svg class="insights-chart" viewBox="0 0 {} {}" role="img" '
        'aria-labelledby="{}-title {}-desc" preserveAspectRatio="none">'
        '<title id="{}-title">{}</title><desc id="{}-desc">{}</desc>'
        '<line class="insights-axis" x1="{}" y1="{}" x2="{}" y2="{}"></line>'
        '<text class="insights-label" x="{}" y="{}">{}</text>'
        '<text class="insights-label" x="{}" y="{}" text-anchor="end">{}</text>'
        '<text class="insights-label" x="{}" y="{}">{}</text>'
        "{}</svg>",
        WIDTH,
        HEIGHT,
        slug,
        slug,
        slug,
        title,
        slug,
        description or f"Highest: {top}. The table below gives every value.",
        PAD,
        HEIGHT - PAD,
        WIDTH - PAD,
        HEIGHT - PAD,
        PAD,
        HEIGHT - 8,
        first,
        WIDTH - PAD,
        HEIGHT - 8,
        last,
        PAD,
        16,
        f"max {top}",
        bars,
    )


# --- The comments behind a number -------------------------------------------------------------


def behind_url(metric: str, rule: str, first: datetime.date, last: datetime.date) -> str:
    value = f"{metric}:{rule}:{first.isoformat()}:{last.isoformat()}"
    return (
        reverse("admin:comments_comment_changelist")
        + "?"
        + urlencode({"status": "all", "insight": value})
    )


def rule_rows(rules, first: datetime.date, last: datetime.date):
    """The rules table's rows: each rule's figures and the links to the comments behind its
    held, false-positive and missed counts."""
    return [
        {
            "row": row,
            "held_url": behind_url(insights.HELD, row.rule, first, last),
            "fp_url": behind_url(insights.FALSE_POSITIVE, row.rule, first, last),
            "missed_url": behind_url(insights.MISSED, row.rule, first, last),
        }
        for row in rules
    ]


def charts(figures):
    """The discussion's three charts: posted and spam per day, the queue at each day's end."""
    return {
        "posted_chart": bar_chart(
            "posted",
            "Comments posted per day",
            [(d.isoformat(), n) for d, n, _ in figures.per_day],
        ),
        "spam_chart": bar_chart(
            "spam",
            "Comments marked spam per day",
            [(d.isoformat(), s) for d, _, s in figures.per_day],
        ),
        "queue_chart": bar_chart(
            "queue",
            "Comments awaiting moderation at the end of each day",
            [(d.isoformat(), n) for d, n in figures.queue],
        ),
    }


def parse_insight(value: str):
    metric, _, rest = (value or "").partition(":")
    rule, _, dates = rest.partition(":")
    first, _, last = dates.partition(":")
    try:
        first, last = datetime.date.fromisoformat(first), datetime.date.fromisoformat(last)
    except ValueError:
        return None
    if metric not in insights.RULE_METRICS or not rule:
        return None
    return metric, rule, first, last


LABELS = {
    insights.HELD: "held or binned by",
    insights.FALSE_POSITIVE: "held by, then approved (false positives of)",
    insights.MISSED: "passed by, then spam or removed (missed by)",
}


class InsightFilter(admin.SimpleListFilter):
    """`?insight=metric:rule:first:last`, from a number on the Insights page."""

    title = "insights"
    parameter_name = "insight"

    def lookups(self, request, model_admin):
        if not self.value():
            return []
        parsed = parse_insight(self.value())
        if parsed is None:  # a damaged link: say so, show nothing rather than everything
            return [(self.value(), "this link from the Insights page is not understood")]
        metric, rule, first, last = parsed
        return [(self.value(), f"{LABELS[metric]} {rule}, posted {first} to {last}")]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        parsed = parse_insight(self.value())
        if parsed is None:
            return queryset.none()
        return insights.comments_behind(queryset, *parsed)


# --- CSV --------------------------------------------------------------------------------------


def moderators_csv(figures) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    kinds = [str(kind) for kind in figures.decision_kinds]
    writer.writerow(
        [
            "moderator",
            "period",
            *[f"to {kind}" for kind in kinds],
            "decisions",
            "undos",
            "undo rate %",
        ]
    )
    for moderator in figures.moderators:
        for line in moderator["lines"]:
            rate = "" if line["undo_rate"] is None else line["undo_rate"]
            writer.writerow(
                [
                    moderator["name"],
                    line["period"],
                    *line["kinds"],
                    line["decisions"],
                    line["undos"],
                    rate,
                ]
            )
    return out.getvalue()


def reports_csv(year: int, reports) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["year", "figure", "value"])
    rows = [
        ("notices and reports received", reports["received"]),
        *((f"received: {label}", count) for label, count in reports["by_reason"]),
        ("illegal-content notices (DSA Art. 16)", reports["notices"]),
        ("acted on (removed or marked spam)", reports["acted_on"]),
        ("dismissed", reports["dismissed"]),
        ("still open", reports["open"]),
        (
            "median time to act (hours)",
            "" if reports["median_hours"] is None else reports["median_hours"],
        ),
    ]
    for figure, value in rows:
        writer.writerow([year, figure, value])
    return out.getvalue()
