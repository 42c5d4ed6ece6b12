"""And out again (issue 31): `export_wordpress` writes articles, comments, pages, terms, images
(with their files) and the old addresses this site answers; importing that export into an empty
site gives the same site."""

import hashlib
import io
import re
import zipfile
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from PIL import Image as PILImage
from PIL import ImageChops

from comments.models import Comment
from fitness.articles.models import Article, Category, Image, Page, Redirect, Tag
from tests.factories import (
    ArticleFactory,
    CategoryFactory,
    CommentFactory,
    TagFactory,
    UserFactory,
)
from tests.fitness.articles.media_helpers import image_bytes
from wordpress import wxr
from wordpress.models import ImportRun

pytestmark = pytest.mark.django_db


def library_image(alt, *, size=(900, 600), kind="PNG", **fields):
    image = Image(alt=alt, **fields)
    data = image_bytes(*size, kind=kind)
    image.file = ContentFile(data, name=f"{alt.split()[0].lower()}.{kind.lower()}")
    image.prepare()
    image.save()
    return image


@pytest.fixture
def site_a(imported):
    """The imported WordPress site, and what was written here since: a Markdown article with
    an image in its body, SEO fields and a reply thread; an image no article shows; a hidden
    page; a category no article uses."""
    chart = library_image("A chart of sleep hours", caption="Hours a night", credit="Dana")
    library_image("Unused photo", size=(500, 300), kind="JPEG", credit="CC BY 4.0")
    writer = UserFactory(username="ana", first_name="Ana", last_name="Ruiz")
    article = ArticleFactory(
        title="Sleep and recovery",
        slug="sleep-and-recovery",
        byline="",
        author=writer,
        body=f"Rest well.\n\n![A chart]({'image:'}{chart.pk})\n\n## Why\n\n- deep sleep\n",
        excerpt="Why sleep matters.",
        seo_title="Sleep for athletes",
        meta_description="What sleep does for recovery.",
        featured_image=chart,
        categories=[CategoryFactory(name="Recovery", slug="recovery")],
        tags=[TagFactory(name="sleep", slug="sleep")],
        publish_at=timezone.now().replace(microsecond=0) - timedelta(days=3),
    )
    first = CommentFactory(article=article, author_name="Lee", status="approved")
    CommentFactory(parent=first, author_name="Kim", status="pending", ip_address="2001:db8::1")
    Page.objects.create(
        title="Contact", slug="contact", body="Write to us.", status="published",
        in_footer=False, menu_order=3,
    )  # fmt: skip
    Category.objects.create(name="Nutrition", slug="nutrition", description="Food for training.")


def image_key(image):
    return f"{image.alt}|{image.width}x{image.height}"


def picture(image):
    with image.file.open("rb") as file, PILImage.open(file) as opened:
        return opened.format, opened.convert("RGB")


def file_digest(image):
    with image.file.open("rb") as file:
        return hashlib.sha256(file.read()).hexdigest()


def snapshot():
    """The site as a reader and an editor see it, by natural keys (no database ids); dates to
    the second (a WXR date has seconds)."""
    images = {image.pk: image_key(image) for image in Image.objects.all()}

    def body(text):
        return re.sub(r"image:(\d+)", lambda m: f"image:{images.get(int(m.group(1)))}", text)

    def comments(article):
        rows = list(article.comments.order_by("created_at", "pk"))
        place = {c.pk: n for n, c in enumerate(rows)}
        return [
            (
                c.author_name, c.author_email, c.author_url, c.body, c.body_html, c.status,
                c.created_at.replace(microsecond=0), place.get(c.parent_id), c.depth,
                c.ip_address, c.user.username if c.user else None,
            )
            for c in rows
        ]  # fmt: skip

    def resolved(redirect):
        location = redirect.location().replace("?from=wordpress", "")
        for image in Image.objects.all():
            if location == image.file.url:
                return ("image", image_key(image), None)
            for r in image.renditions:
                if location == image.file.storage.url(r["name"]):
                    return ("image", image_key(image), r["width"])
        return location

    return {
        "articles": {
            a.slug: (
                a.title, a.excerpt, body(a.body), a.status, a.publish_at.replace(microsecond=0),
                a.author.username if a.author else None, a.author_name,
                sorted(c.slug for c in a.categories.all()), sorted(t.slug for t in a.tags.all()),
                images.get(a.featured_image_id), a.comments_open, a.seo_title,
                a.meta_description, a.comment_count, comments(a),
            )
            for a in Article.objects.all()
        },
        "pages": {
            p.slug: (p.title, body(p.body), p.status, p.in_footer, p.menu_order)
            for p in Page.objects.all()
        },
        "categories": {(c.slug, c.name, c.description) for c in Category.objects.all()},
        "tags": {(t.slug, t.name, t.description) for t in Tag.objects.all()},
        "images": {
            image_key(i): (
                i.caption, i.credit, picture(i)[0], [r["width"] for r in i.renditions],
            )
            for i in Image.objects.all()
        },
        "redirects": {r.old_path: resolved(r) for r in Redirect.objects.all()},
    }  # fmt: skip


def empty_the_site():
    Comment.objects.all().delete()
    Article.objects.all().delete()
    Page.objects.all().delete()
    Image.objects.all().delete()
    Redirect.objects.all().delete()
    Category.objects.all().delete()
    Tag.objects.all().delete()
    ImportRun.objects.all().delete()
    get_user_model().objects.all().delete()
    from wordpress.models import ImportedPost

    ImportedPost.objects.all().delete()


def test_importing_our_own_export_into_an_empty_site_gives_the_same_site(site_a, tmp_path, client):
    before = snapshot()
    assert len(before["images"]) == 3 and len(before["pages"]) == 2
    pictures = {image_key(i): picture(i)[1] for i in Image.objects.all()}
    digests = {file_digest(i) for i in Image.objects.all()}
    call_command("export_wordpress", str(tmp_path / "site.zip"), stderr=io.StringIO())
    with zipfile.ZipFile(tmp_path / "site.zip") as made:
        files = {n: made.read(n) for n in made.namelist() if n.startswith("wp-content/uploads/")}
        assert "site.xml" in made.namelist()
    # The images' files, exactly as this site keeps them.
    assert {hashlib.sha256(data).hexdigest() for data in files.values()} == digests

    empty_the_site()
    owner = UserFactory(username="owner", is_staff=True, is_superuser=True)
    client.force_login(owner)
    upload = SimpleUploadedFile("site.zip", (tmp_path / "site.zip").read_bytes())
    response = client.post(reverse("admin:wordpress_importrun_add"), {"export": upload})
    html = b"".join(response.streaming_content).decode()
    assert "Import done." in html, html[-3000:]
    owner.delete()

    after = snapshot()
    for part in ("articles", "pages", "categories", "tags", "images"):
        assert after[part] == before[part], part
    # The same pictures: a PNG to the pixel, a JPEG within what saving it again changes.
    for image in Image.objects.all():
        kind, pixels = picture(image)
        difference = ImageChops.difference(pixels, pictures[image_key(image)])
        worst = max(high for _, high in difference.getextrema())
        assert worst == 0 if kind == "PNG" else worst < 40, (image_key(image), worst)
    # Every old address answers as it did, and nothing else was made an old address.
    assert after["redirects"] == before["redirects"]
    assert len(before["redirects"]) == 24
    # And the pages show it: the article's body image, the old image address, the old post.
    article = Article.objects.get(slug="sleep-and-recovery")
    page = client.get(article.get_absolute_url()).content.decode()
    assert 'alt="A chart"' in page and "srcset=" in page
    old = client.get("/wp-content/uploads/2026/12/twitch-guide-300x158.png")
    assert old.status_code == 301 and client.get(old["Location"]).status_code == 200
    assert client.get("/2010/03/15/why-do-muscles-twitch-after-a-workout/").status_code == 301


def test_wordpress_reads_the_html_and_the_attachments(site_a, tmp_path):
    """What WordPress itself uses: the body's HTML with its images at their uploads address,
    the attachments with their file's address and alt text, the files beside the export."""
    call_command("export_wordpress", str(tmp_path / "site.xml"), stderr=io.StringIO())
    entries = list(wxr.read(str(tmp_path / "site.xml")))
    items = {(v.type, v.slug): v for k, v in entries if k == "item"}
    article = items[("post", "sleep-and-recovery")]
    chart = next(
        v for (t, _), v in items.items() if t == "attachment" and v.title.startswith("A chart")
    )
    assert f'<img alt="A chart" height="600" src="{chart.attachment_url}" width="900">' in (
        article.content
    )
    assert (
        chart.attachment_url.startswith("http://")
        and "/wp-content/uploads/" in chart.attachment_url
    )
    assert article.meta["_thumbnail_id"] == chart.id
    assert chart.meta["_wp_attachment_image_alt"] == "A chart of sleep hours"
    relative = chart.meta["_wp_attached_file"]
    assert (tmp_path / "site-uploads" / relative).is_file()
    assert items[("page", "contact")].status == "publish"
    assert len({v.id for v in items.values()}) == len(items)  # one sequence of ids
