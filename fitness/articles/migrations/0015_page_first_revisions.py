"""Each page gets its first revision, in a migration of its own: on PostgreSQL the rows it
writes would leave deferred foreign-key checks pending, which the schema changes of 0014 (its
foreign key's index, created at the end of that migration) may not run after in one
transaction."""

from django.db import migrations


def first_revisions(apps, schema_editor):
    """Each page as it is: its first revision, so the next save can be undone too (as
    0010_revisions gave each article its first). The articles' revisions are not touched."""
    Page = apps.get_model("fitness", "Page")
    Revision = apps.get_model("fitness", "Revision")
    batch = [
        Revision(
            page_id=page.pk,
            kind="saved",
            title=page.title,
            body=page.body,
            created_at=page.updated_at,
        )
        for page in Page.objects.only("pk", "title", "body", "updated_at")
    ]
    Revision.objects.bulk_create(batch, batch_size=500)


def forget_page_revisions(apps, schema_editor):
    """Going back: the pages' revisions go (an article's key may be empty no more)."""
    apps.get_model("fitness", "Revision").objects.filter(page__isnull=False).delete()


class Migration(migrations.Migration):
    dependencies = [("fitness", "0014_page_revisions")]

    operations = [migrations.RunPython(first_revisions, forget_page_revisions)]
