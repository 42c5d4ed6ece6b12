"""
What the admin's Insights page shows for a period (`figures`), read from the daily rollup that
`comments.services.insights` keeps (and defines: what held, missed, a decision... mean) with a
fixed number of queries however many comments there are; and the readers' reports of a period
or a year (`reports_figures`, `reports_year`), counted from the reports themselves.
"""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import DateField, Sum
from django.db.models.functions import Trunc

from comments.models import Comment, CommentReport, DailyFigure
from comments.services.insights import (
    ARTICLE,
    DECISION,
    FALSE_POSITIVE,
    HELD,
    LATENCY,
    LATENCY_BUCKETS,
    MISSED,
    POSTED,
    QUEUE_IN,
    QUEUE_OUT,
    RULE_METRICS,
    SPAM,
    UNDO,
    period_bounds,
)

Status = Comment.Status
# The statuses a moderator's decision is counted by, in the page's column order.
DECISION_KINDS = [Status.APPROVED, Status.PENDING, Status.SPAM, Status.REMOVED]


@dataclass
class RuleRow:
    rule: str
    held: int = 0
    false_positives: int = 0
    missed: int = 0

    @property
    def false_positive_rate(self):
        return round(100 * self.false_positives / self.held, 1) if self.held else None


@dataclass
class Insights:
    first: datetime.date
    last: datetime.date
    group: str
    rules: list = field(default_factory=list)
    periods: list = field(default_factory=list)  # [(label, first day)]
    latency: list = field(default_factory=list)  # per period: (label, decisions, median, p90)
    queue: list = field(default_factory=list)  # per day: (day, size at its end)
    per_day: list = field(default_factory=list)  # per day: (day, posted, spam)
    moderators: list = field(default_factory=list)  # dicts, see `moderator_rows`
    decision_kinds: list = field(default_factory=list)
    articles: list = field(default_factory=list)  # (article, comments)
    reports: dict = field(default_factory=dict)  # see `reports_figures`


@dataclass
class Sums:
    """The rollup's rows of a period, summed: the rules over the whole period; time to
    decision, decisions and undos by week or month; the day's own figures by day."""

    rules: defaultdict = field(default_factory=lambda: defaultdict(Counter))  # rule -> metric
    latency: defaultdict = field(default_factory=lambda: defaultdict(Counter))  # start -> bucket
    decisions: defaultdict = field(  # user -> period start -> kind
        default_factory=lambda: defaultdict(lambda: defaultdict(Counter))
    )
    undos: defaultdict = field(default_factory=lambda: defaultdict(Counter))  # user -> start
    by_day: defaultdict = field(default_factory=lambda: defaultdict(Counter))  # day -> metric


def period_start(day: datetime.date, group: str) -> datetime.date:
    if group == "month":
        return day.replace(day=1)
    return day - datetime.timedelta(days=day.weekday())


def period_label(start: datetime.date, group: str) -> str:
    return start.strftime("%Y-%m") if group == "month" else f"week of {start.isoformat()}"


def period_starts(first: datetime.date, last: datetime.date, group: str) -> list:
    """The first day of every week or month that meets the days `first` to `last`."""
    starts = []
    day = period_start(first, group)
    while day <= last:
        starts.append(day)
        day = (
            (day + datetime.timedelta(days=32)).replace(day=1)
            if group == "month"
            else (day + datetime.timedelta(days=7))
        )
    return starts


def percentile_bucket(counts: Counter, fraction: float) -> str:
    """The bucket that holds the given fraction of decisions (the nearest-rank percentile)."""
    total = sum(counts.values())
    if not total:
        return ""
    rank = max(1, -(-int(total * fraction * 1000) // 1000))  # ceil, without float surprises
    seen = 0
    for index, (bound, label) in enumerate(LATENCY_BUCKETS):
        seen += counts.get(index, 0)
        if seen >= rank:
            return label if bound is None else f"within {label}"
    return ""


def sum_period(first: datetime.date, last: datetime.date, group: str) -> Sums:
    """Three queries: the database sums, so that a year is hundreds of rows, not tens of
    thousands; only the day's own figures (posted, spam, the queue) come by day."""
    in_period = DailyFigure.objects.filter(day__gte=first, day__lte=last)
    sums = Sums()
    for metric, key, total in (
        in_period.filter(metric__in=RULE_METRICS)
        .values("metric", "key")
        .annotate(total=Sum("value"))
        .values_list("metric", "key", "total")
    ):
        sums.rules[key][metric] += total
    for start, metric, key, total in (
        in_period.filter(metric__in=[LATENCY, DECISION, UNDO])
        .annotate(period=Trunc("day", group, output_field=DateField()))
        .values("period", "metric", "key")
        .annotate(total=Sum("value"))
        .values_list("period", "metric", "key", "total")
    ):
        if metric == LATENCY:
            sums.latency[start][int(key)] += total
        elif metric == DECISION:
            user, _, kind = key.partition(":")
            sums.decisions[int(user)][start][kind] += total
        else:
            sums.undos[int(key)][start] += total
    for day, metric, value in in_period.filter(
        metric__in=[POSTED, SPAM, QUEUE_IN, QUEUE_OUT]
    ).values_list("day", "metric", "value"):
        sums.by_day[day][metric] += value
    return sums


def rule_rows(sums: Sums) -> list:
    """Each rule's record, the rule that held the most first."""
    return sorted(
        (
            RuleRow(rule, counts[HELD], counts[FALSE_POSITIVE], counts[MISSED])
            for rule, counts in sums.rules.items()
        ),
        key=lambda row: (-row.held, row.rule),
    )


def latency_rows(sums: Sums, starts: list, group: str) -> list:
    return [
        (
            period_label(start, group),
            sum(sums.latency[start].values()),
            percentile_bucket(sums.latency[start], 0.5),
            percentile_bucket(sums.latency[start], 0.9),
        )
        for start in starts
    ]


def day_rows(sums: Sums, first: datetime.date, last: datetime.date):
    """Per day: the queue's size at its end (one query: its size before `first`), and the
    comments posted and marked spam."""
    before = DailyFigure.objects.filter(day__lt=first, metric__in=[QUEUE_IN, QUEUE_OUT])
    totals = dict(
        before.values_list("metric").annotate(total=Sum("value")).values_list("metric", "total")
    )
    size = (totals.get(QUEUE_IN) or 0) - (totals.get(QUEUE_OUT) or 0)
    queue, per_day = [], []
    day = first
    while day <= last:
        by_day = sums.by_day[day]
        size += by_day[QUEUE_IN] - by_day[QUEUE_OUT]
        queue.append((day, size))
        per_day.append((day, by_day[POSTED], by_day[SPAM]))
        day += datetime.timedelta(days=1)
    return queue, per_day


def _undo_rate(made: int, undone: int):
    return round(100 * undone / made, 1) if made else None


def moderator_rows(sums: Sums, periods: list) -> list:
    """Per moderator, by name (one query): a line per period they decided or undid in, with
    their decisions by kind (`DECISION_KINDS`), then the whole period's totals."""
    users = get_user_model()
    people = set(sums.decisions) | set(sums.undos)
    names = dict(users.objects.filter(pk__in=people).values_list("pk", users.USERNAME_FIELD))
    moderators = []
    for user in sorted(people, key=lambda pk: names.get(pk, "")):
        lines = []
        for label, start in periods:
            counts = sums.decisions[user][start]
            made = sum(counts.values())
            undone = sums.undos[user][start]
            if made or undone:
                lines.append(
                    {
                        "period": label,
                        "kinds": [counts[kind] for kind in DECISION_KINDS],
                        "decisions": made,
                        "undos": undone,
                        "undo_rate": _undo_rate(made, undone),
                    }
                )
        made = sum(line["decisions"] for line in lines)
        undone = sum(line["undos"] for line in lines)
        moderators.append(
            {
                "name": names.get(user, f"user {user}"),
                "lines": lines,
                "decisions": made,
                "undos": undone,
                "undo_rate": _undo_rate(made, undone),
            }
        )
    return moderators


def top_articles(first: datetime.date, last: datetime.date, top: int) -> list:
    """The `top` articles with the most published comments posted in the period (two
    queries), as (article, comments)."""
    totals = list(
        DailyFigure.objects.filter(day__gte=first, day__lte=last, metric=ARTICLE)
        .values("key")
        .annotate(total=Sum("value"))
        .order_by("-total", "key")
        .values_list("key", "total")[:top]
    )
    article_model = Comment._meta.get_field("article").related_model
    articles = article_model.objects.in_bulk([int(key) for key, _ in totals])
    return [(articles[int(key)], total) for key, total in totals if int(key) in articles]


def figures(first: datetime.date, last: datetime.date, group: str = "week", top: int = 10):
    """Everything the Insights page shows for the days `first` to `last`: seven queries on the
    rollup (rules, by period, by day, the queue before the period, the most-discussed articles),
    the moderators' names, the articles, plus those of `reports_figures`."""
    insights = Insights(first=first, last=last, group=group)
    sums = sum_period(first, last, group)
    insights.rules = rule_rows(sums)
    starts = period_starts(first, last, group)
    insights.periods = [(period_label(start, group), start) for start in starts]
    insights.latency = latency_rows(sums, starts, group)
    insights.queue, insights.per_day = day_rows(sums, first, last)
    insights.decision_kinds = DECISION_KINDS
    insights.moderators = moderator_rows(sums, insights.periods)
    insights.articles = top_articles(first, last, top)
    insights.reports = reports_figures(first, last)
    return insights


# --- Readers' reports (comments.models.CommentReport) ------------------------------------------


def reports_figures(first: datetime.date, last: datetime.date) -> dict:
    """Reports received from `first` to `last`: by reason, acted on or dismissed, still open,
    and the median time to act."""
    start, end = period_bounds(first, last)
    received = Counter()
    decided = Counter()
    waits = []
    rows = CommentReport.objects.filter(created_at__gte=start, created_at__lt=end).values_list(
        "reason", "decision", "created_at", "decided_at"
    )
    for reason, decision, created_at, decided_at in rows.iterator(chunk_size=2000):
        received[reason] += 1
        decided[decision or "open"] += 1
        if decision and decided_at:
            waits.append((decided_at - created_at).total_seconds())
    waits.sort()
    reasons = dict(CommentReport.Reason.choices)
    return {
        "received": sum(received.values()),
        "by_reason": [(label, received[value]) for value, label in reasons.items()],
        "acted_on": decided["removed"] + decided["spam"],
        "dismissed": decided["dismissed"],
        "open": decided["open"],
        "notices": received.get("illegal", 0),
        "median_hours": round(waits[(len(waits) - 1) // 2] / 3600, 1) if waits else None,
    }


def reports_year(year: int) -> dict:
    return reports_figures(datetime.date(year, 1, 1), datetime.date(year, 12, 31))
