"""An import that fails rolls back, and takes the files it wrote with it (issue 28)."""

from pathlib import Path

import pytest
from django.conf import settings

from fitness.articles.models import Article, Image
from tests.wordpress.conftest import UPLOADS
from wordpress import media
from wordpress.importer import import_export

pytestmark = pytest.mark.django_db


def media_files() -> set[Path]:
    return {path for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file()}


def test_a_failed_import_leaves_no_image_file_behind(export_path, monkeypatch):
    before = media_files()
    made = []
    real_image = media.Library.image

    def image_then_fail(library, attachment_id):
        made.append(real_image(library, attachment_id))
        raise RuntimeError("the database went away")

    monkeypatch.setattr(media.Library, "image", image_then_fail)
    with pytest.raises(RuntimeError, match="went away"):
        import_export(export_path, uploads=UPLOADS)
    image, _ = made[0]
    assert image is not None and len(image.renditions) > 1  # the files were written
    assert media_files() == before
    assert not Image.objects.exists() and not Article.objects.exists()


def test_a_successful_import_keeps_its_files(export_path):
    before = media_files()
    import_export(export_path, uploads=UPLOADS)
    image = Image.objects.get()
    written = media_files() - before
    assert {Path(settings.MEDIA_ROOT) / image.file.name} < written
    assert len(written) == 1 + len(image.renditions)
