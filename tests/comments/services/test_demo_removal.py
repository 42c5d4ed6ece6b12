"""The demo only where it belongs (issue 31): `load_demo` into an empty site only, and
`remove_demo` taking away exactly what it added, never what a person wrote or changed."""

import io

import pytest
from django.core.management import call_command

from comments.models import Comment
from fitness.articles.models import Article, Category, DemoRow, Image, Tag
from tests.factories import ArticleFactory, CommentFactory, UserFactory

pytestmark = pytest.mark.django_db

SEED = "why-do-muscles-twitch-after-a-workout"
GUIDE = "understanding-muscle-twitching-guide"


def run(command, *args):
    out = io.StringIO()
    call_command(command, *args, stdout=out)
    return out.getvalue()


def snapshot(queryset, *fields):
    return sorted(queryset.values_list("pk", *fields))


def test_the_demo_skips_a_site_with_content_in_one_line():
    ArticleFactory(slug=SEED, title="My own article on twitching")

    said = run("load_demo")

    assert said == "The site has content (1 article): the demo is skipped.\n"
    assert Article.objects.count() == 1 and not Comment.objects.exists()
    assert not DemoRow.objects.exists() and not Image.objects.exists()


def test_remove_demo_removes_every_demo_row_and_nothing_a_person_wrote():
    run("load_demo")
    demo_articles = set(Article.objects.values_list("pk", flat=True))
    # A person's own article, in the demo's category, with a discussion of its own.
    person = UserFactory(username="ana")
    fitness = Category.objects.get(slug="fitness")
    own = ArticleFactory(title="Stretching after a run", author=person, categories=[fitness])
    first = CommentFactory(article=own, author_name="Bo", body="Thanks, this helped.")
    CommentFactory(article=own, parent=first, author_name="Ana", body="Glad it did.")
    articles_before = snapshot(Article.objects.filter(pk=own.pk), "title", "body", "slug")
    comments_before = snapshot(Comment.objects.filter(article=own), "body", "author_name")

    said = run("remove_demo")

    assert "Removed 20 demo comments." in said
    assert "Kept the category “Fitness”: articles use it." in said
    assert "Removed the demo: 2 articles, 1 categories, 4 tags, 2 images." in said
    assert not Article.objects.filter(pk__in=demo_articles).exists()
    assert not Image.objects.exists() and not DemoRow.objects.exists()
    assert list(Category.objects.values_list("slug", flat=True)) == ["fitness"]
    assert not Tag.objects.exists()
    assert snapshot(Article.objects.all(), "title", "body", "slug") == articles_before
    assert snapshot(Comment.objects.all(), "body", "author_name") == comments_before
    assert own.comment_count == Article.objects.get(pk=own.pk).comment_count
    # Once removed, it is gone: a second run says so and changes nothing.
    assert run("remove_demo") == "The site holds no demo content: nothing removed.\n"


def test_remove_demo_keeps_a_demo_article_a_person_commented_on_or_edited(client):
    run("load_demo")
    seed = Article.objects.get(slug=SEED)
    answered = Comment.objects.get(article=seed, author_name="Stephen")
    reply = CommentFactory(
        article=seed,
        parent=answered,
        author_name="Ana",
        body="Same here after swimming.",
        status="approved",
    )
    own = CommentFactory(article=seed, author_name="Bo", body="Good article.", status="approved")
    guide = Article.objects.get(slug=GUIDE)
    guide.title = "Muscle twitching: our guide"
    guide.save()

    said = run("remove_demo")

    assert "Removed 19 demo comments." in said
    assert "Kept 1 demo comments: a moderator changed them or a person answered them." in said
    assert "Kept the article “Why Do Muscles Twitch After a Workout?”: 2 comments by people" in said
    assert "Kept the article “Muscle twitching: our guide”: it was edited" in said
    assert "Removed the demo: 0 articles" in said
    remaining = Comment.objects.filter(article=seed)
    assert set(remaining.values_list("pk", flat=True)) == {answered.pk, reply.pk, own.pk}
    seed.refresh_from_db()
    assert seed.comment_count == 3
    html = client.get(seed.get_absolute_url()).content.decode()
    assert ">3 Comments</h2>" in html and "Same here after swimming." in html
    # Its featured image is still shown; what is left is the site's own now.
    assert Image.objects.count() == 2 and not DemoRow.objects.exists()


def test_an_edited_demo_article_is_kept_without_its_demo_comments(client):
    run("load_demo")
    seed = Article.objects.get(slug=SEED)
    seed.body += "\n\nUpdated by our editor."
    seed.save()

    said = run("remove_demo")

    assert "Kept the article “Why Do Muscles Twitch After a Workout?”: it was edited" in said
    assert "Removed the demo: 1 articles" in said
    seed.refresh_from_db()
    assert seed.comment_count == 0 and not Comment.objects.exists()
    html = client.get(seed.get_absolute_url()).content.decode()
    assert "Updated by our editor." in html and "Jessica M." not in html
    # Its categories, tags and featured image stay with it; the guide's own tag goes.
    assert Image.objects.count() == 1 and seed.featured_image_id is not None
    assert set(Tag.objects.values_list("slug", flat=True)) == {"cramps", "electrolytes", "walking"}


def test_a_demo_loaded_before_the_record_is_recorded_by_the_migrations():
    """A site that ran `make run` before DemoRow existed: the migrations record its demo rows
    (exact content, the history's "load_demo"), but not an article a person changed."""
    from importlib import import_module

    from django.apps import apps

    run("load_demo")
    guide = Article.objects.get(slug=GUIDE)
    guide.body += "\n\nOur own note."
    guide.save()
    DemoRow.objects.all().delete()  # as before the record existed
    import_module(
        "fitness.articles.migrations.0011_site_settings_demo_rows"
    ).record_the_demo_loaded_before(apps, None)
    import_module(
        "comments.migrations.0007_demo_comments_recorded"
    ).record_the_demo_comments_loaded_before(apps, None)
    assert DemoRow.objects.count() == 1 + 1 + 2 + 4 + 20  # seed, its image, terms, comments

    said = run("remove_demo")

    assert "Removed 20 demo comments." in said
    assert list(Article.objects.values_list("slug", flat=True)) == [GUIDE]
    assert Image.objects.count() == 1  # the guide's: not recorded, kept
    assert set(Category.objects.values_list("slug", flat=True)) == {"fitness", "health"}
    assert set(Tag.objects.values_list("slug", flat=True)) == {"cramps", "sleep"}
