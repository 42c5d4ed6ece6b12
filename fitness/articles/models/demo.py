"""
What `manage.py load_demo` made: one row per object (an article, a category, a tag, an image, and
through the comments app each seed comment), with a fingerprint of what the demo gave it. This is
how `manage.py remove_demo` knows the demo's rows without guessing from slugs, and how it sees
that a person changed one since (the fingerprint differs: kept).
"""

from django.contrib.contenttypes.models import ContentType
from django.db import models


class DemoRow(models.Model):
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    fingerprint = models.CharField(max_length=32)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "demo row"
        constraints = [
            models.UniqueConstraint(fields=["content_type", "object_id"], name="demo_row_once")
        ]

    def __str__(self):
        return f"{self.content_type.model} {self.object_id}"
