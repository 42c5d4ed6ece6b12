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
