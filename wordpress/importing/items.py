"""
Posts and pages, through one sequence: read the item's fields (or skip it, with the reason),
look up what an earlier run made of its WordPress id, create it or update it if WordPress
modified it since, then its old addresses as redirects and its images to place once the whole
export is read. A post becomes an article (`PostImporter`); a page a standalone page at
/<slug>/ (`PageImporter`): no date, category or discussion, out of the article list, the feeds
and search, as it was on WordPress.
"""

from datetime import datetime

from django.db import models
from django.utils.text import slugify

from fitness.articles.models import Article, Page, is_reserved_page_slug
from wordpress import content, wxr
from wordpress.importing.authors import Authors
from wordpress.importing.context import Context
from wordpress.importing.redirects import Redirects
from wordpress.importing.terms import Terms
from wordpress.importing.values import int_or_zero, item_date, parse_date, wordpress_id
from wordpress.models import ImportedPost

POST_STATUS = {
    "publish": Article.Status.PUBLISHED,
    "future": Article.Status.PUBLISHED,  # with its date to come: scheduled
    "draft": Article.Status.DRAFT,
    "pending": Article.Status.DRAFT,
    "private": Article.Status.DRAFT,
}
# What this site's own export adds (wordpress/exporter.py): the body as written here.
MARKDOWN = "_fitness_markdown"
PAGE_STATUS = {"publish": "published", "draft": "draft", "pending": "draft", "private": "draft",
               "future": "draft"}  # fmt: skip


class ItemImporter:
    """The sequence; a subclass says what the item becomes (`model`, the `relation` of
    ImportedPost that points at it) and fills in the steps that differ."""

    model: type[models.Model]
    relation: str  # "article" or "page"
    source_type: str  # ImportedPost.source_type: what it was on WordPress
    counted: str  # the report's counts: "<counted>_new", "_updated", "_unchanged"
    slug_length: int  # what is left for "-2", "-page" and the like

    def __init__(self, context: Context, redirects: Redirects, media_targets: list):
        self.context, self.report, self.redirects = context, context.report, redirects
        self.media_targets = media_targets  # (label, target, featured image's attachment id)

    def import_item(self, item: wxr.Item, label: str):
        """The article or page the item is here (made or brought up to date); None if it is
        skipped (the reason in the report)."""
        title = content.plain(item.title) or "(untitled)"
        fields = self.fields(item, title, label)
        if fields is None:
            return None
        modified = parse_date(item.modified_gmt)
        mapping = (
            ImportedPost.objects.filter(source=self.context.source, source_id=int(item.id))
            .select_related(self.relation)
            .first()
        )
        if mapping is None:
            target = self.create(item, title, label, fields, modified)
            fresh = True
        elif getattr(mapping, self.relation) is None:  # an id that was something else here
            self.report.skip(label, f"id {item.id} was imported as something else before")
            return None
        else:
            target = getattr(mapping, self.relation)
            changed = update_if_modified(mapping, target, fields, modified)
            if changed:
                self.after_save(item, target)
            self.report.counts[f"{self.counted}_{'updated' if changed else 'unchanged'}"] += 1
            fresh = changed
        self.add_redirects(item, target)
        self.note_left_out(item, label, fields["body"])
        # A body written here (this site's export) names its images by their attachment's id:
        # mapped to the images made, only when the body was just taken from the export.
        ours = MARKDOWN in item.meta and fresh
        self.media_targets.append((label, target, self.thumbnail(item), ours))
        return target

    def create(self, item: wxr.Item, title: str, label: str, fields: dict, modified):
        target = self.model(slug=self.free_slug(item, title, label), **fields)
        target.save()
        self.after_save(item, target)
        ImportedPost.objects.create(
            source=self.context.source,
            source_id=int(item.id),
            source_type=self.source_type,
            source_modified=modified,
            **{self.relation: target},
        )
        self.count_new(target)
        return target

    def free_slug(self, item: wxr.Item, title: str, label: str) -> str:
        """Its WordPress slug (else its title's) if no article (page) here has it, else the
        first free one after it, with a warning."""
        wanted = slugify(item.slug) or slugify(title) or f"{self.source_type}-{item.id}"
        wanted = wanted[: self.slug_length]
        slug = first_free_slug(self.model, self.slug_base(wanted))
        if slug != wanted:
            taken, made = self.address(wanted), self.address(slug)
            self.report.warn(label, f"the address {taken} is taken here: imported as {made}")
        return slug

    def note_left_out(self, item: wxr.Item, label: str, body: str) -> None:
        """What of the item is not imported, in the report."""
        codes = content.shortcodes(body)
        if codes:
            note = self.report.not_imported.append
            note((label, f"shortcodes {', '.join(codes)}: shown as text (WordPress ran them)"))

    # --- the steps that differ ----------------------------------------------------------------

    def fields(self, item: wxr.Item, title: str, label: str) -> dict | None:
        raise NotImplementedError

    def address(self, slug: str) -> str:
        """The slug as the report shows it."""
        raise NotImplementedError

    def slug_base(self, wanted: str) -> str:
        return wanted

    def add_redirects(self, item: wxr.Item, target) -> None:
        raise NotImplementedError

    def after_save(self, item: wxr.Item, target) -> None:
        """Made or changed: what else it takes from the item (a post: its terms)."""

    def count_new(self, target) -> None:
        self.report.counts[f"{self.counted}_new"] += 1

    def thumbnail(self, item: wxr.Item) -> str:
        return ""


class PostImporter(ItemImporter):
    model, relation, source_type, counted = Article, "article", "post", "articles"
    slug_length = 190

    def __init__(self, context, redirects, media_targets, *, authors: Authors, terms: Terms):
        super().__init__(context, redirects, media_targets)
        self.authors, self.terms = authors, terms

    def fields(self, item: wxr.Item, title: str, label: str) -> dict | None:
        status = POST_STATUS.get(item.status)
        if status is None:
            self.report.skip(label, f"status {item.status!r} (trash, auto-draft, ...) is not kept")
            return None
        publish_at = item_date(item.date_gmt, item.date)
        if publish_at is None:
            if status == Article.Status.PUBLISHED:
                self.report.skip(label, f"invalid date {item.date_gmt or item.date!r}")
                return None
            publish_at = self.context.now
        if item.status == "private":
            self.report.warn(label, "private in WordPress: imported as a draft")
        if item.password:
            status = Article.Status.DRAFT
            self.report.warn(label, "password-protected in WordPress: imported as a draft")
        user = self.authors.find_or_create(item.creator) if item.creator else None
        seo_title, description = (
            item.meta.get(key, "").strip()
            for key in ("_yoast_wpseo_title", "_yoast_wpseo_metadesc")
        )
        return {
            "title": title[:200],
            "excerpt": content.plain(item.excerpt),
            "body": body_of(item),
            # Yoast's; one with its variables (%%title%%) is Yoast's template, not a title.
            "seo_title": "" if "%%" in seo_title else seo_title[:70],
            "meta_description": "" if "%%" in description else description[:300],
            "author": user,
            # This site's export says the byline as it was (none: the account's name).
            "byline": item.meta.get("_fitness_byline", wordpress_name(user))[:100],
            "status": status,
            "publish_at": publish_at,
            "comments_open": item.comment_status != "closed",
        }

    def address(self, slug: str) -> str:
        return repr(slug)

    def after_save(self, item: wxr.Item, article: Article) -> None:
        self.terms.assign(item, article)

    def count_new(self, article: Article) -> None:
        super().count_new(article)
        counts = self.report.counts
        if article.status == Article.Status.DRAFT:
            counts["drafts"] += 1
        elif article.publish_at > self.context.now:
            counts["scheduled"] += 1
        else:
            counts["published"] += 1

    def add_redirects(self, item: wxr.Item, article: Article) -> None:
        self.redirects.add_for_article(item, article)

    def thumbnail(self, item: wxr.Item) -> str:
        raw = item.meta.get("_thumbnail_id", "").strip()
        number = wordpress_id(raw)
        return raw if number is None else str(number)  # as the attachments' ids are written


class PageImporter(ItemImporter):
    model, relation, source_type, counted = Page, "page", "page", "pages"
    slug_length = 180

    def fields(self, item: wxr.Item, title: str, label: str) -> dict | None:
        status = PAGE_STATUS.get(item.status)
        if status is None:
            self.report.skip(label, f"status {item.status!r} (trash, auto-draft, ...) is not kept")
            return None
        if item.status in ("private", "future") or item.password:
            why = "password-protected" if item.password else item.status
            self.report.warn(label, f"{why} in WordPress: imported as a draft page")
            status = Page.Status.DRAFT
        fields = {
            "title": title[:200],
            "body": body_of(item),
            "status": status,
            "menu_order": int_or_zero(item.menu_order),
        }
        if item.meta.get("_fitness_in_footer") in ("0", "1"):
            fields["in_footer"] = item.meta["_fitness_in_footer"] == "1"
        return fields

    def address(self, slug: str) -> str:
        return f"/{slug}/"

    def slug_base(self, wanted: str) -> str:
        """/about/ and the like are this site's own (and /2010/ a year's archive): such a page
        gets /about-page/."""
        return f"{wanted}-page" if is_reserved_page_slug(wanted) else wanted

    def add_redirects(self, item: wxr.Item, page: Page) -> None:
        self.redirects.add_for_page(item, page)

    def note_left_out(self, item: wxr.Item, label: str, body: str) -> None:
        if item.comments:
            self.report.not_imported.append(
                (label, f"its {len(item.comments)} comments: pages here have no discussion")
            )
        super().note_left_out(item, label, body)


def wordpress_name(user) -> str:
    return getattr(user, "wordpress_display_name", "") if user else ""


def body_of(item: wxr.Item) -> str:
    """The body as written here (this site's export carries it), else the post's HTML."""
    if MARKDOWN in item.meta:
        return item.meta[MARKDOWN]
    return content.post_html(item.content)


def update_if_modified(
    mapping: ImportedPost, target, fields: dict, modified: datetime | None
) -> bool:
    """Apply a later export's fields to what an earlier one imported, only if WordPress
    changed the item since (so an edit made here is not overwritten for nothing)."""
    if not modified or (mapping.source_modified and modified <= mapping.source_modified):
        return False
    for name, value in fields.items():
        setattr(target, name, value)
    target.save()
    mapping.source_modified = modified
    mapping.save(update_fields=["source_modified"])
    return True


def first_free_slug(model: type[models.Model], base: str) -> str:
    """`base`, else `base-2`, `base-3`, ...: the first no `model` row has."""
    slug, n = base, 1
    while model.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug
