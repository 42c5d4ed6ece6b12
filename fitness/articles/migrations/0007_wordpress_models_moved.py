"""ImportedPost moved to the wordpress app (wordpress/migrations/0001): only Django's record of
it leaves this app; the table and its rows stay where they are."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("fitness", "0006_article_search_index"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="ImportedPost")],
            database_operations=[],
        ),
    ]
