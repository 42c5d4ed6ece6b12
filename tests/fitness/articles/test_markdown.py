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
