"""
What bench/chaos.py measures after each phase, from the database and the pages: when the
comments settled (none left unchecked), when both instances showed every published comment,
whether each author's notice was sent once, and the phase's report (lost, duplicated, 500s,
latencies). `Measures` is mixed into `Chaos`, whose set-up gives it the sites to read.
"""

import math
import re
import time

import httpx
from serving import ms, percentile

# The sites' TASKS_RUNNING_TIMEOUT: a task left running by a killed worker is queued again
# after it, so the notices are counted once the queue has had that long twice to drain.
TASKS_RUNNING_TIMEOUT = 8
COMMENT_ANCHOR = re.compile(r'<li id="comment-(\d+)"')


class Measures:
    """The measures of one phase's article (`settle_cap` and `web`: the Chaos run's)."""

    def settled(self, article, since):
        """Seconds from `since` until no comment of the article is unchecked (None: not by the
        deadline)."""
        from comments.models import Comment

        deadline = since + self.settle_cap
        unchecked = Comment.objects.filter(article=article, akismet_verdict="unchecked")
        while time.monotonic() < deadline:
            if not unchecked.exists():
                return round(time.monotonic() - since, 1)
            time.sleep(0.25)
        return None

    def visible_ids(self, instance, article, pages):
        seen = set()
        for number in range(1, pages + 1):
            for _ in range(4):  # fresh connections: each lands on some worker
                response = httpx.get(f"{instance.url}{article.get_absolute_url()}?page={number}",
                                     timeout=10)  # fmt: skip
                if response.status_code == 200:
                    seen |= {int(pk) for pk in COMMENT_ANCHOR.findall(response.text)}
        return seen

    def staleness(self, article, since):
        """Seconds from `since` until both instances show every comment published by then."""
        from comments.models import Comment

        published = set(Comment.objects.filter(article=article, status="approved")
                        .values_list("pk", flat=True))  # fmt: skip
        pages = max(1, math.ceil(len(published) / 50))
        first = True
        while time.monotonic() - since < 60:
            looked_at = time.monotonic()
            missing = {
                instance.url: published - self.visible_ids(instance, article, pages)
                for instance in self.web
            }
            if not any(missing.values()):
                return 0.0 if first else round(looked_at - since, 1)
            first = False
            time.sleep(0.25)
        return None

    def notices(self, article):
        """Once no task is waiting or running: authors' emails missing and duplicated."""
        from django.db.models import Count, Q
        from django_tasks_db.models import DBTaskResult

        from comments.models import Comment, CommentEvent

        deadline = time.monotonic() + 30 + 2 * TASKS_RUNNING_TIMEOUT
        pending = DBTaskResult.objects.filter(status__in=["READY", "RUNNING"])
        drained_after = None
        started = time.monotonic()
        while time.monotonic() < deadline:
            if not pending.exists():
                drained_after = round(time.monotonic() - started, 1)
                break
            time.sleep(0.25)
        sent = Q(history__kind=CommentEvent.Kind.NOTIFICATION) & ~Q(
            history__note__contains="FAILED"
        )
        counts = list(
            Comment.objects.filter(article=article, status="approved")
            .annotate(emails=Count("history", filter=sent))
            .values_list("emails", flat=True)
        )
        return {
            "expected": len(counts),
            "missing": sum(1 for n in counts if n == 0),
            "duplicated": sum(1 for n in counts if n > 1),
            "queue_drained_s": drained_after,
        }

    def report(self, phase, article, record, texts, load_seconds, settled, stale, notices):
        from collections import Counter

        from comments.models import Comment

        stored = Counter(
            Comment.objects.filter(article=article, body__in=texts).values_list("body", flat=True)
        )
        outcomes = record.outcomes
        refused = [t for t, (o, _, _) in outcomes.items() if o == "refused"]
        lost = [t for t in texts if stored[t] == 0 and t not in refused]
        by_outcome = Counter(o for o, _, _ in outcomes.values())
        return {
            "posts": len(texts),
            "accepted": by_outcome["accepted"] + by_outcome["accepted-before"],
            "refused": len(refused),
            "stored": sum(1 for t in texts if stored[t]),
            "lost": len(lost),
            "lost_examples": [(t, outcomes.get(t)) for t in lost[:3]],
            "duplicated": sum(1 for t in texts if stored[t] > 1),
            "http_500": sum(1 for s in record.statuses if isinstance(s, int) and s >= 500),
            "errors": len(record.errors),
            "error_kinds": dict(Counter(record.errors)),
            "retried": sum(1 for _, tries, _ in outcomes.values() if tries > 1),
            "outcomes": dict(by_outcome),
            "post_p50_ms": ms(percentile(record.posts, 0.5)),
            "post_p99_ms": ms(percentile(record.posts, 0.99)),
            "read_p50_ms": ms(percentile(record.reads, 0.5)),
            "read_p99_ms": ms(percentile(record.reads, 0.99)),
            "rendered_reads": len(record.rendered),
            "rendered_p99_ms": ms(percentile(record.rendered, 0.99)),
            "load_s": round(load_seconds, 1),
            "settled_s": settled,
            "settle_cap_s": self.settle_cap,
            "stale_s": stale,
            "notices": notices,
        }
