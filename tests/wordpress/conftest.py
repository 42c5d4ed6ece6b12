"""The shared WordPress export (../shared/wordpress/ beside the repository) and ways to vary it."""

from pathlib import Path

import pytest
from django.core.management import call_command

REPO = Path(__file__).resolve().parents[2]
SHARED = (REPO / ".." / "shared" / "wordpress").resolve()
EXPORT = SHARED / "fitness.wordpress.xml"
UPLOADS = SHARED / "uploads"
SEED_SLUG = "why-do-muscles-twitch-after-a-workout"
SEED_LINK = "/2010/03/15/why-do-muscles-twitch-after-a-workout/"


@pytest.fixture
def export_path():
    if not EXPORT.is_file():
        pytest.skip(f"the shared WordPress export is not at {EXPORT} (../shared/wordpress/)")
    return EXPORT


@pytest.fixture
def export_text(export_path):
    return export_path.read_text(encoding="utf-8")


@pytest.fixture
def variant(tmp_path, export_text):
    """variant(("old", "new"), ...) -> a copy of the export with those replacements (each must
    match), as another tool's or a later export would differ."""

    def make(*replacements, name="variant.xml"):
        text = export_text
        for old, new in replacements:
            assert old in text, old
            text = text.replace(old, new, 1)
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return make


@pytest.fixture
def run_import():
    """run_import(path, *options) -> what the command printed."""
    from io import StringIO

    def run(path, *options):
        out = StringIO()
        call_command("import_wordpress", str(path), *options, stdout=out)
        return out.getvalue()

    return run


@pytest.fixture
def imported(db, export_path, run_import):
    return run_import(export_path, "--uploads", str(UPLOADS))
