"""The "Authors" group: write, edit, publish and delete their own articles (the admin keeps
them to their own: fitness/articles/author_admin.py), pick categories and tags and add tags. Nothing
about comments: authors moderate nothing. Editors are superusers or hold
`fitness.edit_any_article`, which this group does not."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

AUTHORS = "Authors"  # fitness.articles.models.AUTHORS_GROUP
PERMISSIONS = [
    "add_article",
    "change_article",
    "delete_article",
    "view_article",
    "view_category",
    "view_tag",
    "add_tag",
]


def create_group(apps, schema_editor):
    # Permissions are normally created after all migrations run; make sure they exist now.
    config = apps.get_app_config("fitness")
    config.models_module = True
    create_permissions(config, apps=apps, verbosity=0)
    config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=AUTHORS)
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="fitness", codename__in=PERMISSIONS)
    )


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=AUTHORS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("fitness", "0004_blog_terms"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
