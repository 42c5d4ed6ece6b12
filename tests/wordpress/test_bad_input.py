"""Bad files and bad items: a clear message, the rest imported, never a traceback."""

import pytest
from django.core.management.base import CommandError

from comments.models import Comment
from fitness.articles.models import Article
from wordpress.models import ImportedComment

pytestmark = pytest.mark.django_db

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<rss><channel><title>&lol3;</title></channel></rss>"""
XXE = """<?xml version="1.0"?>
<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><rss><channel><title>&x;</title>
</channel></rss>"""
PLAIN_RSS = """<?xml version="1.0"?><rss version="2.0"><channel><title>A feed</title>
<item><title>Not WordPress</title></item></channel></rss>"""


@pytest.fixture
def failing(tmp_path, run_import):
    def run(text, name="bad.xml"):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        with pytest.raises(CommandError) as error:
            run_import(path)
        return str(error.value)

    return run


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("just some text", "not well-formed XML"),
        ("<html><body>hi</body></html>", "not a WordPress export: it is XML, but not RSS"),
        (PLAIN_RSS, "not a WordPress export (WXR): it has no <wp:wxr_version>"),
        (BILLION_LAUGHS, "Refused: the file declares a DTD"),
        (XXE, "Refused: the file declares a DTD"),
    ],
)
def test_a_file_that_is_not_a_wordpress_export_is_refused_clearly(failing, text, message):
    assert message in failing(text)
    assert not Article.objects.exists()


def test_an_unknown_version_is_refused(failing, export_text):
    text = export_text.replace("<wp:wxr_version>1.2<", "<wp:wxr_version>7.0<")
    assert "Unknown WXR version '7.0'" in failing(text)
    assert not Article.objects.exists()


def test_a_truncated_file_keeps_what_came_before_and_says_so(failing, export_text):
    cut = export_text[: export_text.index("<title><![CDATA[About Fitness")]
    assert "The file ends early" in failing(cut)
    assert Article.objects.filter(slug="why-do-muscles-twitch-after-a-workout").exists()
    assert Comment.objects.count() == 23


def test_bad_comments_are_listed_and_the_rest_imported(variant, run_import):
    path = variant(
        # a parent that is not in the file
        ("<wp:comment_parent>2</wp:comment_parent>", "<wp:comment_parent>999</wp:comment_parent>"),
        # an invalid date
        (
            "<![CDATA[2010-04-13 12:00:00]]></wp:comment_date_gmt>",
            "<![CDATA[2010-13-45 99:00:00]]></wp:comment_date_gmt>",
        ),
        (
            "<![CDATA[2010-04-13 12:00:00]]></wp:comment_date>",
            "<![CDATA[not a date]]></wp:comment_date>",
        ),
        # an invalid email and website
        ("<![CDATA[rachel@example.org]]>", "<![CDATA[rachel at example]]>"),
        (
            "<wp:comment_author_url></wp:comment_author_url>",
            "<wp:comment_author_url>javascript:alert(1)</wp:comment_author_url>",
        ),
        # the same comment id twice
        ("<wp:comment_id>21</wp:comment_id>", "<wp:comment_id>20</wp:comment_id>"),
    )
    report = run_import(path)
    assert (
        "comment 3 on post 5 by 'Derek Walsh': its parent '999' is not in the export: "
        "imported as a top-level comment" in report
    )
    assert "comment 5 on post 5 by 'Mark Ellis': invalid date '2010-13-45 99:00:00'" in report
    assert "invalid email 'rachel at example': left out" in report
    assert "invalid website 'javascript:alert(1)': left out" in report
    assert "comment 20 on post 5 by 'Stephen': duplicate comment id 20" in report
    assert ImportedComment.objects.count() == 21
    rachel = ImportedComment.objects.get(source_id=6).comment
    assert rachel.author_email == "" and rachel.status == "approved"
    assert ImportedComment.objects.get(source_id=3).comment.depth == 0


def test_a_missing_file_is_a_message(run_import):
    with pytest.raises(CommandError, match="No such file"):
        run_import("/nonexistent/export.xml")
