# Readers may ask to be emailed about replies to their comment; off unless they tick the box.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0007_queue_search_trigram"),
    ]

    operations = [
        migrations.AddField(
            model_name="comment",
            name="notify_replies",
            field=models.BooleanField(default=False, verbose_name="email replies"),
        ),
    ]
