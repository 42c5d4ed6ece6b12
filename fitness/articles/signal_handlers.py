"""
What else an article page shows keeps the article's `updated_at` current.

An article page's version is its row's `updated_at` (the ETag and the 304 answered from five
columns, fitness/articles/views.py; the thread cache's key; the feeds' and the sitemap's
dates). The page also renders rows that are not the article's: its categories and tags, its
author's name and page, its featured image, and the library images in its body (written into
`body_html` when the body is rendered). So a change of any of those, made by whatever code, moves
the `updated_at` of the articles that show it (`Article.touch`), or renders their bodies again.

`SHOWN` lists them: a model, the fields of it an article page renders, and the articles that
show one. A new thing on the page is one more line there (and one in the test's list of changes,
tests/fitness/articles/test_freshness.py). A field that is not listed (a password, a last
login, an image's credit) moves nothing: what readers see did not change.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import models
from django.db.models.signals import m2m_changed, post_save, pre_delete, pre_save

from fitness.articles.models import Article, Category, Image, Tag

NOT_YET = "_fitness_shown_changed"  # set on the instance by pre_save, read by post_save


@dataclass(frozen=True)
class Shown:
    model: type
    fields: tuple  # what an article page renders of one
    articles: Callable  # one -> the articles whose page shows it


SHOWN = [
    # The byline (get_full_name(), else the username) and the author page's address (username).
    Shown(
        get_user_model(),
        ("first_name", "last_name", "username"),
        lambda user: Article.objects.filter(author=user),
    ),
    Shown(Category, ("name", "slug"), lambda term: term.articles.all()),
    Shown(Tag, ("name", "slug"), lambda term: term.articles.all()),
    # The featured image (the top of the page, og:image, JSON-LD); the body's images are below.
    Shown(
        Image,
        ("file", "alt", "caption", "width", "height", "renditions"),
        lambda image: Article.objects.filter(featured_image=image),
    ),
]


def register():
    """Connect the receivers (from ArticlesConfig.ready())."""
    for shown in SHOWN:
        uid = f"freshness.{shown.model._meta.label_lower}"
        pre_save.connect(_compare(shown), sender=shown.model, dispatch_uid=uid, weak=False)
        post_save.connect(_follow(shown), sender=shown.model, dispatch_uid=uid, weak=False)
        pre_delete.connect(_touch_all(shown), sender=shown.model, dispatch_uid=uid, weak=False)
    # An article's own categories and tags are set after it is saved (the admin saves the
    # form's many-to-many fields next).
    for through in (Article.categories.through, Article.tags.through):
        m2m_changed.connect(terms_changed, sender=through, dispatch_uid="freshness.terms")


def changed_fields(instance, fields, update_fields=None):
    """Which of `fields` differ from the stored row (one query; none for a new row, or for a
    save told to write none of them, such as a login's `last_login`)."""
    if instance._state.adding or instance.pk is None:
        return set()
    wanted = [f for f in fields if update_fields is None or f in update_fields]
    if not wanted:
        return set()
    stored = type(instance)._base_manager.filter(pk=instance.pk).values(*wanted).first()
    if stored is None:
        return set()
    return {name for name in wanted if _value(instance, name) != stored[name]}


def _value(instance, name):
    value = getattr(instance, instance._meta.get_field(name).attname)
    return value.name if isinstance(value, models.fields.files.FieldFile) else value


def _compare(shown):
    def compare(sender, instance, update_fields=None, **kwargs):
        setattr(instance, NOT_YET, changed_fields(instance, shown.fields, update_fields))

    return compare


def _follow(shown):
    def follow(sender, instance, created, **kwargs):
        changed = getattr(instance, NOT_YET, set())
        setattr(instance, NOT_YET, set())
        if not changed:
            return
        Article.touch(shown.articles(instance).values_list("pk", flat=True))
        if isinstance(instance, Image):
            # The bodies showing it carry its old addresses and alt text: render them again.
            instance.refresh_articles()

    return follow


def _touch_all(shown):
    def touch_all(sender, instance, **kwargs):
        # Before the row goes: the articles still name it (SET_NULL, or the m2m rows).
        Article.touch(shown.articles(instance).values_list("pk", flat=True))

    return touch_all


def terms_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """An article's terms changed (`article.tags.add(...)`), or a term's articles
    (`tag.articles.add(...)`; a clear tells no pks afterwards: touched before)."""
    if not reverse:
        if action.startswith("post_"):
            Article.touch([instance.pk])
    elif action == "pre_clear":
        Article.touch(instance.articles.values_list("pk", flat=True))
    elif action in ("post_add", "post_remove"):
        Article.touch(pk_set)
