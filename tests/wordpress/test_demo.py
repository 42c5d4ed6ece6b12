"""The demo and a real site (issue 31): `make run`'s demo step adds nothing to an imported site,
and an import into a site that still holds the demo offers to remove it first."""

import io
import re
import shlex

import pytest
from django.core.management import CommandError, call_command

from comments.models import Comment
from fitness.articles.models import Article, Category, DemoRow, Image, Page, Redirect, Tag
from tests.wordpress.conftest import REPO, SEED_SLUG
from tests.wordpress.test_admin import ADD, importer_client, upload  # noqa: F401

pytestmark = pytest.mark.django_db

MODELS = (Article, Page, Comment, Image, Category, Tag, Redirect, DemoRow)


def make_run_demo_step():
    """The manage.py command line of the Makefile's `demo` target (what `make run` runs)."""
    recipe = REPO.joinpath("Makefile").read_text().split("\ndemo:", 1)[1]
    line = re.search(r"manage\.py (load_demo.*)", recipe).group(1)
    return shlex.split(line)


def everything():
    return {model.__name__: sorted(model.objects.values_list("pk", flat=True)) for model in MODELS}


def test_make_runs_demo_step_adds_nothing_to_an_imported_site(imported):
    before = everything()
    assert before["Article"] and before["Comment"]
    out = io.StringIO()

    call_command(*make_run_demo_step(), stdout=out)

    assert out.getvalue() == "The site has content (4 articles, 1 page): the demo is skipped.\n"
    assert everything() == before
    seed = Article.objects.get(slug=SEED_SLUG)
    assert Comment.objects.filter(article=seed).count() == 23  # the import's, not 43


def test_an_import_on_the_demo_asks_and_removes_it_first(export_path, run_import):
    call_command("load_demo", stdout=io.StringIO())

    with pytest.raises(CommandError, match="--remove-demo to remove it first, or --keep-demo"):
        run_import(export_path)
    assert Article.objects.count() == 2  # nothing imported, nothing removed

    said = run_import(export_path, "--remove-demo")

    assert "Removed 20 demo comments." in said and "Removed the demo: 2 articles" in said
    assert not DemoRow.objects.exists()
    assert not Article.objects.filter(slug__endswith="-2").exists()
    seed = Article.objects.get(slug=SEED_SLUG)
    assert Comment.objects.filter(article=seed).count() == 23
    assert not Comment.objects.filter(user_agent="fitness-demo").exists()


def test_keep_demo_imports_beside_it(export_path, run_import):
    call_command("load_demo", stdout=io.StringIO())

    run_import(export_path, "--keep-demo")

    assert DemoRow.objects.exists()
    assert Comment.objects.filter(user_agent="fitness-demo").count() == 20


def test_the_admins_import_removes_the_demo_unless_unticked(importer_client, export_path):  # noqa: F811
    assert 'name="remove_demo"' not in importer_client.get(ADD).content.decode()
    call_command("load_demo", stdout=io.StringIO())
    form = importer_client.get(ADD).content.decode()
    assert re.search(r'<input type="checkbox" name="remove_demo"[^>]* checked', form)
    assert "Remove the demo content first" in form

    response = importer_client.post(ADD, {"export": upload(export_path), "remove_demo": "on"})

    html = b"".join(response.streaming_content).decode()
    assert "Removed the demo: 2 articles" in html and "Import done." in html
    assert not DemoRow.objects.exists()
    assert not Article.objects.filter(slug__endswith="-2").exists()


@pytest.mark.parametrize(("answer", "demo_left"), [("", False), ("n", True)])
def test_at_a_terminal_the_import_asks(export_path, run_import, monkeypatch, answer, demo_left):
    call_command("load_demo", stdout=io.StringIO())
    asked = []
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("builtins.input", lambda question: asked.append(question) or answer)

    run_import(export_path)

    assert asked == ["This site still holds the demo content. Remove it first? [Y/n] "]
    assert DemoRow.objects.exists() is demo_left
    assert Comment.objects.filter(user_agent="fitness-demo").exists() is demo_left
