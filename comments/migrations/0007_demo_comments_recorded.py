"""A database that loaded the demo before DemoRow existed: its seed comments are recorded now, so
that `remove_demo` can take them away. A demo comment is known by its history: load_demo wrote
its first line (actor "load_demo"), and history is never rewritten. The fields and fingerprint
are those of comments/services/demo.py and fitness/articles/demo/records.py, copied as today."""

import hashlib

from django.db import migrations

COMMENT_FIELDS = ("body", "author_name", "author_url", "status", "parent")


def fingerprint(obj, fields):
    values = [str(getattr(obj, obj._meta.get_field(name).attname)) for name in fields]
    return hashlib.md5(repr(values).encode(), usedforsecurity=False).hexdigest()


def record_the_demo_comments_loaded_before(apps, schema_editor):
    Comment = apps.get_model("comments", "Comment")
    ContentType = apps.get_model("contenttypes", "ContentType")
    DemoRow = apps.get_model("fitness", "DemoRow")
    comments = Comment.objects.filter(history__actor_label="load_demo").distinct()
    if not comments.exists():
        return
    kind, _ = ContentType.objects.get_or_create(app_label="comments", model="comment")
    for comment in comments:
        DemoRow.objects.get_or_create(
            content_type=kind,
            object_id=comment.pk,
            defaults={"fingerprint": fingerprint(comment, COMMENT_FIELDS)},
        )


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0006_helpful_marks"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("fitness", "0011_site_settings_demo_rows"),
    ]

    operations = [
        migrations.RunPython(record_the_demo_comments_loaded_before, migrations.RunPython.noop),
    ]
