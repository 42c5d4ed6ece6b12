"""Privacy requests become their own duty, and a moderator's edit its own kind of history line.

* The permission `handle_privacy_requests` (export and erase commenter data) and a "Privacy"
  group that has it (with viewing comments). The Moderators group does not get it.
* `CommentEvent.Kind.EDIT`: a moderator changed a comment's text, name or website; the line
  keeps the old values.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations, models

GROUP = "Privacy"
CODENAMES = ["handle_privacy_requests", "view_comment", "view_commentevent"]


def create_group(apps, schema_editor):
    comments_config = apps.get_app_config("comments")
    comments_config.models_module = True
    create_permissions(comments_config, apps=apps, verbosity=0)
    comments_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="comments", codename__in=CODENAMES)
    )


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("comments", "0010_importrun_importedcomment"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="comment",
            options={
                "ordering": ["-created_at"],
                "permissions": [
                    ("moderate_comment", "Can moderate comments"),
                    ("handle_privacy_requests", "Can export and erase commenter data"),
                ],
            },
        ),
        migrations.AlterField(
            model_name="commentevent",
            name="kind",
            field=models.CharField(
                choices=[
                    ("status", "Status change"),
                    ("screening", "Screening"),
                    ("akismet_check", "Akismet check"),
                    ("akismet_report", "Report to Akismet"),
                    ("notification", "Notification"),
                    ("privacy", "Privacy"),
                    ("edit", "Edit"),
                ],
                default="status",
                max_length=20,
            ),
        ),
        migrations.RunPython(create_group, remove_group),
    ]
