"""An article page's ETag follows everything the page renders (issue 28: stale pages).

Each line of CHANGES changes one thing an article page shows (its own fields, its terms, its
author, its images, its discussion); each must give the page a new ETag, and the old one must
no longer be answered with a 304. A new thing on the page is one more line here (and, if it is
another model's, one more `Shown` in fitness/articles/signal_handlers.py).
"""

import re
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone

from comments.services.status import approve
from fitness.articles import shared_rows
from fitness.articles.models import Article
from fitness.core import page_shells
from tests.factories import ArticleFactory, CategoryFactory, CommentFactory, TagFactory, UserFactory
from tests.fitness.articles.media_helpers import make_image, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def shown(db, settings):
    """An article showing one of everything: author (no byline), category, tag, a featured
    image with a caption, a library image in its body (its alt text from the library)."""
    settings.MEDIA_IMAGE_WIDTHS = [40, 80]  # small images: two renditions each, made quickly
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # users too
    author = UserFactory(username="sam", first_name="Sam", last_name="Runner")
    category = CategoryFactory(name="Recovery", slug="recovery")
    tag = TagFactory(name="sleep", slug="sleep")
    featured = make_image(alt="A runner at dawn", width=120, height=60)
    featured.caption = "Morning run"
    featured.save()
    inline = make_image(alt="A calf stretch", name="stretch.png", width=120, height=60)
    article = ArticleFactory(
        author=author,
        byline="",
        featured_image=featured,
        categories=[category],
        tags=[tag],
        body=f"Warm up first.\n\n![](image:{inline.pk})\n",
    )
    return SimpleNamespace(
        article=article, author=author, category=category, tag=tag, featured=featured, inline=inline
    )


def edit(obj, **values):
    for name, value in values.items():
        setattr(obj, name, value)
    obj.save()


def new_file(image):
    image.file = upload("other.jpg", width=100, height=50)
    image.prepare()
    image.save()


def new_comment(s):
    approve(CommentFactory(article=s.article, status="pending"), by=None)


CHANGES = {
    # The article's own row.
    "title": lambda s: edit(s.article, title="Sleep well"),
    "excerpt": lambda s: edit(s.article, excerpt="Why rest matters."),
    "body": lambda s: edit(s.article, body="Cool down too."),
    "seo title": lambda s: edit(s.article, seo_title="Rest days explained"),
    "meta description": lambda s: edit(s.article, meta_description="All about rest."),
    "byline": lambda s: edit(s.article, byline="The coach"),
    "publish date": lambda s: edit(s.article, publish_at=timezone.now() - timezone.timedelta(3)),
    "comments switched off": lambda s: edit(s.article, comments_open=False),
    "another author": lambda s: edit(s.article, author=UserFactory(first_name="Alex")),
    "another featured image": lambda s: edit(s.article, featured_image=s.inline),
    "no featured image": lambda s: edit(s.article, featured_image=None),
    # Its categories and tags, and theirs.
    "category added": lambda s: s.article.categories.add(CategoryFactory(name="Sleep")),
    "category removed": lambda s: s.article.categories.remove(s.category),
    "tag added": lambda s: s.article.tags.add(TagFactory(name="water")),
    "tag removed": lambda s: s.article.tags.remove(s.tag),
    "tag's articles cleared": lambda s: s.tag.articles.clear(),
    "category's articles added": lambda s: CategoryFactory(name="Rest").articles.add(s.article),
    "category renamed": lambda s: edit(s.category, name="Rest"),
    "category's slug": lambda s: edit(s.category, slug="rest"),
    "category deleted": lambda s: s.category.delete(),
    "tag renamed": lambda s: edit(s.tag, name="naps"),
    "tag's slug": lambda s: edit(s.tag, slug="naps"),
    "tag deleted": lambda s: s.tag.delete(),
    # Its author: the name shown, the author page's address.
    "author's first name": lambda s: edit(s.author, first_name="Samantha"),
    "author's last name": lambda s: edit(s.author, last_name="Walker"),
    "author's username": lambda s: edit(s.author, username="samantha"),
    "author deleted": lambda s: s.author.delete(),
    # Its featured image, and the library image in its body.
    "featured alt text": lambda s: edit(s.featured, alt="A runner at dusk"),
    "featured caption": lambda s: edit(s.featured, caption="Evening run"),
    "featured file": lambda s: new_file(s.featured),
    "featured renditions": lambda s: edit(s.featured, renditions=s.featured.renditions[1:]),
    "featured image removed": lambda s: s.featured.remove(),
    "body image's alt text": lambda s: edit(s.inline, alt="A hamstring stretch"),
    "body image's file": lambda s: new_file(s.inline),
    "body image removed": lambda s: s.inline.remove(),
    # Its discussion.
    "comment approved": new_comment,
}

# What the page does not show: its copy stays current (a 304).
UNSEEN = {
    "author's password": lambda s: (
        s.author.set_password("another long passphrase") or s.author.save()
    ),
    "author's login": lambda s: edit(s.author, last_login=timezone.now()),
    "image credit": lambda s: edit(s.featured, credit="Photo: Sam"),
    "category description": lambda s: edit(s.category, description="Rest days."),
    "comment held": lambda s: CommentFactory(article=s.article, status="pending"),
}


@pytest.mark.parametrize("change", CHANGES.values(), ids=CHANGES.keys())
def test_each_change_of_what_an_article_page_shows_gives_it_a_new_etag(client, shown, change):
    url = shown.article.get_absolute_url()
    before = client.get(url)["ETag"]
    assert client.get(url, HTTP_IF_NONE_MATCH=before).status_code == 304

    change(shown)

    after = client.get(url, HTTP_IF_NONE_MATCH=before)
    assert after.status_code == 200  # the old copy is not confirmed
    assert after["ETag"] != before


def without_timestamp(page):
    """The page without the form's signed timestamp (it moves each second)."""
    return re.sub(rb'name="timestamp" value="[^"]*"', b"", page)


@pytest.mark.parametrize("change", CHANGES.values(), ids=CHANGES.keys())
def test_each_change_of_what_an_article_page_shows_is_shown_at_once(client, shown, change):
    """Everything but the comment section comes from the page's shell, and the article's
    whole row from memory, both kept per process by the page's version (fitness.core.page_shells,
    fitness.articles.shared_rows): after a change, a reader gets the page as rendered afresh,
    not what was kept before."""
    url = shown.article.get_absolute_url()
    client.get(url)  # its shell and row are kept

    change(shown)

    kept = client.get(url)
    page_shells.clear()
    shared_rows.forget()
    afresh = client.get(url)
    assert kept.status_code == afresh.status_code
    assert without_timestamp(kept.content) == without_timestamp(afresh.content)


def test_an_article_changed_by_another_process_is_shown_at_once(client, shown):
    """Another process's save sends no signal here: the kept row gives way to the new
    updated_at (what every change moves), read with the page's first small query."""
    url = shown.article.get_absolute_url()
    client.get(url)  # its row is kept
    Article.objects.filter(pk=shown.article.pk).update(
        title="Sleep, the forgotten workout", updated_at=timezone.now()
    )  # no signal, as from another process

    assert "Sleep, the forgotten workout" in client.get(url).content.decode()


@pytest.mark.parametrize("change", UNSEEN.values(), ids=UNSEEN.keys())
def test_a_change_the_article_page_does_not_show_keeps_its_etag(client, shown, change):
    url = shown.article.get_absolute_url()
    before = client.get(url)["ETag"]

    change(shown)

    assert client.get(url, HTTP_IF_NONE_MATCH=before).status_code == 304


# The list pages' ETags are their bytes' (fitness/core/http_cache.py): rendered each time, so
# they cannot be stale; these prove it for what their cards and headings show of other rows.
LISTS = {
    "home: category renamed": ("articles:list", {}, lambda s: edit(s.category, name="Rest")),
    "home: featured alt text": ("articles:list", {}, lambda s: edit(s.featured, alt="Dusk")),
    "home: featured file": ("articles:list", {}, lambda s: new_file(s.featured)),
    "category page: renamed": (
        "articles:category",
        {"slug": "recovery"},
        lambda s: edit(s.category, name="Rest"),
    ),
    "tag page: renamed": ("articles:tag", {"slug": "sleep"}, lambda s: edit(s.tag, name="naps")),
    "tag page: card's category": (
        "articles:tag",
        {"slug": "sleep"},
        lambda s: edit(s.category, name="Rest"),
    ),
    "author page: name": (
        "articles:author",
        {"username": "sam"},
        lambda s: edit(s.author, first_name="Samantha"),
    ),
}


@pytest.mark.parametrize(("name", "kwargs", "change"), LISTS.values(), ids=LISTS.keys())
def test_list_pages_show_a_change_of_their_cards_with_a_new_etag(
    client, shown, name, kwargs, change
):
    url = reverse(name, kwargs=kwargs)
    before = client.get(url)["ETag"]
    assert client.get(url, HTTP_IF_NONE_MATCH=before).status_code == 304

    change(shown)

    after = client.get(url, HTTP_IF_NONE_MATCH=before)
    assert after.status_code == 200 and after["ETag"] != before
