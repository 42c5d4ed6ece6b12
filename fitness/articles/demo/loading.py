"""
Loading the demo: into an empty site only (no article, no page: comments belong to articles), as
the first `make run` does; every row it makes is recorded (`records`) so that `remove_demo` can
take exactly those away again. A site with content of its own is told so, in one line, and left
alone; so is a site that holds the demo already.
"""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from fitness.articles.demo import ARTICLES, CATEGORIES, TAGS, article_body, demo_image, records
from fitness.articles.models import Article, Category, Image, Page, Tag
from fitness.articles.signals import demo_articles_loaded

# What a person would change, per model: a difference in any of these keeps the row.
ARTICLE_FIELDS = (
    "title",
    "slug",
    "byline",
    "excerpt",
    "body",
    "status",
    "publish_at",
    "seo_title",
    "meta_description",
    "author",
    "featured_image",
    "comments_open",
    "categories",
    "tags",
)
TERM_FIELDS = ("name", "slug", "description")
IMAGE_FIELDS = ("alt", "caption", "credit")

REMOVE_HINT = "./manage remove_demo"


def site_content() -> str:
    """What the site holds besides the demo, in words ("" for an empty site)."""
    parts = []
    for model, noun in ((Article, "article"), (Page, "page")):
        count = model.objects.count()
        if count:
            parts.append(f"{count} {noun}{'' if count == 1 else 's'}")
    return ", ".join(parts)


def load():
    """Load the demo if the site is empty; yields what was done (or why not), line by line."""
    if records.is_loaded():
        yield f"The demo is loaded already (to remove it: {REMOVE_HINT})."
        return
    content = site_content()
    if content:
        yield f"The site has content ({content}): the demo is skipped."
        return
    with transaction.atomic():
        yield from _load()


def _load():
    terms = {}
    for model, specs in ((Category, CATEGORIES), (Tag, TAGS)):
        terms[model] = {}
        for slug, (name, description) in specs.items():
            term, created = model.objects.get_or_create(
                slug=slug, defaults={"name": name, "description": description}
            )
            if created:
                records.record(term, TERM_FIELDS)
            terms[model][slug] = term
    for spec in ARTICLES:
        skip = {"slug", "categories", "tags", "image"}
        fields = {key: value for key, value in spec.items() if key not in skip}
        article = Article.objects.create(
            slug=spec["slug"],
            **fields,
            body=article_body(spec["slug"]),
            status=Article.Status.PUBLISHED,
            featured_image=_draw(spec),
        )
        article.categories.add(*(terms[Category][slug] for slug in spec["categories"]))
        article.tags.add(*(terms[Tag][slug] for slug in spec["tags"]))
        records.record(article, ARTICLE_FIELDS)
        yield f"Created article: {article.title}"
    # Apps that add to the demo (the comments app adds the seed comments) listen for this.
    for _receiver, lines in demo_articles_loaded.send(sender=Article):
        yield from lines or []
    yield f"The demo is loaded (to remove it: {REMOVE_HINT})."


def _draw(spec):
    """The article's featured image, drawn now (`fitness.articles.demo.demo_image`)."""
    png = SimpleUploadedFile(f"{spec['slug']}.png", demo_image(spec["image"]))
    image = Image(file=png, alt=spec["image"]["alt"], credit="Drawn by load_demo (Pillow)")
    image.prepare()
    image.save()
    records.record(image, IMAGE_FIELDS)
    return image
