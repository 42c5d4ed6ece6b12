"""The "Moderators" group: moderate comments and edit the word lists; nothing else."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Moderators"
CODENAMES = [
    "moderate_comment",
    "view_comment",
    "change_comment",
    "view_commentevent",
    "view_screeningword",
    "add_screeningword",
    "change_screeningword",
    "delete_screeningword",
]


def create_group(apps, schema_editor):
    # Permissions are normally created after all migrations run; make sure they exist now.
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
        ("contenttypes", "0002_remove_content_type_name"),
        ("comments", "0002_akismet_report"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
