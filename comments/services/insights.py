"""
Moderation insights: the daily rollup (`rollup_day`, `rollup_recent`, `rebuild`) and the
comments behind one of its rule figures (`comments_behind`). The admin's Insights page reads
the rollup through `comments.services.insights_figures`.

What each figure means, written once here:

- a rule **held** a comment when its recorded screening step (`Comment.screening`) has an
  outcome of hold or spam (`verdicts.outcome_of`; Akismet's "spam", "blatant", "unchecked"
  included); counted on the day the comment was posted;
- a **false positive** of a rule: a comment it held that a moderator approved and that is
  approved now;
- a rule **missed** a comment it passed (outcome pass; skipped steps do not count), that no
  step held or binned (the screening published it), and that a moderator later marked spam
  or removed (and that is spam or removed now): a writer deleting their own comment is not a
  miss;
- a **decision**: a status change by a moderator (a user) that is not an undo; an **undo**: the
  line `moderation.undo` writes ("Undo.");
- **time to decision**: from posting to the first decision by a moderator, counted in
  `LATENCY_BUCKETS` on the day of the decision (the page gives the bucket a median or a 90th
  percentile falls in: "within 2 hours");
- the **queue**: comments entering pending (posted held, or sent back) and leaving it, per day;
  its size at the end of a day is the running sum;
- **posted**, **spam** (comments that became spam that day) and each article's published
  (approved) comments, by the day they were posted.

Rule figures are counted on the day a comment was posted and change when a moderator decides
later: the scheduler recounts the last `REFRESH_DAYS` days every hour; `rebuild` recounts any.
"""

import datetime
from collections import Counter

from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from comments.models import Comment, CommentEvent, DailyFigure
from comments.screening.verdicts import Outcome, outcome_of

Status = Comment.Status
REFRESH_DAYS = 14  # decisions on comments older than this wait for `rebuild_insights`
UNDO_NOTE = "Undo."  # what comments.services.moderation.undo writes

# Upper bounds in seconds; the last bucket has none.
LATENCY_BUCKETS = [
    (5 * 60, "5 minutes"),
    (15 * 60, "15 minutes"),
    (3600, "1 hour"),
    (4 * 3600, "4 hours"),
    (12 * 3600, "12 hours"),
    (24 * 3600, "1 day"),
    (3 * 24 * 3600, "3 days"),
    (7 * 24 * 3600, "7 days"),
    (None, "more than 7 days"),
]

POSTED, ARTICLE, SPAM = "posted", "article", "spam"
HELD, FALSE_POSITIVE, MISSED = "held", "false_positive", "missed"
DECISION, UNDO, LATENCY = "decision", "undo", "latency"
QUEUE_IN, QUEUE_OUT = "queue_in", "queue_out"
RULE_METRICS = (HELD, FALSE_POSITIVE, MISSED)


def day_bounds(day: datetime.date):
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(day, datetime.time.min, tzinfo=tz)
    return start, start + datetime.timedelta(days=1)


def period_bounds(first: datetime.date, last: datetime.date):
    return day_bounds(first)[0], day_bounds(last)[1]


def rule_outcomes(screening) -> dict[str, Outcome]:
    """Each recorded step's outcome, by rule name (the last record of a step wins)."""
    outcomes = {}
    for step in screening if isinstance(screening, list) else []:
        if isinstance(step, dict) and step.get("step"):
            outcomes[str(step["step"])] = outcome_of(step.get("verdict"))
    return outcomes


def held_by(outcomes) -> list[str]:
    return [rule for rule, outcome in outcomes.items() if outcome in (Outcome.HOLD, Outcome.SPAM)]


def passed_by(outcomes) -> list[str]:
    """The rules that let a comment through: none if any step held or binned it."""
    if held_by(outcomes):
        return []
    return [rule for rule, outcome in outcomes.items() if outcome == Outcome.PASS]


def latency_bucket(seconds: float) -> int:
    for index, (bound, _label) in enumerate(LATENCY_BUCKETS):
        if bound is None or seconds <= bound:
            return index
    return len(LATENCY_BUCKETS) - 1


def _moderator_event(statuses):
    return Exists(
        CommentEvent.objects.filter(
            comment=OuterRef("pk"), actor__isnull=False, to_status__in=statuses
        ).exclude(note=UNDO_NOTE)
    )


def annotate_corrections(queryset):
    """`approved_by_moderator` and `binned_by_moderator`, each true only while the comment
    still has that status."""
    return queryset.annotate(
        approved_by_moderator=_moderator_event([Status.APPROVED]) & Q(status=Status.APPROVED),
        binned_by_moderator=_moderator_event([Status.SPAM, Status.REMOVED])
        & Q(status__in=[Status.SPAM, Status.REMOVED]),
    )


# --- The rollup -------------------------------------------------------------------------------


def count_day(day: datetime.date) -> Counter:
    """Every figure of one day, as {(metric, key): value}, from that day's comments and
    history (three queries)."""
    start, end = day_bounds(day)
    figures = Counter()
    posted = annotate_corrections(
        Comment.objects.filter(created_at__gte=start, created_at__lt=end)
    ).values_list(
        "article_id", "status", "screening", "approved_by_moderator", "binned_by_moderator"
    )
    for article_id, status, screening, approved, binned in posted.iterator(chunk_size=2000):
        figures[POSTED, ""] += 1
        if status == Status.APPROVED:  # what readers see: spam makes no article discussed
            figures[ARTICLE, str(article_id)] += 1
        outcomes = rule_outcomes(screening)
        for rule in held_by(outcomes):
            figures[HELD, rule] += 1
            if approved:
                figures[FALSE_POSITIVE, rule] += 1
        if binned:
            for rule in passed_by(outcomes):
                figures[MISSED, rule] += 1

    events = CommentEvent.objects.filter(created_at__gte=start, created_at__lt=end).exclude(
        to_status=""
    )
    for actor_id, from_status, to_status, note in events.values_list(
        "actor_id", "from_status", "to_status", "note"
    ).iterator(chunk_size=2000):
        if to_status == Status.PENDING and from_status != Status.PENDING:
            figures[QUEUE_IN, ""] += 1
        if from_status == Status.PENDING and to_status != Status.PENDING:
            figures[QUEUE_OUT, ""] += 1
        if to_status == Status.SPAM:
            figures[SPAM, ""] += 1
        if actor_id is not None and from_status:
            if note == UNDO_NOTE:
                figures[UNDO, str(actor_id)] += 1
            else:
                figures[DECISION, f"{actor_id}:{to_status}"] += 1

    earlier = CommentEvent.objects.filter(
        comment=OuterRef("comment"), actor__isnull=False, created_at__lt=OuterRef("created_at")
    ).exclude(from_status="")
    first_decisions = (
        events.filter(actor__isnull=False)
        .exclude(from_status="")
        .exclude(note=UNDO_NOTE)
        .exclude(Exists(earlier))
        .values_list("created_at", "comment__created_at")
    )
    for decided_at, posted_at in first_decisions.iterator(chunk_size=2000):
        seconds = max((decided_at - posted_at).total_seconds(), 0)
        figures[LATENCY, str(latency_bucket(seconds))] += 1
    return figures


@transaction.atomic
def rollup_day(day: datetime.date) -> int:
    """Count one day again and replace its rows; returns how many rows it has now."""
    figures = count_day(day)
    DailyFigure.objects.filter(day=day).delete()
    DailyFigure.objects.bulk_create(
        DailyFigure(day=day, metric=metric, key=key, value=value)
        for (metric, key), value in figures.items()
        if value
    )
    return len(figures)


def rollup_recent(days: int = REFRESH_DAYS) -> int:
    """The scheduler's job: the last `days` days, today included."""
    today = timezone.localdate()
    for offset in range(days - 1, -1, -1):
        rollup_day(today - datetime.timedelta(days=offset))
    return days


def rebuild(since: datetime.date | None = None, until: datetime.date | None = None) -> int:
    """Every day from `since` (default: the first comment's) to `until` (default: today)."""
    until = until or timezone.localdate()
    if since is None:
        first = Comment.objects.order_by("created_at").values_list("created_at", flat=True)[:1]
        if not first:
            return 0
        since = timezone.localtime(first[0]).date()
        DailyFigure.objects.filter(day__lt=since).delete()  # days with no comment left
    day, count = since, 0
    while day <= until:
        rollup_day(day)
        day += datetime.timedelta(days=1)
        count += 1
    return count


# --- The comments behind a number (the queue's Insights filter) ------------------------------


def comments_behind(queryset, metric: str, rule: str, first, last):
    """The comments a rule figure counts, posted from `first` to `last` (dates)."""
    start, end = period_bounds(first, last)
    in_period = queryset.filter(created_at__gte=start, created_at__lt=end)
    if connection.features.supports_json_field_contains:  # PostgreSQL: only the rule's rows
        in_period = in_period.filter(screening__contains=[{"step": rule}])
    in_period = annotate_corrections(in_period)
    pks = []
    for pk, screening, approved, binned in in_period.values_list(
        "pk", "screening", "approved_by_moderator", "binned_by_moderator"
    ).iterator(chunk_size=2000):
        outcomes = rule_outcomes(screening)
        if (
            (metric == HELD and rule in held_by(outcomes))
            or (metric == FALSE_POSITIVE and approved and rule in held_by(outcomes))
            or (metric == MISSED and binned and rule in passed_by(outcomes))
        ):
            pks.append(pk)
    return queryset.filter(pk__in=pks)
