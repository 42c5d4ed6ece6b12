import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from fitness.articles.models import Article, Category, Image

pytestmark = pytest.mark.django_db


def test_load_demo_creates_both_seed_articles_and_is_idempotent(client):
    call_command("load_demo", stdout=None)
    call_command("load_demo", stdout=None)

    assert Article.objects.count() == 2
    assert not get_user_model().objects.exists(), "load_demo must never create an account"

    first = Article.objects.get(slug="why-do-muscles-twitch-after-a-workout")
    assert [c.name for c in first.categories.all()] == ["Fitness"]
    assert [t.slug for t in first.tags.all()] == ["cramps", "electrolytes", "walking"]
    assert first.body_html.count("<blockquote>") == 3
    assert "tights can help" in first.body_html

    guide = Article.objects.get(slug="understanding-muscle-twitching-guide")
    assert [c.name for c in guide.categories.all()] == ["Fitness", "Health"]
    assert [t.slug for t in guide.tags.all()] == ["cramps", "sleep"]
    assert Category.objects.get(slug="health").description.startswith("When a symptom")
    html = guide.body_html
    assert "<h2>What is Muscle Twitching?</h2>" in html
    assert "<h3>Types of Muscle Twitches</h3>" in html
    assert html.count("<li>") == 3 and "<strong>Fasciculations:</strong>" in html
    assert "<th>Condition</th><th>Symptoms</th><th>Action</th>" in html.replace("\n", "")
    assert "<td>Immediate medical attention</td>" in html

    # Each has a featured image drawn by load_demo, made once however often it runs.
    assert Image.objects.count() == 2
    assert guide.featured_image.renditions and first.featured_image != guide.featured_image
    page = client.get(guide.get_absolute_url()).content.decode()
    assert f'srcset="{guide.featured_image.srcset}"' in page

    home = client.get("/").content.decode()
    assert first.title in home and "Understanding Muscle Twitching" in home
