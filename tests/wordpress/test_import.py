"""Importing the shared WordPress export, checked as a reader and a moderator see it."""

import re

import pytest
from django.urls import reverse

from comments.models import Comment, CommentEvent
from fitness.articles.models import Article, Category, Image, Page, Redirect
from tests.wordpress.conftest import SEED_LINK, SEED_SLUG, UPLOADS
from wordpress.models import ImportedComment, ImportedPost

pytestmark = pytest.mark.django_db

QUEUE = reverse("admin:comments_comment_changelist")
SPAM_PAULA = (
    "<wp:comment_approved><![CDATA[0]]></wp:comment_approved>",
    "<wp:comment_approved><![CDATA[spam]]></wp:comment_approved>",
)  # Paula's comment, the first held one; WordPress's exporter leaves spam out, others do not


def seed():
    return Article.objects.get(slug=SEED_SLUG)


def wp(comment_id):
    return ImportedComment.objects.get(source_id=comment_id).comment


def test_the_seed_page_reads_as_on_wordpress(client, imported):
    html = client.get(seed().get_absolute_url()).content.decode()
    assert ">20 Comments</h2>" in html
    # 18 numbered threads; replies under threads 1 and 9 (the second by the logged-in author)
    assert re.findall(r'comment-number">(\d+)\.', html) == [str(n) for n in range(1, 19)]
    replies = Comment.objects.filter(article=seed(), depth=1, status="approved")
    assert {(wp(3).parent_id, wp(12).parent_id)} == {(wp(2).pk, wp(11).pk)}
    assert set(replies) == {wp(3), wp(12)}
    assert html.count('class="comment depth-2') == 2
    tops = Comment.objects.filter(article=seed(), depth=0, thread_visible=True)
    assert list(tops.order_by("created_at").values_list("pk", flat=True))[8] == wp(11).pk
    assert wp(12).user.username == "dana"  # comment_user_id matched the imported author
    for hidden in ("<strong>magnesium", "cold showers", "blog is nonsense", "Running Weekly"):
        assert hidden not in html  # pending, pending, trash, pingback
    assert seed().comment_count == 20


def test_held_and_spam_are_in_the_queue_with_their_history(
    client, moderator_client, variant, run_import
):
    run_import(variant(SPAM_PAULA))
    paula, walter, troll = wp(24), wp(25), wp(26)
    assert (paula.status, walter.status, troll.status) == ("spam", "pending", "removed")
    page = client.get(seed().get_absolute_url()).content.decode()
    assert "<strong>magnesium" not in page and "cold showers" not in page
    assert "cold showers" in moderator_client.get(QUEUE + "?status=pending").content.decode()
    assert (
        "Does magnesium really help"
        in moderator_client.get(QUEUE + "?status=spam").content.decode()
    )

    for comment in (paula, walter, troll):
        history = list(comment.history.all())
        assert history[0].note.startswith("Imported from WordPress")
        assert history[1].kind == CommentEvent.Kind.AKISMET_CHECK
        assert history[1].note == "check-ham: checked: not spam."
        assert comment.akismet_verdict == "ham"
    assert [e.to_status for e in troll.history.all()] == ["approved", "", "removed"]
    assert troll.history.last().note == "Moved to the trash in WordPress."
    change = moderator_client.get(reverse("admin:comments_comment_change", args=[walter.pk]))
    assert "Imported from WordPress" in change.content.decode()
    assert walter.user_agent == "Mozilla/5.0 (Windows NT 6.1) Firefox/3.6"  # Akismet's copy


def test_old_addresses_answer_301_to_the_new_page(client, imported):
    # Flagged, so the page's script can tell WordPress's #comment-N from ours (below).
    url = seed().get_absolute_url() + "?from=wordpress"
    for old in (
        SEED_LINK,
        SEED_LINK.rstrip("/"),
        "/?p=5",
        "/?p=5&utm_source=x",
        SEED_LINK + "?replytocom=3",
    ):
        response = client.get(old)
        assert (response.status_code, response["Location"]) == (301, url), old
    guide = Article.objects.get(slug="understanding-muscle-twitching-guide")
    assert client.get("/?p=6")["Location"] == guide.get_absolute_url() + "?from=wordpress"
    attachment_page = "/2011/06/02/understanding-muscle-twitching-guide/muscle-twitching-guide/"
    assert client.get(attachment_page)["Location"].startswith(guide.get_absolute_url())
    feed = client.get(SEED_LINK + "feed/")
    assert feed["Location"] == reverse("comments:feed", kwargs={"slug": SEED_SLUG})
    # Their category and tag pages are this site's own, at the same address: served.
    fitness = client.get("/category/fitness/")
    assert fitness.status_code == 200 and guide.title in fitness.content.decode()
    assert guide.title in client.get("/tag/cramps/").content.decode()
    # A category no post used is not made here: its old page goes home.
    assert client.get("/category/uncategorized/")["Location"] == "/"
    # WordPress's comments feed address is this site's own comments feed: served, not redirected.
    comments_feed = client.get("/comments/feed/")
    assert comments_feed.status_code == 200 and b"<rss" in comments_feed.content
    assert client.get(url).status_code == 200
    assert client.get(seed().get_absolute_url()).status_code == 200
    assert client.get("/2010/03/15/no-such-post/").status_code == 404  # no guessing
    # A post WordPress never had is a 404, not the home page shown as if it were the answer.
    assert client.get("/?p=999").status_code == 404


def test_a_wordpress_comment_id_has_a_permalink(client, imported):
    response = client.get(reverse("wordpress:comment_permalink", args=[9]))
    assert response.status_code == 301
    assert response["Location"] == f"{seed().get_absolute_url()}#comment-{wp(9).pk}"
    assert client.get(reverse("wordpress:comment_permalink", args=[24])).status_code == 404


def snapshot():
    from django.contrib.auth import get_user_model

    models = (Article, Page, Comment, CommentEvent, Redirect, ImportedPost, ImportedComment)
    rows = {m.__name__: list(m.objects.order_by("pk").values()) for m in models}
    rows["users"] = list(get_user_model().objects.order_by("pk").values())
    return rows


def test_a_second_import_changes_nothing(export_path, imported, run_import):
    before = snapshot()
    report = run_import(export_path)
    assert snapshot() == before
    assert "Articles: 0 new (0 published, 0 scheduled, 0 draft), 0 updated, 4 unchanged" in report
    assert "Comments: 0 new" in report and "23 unchanged" in report
    # The comments feed, the category and tag pages are served here, not redirected; the page
    # adds its link and ?page_id=.
    # 14, and ?cat= of the 4 categories, ?author= of the author, the upload and its 4 copies.
    assert "Redirects: 0 new, 24 kept" in report


def test_a_later_export_adds_what_is_new_and_keeps_moderation_done_here(
    moderator, variant, imported, run_import
):
    from comments.services.status import approve, remove

    approve(wp(24), by=moderator)  # Paula, approved here; still held in WordPress
    remove(wp(4), by=moderator)  # amy, removed here
    later = variant(
        # WordPress approved Walter's and added a reply to Jessica's
        (
            "cold showers after a run?]]></wp:comment_content>\n\t\t\t<wp:comment_approved>"
            "<![CDATA[0]]>",
            "cold showers after a run?]]></wp:comment_content><wp:comment_approved>1",
        ),
        (
            "</wp:comment>\n\t\t\t\t\t</item>",
            "</wp:comment><wp:comment><wp:comment_id>30</wp:comment_id>"
            "<wp:comment_author>Nina</wp:comment_author><wp:comment_date_gmt>2011-05-01 10:00:00"
            "</wp:comment_date_gmt><wp:comment_content>Later reply.</wp:comment_content>"
            "<wp:comment_approved>1</wp:comment_approved><wp:comment_parent>2"
            "</wp:comment_parent></wp:comment>\n\t\t\t\t\t</item>",
        ),
    )
    report = run_import(later)
    assert "Comments: 1 new (1 approved" in report
    assert (wp(24).status, wp(4).status, wp(25).status) == ("approved", "removed", "approved")
    assert wp(30).parent == wp(2) and wp(30).path.startswith(wp(2).path + "/")
    assert Comment.objects.filter(article=seed()).count() == 24
    assert seed().comment_count == 20 + 1 - 1 + 1 + 1  # Paula, amy, Walter, Nina
    assert wp(25).history.last().note.startswith("Changed in WordPress")


def test_articles_keep_status_dates_content_categories_and_tags(imported):
    guide = Article.objects.get(slug="understanding-muscle-twitching-guide")
    assert guide.is_published and guide.byline == "Dana Reyes"
    assert [(c.slug, c.name) for c in guide.categories.all()] == [
        ("fitness", "Fitness"),
        ("health", "Health"),
    ]
    assert [t.name for t in guide.tags.all()] == ["cramps", "sleep"]
    assert [t.name for t in seed().tags.all()] == ["cramps", "electrolytes", "walking"]
    scheduled = Article.objects.get(slug="magnesium-and-sleep")
    assert {c.slug for c in scheduled.categories.all()} == {"health", "recovery"}
    # Created by slug, once: the two posts in Health share one category.
    assert Category.objects.filter(slug="health").count() == 1
    assert not Category.objects.filter(slug="uncategorized").exists()
    assert guide.excerpt == "A simple guide to why muscles twitch and when to see a doctor."
    assert "wp:" not in guide.body and "<!--" not in guide.body
    for kept in (
        "<h2>What is Muscle Twitching?</h2>",
        "<ul><li>Fasciculations",
        "<th>Condition",
        "<td>Immediate medical attention</td>",
    ):
        assert kept in guide.body_html
    assert seed().publish_at.isoformat() == "2010-03-15T09:00:00+00:00"
    scheduled = Article.objects.get(slug="magnesium-and-sleep")
    assert scheduled.status == "published" and not scheduled.is_published  # 2027-01-15
    assert Article.objects.get(slug="stretching-before-or-after").status == "draft"
    assert not Article.objects.filter(title="About Fitness").exists()  # a page, not an article


def test_the_page_becomes_a_page_at_its_old_slug_linked_from_the_footer(imported, client):
    about = Page.objects.get(slug="about")
    assert about.title == "About Fitness" and about.is_published
    html = client.get("/about/").content.decode()
    assert "<h1" in html and "About Fitness" in html
    assert '<a href="/about/">About Fitness</a>' in client.get("/").content.decode()
    for old in ("/index.php/about/", "/?page_id=8"):
        response = client.get(old)
        assert (response.status_code, response["Location"]) == (301, "/about/"), old
    assert "About Fitness" not in client.get("/feed/").content.decode()


def test_the_report_lists_what_was_not_imported(imported):
    assert "Pages: 1 new, 0 updated, 0 unchanged" in imported
    assert "comment 27 on post 5 by 'Running Weekly': a pingback" in imported
    assert "no tags in this version" not in imported and "only the first category" not in imported
    assert "Images: 1 new, 0 already here" in imported
    assert "featured image (attachment 7)" not in imported  # imported: below


GUIDE_FIRST_PARAGRAPH = "<p>Muscle twitching, also known as myoclonus,"
UPLOADED = "https://fitness.example.com/wp-content/uploads/2026/12/twitch-guide-1024x538.png"


def test_the_featured_image_comes_from_the_uploads_into_the_media_library(imported, client):
    guide = Article.objects.get(slug="understanding-muscle-twitching-guide")
    image = guide.featured_image
    assert image.alt == "A green card with a white circle"
    assert (image.width, image.height) == (1200, 630) and image.renditions
    html = client.get(guide.get_absolute_url()).content.decode()
    assert f'src="{image.src}"' in html and f'srcset="{image.srcset}"' in html
    assert client.get(image.src).status_code == 200  # the file really is there


def test_a_second_import_makes_no_second_image(export_path, imported, run_import):
    report = run_import(export_path, "--uploads", str(UPLOADS))
    assert "Images: 0 new, 1 already here" in report
    assert Image.objects.count() == 1


def test_without_the_uploads_folder_the_report_says_what_is_missing(export_path, run_import):
    report = run_import(export_path)
    assert "featured image (attachment 7): no --uploads folder given" in report
    assert not Image.objects.exists()
    assert Article.objects.get(slug="understanding-muscle-twitching-guide").featured_image is None


def test_images_in_a_body_show_from_the_library_and_a_missing_one_as_a_link(
    variant, run_import, client
):
    export = variant(
        (
            GUIDE_FIRST_PARAGRAPH,
            f'<figure class="wp-block-image"><img src="{UPLOADED}" alt="Twitch card" '
            f'class="wp-image-7" srcset="{UPLOADED} 1024w" sizes="100vw" width="1024" '
            'height="538"/></figure>\n<p><img src="https://fitness.example.com/wp-content/'
            'uploads/2019/01/gone.jpg" alt="Gone"></p>\n' + GUIDE_FIRST_PARAGRAPH,
        )
    )
    report = run_import(export, "--uploads", str(UPLOADS))
    guide = Article.objects.get(slug="understanding-muscle-twitching-guide")
    image = Image.objects.get()  # the body's copy is the featured image's original
    assert f'src="image:{image.pk}"' in guide.body and "wp-image-7" not in guide.body
    html = client.get(guide.get_absolute_url()).content.decode()
    assert html.count(f'srcset="{image.srcset}"') == 2  # the header and the body
    assert 'alt="Twitch card"' in html
    assert ">Image: Gone</a>" in html
    assert "image https://fitness.example.com/wp-content/uploads/2019/01/gone.jpg: no " in report


def test_an_attachment_naming_a_file_outside_the_uploads_folder_is_not_read(variant, run_import):
    export = variant(
        (
            "<wp:meta_value><![CDATA[2026/12/twitch-guide.png]]>",
            "<wp:meta_value><![CDATA[../../fitness.wordpress.xml]]>",
        )
    )
    report = run_import(export, "--uploads", str(UPLOADS))
    assert not Image.objects.exists()
    assert "featured image (attachment 7): missing from the uploads folder" in report


def test_pingbacks_can_be_kept_out_of_sight(settings, export_path, run_import, client):
    settings.COMMENTS_WORDPRESS_PINGBACKS = "removed"
    run_import(export_path)
    ping = wp(27)
    assert ping.status == "removed" and "a pingback" in ping.history.first().note
    assert "Running Weekly" not in client.get(seed().get_absolute_url()).content.decode()


def test_a_dry_run_saves_nothing(export_path, run_import):
    report = run_import(export_path, "--dry-run")
    assert "DRY RUN" in report and "Comments: 23 new" in report
    assert not Article.objects.exists() and not Comment.objects.exists()


def test_staff_see_the_redirect_table(admin_client, imported):
    html = admin_client.get(reverse("admin:fitness_redirect_changelist")).content.decode()
    assert "/2010/03/15/why-do-muscles-twitch-after-a-workout" in html


def test_an_item_whose_type_changed_in_wordpress_is_skipped_with_the_reason(
    imported, variant, run_import
):
    export = variant(
        (
            "<wp:post_type><![CDATA[page]]></wp:post_type>",
            "<wp:post_type><![CDATA[post]]></wp:post_type>",
        )
    )
    report = run_import(export, "--uploads", str(UPLOADS))
    assert 'post 8 "About Fitness": id 8 was imported as something else before' in report
    assert Page.objects.get(slug="about").title == "About Fitness"
    assert not Article.objects.filter(title="About Fitness").exists()
