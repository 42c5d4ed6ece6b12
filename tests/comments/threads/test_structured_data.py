"""The JSON-LD text of a comment: the formatter's HTML without its tags, as strip_tags gives."""

from html import unescape

import pytest
from django.utils.html import strip_tags

from comments.threads.rendering import render_body
from comments.threads.structured_data import plain_text

TYPED = [
    "Deep?",
    "Two\n\nparagraphs, and a line\nbreak",
    "**bold**, *italics*, _too_ and `code <b>`",
    "> a quote\n\n- a list\n- of two\n\n1. one\n2. two",
    "```\nblock <of> code & more\n```",
    "[a link](https://example.com/?a=1&b=2) and https://example.org/x.",
    '<a href="https://example.com/">pasted</a> <script>alert(1)</script>',
    'Tom & Jerry\'s "quotes" &amp; &copy; &#39; &nosemicolon < > <<>>',
    "Ünïcödé — ☃ and 1 < 2 > 0",
]
ODD_HTML = [
    "<p>&lt;/script&gt;&lt;script&gt;alert(2)&lt;/script&gt; & <!-- c --></p>",
    "<p>a &amp b &foo bar</p>",
    '<p><a href="https://x.example/?q=>">odd</a></p>',
    "<p>unquoted <a href=https://x.example/>attr</a></p>",
    "<p>no tags at all</p>plain",
    "text with no markup",
    "",
]


@pytest.mark.parametrize("html", [render_body(text) for text in TYPED] + ODD_HTML)
def test_a_comments_text_for_the_json_ld_is_what_strip_tags_gives(html):
    assert plain_text(html) == unescape(strip_tags(html)).strip()


def spec_items(base, rows):
    """The items as plain data, the independent statement of what the JSON text holds."""
    items = []
    for row in rows:
        if row.placeholder or row.status != "approved":
            continue
        item = {
            "@type": "Comment",
            "@id": f"{base}#comment-{row.id}",
            "url": f"{base}#comment-{row.id}",
            "author": {"@type": "Person", "name": row.author_name},
            "dateCreated": row.created_at.isoformat(),
            "text": unescape(strip_tags(row.body_html)).strip(),
        }
        if row.parent_id:
            item["parentItem"] = {"@id": f"{base}#comment-{row.parent_id}"}
        items.append(item)
    return items


def test_the_encoded_comments_are_the_bytes_json_gives_for_the_items():
    from datetime import UTC, datetime

    from comments.threads.reading import Row
    from comments.threads.structured_data import schema_comments_json
    from fitness.articles.seo import absolute, json_text

    class Article:
        def get_absolute_url(self):
            return '/articles/a-"quoted"-<slug>&/'

    when = datetime(2020, 1, 2, 3, 4, 5, 678, tzinfo=UTC)
    names = ["Amy", '</script><script>alert("x")</script>', "Zoë \\ ☃ \u2028", ""]
    rows = [
        Row(id=n + 1, parent_id=n or None, thread_id=1, depth=min(n, 1), path="", status="approved",
            author_name=names[n % len(names)], author_url="", body_html=render_body(text),
            created_at=when)
        for n, text in enumerate(TYPED)
    ]  # fmt: skip
    rows.append(Row(99, None, 99, 0, "", "pending", "Held", "", "<p>held</p>", when))
    removed = Row(98, None, 98, 0, "", "removed", "", "", "", when)
    removed.placeholder = True
    rows.append(removed)

    for page, query in ((1, None), (3, None), (1, "?sort=newest&page=2")):
        base = absolute(Article().get_absolute_url()) + (
            query if query is not None else (f"?page={page}" if page > 1 else "")
        )
        expected = json_text(spec_items(base, rows))
        assert schema_comments_json(Article(), rows, page, query=query) == expected
    assert schema_comments_json(Article(), rows[-2:], 1) == ""
