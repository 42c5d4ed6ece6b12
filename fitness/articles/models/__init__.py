"""
The articles app's models, one module per kind of thing; every name is exported here, so
`fitness.articles.models.X` (the migrations' references included) stays where it was.
"""

from fitness.articles.models.articles import (
    AUTHORS_GROUP,
    Article,
    ArticleQuerySet,
    can_edit_any_article,
)
from fitness.articles.models.bodies import RenderedBody
from fitness.articles.models.demo import DemoRow
from fitness.articles.models.images import ALT_REQUIRED, Image
from fitness.articles.models.pages import (
    RESERVED_PAGE_SLUGS,
    Page,
    PageQuerySet,
    is_reserved_page_slug,
    validate_page_slug,
)
from fitness.articles.models.redirects import FROM_OLD_SITE, Redirect, redirect_key
from fitness.articles.models.revisions import Revision
from fitness.articles.models.search import SearchDocument
from fitness.articles.models.site import SiteSettings
from fitness.articles.models.terms import Category, Tag, Term

__all__ = [
    "ALT_REQUIRED",
    "AUTHORS_GROUP",
    "FROM_OLD_SITE",
    "RESERVED_PAGE_SLUGS",
    "Article",
    "ArticleQuerySet",
    "Category",
    "DemoRow",
    "Image",
    "Page",
    "PageQuerySet",
    "Redirect",
    "RenderedBody",
    "Revision",
    "SearchDocument",
    "SiteSettings",
    "Tag",
    "Term",
    "can_edit_any_article",
    "is_reserved_page_slug",
    "redirect_key",
    "validate_page_slug",
]
