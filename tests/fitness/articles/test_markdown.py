import pytest

from fitness.articles.markdown import render
from tests.factories import ArticleFactory

TABLE = """| Condition | Symptoms | Action |
|---|---|---|
| Normal | Temporary | Monitor |
"""


def test_tables_render_as_real_tables():
    html = render(TABLE).html
    assert "<table>" in html
    assert "<th>Condition</th>" in html
    assert "<td>Monitor</td>" in html


def test_headings_lists_links_emphasis_and_images():
    html = render(
        "## Heading\n\n- one\n- two\n\n*em* **strong** [link](https://example.com)\n\n"
        "![alt text](/static/img/a.png)"
    ).html
    assert "<h2>Heading</h2>" in html
    assert "<ul>" in html and "<li>one</li>" in html
    assert "<em>em</em>" in html and "<strong>strong</strong>" in html
    assert '<a href="https://example.com" rel="noopener noreferrer">link</a>' in html
    assert '<img alt="alt text" src="/static/img/a.png">' in html


@pytest.mark.parametrize(
    "payload",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "[click](javascript:alert(1))",
        '<a href="javascript:alert(1)">x</a>',
        "<iframe src='https://evil.example'></iframe>",
        '<div style="background:url(javascript:alert(1))">x</div>',
        "<svg onload=alert(1)>",
    ],
)
def test_raw_html_can_never_run_script(payload):
    html = render(payload).html.lower()
    assert "<script" not in html
    assert "onerror" not in html
    assert "onload" not in html
    assert "javascript:" not in html
    assert "<iframe" not in html


@pytest.mark.django_db
def test_article_body_is_rendered_once_on_save():
    article = ArticleFactory(body="## Hello\n\n<script>x()</script>")
    assert article.body_html.startswith("<h2>Hello</h2>")
    assert "<script" not in article.body_html
    article.body = "## Changed"
    article.save(update_fields=["body"])
    article.refresh_from_db()
    assert article.body_html == "<h2>Changed</h2>"


# --- What the author is told -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "told"),
    [
        ("<script>alert(1)</script>", "<script> was removed: scripts never run"),
        (
            '<iframe src="https://www.youtube.com/embed/x"></iframe>',
            "<iframe> was removed: embedded players are not allowed",
        ),
        ('<p onclick="steal()">x</p>', "onclick= was removed from <p>: event handlers are script"),
        ('<p style="color:red">x</p>', "style= was removed"),
        ("[x](javascript:alert(1))", "The address 'javascript:alert(1)' was removed from <a>"),
        ("# Title again", "Start your headings at ## instead."),
    ],
)
def test_the_author_is_told_what_the_sanitiser_removed_and_why(body, told):
    problems = render(body).problems
    assert len(problems) == 1 and told in problems[0]


def test_nothing_to_say_about_an_ordinary_body():
    body = "## Recovery\n\n| a | b |\n|:-|-:|\n| 1 | 2 |\n\n[link](https://example.com) *ok*"
    assert render(body).problems == []


def test_an_external_image_becomes_a_link_and_the_author_learns_why(settings):
    rendered = render("![A chart](https://img.example.net/chart.png)")
    assert "<img" not in rendered.html
    assert '<a href="https://img.example.net/chart.png"' in rendered.html
    assert "Image: A chart" in rendered.html
    assert "add https://img.example.net to CSP_IMG_SRC" in rendered.problems[0]


def test_an_image_host_in_csp_img_src_is_shown(settings):
    settings.CSP_IMG_SRC = ["https://img.example.net"]
    rendered = render("![A chart](https://img.example.net/chart.png)")
    assert '<img alt="A chart" src="https://img.example.net/chart.png">' in rendered.html
    assert rendered.problems == []


@pytest.mark.django_db
def test_an_unknown_library_image_is_reported_not_left_broken():
    article = ArticleFactory(body="Before ![x](image:999999) after")
    assert "<img" not in article.body_html and "Before" in article.body_html
    assert "image:999999 is not in the media library" in article.body_problems[0]


@pytest.mark.django_db
def test_an_image_written_as_html_is_shown_as_a_markdown_image_is(settings):
    # WordPress bodies stay HTML: their <img> get the library's renditions, or become links.
    from tests.fitness.articles.media_helpers import make_image

    image = make_image(width=2000, height=1000)
    article = ArticleFactory(
        body=f'<figure><img src="image:{image.pk}" alt="Stretching" class="wp-image-7">'
        "<figcaption>After a run</figcaption></figure>\n\n"
        '<p>Old: <img src="https://old.example.com/wp-content/uploads/x.png" alt="Chart"></p>'
    )
    html = article.body_html
    assert f'src="{image.src}"' in html and 'srcset="' in html and 'loading="lazy"' in html
    assert 'alt="Stretching"' in html and "<figcaption>After a run</figcaption>" in html
    assert 'class="wp-image-7"' not in html and "image:" not in html
    assert '<a href="https://old.example.com/wp-content/uploads/x.png"' in html
    assert ">Image: Chart</a>" in html
    assert len(article.body_problems) == 1 and "old.example.com" in article.body_problems[0]


def test_img_keeps_only_the_attributes_a_library_image_needs():
    html = render(
        '<img src="/m/a.webp" srcset="/m/a.webp 480w" sizes="100vw" width="4" height="3" '
        'loading="lazy" alt="a" decoding="async" class="x" data-x="1">'
    ).html
    assert html == (
        '<p><img src="/m/a.webp" srcset="/m/a.webp 480w" sizes="100vw" width="4" height="3" '
        'loading="lazy" alt="a"></p>'
    )


# --- Videos: click to play ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "host"),
    [
        ("<https://www.youtube.com/watch?v=dQw4w9WgXcQ>", "YouTube"),
        ("[Calf stretch](https://youtu.be/dQw4w9WgXcQ)", "YouTube"),
        ("<https://vimeo.com/76979871>", "Vimeo"),
    ],
)
def test_a_video_address_alone_in_its_paragraph_becomes_a_click_to_play_link(body, host):
    rendered = render(body)
    assert '<a class="video-embed" href="https://' in rendered.html
    assert f"(from {host}, loads when you click)" in rendered.html
    assert "<iframe" not in rendered.html and rendered.problems == []


def test_a_video_link_inside_a_sentence_or_from_another_host_stays_a_link():
    assert "video-embed" not in render("See [this](https://youtu.be/dQw4w9WgXcQ) now").html
    assert "video-embed" not in render("<https://videos.example.com/watch?v=dQw4w9WgXcQ>").html


# --- Author HTML that would take the page with it (issue 28) ------------------------------------

AFTER = "\n\n## Next\n\nMore *text*"


@pytest.mark.parametrize(
    ("opening", "tags"),
    [
        ("<style>p { color: red }", ["style"]),
        ("<script>alert(1)", ["script"]),
        ("<math><style>x", ["math", "style"]),
        ("<template><p>x</p>", ["template"]),
        ("Inline <style>x", ["style"]),
        ("Inline <template>x", ["template"]),
        ("<textarea>x", ["textarea"]),
        ("<style>a\n\n<style>b</style>", ["style"]),  # the first one never ends
    ],
)
def test_an_unclosed_element_loses_only_its_tag_and_the_author_learns_why(opening, tags):
    rendered = render("Intro\n\n" + opening + AFTER)
    assert rendered.html.startswith("<p>Intro</p>")
    assert rendered.html.endswith("<h2>Next</h2>\n<p>More <em>text</em></p>")
    assert "<script" not in rendered.html and "<style" not in rendered.html
    for tag in tags:
        assert any(f"<{tag}> has no </{tag}> after it" in p for p in rendered.problems)


def test_plaintext_never_ends_so_it_is_always_removed():
    rendered = render("<plaintext>Hi" + AFTER)
    assert rendered.html == "<p>Hi</p>\n<h2>Next</h2>\n<p>More <em>text</em></p>"
    assert rendered.problems == [
        "<plaintext> was removed: it would have shown the rest of the article as raw HTML. "
        "The text after it is kept."
    ]


def test_an_unclosed_tag_in_code_is_only_code():
    body = "`<style>` goes in the head\n\n    <script>\n\n```\n<template>\n```" + AFTER
    rendered = render(body)
    assert "<code>&lt;style&gt;</code>" in rendered.html
    assert "&lt;script&gt;" in rendered.html and "&lt;template&gt;" in rendered.html
    assert rendered.problems == []


@pytest.mark.parametrize(
    ("body", "html"),
    [
        ("<title>A <b>title</b></title>", "<p>A &lt;b&gt;title&lt;/b&gt;</p>"),
        ("<xmp><b>x</b></xmp>", "<p></p>&lt;b&gt;x&lt;/b&gt;<p></p>"),
        ("<noembed><i>hi</i></noembed>", "<p>&lt;i&gt;hi&lt;/i&gt;</p>"),
        ("<noframes><i>hi</i></noframes>", "<p>&lt;i&gt;hi&lt;/i&gt;</p>"),
    ],
)
def test_a_raw_text_element_is_said_to_keep_its_content_as_plain_text(body, html):
    # Its content was never markup: no "<b> was removed" for a <b> the parser saw as text.
    rendered = render(body)
    assert rendered.html == html
    tag = body[1 : body.index(">")]
    assert rendered.problems == [
        f"<{tag}> is not among the tags an article may use, so it was removed; what was inside "
        "it is kept as plain text (tags inside it show to readers as written, not as formatting)."
    ]


@pytest.mark.parametrize(("tag", "inside"), [("template", "p"), ("math", "mi"), ("svg", "text")])
def test_an_element_removed_with_its_content_says_so(tag, inside):
    rendered = render(f"Before <{tag}><{inside}>inside</{inside}></{tag}> after")
    assert "inside" not in rendered.html and "after" in rendered.html
    assert len(rendered.problems) == 1
    assert rendered.problems[0].startswith(f"<{tag}> was removed with everything inside it")


def test_ids_from_the_author_are_prefixed_and_their_links_follow():
    rendered = render(
        '<h2 id="respond">Respond</h2>\n\n<h3 id="comment-1">One</h3>\n\n'
        "[to it](#respond) [the form below](#commentform) [top](#comment-1)"
    )
    assert '<h2 id="article-respond">Respond</h2>' in rendered.html
    assert '<h3 id="article-comment-1">One</h3>' in rendered.html
    assert (
        'href="#article-respond"' in rendered.html and 'href="#article-comment-1"' in rendered.html
    )
    assert 'href="#commentform"' in rendered.html  # not an id of the body: the page's own
    assert 'id="respond"' not in rendered.html and 'id="comment-1"' not in rendered.html
    assert rendered.problems == [
        "Ids in an article get the prefix article- so that they cannot clash with the page's "
        'own (the comment form is #respond): id="respond" is now id="article-respond", '
        'id="comment-1" is now id="article-comment-1". Links within the article to them were '
        "changed to match; a link from elsewhere needs the new id."
    ]


def test_text_that_looks_like_an_id_is_left_alone():
    html = render('Write `<h2 id="x">`, `<a href="#x">`\n\n<h2 id="x">X</h2>').html
    assert '<code>&lt;h2 id="x"&gt;</code>, <code>&lt;a href="#x"&gt;</code>' in html


@pytest.mark.django_db
def test_an_id_in_the_body_cannot_take_the_comment_sections(client):
    from tests.factories import CommentFactory

    article = ArticleFactory(
        body='<h2 id="respond">Respond</h2>\n\n<h2 id="commentform">Form</h2>\n\n'
        '<h2 id="comments">All</h2>'
    )
    comment = CommentFactory(article=article, status="approved")
    article.body = article.body + f'\n\n<h2 id="comment-{comment.pk}">Clash</h2>'
    article.save()
    html = client.get(article.get_absolute_url()).content.decode()
    assert f'href="?replytocom={comment.pk}#respond"' in html
    for name in ["respond", "commentform", "comments", f"comment-{comment.pk}"]:
        assert html.count(f'id="{name}"') == 1, name
        assert f'id="article-{name}"' in html


def test_a_body_with_none_of_these_renders_as_before():
    # The HTML and problems main's renderer gives for it, character for character.
    body = (
        '## Recovery\n\nSleep, *food* and <b>rest</b>.\n\n<figure><img src="/m/a.png" alt="a">'
        "<figcaption>Rest</figcaption></figure>\n\n<h3>Plain</h3>\n\n[top](#top) "
        "<style>p{}</style> <script>x()</script>\n\n| a |\n|---|\n| 1 |"
    )
    rendered = render(body)
    assert rendered.html == (
        "<h2>Recovery</h2>\n<p>Sleep, <em>food</em> and <b>rest</b>.</p>\n"
        '<figure><img src="/m/a.png" alt="a"><figcaption>Rest</figcaption></figure>\n\n'
        '<h3>Plain</h3>\n\n<p><a href="#top" rel="noopener noreferrer">top</a>  </p>\n'
        "<table>\n<thead>\n<tr>\n<th>a</th>\n</tr>\n</thead>\n<tbody>\n<tr>\n<td>1</td>\n</tr>\n"
        "</tbody>\n</table>"
    )
    assert rendered.problems == [
        "<style> was removed: articles use the site's own stylesheet.",
        "<script> was removed: scripts never run inside an article (they could act as any "
        "reader who opens it).",
    ]
