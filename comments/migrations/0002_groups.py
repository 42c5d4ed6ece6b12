"""The two staff groups, each with only its duty.

* "Moderators": moderate comments and edit the word lists; nothing else.
* "Privacy": export and erase commenter data (with viewing comments); Moderators do not get it.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUPS = {
    "Moderators": [
        "moderate_comment",
        "view_comment",
        "change_comment",
        "view_commentevent",
        "view_screeningword",
        "add_screeningword",
        "change_screeningword",
        "delete_screeningword",
    ],
    "Privacy": ["handle_privacy_requests", "view_comment", "view_commentevent"],
}


def create_groups(apps, schema_editor):
    # Permissions are normally created after all migrations run; make sure they exist now.
    comments_config = apps.get_app_config("comments")
    comments_config.models_module = True
    create_permissions(comments_config, apps=apps, verbosity=0)
    comments_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GROUPS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="comments", codename__in=codenames)
        )


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("comments", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
