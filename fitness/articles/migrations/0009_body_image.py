"""An article's first library image (`body_image`), the card's picture when there is no
featured image; filled here for the articles already written."""

import re

import django.db.models.deletion
from django.db import migrations, models

LIBRARY_IMAGE = re.compile(r"image:(\d+)")


def fill(apps, schema_editor):
    Article = apps.get_model("fitness", "Article")
    Image = apps.get_model("fitness", "Image")
    existing = set(Image.objects.values_list("pk", flat=True))
    for article in Article.objects.only("pk", "body").iterator(chunk_size=500):
        ids = [int(found) for found in LIBRARY_IMAGE.findall(article.body or "")]
        first = next((pk for pk in ids if pk in existing), None)
        if first is not None:
            Article.objects.filter(pk=article.pk).update(body_image_id=first)


class Migration(migrations.Migration):
    dependencies = [
        ("fitness", "0008_search_documents"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="body_image",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="fitness.image",
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
