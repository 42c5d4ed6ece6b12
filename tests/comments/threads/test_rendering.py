import pytest

from comments.threads.avatars import colour_index, initials
from comments.threads.rendering import avatar_html, render_body, safe_link_url


def test_line_breaks_and_paragraphs_are_kept():
    assert render_body("one\ntwo\n\nthree") == "<p>one<br>two</p>\n<p>three</p>"


def test_urls_become_nofollow_links_without_the_sentence_punctuation():
    html = render_body("See https://example.org/a?b=1&c=2. Or (http://x.org/y).")
    assert '<a href="https://example.org/a?b=1&amp;c=2" rel="nofollow ugc noopener">' in html
    assert '</a>. Or (<a href="http://x.org/y" rel="nofollow ugc noopener">' in html


def test_markup_is_escaped_and_javascript_never_links():
    html = render_body('<b>hi</b> javascript:alert(1) "q"')
    assert html == "<p>&lt;b&gt;hi&lt;/b&gt; javascript:alert(1) &quot;q&quot;</p>"


@pytest.mark.parametrize(
    ("url", "safe"),
    [
        ("https://a.org", True),
        ("http://a.org/x", True),
        ("javascript:alert(1)", False),
        ("//a.org", False),
        ("https://", False),
        ("data:text/html,x", False),
        ("", False),
    ],
)
def test_only_absolute_http_urls_are_links(url, safe):
    assert bool(safe_link_url(url)) is safe


def test_avatar_initials_and_a_colour_from_the_name_only():
    assert initials("Tina Shute") == "TS"
    assert initials("Gwenivere") == "G"
    assert initials("") == "?"
    assert colour_index("Tina Shute") == colour_index(" tina shute ")
    html = avatar_html("<Evil>")
    assert "&lt;" not in html and "<Evil>" not in html


def test_avatar_initials_of_names_that_are_not_two_words():
    # Issue 16: "AC" for an address-like name, "R0" for a numbered one, "?" for markup.
    assert initials("amy_lofthotmail.com") == "AL"
    assert initials("Reader 01") == "R"
    assert initials("<b>Bob</b>") == "B"
