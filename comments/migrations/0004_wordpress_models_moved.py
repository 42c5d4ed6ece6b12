"""The WordPress import's models moved to the wordpress app (wordpress/migrations/0001): only
Django's record of them leaves this app; the tables and their rows stay where they are."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0003_postgres_search_indexes"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(model_name="importrun", name="by"),
                migrations.DeleteModel(name="ImportedComment"),
                migrations.DeleteModel(name="ImportRun"),
            ],
            database_operations=[],
        ),
    ]
