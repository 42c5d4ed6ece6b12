"""`manage.py render_bodies`: every stored body rendered again with today's renderer; only those
that change are written (their page's version moves); --dry-run counts and writes nothing."""

import io

import pytest
from django.core.management import call_command

from fitness.articles.models import Article, Page
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def run(*args):
    out = io.StringIO()
    call_command("render_bodies", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def stale():
    """An article and a page saved by an older renderer (their HTML is not today's), and an
    article that is up to date."""
    old = ArticleFactory(body='A **bold** start.\n\n<h2 id="respond">Reply</h2>')
    current = ArticleFactory(body="Plain text.")
    page = Page.objects.create(title="About", slug="about", body="About *us*.", status="published")
    Article.objects.filter(pk=old.pk).update(body_html="<p>as it was</p>", body_summary="as it was")
    Page.objects.filter(pk=page.pk).update(body_html="<p>old</p>")
    return old, current, page


def test_dry_run_counts_and_writes_nothing(stale):
    old, _current, page = stale
    before = Article.objects.get(pk=old.pk).updated_at
    out = run("--dry-run")
    assert "articles: 2/2 checked, 1 changed" in out
    assert "pages: 1/1 checked, 1 changed" in out
    assert "Dry run: 2 of 3 bodies would change; nothing was written." in out
    stored = Article.objects.get(pk=old.pk)
    assert stored.body_html == "<p>as it was</p>" and stored.updated_at == before
    assert Page.objects.get(pk=page.pk).body_html == "<p>old</p>"


def test_renders_the_stale_bodies_again_and_moves_their_version(stale):
    old, current, page = stale
    before = {a.pk: a.updated_at for a in Article.objects.all()}
    out = run()
    assert "Rendered again: 2 of 3 bodies changed." in out
    stored = Article.objects.get(pk=old.pk)
    assert "<strong>bold</strong>" in stored.body_html
    assert 'id="article-respond"' in stored.body_html  # today's rule for author ids
    assert stored.body_summary.startswith("A bold start.")
    assert stored.updated_at > before[old.pk]
    assert Article.objects.get(pk=current.pk).updated_at == before[current.pk]
    assert "<em>us</em>" in Page.objects.get(pk=page.pk).body_html
    assert "Rendered again: 0 of 3 bodies changed." in run()  # nothing left to do


def test_progress_is_shown_every_hundred(settings):
    for n in range(101):
        ArticleFactory(title=f"Note {n}", body=f"Body {n}.", categories=[])
    out = run("--dry-run")
    assert "articles: 100/101 checked, 0 changed" in out
    assert "articles: 101/101 checked, 0 changed" in out
