"""export_wordpress: a WXR that WordPress's importer reads, checked by reading it back."""

from io import StringIO

import pytest
from django.core.management import call_command

from comments.models import Comment
from fitness.articles.models import Article, SiteSettings
from tests.wordpress.conftest import SEED_SLUG
from wordpress import wxr
from wordpress.models import ImportedComment

pytestmark = pytest.mark.django_db


def export():
    out = StringIO()
    call_command("export_wordpress", stdout=out)
    return out.getvalue()


def test_the_export_carries_articles_categories_threads_and_status(imported, tmp_path):
    path = tmp_path / "out.xml"
    path.write_text(export(), encoding="utf-8")
    entries = list(wxr.read(str(path)))
    site = entries[0][1]
    assert site.version == "1.2" and site.base_site_url
    terms = {(v.taxonomy, v.slug, v.name) for k, v in entries if k == "term"}
    assert terms == {
        ("category", "fitness", "Fitness"),
        ("category", "health", "Health"),
        ("category", "recovery", "Recovery"),
        *(("post_tag", name, name) for name in ("cramps", "electrolytes", "sleep", "walking")),
    }
    items = {v.slug: v for k, v in entries if k == "item" and v.type == "post"}
    guide_terms = set(items["understanding-muscle-twitching-guide"].terms)
    assert guide_terms == {
        ("category", "fitness", "Fitness"),
        ("category", "health", "Health"),
        ("post_tag", "cramps", "cramps"),
        ("post_tag", "sleep", "sleep"),
    }
    assert {i.status for i in items.values()} == {"publish", "future", "draft"}
    seed = items[SEED_SLUG]
    by_id = {c.id: c for c in seed.comments}
    assert [c.approved for c in seed.comments].count("1") == 20
    assert sorted(c.approved for c in seed.comments if c.approved != "1") == ["0", "0", "trash"]
    reply = ImportedComment.objects.get(source_id=3).comment
    assert by_id[str(reply.pk)].parent == str(reply.parent_id)
    assert "<table>" in items["understanding-muscle-twitching-guide"].content
    assert (
        "<strong>magnesium</strong>"
        in by_id[str(ImportedComment.objects.get(source_id=24).comment_id)].content
    )


def test_what_is_exported_imports_again_the_same(imported, tmp_path, run_import, client):
    path = tmp_path / "out.xml"
    path.write_text(export(), encoding="utf-8")
    Comment.objects.all().delete()
    Article.objects.all().delete()
    report = run_import(path)
    assert "Comments: 23 new (20 approved, 2 pending, 0 spam, 1 removed)" in report
    article = Article.objects.get(slug=SEED_SLUG)
    html = client.get(article.get_absolute_url()).content.decode()
    assert ">20 Comments</h2>" in html and html.count('class="comment depth-2') == 2
    assert [c.slug for c in article.categories.all()] == ["fitness"]
    assert [t.slug for t in article.tags.all()] == ["cramps", "electrolytes", "walking"]


def test_the_export_is_titled_with_the_name_the_owner_gave_the_site_in_the_admin(tmp_path):
    """WordPress names the imported site after the channel's title: the admin's Site settings
    name, not the environment's default."""
    SiteSettings.objects.create(name="Strong at Sixty")
    path = tmp_path / "out.xml"
    path.write_text(export(), encoding="utf-8")
    site = next(value for kind, value in wxr.read(str(path)) if kind == "site")
    assert site.title == "Strong at Sixty"
