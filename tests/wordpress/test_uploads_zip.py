"""The admin's import takes the old site's uploads as a zip (issue 31): images come in, their
old addresses answer, the page shows the progress and the CLI's report; a hostile zip is
refused, in words, with nothing written outside the import's own folder."""

import io
import random
import stat
import zipfile
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from comments.models import Comment
from fitness.articles.models import Article, Image
from tests.factories import UserFactory
from tests.wordpress.conftest import UPLOADS
from wordpress import archive
from wordpress.models import ImportRun

pytestmark = pytest.mark.django_db

ADD = reverse("admin:wordpress_importrun_add")
GUIDE = "understanding-muscle-twitching-guide"


@pytest.fixture
def owner(client):
    user = UserFactory(username="owner", is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["add_importrun", "view_importrun"])
    )
    client.force_login(user)
    return client


def zip_of(files: dict, *, name="uploads.zip") -> SimpleUploadedFile:
    """A zip of {name in the zip: bytes or a Path}."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as made:
        for entry, data in files.items():
            made.writestr(entry, data.read_bytes() if isinstance(data, Path) else data)
    return SimpleUploadedFile(name, buffer.getvalue(), "application/zip")


def uploads_tree(prefix="wp-content/uploads/"):
    return {
        prefix + str(path.relative_to(UPLOADS)): path
        for path in sorted(UPLOADS.rglob("*"))
        if path.is_file()
    }


def streamed(response) -> str:
    assert response.status_code == 200 and response.streaming
    return b"".join(response.streaming_content).decode()


def xml(export_path):
    return SimpleUploadedFile("fitness.wordpress.xml", export_path.read_bytes(), "text/xml")


def test_the_export_and_a_zip_of_the_uploads_bring_the_images(owner, export_path, client):
    html = streamed(
        owner.post(ADD, {"export": xml(export_path), "uploads": zip_of(uploads_tree())})
    )
    assert '<progress max="100" value="0">' in html and "Unpacking the files" in html
    assert "placing the images" in html
    assert "Import done." in html and "Images: 1 new, 0 already here" in html
    run = ImportRun.objects.get()
    assert run.ok and run.counts["images_new"] == 1
    assert run.report in html.replace("&#x27;", "'").replace("&quot;", '"')  # the CLI's report
    guide = Article.objects.get(slug=GUIDE)
    assert guide.featured_image == Image.objects.get()
    old = client.get("/wp-content/uploads/2026/12/twitch-guide.png")
    assert old.status_code == 301 and old["Location"] == guide.featured_image.file.url


@pytest.mark.parametrize(
    "prefix", ["wp-content/uploads/", "uploads/", "", "site/wp-content/uploads/"]
)
def test_the_export_and_its_uploads_in_one_zip_in_any_layout(owner, export_path, prefix):
    together = zip_of(
        {"fitness.wordpress.xml": export_path, **uploads_tree(prefix)}, name="site.zip"
    )
    html = streamed(owner.post(ADD, {"export": together}))
    assert "Import done." in html and "Images: 1 new" in html
    assert Comment.objects.count() == 23 and Image.objects.count() == 1


def test_a_dry_run_with_uploads_writes_no_image(owner, export_path):
    html = streamed(
        owner.post(
            ADD, {"export": xml(export_path), "uploads": zip_of(uploads_tree()), "dry_run": "on"}
        )
    )
    assert "Dry run done: nothing was saved." in html and "Images: 1 new" in html
    assert not Image.objects.exists() and not Comment.objects.exists()


def test_the_temporary_folder_is_removed(owner, export_path, tmp_path, monkeypatch):
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    streamed(owner.post(ADD, {"export": xml(export_path), "uploads": zip_of(uploads_tree())}))
    assert list(tmp_path.iterdir()) == []


# --- what a hostile or wrong zip gets ---------------------------------------------------------


def test_uploads_that_are_not_a_zip_are_a_form_error(owner, export_path):
    bad = SimpleUploadedFile("uploads.zip", b"not a zip at all", "application/zip")
    response = owner.post(ADD, {"export": xml(export_path), "uploads": bad})
    assert response.status_code == 200 and not response.streaming
    assert "This is not a zip file" in response.content.decode()
    assert not ImportRun.objects.exists()


def test_a_zip_without_an_export_says_so(owner):
    html = streamed(owner.post(ADD, {"export": zip_of(uploads_tree(), name="site.zip")}))
    assert "The zip holds no export (.xml)" in html
    assert not ImportRun.objects.get().ok and not Article.objects.exists()


def test_zip_slip_names_are_never_written(owner, export_path, tmp_path, monkeypatch):
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.setattr("tempfile.tempdir", str(work))
    png = (UPLOADS / "2026/12/twitch-guide-150x150.png").read_bytes()
    hostile = zip_of(
        {
            "../../escaped.png": png,
            "/etc/absolute.png": png,
            "wp-content/uploads/../../../up.png": png,
            "C:/windows.png": png,
            "..\\back.png": png,
            **uploads_tree(),
        }
    )
    html = streamed(owner.post(ADD, {"export": xml(export_path), "uploads": hostile}))
    assert "Import done." in html and "Images: 1 new" in html
    assert html.count("its name points outside the folder (refused: zip-slip)") == 5
    assert not list(tmp_path.rglob("*.png"))  # nothing escaped, and the folder is gone
    assert not Path("/etc/absolute.png").exists()


def test_a_symlink_in_the_zip_is_refused(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as made:
        link = zipfile.ZipInfo("2026/12/link.png")
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        made.writestr(link, "/etc/passwd")
    unpacked = archive.unpack(io.BytesIO(buffer.getvalue()), into=tmp_path, limit_bytes=10**6)
    assert unpacked.left_out == [("2026/12/link.png", "a link or a special file (refused)")]
    assert not (tmp_path / "uploads/2026/12/link.png").exists()


def test_a_zip_bomb_is_refused_by_its_ratio(tmp_path):
    bomb = zip_of({"2026/12/bomb.png": b"\0" * (20 * 1024 * 1024)})
    unpacked = archive.unpack(bomb, into=tmp_path, limit_bytes=10**9)
    assert "refused as a zip bomb" in unpacked.left_out[0][1]
    assert not (tmp_path / "uploads/2026/12/bomb.png").exists()


def test_a_zip_that_unpacks_beyond_the_limit_is_refused(owner, export_path, settings):
    settings.WORDPRESS_UPLOADS_MAX_MB = 1
    # 3 MB of two letters: a zip of ~0.4 MB (under the limit) that unpacks 8 times bigger,
    # far from a bomb's ratio, but to more than the limit.
    noise = bytes(random.Random(31).choices(b"ab", k=3 * 1024 * 1024))
    html = streamed(
        owner.post(ADD, {"export": xml(export_path), "uploads": zip_of({"2026/12/big.png": noise})})
    )
    assert "The zip unpacks to more than the import takes (WORDPRESS_UPLOADS_MAX_MB)" in html
    assert not ImportRun.objects.get().ok and not Article.objects.exists()


def test_a_lying_size_is_caught_while_unpacking(tmp_path):
    """The zip's declared size is not trusted: what is written is counted."""
    data = zip_of({"2026/12/a.png": b"x" * 5000}).read()
    with pytest.raises(archive.ArchiveError, match="unpacks to more"):
        archive.unpack(io.BytesIO(data), into=tmp_path, limit_bytes=4000)
    assert not (tmp_path / "uploads/2026/12/a.png").exists()


def test_only_images_are_taken(tmp_path):
    unpacked = archive.unpack(
        zip_of(
            {"2026/12/notes.php": b"<?php evil(); ?>", "2026/12/a.pdf": b"%PDF", "x.svg": b"<svg/>"}
        ),
        into=tmp_path,
        limit_bytes=10**6,
        want_export=False,
    )
    assert {why for _, why in unpacked.left_out} == {"not an image the media library takes"}
    assert not list((tmp_path / "uploads").rglob("*.*"))


def test_a_fake_image_in_the_zip_is_refused_by_the_media_library(owner, variant):
    """Named .png, not one: the import's validation (the media library's) says so."""
    html = streamed(
        owner.post(
            ADD,
            {
                "export": xml(variant()),
                "uploads": zip_of({"2026/12/twitch-guide.png": b"<script>alert(1)</script>"}),
            },
        )
    )
    assert "not an image the site can read" in html
    assert not Image.objects.exists()


def test_several_exports_in_one_zip_are_refused(owner, export_path):
    two = zip_of({"a.xml": export_path, "b.xml": export_path}, name="site.zip")
    html = streamed(owner.post(ADD, {"export": two}))
    assert "more than one .xml file" in html and not Article.objects.exists()


def test_the_command_takes_the_uploads_as_a_zip_too(export_path, tmp_path, run_import):
    path = tmp_path / "uploads.zip"
    path.write_bytes(zip_of(uploads_tree()).read())
    report = run_import(export_path, "--uploads", str(path))
    assert "Images: 1 new, 0 already here" in report
    assert Article.objects.get(slug=GUIDE).featured_image is not None


def test_the_progress_page_says_its_charset(owner, export_path):
    """Streamed, it is read as it comes: without a charset a browser guessed Latin-1 (…)."""
    response = owner.post(ADD, {"export": xml(export_path)})
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert "no-store" in response["Cache-Control"]
    assert "placing the images…" in streamed(response)


def test_an_import_that_breaks_says_so_on_the_page_and_saves_nothing(
    owner, export_path, monkeypatch
):
    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("wordpress.importing.comments.Comments.save_pending", broken)
    html = streamed(owner.post(ADD, {"export": xml(export_path)}))
    assert "The import stopped on an error: nothing was saved." in html
    assert html.rstrip().endswith("</html>")  # a whole page all the same
    run = ImportRun.objects.get()
    assert not run.ok and "RuntimeError" in run.report
    assert not Article.objects.exists() and not Comment.objects.exists()
