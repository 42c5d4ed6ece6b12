"""Values longer than their columns: PostgreSQL refuses them where SQLite stores them whole, so
on PostgreSQL one such value used to abort the whole import. Each is now left out, shortened or
skipped with its reason, and the rest of the export is imported. CI runs them on PostgreSQL
too (.ci/run); by hand, with DATABASE_URL=postgres://... in the environment.
"""

import pytest
from django.db import transaction

from comments.models import Comment
from fitness.articles.models import Article
from wordpress.models import ImportedComment

pytestmark = pytest.mark.django_db

FIRST_STATUS = "<wp:comment_approved><![CDATA[1]]></wp:comment_approved>"
FIRST_URL = "<wp:comment_author_url></wp:comment_author_url>"
SITE = "<wp:base_site_url>https://fitness.example.com</wp:base_site_url>"
BLOG = "<wp:base_blog_url>https://fitness.example.com</wp:base_blog_url>"
LINK = "<link>https://fitness.example.com</link>"


def counts():
    return Article.objects.count(), Comment.objects.count()


@pytest.fixture
def whole(export_path, run_import):
    """What the shared export gives when nothing in it is too long."""
    with transaction.atomic():
        run_import(export_path)
        whole = counts()
        transaction.set_rollback(True)
    assert counts() == (0, 0)
    return whole


def test_a_status_longer_than_its_column_is_held_with_a_warning(whole, variant, run_import):
    long_status = "approved-by-a-plugin-" + "x" * 40
    out = run_import(
        variant(
            (FIRST_STATUS, f"<wp:comment_approved><![CDATA[{long_status}]]></wp:comment_approved>")
        )
    )
    assert counts() == whole
    assert f"unknown status {long_status!r}: held for review" in out
    assert Comment.objects.filter(status="pending").exists()
    stored = ImportedComment.objects.filter(source_status__startswith="approved-by").get()
    assert len(stored.source_status) <= 20
    held = stored.comment
    again = run_import(
        variant(
            (FIRST_STATUS, f"<wp:comment_approved><![CDATA[{long_status}]]></wp:comment_approved>"),
            name="again.xml",
        )
    )
    assert "changed in WordPress" not in again  # the same status, read the same way
    held.refresh_from_db()
    assert held.status == "pending" and counts() == whole


def test_an_author_url_over_500_characters_is_left_out(whole, variant, run_import):
    url = "https://example.com/" + "a" * 600
    out = run_import(variant((FIRST_URL, f"<wp:comment_author_url>{url}</wp:comment_author_url>")))
    assert counts() == whole
    assert "website longer than 200 characters: left out" in out
    assert not Comment.objects.filter(author_url__startswith="https://example.com/aaa").exists()


def test_a_site_address_over_200_characters_imports_with_a_warning(whole, variant, run_import):
    site = "https://fitness.example.com/" + "b" * 250
    out = run_import(
        variant(
            (SITE, f"<wp:base_site_url>{site}</wp:base_site_url>"),
            (BLOG, f"<wp:base_blog_url>{site}</wp:base_blog_url>"),
            (LINK, f"<link>{site}</link>"),
        )
    )
    assert counts() == whole
    assert "longer than 200 characters" in out
    sources = set(ImportedComment.objects.values_list("source", flat=True))
    assert len(sources) == 1 and all(len(source) <= 200 for source in sources)
    again = run_import(
        variant(
            (SITE, f"<wp:base_site_url>{site}</wp:base_site_url>"),
            (BLOG, f"<wp:base_blog_url>{site}</wp:base_blog_url>"),
            (LINK, f"<link>{site}</link>"),
            name="again.xml",
        )
    )
    assert counts() == whole, again  # the same site: nothing doubled
