import pytest
from django.core.management import call_command

from comments.models import Comment
from fitness.articles.models import Article

pytestmark = pytest.mark.django_db


def test_load_demo_adds_the_seed_discussion_once(client):
    call_command("load_demo", stdout=None)
    call_command("load_demo", stdout=None)
    article = Article.objects.get(slug="why-do-muscles-twitch-after-a-workout")
    comments = Comment.objects.filter(article=article)
    assert comments.count() == 20 and article.comment_count == 20
    assert comments.filter(depth=0).count() == 18

    html = client.get(article.get_absolute_url()).content.decode()
    assert ">20 Comments</h2>" in html
    tops = list(comments.filter(depth=0).order_by("created_at"))
    assert [tops[i].author_name for i in (1, 10, 15)] == [
        "amy_lofthotmail.com",
        "Gwenivere",
        "Tina Shute",
    ]
    replies = comments.filter(depth=1)
    assert {r.parent_id for r in replies} == {tops[0].pk, tops[8].pk}
    assert tops[17].body.count("\n\n") == 2  # comment 18 keeps its paragraphs
    assert tops[2].body == "too much smiling."
    assert "example.com" not in html


def test_load_demo_twice_after_retention_scrubbed_the_marker(settings):
    # Issue 16: the scheduler's retention cleared the user agent that marked the demo rows
    # (dated 2010), and the next `make run` added 20 more.
    from comments.services.privacy import scrub_expired_personal_data

    call_command("load_demo", stdout=None)
    assert scrub_expired_personal_data() == 20
    assert not Comment.objects.exclude(user_agent="").exists()
    call_command("load_demo", stdout=None)
    article = Article.objects.get(slug="why-do-muscles-twitch-after-a-workout")
    assert Comment.objects.filter(article=article).count() == 20
    article.refresh_from_db()
    assert article.comment_count == 20
