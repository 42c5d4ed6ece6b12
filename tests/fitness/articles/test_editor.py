"""The article editor in the admin: preview, media library, warnings after a save; the
"Authors" group's image permissions."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from fitness.articles.models import Image
from tests.factories import ArticleFactory, UserFactory
from tests.fitness.articles.media_helpers import make_image, upload

pytestmark = pytest.mark.django_db


def test_the_migration_gives_authors_the_image_permissions():
    authors = Group.objects.get(name="Authors")
    codenames = set(
        authors.permissions.filter(content_type__model="image").values_list("codename", flat=True)
    )
    assert codenames == {"add_image", "view_image", "change_image"}


def test_preview_renders_as_readers_see_it_and_says_what_was_removed(admin_client):
    answer = admin_client.post(
        reverse("admin:fitness_article_preview"),
        {"body": "## Hi\n\n<script>alert(1)</script><iframe src='https://x.example'></iframe>"},
    ).json()
    assert answer["html"].startswith("<h2>Hi</h2>") and "<script" not in answer["html"]
    assert any("<script> was removed" in p for p in answer["problems"])
    assert any("<iframe> was removed" in p for p in answer["problems"])


def test_preview_needs_the_article_change_permission(client):
    client.force_login(UserFactory(username="helper", is_staff=True))
    assert client.post(reverse("admin:fitness_article_preview"), {"body": "x"}).status_code == 403
    client.logout()
    assert client.post(reverse("admin:fitness_article_preview"), {"body": "x"}).status_code == 302


def test_the_change_form_has_the_editor_and_no_inline_script(admin_client, article):
    response = admin_client.get(reverse("admin:fitness_article_change", args=[article.pk]))
    html = response.content.decode()
    assert 'class="body-editor"' in html and "js/admin-editor.js" in html
    assert 'id="id_featured_image"' in html
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]


def test_saving_a_body_with_script_warns_the_author(admin_client, article):
    data = {
        "title": article.title, "slug": article.slug, "category": "Fitness", "byline": "",
        "excerpt": "", "body": "Hello <script>alert(1)</script> <b onclick='x()'>there</b>",
        "status": "published", "publish_at": "2024-01-01T10:00",
        "comments_open": "on",
    }  # fmt: skip
    response = admin_client.post(
        reverse("admin:fitness_article_change", args=[article.pk]), data, follow=True
    )
    warnings = [str(m) for m in response.context["messages"] if m.level_tag == "warning"]
    assert any("<script> was removed" in w for w in warnings)
    assert any("onclick= was removed from <b>" in w for w in warnings)
    article.refresh_from_db()
    assert "<script" not in article.body_html


def test_an_author_uploads_from_the_editor_and_gets_the_markdown(
    client, author, django_capture_on_commit_callbacks
):
    client.force_login(author)
    with django_capture_on_commit_callbacks(execute=True):  # the renditions task, after it
        response = client.post(
            reverse("admin:fitness_image_library_upload"),
            {"file": upload(width=1000, height=500), "alt": "Foam roller", "caption": ""},
        )
    assert response.status_code == 201
    image = Image.objects.get()
    assert response.json()["image"]["markdown"] == f"![Foam roller](image:{image.pk})"
    assert image.uploaded_by == author and len(image.renditions) == 3
    listed = client.get(reverse("admin:fitness_image_library"), {"q": "foam"}).json()
    assert [i["id"] for i in listed["images"]] == [image.pk]


def test_an_upload_without_alt_text_or_not_an_image_is_refused_in_words(client, author):
    client.force_login(author)
    url = reverse("admin:fitness_image_library_upload")
    errors = client.post(url, {"file": upload(), "alt": ""}).json()["errors"]
    assert errors["alt"] == [
        "Describe the image in a few words: alt text is read aloud to blind readers."
    ]
    from django.core.files.uploadedfile import SimpleUploadedFile

    errors = client.post(url, {"file": SimpleUploadedFile("a.jpg", b"nope"), "alt": "x"}).json()[
        "errors"
    ]
    assert "Upload a valid image" in errors["file"][0] or "not an image" in errors["file"][0]
    assert not Image.objects.exists()


def test_an_author_changes_only_their_own_images(client, author):
    theirs = make_image(alt="Someone else's")
    client.force_login(author)
    assert client.get(reverse("admin:fitness_image_change", args=[theirs.pk])).status_code == 200
    response = client.post(
        reverse("admin:fitness_image_change", args=[theirs.pk]),
        {"alt": "Changed", "caption": "", "credit": ""},
    )
    assert response.status_code == 403
    theirs.refresh_from_db()
    assert theirs.alt == "Someone else's"


def test_image_admin_upload_makes_renditions(admin_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:fitness_image_add"),
            {"file": upload(width=900, height=600), "alt": "Plank", "caption": "", "credit": ""},
        )
    assert response.status_code == 302
    image = Image.objects.get()
    assert [r["width"] for r in image.renditions] == [480, 800, 900]
    changelist = admin_client.get(reverse("admin:fitness_image_changelist")).content.decode()
    assert f"![Plank](image:{image.pk})" in changelist


def test_article_page_query_count_does_not_grow_with_body_images(client):
    images = [make_image(alt=f"Image {n}", width=600, height=400) for n in range(3)]
    one = ArticleFactory(title="One image", body=f"![](image:{images[0].pk})")
    three = ArticleFactory(
        title="Three images", body=" ".join(f"![](image:{i.pk})" for i in images)
    )
    assert three.body_html.count("<img") == 3
    for article in (one, three):  # warm what a first request caches
        client.get(article.get_absolute_url())
    assert _count(client, one) == _count(client, three)


def _count(client, article):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        client.get(article.get_absolute_url())
    return len(queries)


def test_the_csp_frames_only_the_two_video_players(client, article):
    policy = client.get(article.get_absolute_url()).headers["Content-Security-Policy"]
    frame_src = next(d for d in policy.split("; ") if d.startswith("frame-src "))
    assert frame_src == "frame-src https://www.youtube-nocookie.com https://player.vimeo.com"


def test_the_video_script_is_sent_only_with_a_video(client):
    plain = ArticleFactory(title="Plain", body="Just text.")
    video = ArticleFactory(title="Video", body="<https://vimeo.com/76979871>")
    assert "video-embeds.js" not in client.get(plain.get_absolute_url()).content.decode()
    assert "video-embeds.js" in client.get(video.get_absolute_url()).content.decode()


def test_changing_or_deleting_an_image_renders_the_articles_that_show_it_again(admin_client):
    image = make_image(alt="Old words", width=600, height=400)
    article = ArticleFactory(title="Shows it", body=f"Look:\n\n![](image:{image.pk})\n")
    old_file = image.renditions[0]["name"]
    admin_client.post(
        reverse("admin:fitness_image_change", args=[image.pk]),
        {"file": upload(width=900, height=600), "alt": "New words", "caption": "", "credit": ""},
    )
    article.refresh_from_db()
    image.refresh_from_db()
    assert 'alt="New words"' in article.body_html and 'width="900"' in article.body_html
    from django.core.files.storage import default_storage

    assert not default_storage.exists(old_file)  # the replaced file's copies are gone
    names = [image.file.name, *(r["name"] for r in image.renditions)]
    admin_client.post(reverse("admin:fitness_image_delete", args=[image.pk]), {"post": "yes"})
    article.refresh_from_db()
    assert not Image.objects.exists() and "<img" not in article.body_html
    assert not any(default_storage.exists(name) for name in names)
