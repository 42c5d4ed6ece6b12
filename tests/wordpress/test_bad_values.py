"""Values no database column or reader here can take (issue 28): the item or the field is
left out with its reason in the report, the rest imported, never a traceback."""

import pytest

from comments.models import Comment
from fitness.articles.models import Article
from wordpress import php
from wordpress.importer import import_export
from wordpress.models import ImportedComment, ImportedPost

pytestmark = pytest.mark.django_db

BEYOND_64_BITS = str(2**63)  # PositiveBigIntegerField, bigint: 2**63 - 1 at most
NESTED = "a:1:{i:0;" * 5000 + "N;" + "}" * 5000
ARRAY_KEY = 'a:1:{a:0:{}s:1:"x";}'


def test_ids_beyond_64_bits_skip_their_item_and_nothing_else(variant):
    path = variant(
        ("<wp:post_id>9</wp:post_id>", f"<wp:post_id>{BEYOND_64_BITS}</wp:post_id>"),
        ("<wp:comment_id>4</wp:comment_id>", f"<wp:comment_id>{BEYOND_64_BITS}</wp:comment_id>"),
    )
    report = import_export(path)
    text = report.text()
    assert report.ok, text
    assert f'post {BEYOND_64_BITS} "Stretching Before or After?": no valid post id' in text
    assert f"comment {BEYOND_64_BITS} on post 5 by 'amy_lofthotmail.com': no valid comment id" in (
        text
    )
    assert Comment.objects.count() == 22  # the 23 but the one
    assert ImportedComment.objects.filter(source_id=5).exists()
    assert not ImportedPost.objects.filter(source_id=9).exists()
    assert Article.objects.count() == 3  # 5, 6 and 10


@pytest.mark.parametrize("bad", ["٤", "²", "1" * 5000, "-4"])
def test_a_comment_id_that_is_not_ascii_digits_skips_that_comment(variant, bad):
    """int() reads "٤" as 4, refuses "²" and numbers of more than 4,300 digits."""
    path = variant(("<wp:comment_id>4</wp:comment_id>", f"<wp:comment_id>{bad}</wp:comment_id>"))
    report = import_export(path)
    assert report.ok, report.text()
    assert "no valid comment id" in report.text()
    assert Comment.objects.count() == 22
    assert not ImportedComment.objects.filter(source_id=4).exists()


def test_one_id_written_two_ways_is_a_duplicate_not_a_crash(variant):
    path = variant(
        ("<wp:comment_id>5</wp:comment_id>", "<wp:comment_id>04</wp:comment_id>"),
        ("<wp:comment_parent>2</wp:comment_parent>", "<wp:comment_parent>002</wp:comment_parent>"),
    )
    report = import_export(path)
    assert report.ok, report.text()
    assert "comment 04 on post 5 by 'Mark Ellis': duplicate comment id 4" in report.text()
    assert Comment.objects.count() == 22
    assert ImportedComment.objects.get(source_id=3).comment.depth == 1  # its parent "002"


def test_a_scoped_ipv6_address_is_left_out_and_the_comment_kept(variant):
    path = variant(("<![CDATA[203.0.113.5]]>", "<![CDATA[fe80::1%eth0]]>"))
    report = import_export(path)
    assert "invalid IP address 'fe80::1%eth0': left out" in report.text()
    comment = ImportedComment.objects.get(source_id=5).comment
    assert comment.ip_address is None and comment.status == "approved"
    assert Comment.objects.count() == 23


def test_deep_or_odd_php_meta_is_left_out_and_the_comment_kept(variant, export_text):
    history = 'a:3:{s:4:"time";d:1271160000.25;s:5:"event";s:9:"check-ham";s:4:"user";s:0:"";}'
    submitted_start = 'a:7:{s:14:"comment_author";s:10:"Mark Ellis";'
    submitted = export_text[export_text.index(submitted_start) :].split("]]>", 1)[0]
    path = variant((history, NESTED), (submitted, ARRAY_KEY))
    report = import_export(path)
    text = report.text()
    assert report.ok, text
    assert (
        "comment 5 on post 5 by 'Mark Ellis': unreadable Akismet meta (arrays nested deeper" in text
    )
    assert "comment 5 on post 5 by 'Mark Ellis': unreadable Akismet meta (an array key" in text
    assert ImportedComment.objects.get(source_id=5).comment.status == "approved"
    assert Comment.objects.count() == 23


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (NESTED, "nested deeper than"),
        (ARRAY_KEY, "an array key must be an integer or a string"),
        ("a:1:{d:1.5;i:1;}", "an array key must be an integer or a string"),
        ("a:" + "9" * 5000 + ":{}", "bad array length"),
    ],
)
def test_php_values_it_cannot_take_are_refused_as_such(text, message):
    with pytest.raises(php.PHPValueError, match=message):
        php.loads(text)
