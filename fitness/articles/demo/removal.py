"""
Removing the demo (`manage.py remove_demo`, or an import that removes it first): exactly the rows
load_demo recorded, and of those only what no person touched. A demo article a person edited,
or that a person's comment answers, is kept, and so is a category, tag or image that something
kept still uses; each is said. Afterwards nothing is marked as the demo's: what was kept is the
site's own.
"""

from django.db import transaction

from fitness.articles.demo import records
from fitness.articles.demo.loading import ARTICLE_FIELDS, IMAGE_FIELDS, TERM_FIELDS
from fitness.articles.models import Article, Category, Image, Tag
from fitness.articles.signals import demo_removing


def remove():
    """Remove the demo; returns what was done, line by line."""
    if not records.is_loaded():
        return ["The site holds no demo content: nothing removed."]
    with transaction.atomic():
        return list(_remove())


def _remove():
    articles = list(records.recorded(Article))
    keep = {}
    for _receiver, answer in demo_removing.send(sender=Article, articles=articles):
        yield from answer["lines"]
        keep.update(answer["keep"])
    for article in articles:
        if article.pk not in keep and not records.unchanged(article, ARTICLE_FIELDS):
            keep[article.pk] = "it was edited since the demo was loaded"
    removed = [article for article in articles if article.pk not in keep]
    for article in articles:
        if article.pk in keep:
            yield f"Kept the article “{article.title}”: {keep[article.pk]}."
    Article.objects.filter(pk__in=[article.pk for article in removed]).delete()
    counts = {"articles": len(removed)}

    for model, noun in ((Category, "categories"), (Tag, "tags")):
        counts[noun] = 0
        for term in records.recorded(model):
            if not records.unchanged(term, TERM_FIELDS):
                yield f"Kept the {model._meta.verbose_name} “{term.name}”: it was edited."
            elif term.articles.exists():
                yield f"Kept the {model._meta.verbose_name} “{term.name}”: articles use it."
            else:
                term.delete()
                counts[noun] += 1

    counts["images"] = 0
    for image in records.recorded(Image):
        if not records.unchanged(image, IMAGE_FIELDS):
            yield f"Kept the image “{image.alt}”: it was edited."
        elif Article.objects.filter(featured_image=image).exists() or image.articles_showing():
            yield f"Kept the image “{image.alt}”: an article shows it."
        else:
            image.delete_files()
            image.delete()
            counts["images"] += 1

    records.forget_all()
    said = ", ".join(f"{count} {noun}" for noun, count in counts.items())
    yield f"Removed the demo: {said}."
