"""
DailyFigure: the moderation insights' daily rollup. One row per (day, metric, key) with a
count, written only by `comments.services.insights` (the scheduler's `insights-rollup` job and
`manage.py rebuild_insights`), read by the admin's Insights page, which then never scans the
comments or their history per request. Nothing personal is kept: a key is a rule's name, a
moderator's user id, an article's id, a status or a latency bucket.
"""

from django.db import models


class DailyFigure(models.Model):
    day = models.DateField()
    metric = models.CharField(max_length=30)
    key = models.CharField(max_length=100, blank=True, default="")
    value = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["metric", "day", "key"], name="daily_figure_once")
        ]

    def __str__(self):
        return f"{self.day} {self.metric} {self.key}: {self.value}"
