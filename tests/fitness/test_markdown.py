import pytest

from fitness.markdown import render_markdown
from tests.factories import ArticleFactory

TABLE = """| Condition | Symptoms | Action |
|---|---|---|
| Normal | Temporary | Monitor |
"""


def test_tables_render_as_real_tables():
    html = render_markdown(TABLE)
    assert "<table>" in html
    assert "<th>Condition</th>" in html
    assert "<td>Monitor</td>" in html


def test_headings_lists_links_emphasis_and_images():
    html = render_markdown(
        "## Heading\n\n- one\n- two\n\n*em* **strong** [link](https://example.com)\n\n"
        "![alt text](https://example.com/a.png)"
    )
    assert "<h2>Heading</h2>" in html
    assert "<ul>" in html and "<li>one</li>" in html
    assert "<em>em</em>" in html and "<strong>strong</strong>" in html
    assert '<a href="https://example.com" rel="noopener noreferrer">link</a>' in html
    assert '<img alt="alt text" src="https://example.com/a.png">' in html


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
    html = render_markdown(payload).lower()
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
