"""The import's models, moved here from the comments and articles apps with their tables: the
state is created, the database is left as it is (the tables keep their names, see models.py).
The content types move too, so permissions given on them (the import page's) still hold."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

MOVED = {"comments": ["importrun", "importedcomment"], "fitness": ["importedpost"]}


def move_content_types(apps, schema_editor, *, forward=True):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for app, models_ in MOVED.items():
        old, new = (app, "wordpress") if forward else ("wordpress", app)
        ContentType.objects.filter(app_label=old, model__in=models_).update(app_label=new)


def content_types_back(apps, schema_editor):
    move_content_types(apps, schema_editor, forward=False)


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("comments", "0004_wordpress_models_moved"),
        ("fitness", "0007_wordpress_models_moved"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ImportRun",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("file_name", models.CharField(max_length=255)),
                        ("dry_run", models.BooleanField(default=False)),
                        (
                            "ok",
                            models.BooleanField(
                                default=False, help_text="The file could be read to its end."
                            ),
                        ),
                        ("report", models.TextField(blank=True)),
                        ("counts", models.JSONField(blank=True, default=dict)),
                        (
                            "by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "WordPress import",
                        "db_table": "comments_importrun",
                        "ordering": ["-created_at"],
                    },
                ),
                migrations.CreateModel(
                    name="ImportedComment",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "source",
                            models.CharField(help_text="The old site's address.", max_length=200),
                        ),
                        ("source_id", models.PositiveBigIntegerField()),
                        ("source_status", models.CharField(blank=True, max_length=20)),
                        ("source_hash", models.CharField(blank=True, max_length=64)),
                        (
                            "comment",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="imported_from",
                                to="comments.comment",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "comments_importedcomment",
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("source", "source_id"), name="imported_comment_once"
                            )
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="ImportedPost",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "source",
                            models.CharField(help_text="The old site's address.", max_length=200),
                        ),
                        ("source_id", models.PositiveBigIntegerField()),
                        ("source_type", models.CharField(default="post", max_length=20)),
                        ("source_modified", models.DateTimeField(blank=True, null=True)),
                        ("imported_at", models.DateTimeField(default=django.utils.timezone.now)),
                        (
                            "article",
                            models.OneToOneField(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="imported_from",
                                to="fitness.article",
                            ),
                        ),
                        (
                            "image",
                            models.OneToOneField(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="imported_from",
                                to="fitness.image",
                            ),
                        ),
                        (
                            "page",
                            models.OneToOneField(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="imported_from",
                                to="fitness.page",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "fitness_importedpost",
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("source", "source_id"), name="imported_post_once"
                            ),
                            models.CheckConstraint(
                                condition=models.Q(
                                    models.Q(
                                        ("article__isnull", False),
                                        ("image__isnull", True),
                                        ("page__isnull", True),
                                    ),
                                    models.Q(
                                        ("article__isnull", True),
                                        ("image__isnull", True),
                                        ("page__isnull", False),
                                    ),
                                    models.Q(
                                        ("article__isnull", True),
                                        ("image__isnull", False),
                                        ("page__isnull", True),
                                    ),
                                    _connector="OR",
                                ),
                                name="imported_post_is_one_thing",
                            ),
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_types, content_types_back),
    ]
