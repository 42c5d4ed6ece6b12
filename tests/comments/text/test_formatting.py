"""The small formatting a comment may use (comments.text.formatting), sanitised by nh3."""

import re

import pytest

from comments.text.formatting import FORMATTING_HINT, format_body

REL = 'rel="nofollow ugc noopener"'


@pytest.mark.parametrize(
    ("text", "html"),
    [
        ("**bold** *it* _it_", "<p><strong>bold</strong> <em>it</em> <em>it</em></p>"),
        ("`a <b> *c*`", "<p><code>a &lt;b&gt; *c*</code></p>"),
        ("snake_case and 2*3*4", "<p>snake_case and 2*3*4</p>"),
        ("> quoted\n> more", "<blockquote><p>quoted<br>more</p></blockquote>"),
        ("- one\n- two", "<ul><li>one</li><li>two</li></ul>"),
        ("1. one\n2. two", "<ol><li>one</li><li>two</li></ol>"),
        ("```\n<x>\n\n y\n```", "<pre><code>&lt;x&gt;\n\n y</code></pre>"),
        ("[docs](https://d.org/)", f'<p><a href="https://d.org/" {REL}>docs</a></p>'),
    ],
)
def test_the_markdown_subset(text, html):
    assert format_body(text) == html


def test_a_pasted_link_is_one_whole_link_not_half_linked_junk():
    html = format_body('see <a href="https://x.org/p?a=1&b=2" target="_blank">this page</a>!')
    assert html == f'<p>see <a href="https://x.org/p?a=1&amp;b=2" {REL}>this page</a>!</p>'


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert(1)</script>",
        "<a href='javascript:alert(1)'>x</a>",
        "[x](javascript:alert(1))",
        '<img src=x onerror="alert(1)">',
        "**<b onclick=alert(1)>**",
        "`</code><script>`",
        '<a href="https://ok.org" onclick="alert(1)">ok</a>',
        "> <iframe src=https://x.org>",
    ],
)
def test_nothing_typed_becomes_markup_but_the_subset(text):
    html = format_body(text)
    tags = set(re.findall(r"<([a-z]+)", html))
    assert tags <= {"p", "a", "strong", "em", "code", "blockquote", "br"}
    assert "javascript:" not in "".join(re.findall(r'href="([^"]*)"', html))
    assert not re.search(r"<[^>]*\son\w+=", html)  # no handler on a real tag
    assert "<script" not in html and "<img" not in html and "<iframe" not in html


def test_the_hint_is_one_line():
    assert "\n" not in FORMATTING_HINT and "**bold**" in FORMATTING_HINT
