"""The admin page that imports an uploaded export and shows the report."""

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from comments.models import Comment
from tests.factories import UserFactory
from wordpress.models import ImportRun

pytestmark = pytest.mark.django_db

ADD = reverse("admin:wordpress_importrun_add")


@pytest.fixture
def importer_client(client):
    user = UserFactory(username="owner", is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["add_importrun", "view_importrun"])
    )
    client.force_login(user)
    return client


def page(response):
    """The page as the browser gets it: the import's page is streamed as it goes."""
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def upload(path):
    return SimpleUploadedFile("fitness.wordpress.xml", path.read_bytes(), "text/xml")


def test_staff_without_the_permission_cannot_import(client, staff_user, export_path):
    client.force_login(staff_user)
    assert client.get(ADD).status_code == 403
    assert client.post(ADD, {"export": upload(export_path)}).status_code == 403
    assert not Comment.objects.exists()


def test_an_owner_uploads_the_export_and_reads_the_report(importer_client, export_path):
    assert "Import from WordPress" in importer_client.get(ADD).content.decode()
    response = importer_client.post(ADD, {"export": upload(export_path)}, follow=True)
    html = page(response)
    assert "Import done." in html
    assert "Comments: 23 new (20 approved, 2 pending, 0 spam, 1 removed)" in html
    assert "Pages: 1 new" in html
    run = ImportRun.objects.get()
    assert run.ok and run.by.username == "owner" and run.counts["comments_new"] == 23
    assert Comment.objects.count() == 23


def test_a_dry_run_from_the_admin_saves_nothing_but_the_report(importer_client, export_path):
    response = importer_client.post(
        ADD, {"export": upload(export_path), "dry_run": "on"}, follow=True
    )
    assert "DRY RUN" in page(response)
    assert not Comment.objects.exists() and ImportRun.objects.get().dry_run


def test_a_bad_upload_shows_the_message(importer_client):
    bad = SimpleUploadedFile("notes.xml", b"<html></html>", "text/xml")
    response = importer_client.post(ADD, {"export": bad}, follow=True)
    assert "This is not a WordPress export" in page(response)
    assert not ImportRun.objects.get().ok


def test_bad_values_in_an_upload_are_listed_and_the_rest_imported(importer_client, variant):
    """Issue 28: each of these answered 500, the whole import rolled back."""
    path = variant(
        ("<wp:post_id>9</wp:post_id>", f"<wp:post_id>{2**63}</wp:post_id>"),
        ("<wp:comment_id>4</wp:comment_id>", f"<wp:comment_id>{2**63}</wp:comment_id>"),
        ("<![CDATA[203.0.113.5]]>", "<![CDATA[fe80::1%eth0]]>"),
        ('a:3:{s:4:"time";d:1271160000.25;', "a:1:{i:0;" * 5000 + "N;" + "}" * 5000 + "X"),
    )
    response = importer_client.post(ADD, {"export": upload(path)}, follow=True)
    html = page(response)
    assert response.status_code == 200 and "Import done." in html
    assert f"no valid post id (&#x27;{2**63}&#x27;)" in html
    assert f"no valid comment id (&#x27;{2**63}&#x27;)" in html
    assert "invalid IP address &#x27;fe80::1%eth0&#x27;: left out" in html
    assert "unreadable Akismet meta (arrays nested deeper than 64)" in html
    assert Comment.objects.count() == 22 and ImportRun.objects.get().ok


def test_the_page_says_the_largest_export_it_takes(importer_client, settings):
    settings.WORDPRESS_IMPORT_MAX_MB = 64
    html = importer_client.get(ADD).content.decode()
    assert "At most 64 MB here (WORDPRESS_IMPORT_MAX_MB)" in html


def test_a_larger_export_is_refused_with_a_form_error(importer_client, export_path, settings):
    """Django limits no uploaded file (DATA_UPLOAD_MAX_MEMORY_SIZE leaves files out): the form
    does, in words."""
    settings.WORDPRESS_IMPORT_MAX_MB = 1
    text = export_path.read_bytes()
    big = text.replace(b"</channel>", b"<!-- " + b"x" * (1024 * 1024) + b" --></channel>")
    response = importer_client.post(ADD, {"export": SimpleUploadedFile("big.xml", big, "text/xml")})
    html = page(response)
    assert response.status_code == 200
    assert "This export is 1.1 MB; the import page takes at most 1 MB" in html
    assert not ImportRun.objects.exists() and not Comment.objects.exists()
    settings.WORDPRESS_IMPORT_MAX_MB = 2  # the same file under a higher limit goes through
    response = importer_client.post(
        ADD, {"export": SimpleUploadedFile("big.xml", big, "text/xml")}, follow=True
    )
    assert "Import done." in page(response)
