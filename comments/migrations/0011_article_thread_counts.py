"""Each article's `thread_count` (fitness 0013): how many threads its pages list, counted once
here from `thread_visible` as comments.services.counts counts it; kept current from now on."""

from django.db import migrations
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce


def count_listed_threads(apps, schema_editor):
    Article = apps.get_model("fitness", "Article")
    Comment = apps.get_model("comments", "Comment")
    listed = (
        Comment.objects.filter(article=OuterRef("pk"), depth=0, thread_visible=True)
        .order_by()
        .values("article")
        .annotate(n=Count("pk"))
        .values("n")
    )
    Article.objects.update(thread_count=Coalesce(Subquery(listed), 0))


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0010_insights_rollup"),
        ("fitness", "0013_article_thread_count"),
    ]

    operations = [migrations.RunPython(count_listed_threads, migrations.RunPython.noop)]
