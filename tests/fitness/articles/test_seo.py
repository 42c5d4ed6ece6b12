"""What search engines and shared links read: titles, descriptions, canonical links,
OpenGraph and Twitter tags, sitemap.xml, robots.txt, and the article's JSON-LD."""

import json
import re
import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import ArticleFactory, CategoryFactory, CommentFactory, TagFactory

pytestmark = pytest.mark.django_db

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def json_ld(html):
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(blocks) == 1, blocks
    return json.loads(blocks[0])


def meta(html, key):
    found = re.search(rf'<meta (?:property|name)="{re.escape(key)}" content="([^"]*)">', html)
    return found.group(1) if found else None


def test_seo_title_and_meta_description_default_to_title_and_summary(client):
    plain = ArticleFactory(title="Squats", excerpt="Strong legs.")
    html = client.get(plain.get_absolute_url()).content.decode()
    assert "<title>Squats · Fitness</title>" in html
    assert meta(html, "description") == "Strong legs."
    assert meta(html, "og:title") == "Squats" and meta(html, "twitter:title") == "Squats"

    tuned = ArticleFactory(
        title="Squats, again",
        slug="squats-again",
        seo_title="How to squat: a guide",
        meta_description="Depth, knees & breathing.",
    )
    html = client.get(tuned.get_absolute_url()).content.decode()
    assert "<title>How to squat: a guide · Fitness</title>" in html
    assert meta(html, "description") == "Depth, knees &amp; breathing."
    assert meta(html, "og:description") == "Depth, knees &amp; breathing."
    assert '<h1 class="article-title">Squats, again</h1>' in html  # the page keeps its title


def test_an_article_page_has_canonical_opengraph_and_twitter_tags(client, settings):
    article = ArticleFactory(
        slug="squats", categories=[CategoryFactory(name="Fitness")], tags=[TagFactory(name="legs")]
    )
    html = client.get(article.get_absolute_url() + "?utm_source=x").content.decode()
    url = f"{settings.SITE_URL}/articles/squats/"
    assert f'<link rel="canonical" href="{url}">' in html
    assert meta(html, "og:url") == url and meta(html, "og:type") == "article"
    assert meta(html, "article:section") == "Fitness" and meta(html, "article:tag") == "legs"
    # No featured image here (the media engineer's field): no og:image, a summary card.
    assert meta(html, "og:image") is None and meta(html, "twitter:card") == "summary"


def test_every_page_has_a_canonical_link(client, settings):
    article = ArticleFactory(categories=[CategoryFactory(name="Fitness")])
    for path in ("/", "/?page=1", "/category/fitness/", "/privacy/", article.get_absolute_url()):
        html = client.get(path).content.decode()
        bare = path.split("?")[0]
        assert f'<link rel="canonical" href="{settings.SITE_URL}{bare}">' in html, path


def test_sitemap_lists_home_published_articles_and_used_terms_from_site_url(client, settings):
    settings.SITE_URL = "https://fitness.example.com"
    used = CategoryFactory(name="Recovery", slug="recovery")
    CategoryFactory(name="Empty", slug="empty")
    article = ArticleFactory(slug="rest", categories=[used], tags=[TagFactory(name="sleep")])
    ArticleFactory(slug="secret", status="draft", tags=[TagFactory(name="hidden")])

    response = client.get("/sitemap.xml")  # served at testserver: addresses from SITE_URL
    assert response.status_code == 200
    urls = {
        u.findtext(f"{SITEMAP}loc"): u.findtext(f"{SITEMAP}lastmod")
        for u in ET.fromstring(response.content).findall(f"{SITEMAP}url")
    }
    site = "https://fitness.example.com"
    assert f"{site}/articles/rest/" in urls and f"{site}/" in urls
    assert urls[f"{site}/articles/rest/"] == article.updated_at.date().isoformat()
    assert {f"{site}/category/recovery/", f"{site}/tag/sleep/"} <= set(urls)
    assert not [u for u in urls if "secret" in u or "empty" in u or "hidden" in u]


def test_robots_txt_allows_all_but_the_admin_and_the_comment_posting(client, settings):
    settings.SITE_URL = "https://fitness.example.com"
    response = client.get("/robots.txt")
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines and "Allow: /" in lines
    assert "Disallow: /admin/" in lines
    assert "Disallow: /comments/post/*/" in lines and "Disallow: /comments/*/edit/" in lines
    assert "Sitemap: https://fitness.example.com/sitemap.xml" in lines


def test_the_article_json_ld_is_a_blog_posting_with_its_approved_comments(client, settings):
    article = ArticleFactory(
        title="Squats", slug="squats", tags=[TagFactory(name="legs")], byline="Dana Reyes"
    )
    first = CommentFactory(article=article, status="approved", author_name="Amy", body="Deep?")
    CommentFactory(article=article, status="approved", parent=first, author_name="Bo", body="Yes")
    CommentFactory(article=article, status="pending", body="Held, not public")
    article.refresh_from_db()

    data = json_ld(client.get(article.get_absolute_url()).content.decode())

    url = f"{settings.SITE_URL}/articles/squats/"
    assert data["@type"] == "BlogPosting" and data["headline"] == "Squats"
    assert data["author"] == {"@type": "Person", "name": "Dana Reyes"}
    assert data["publisher"]["name"] == "Fitness" and data["commentCount"] == 2
    assert data["datePublished"] == article.publish_at.isoformat()
    assert data["keywords"] == ["legs"] and data["articleSection"] == ["Fitness"]
    assert "image" not in data  # no featured image
    amy, bo = data["comment"]
    assert amy["@type"] == "Comment" and amy["author"]["name"] == "Amy"
    assert amy["text"] == "Deep?" and amy["@id"] == f"{url}#comment-{first.pk}"
    assert amy["dateCreated"] == first.created_at.isoformat() and "parentItem" not in amy
    assert bo["parentItem"] == {"@id": amy["@id"]} and bo["text"] == "Yes"
    assert "Held" not in json.dumps(data)


def test_a_comment_cannot_end_the_json_ld_block(client):
    article = ArticleFactory()
    CommentFactory(
        article=article,
        status="approved",
        author_name="</script><script>alert(1)</script>",
        body="x",
        body_html="<p>&lt;/script&gt;&lt;script&gt;alert(2)&lt;/script&gt; & <!-- c --></p>",
    )
    html = client.get(article.get_absolute_url()).content.decode()
    block = html.split('<script type="application/ld+json">')[1].split("</script>")[0]
    assert "<" not in block and ">" not in block
    data = json.loads(block)
    assert data["comment"][0]["author"]["name"] == "</script><script>alert(1)</script>"
    assert data["comment"][0]["text"].startswith("</script><script>alert(2)")


def test_the_json_ld_adds_no_query_for_the_comments(client):
    article = ArticleFactory()
    for n in range(5):
        CommentFactory(article=article, status="approved", body=f"Comment {n}")
    client.get(article.get_absolute_url())  # fills the thread cache

    with CaptureQueriesContext(connection) as queries:
        html = client.get(article.get_absolute_url()).content.decode()
    assert len(json_ld(html)["comment"]) == 5
    assert not [q for q in queries if "comments_comment" in q["sql"]], queries.captured_queries
