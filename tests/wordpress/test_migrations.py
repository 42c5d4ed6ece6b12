"""A database made before the WordPress models moved to their own app migrates with nothing lost:
the rows stay in their tables, the new app reads them, and a permission given on the import page
still holds."""

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [
    ("comments", "0003_postgres_search_indexes"),
    ("fitness", "0006_article_search_index"),
    ("wordpress", None),
]
AFTER = [("wordpress", "0001_initial")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state([t for t in targets if t[1]]).apps


def test_the_moved_models_keep_their_rows_and_permissions(django_user_model):
    old = migrate(BEFORE)
    # Rows as the old code wrote them, through the old apps' models.
    ContentType = old.get_model("contenttypes", "ContentType")
    Article = old.get_model("fitness", "Article")
    Comment = old.get_model("comments", "Comment")
    article = Article.objects.create(title="Twitching", slug="twitching", body="Body.")
    comment = Comment.objects.create(
        article=article, author_name="Rui", body="Hello.", status="approved", path="x"
    )
    old.get_model("fitness", "ImportedPost").objects.create(
        source="https://old.example", source_id=5, article_id=article.pk
    )
    old.get_model("comments", "ImportedComment").objects.create(
        source="https://old.example", source_id=9, comment_id=comment.pk
    )
    old.get_model("comments", "ImportRun").objects.create(file_name="site.xml", ok=True)
    run_type = ContentType.objects.get_or_create(app_label="comments", model="importrun")[0]
    OldPermission = old.get_model("auth", "Permission")
    add_run = OldPermission.objects.get_or_create(
        content_type=run_type, codename="add_importrun", defaults={"name": "Can add import"}
    )[0]
    user = django_user_model.objects.create_user("owner", is_staff=True)
    user.user_permissions.add(add_run.pk)

    new = migrate(AFTER)

    assert new.get_model("wordpress", "ImportedPost").objects.get().source_id == 5
    assert new.get_model("wordpress", "ImportedComment").objects.get().comment_id == comment.pk
    assert new.get_model("wordpress", "ImportRun").objects.get().file_name == "site.xml"
    assert Permission.objects.get(pk=add_run.pk).content_type.app_label == "wordpress"
    user = django_user_model.objects.get(pk=user.pk)
    assert user.has_perm("wordpress.add_importrun")
    # And back: the reverse migration gives the content types back to the old apps.
    migrate(BEFORE)
    assert Permission.objects.get(pk=add_run.pk).content_type.app_label == "comments"
    migrate([("wordpress", "0001_initial")])
