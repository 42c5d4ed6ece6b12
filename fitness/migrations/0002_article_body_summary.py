from django.db import migrations, models
from django.utils.html import strip_tags
from django.utils.text import Truncator


def summarize_existing(apps, schema_editor):
    """Articles saved before the summary was stored (the same rule as models.summarize)."""
    Article = apps.get_model("fitness", "Article")
    for article in Article.objects.only("pk", "body_html").iterator():
        article.body_summary = Truncator(strip_tags(article.body_html)).words(40)
        article.save(update_fields=["body_summary"])


class Migration(migrations.Migration):
    dependencies = [
        ("fitness", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="body_summary",
            field=models.TextField(default="", editable=False),
        ),
        migrations.RunPython(summarize_existing, migrations.RunPython.noop),
    ]
