from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand
from django.db import transaction

from fitness.articles.demo import ARTICLES, CATEGORIES, TAGS, article_body, demo_image
from fitness.articles.models import Article, Category, Image, Tag
from fitness.articles.signals import demo_articles_loaded


class Command(BaseCommand):
    help = "Create the demo articles (and their comments). Safe to run again: nothing doubles."

    @transaction.atomic
    def handle(self, *args, **options):
        terms = {
            model: {
                slug: model.objects.get_or_create(
                    slug=slug, defaults={"name": name, "description": description}
                )[0]
                for slug, (name, description) in specs.items()
            }
            for model, specs in ((Category, CATEGORIES), (Tag, TAGS))
        }
        for spec in ARTICLES:
            skip = {"slug", "categories", "tags", "image"}
            fields = {key: value for key, value in spec.items() if key not in skip}
            article, created = Article.objects.get_or_create(
                slug=spec["slug"],
                defaults={**fields, "body": article_body(spec["slug"]), "status": "published"},
            )
            # A new article, or one from before tags existed; else the terms its editors
            # gave it since are kept.
            if created or not article.tags.exists():
                article.categories.add(*(terms[Category][slug] for slug in spec["categories"]))
                article.tags.add(*(terms[Tag][slug] for slug in spec["tags"]))
            verb = "Created" if created else "Kept"
            self.stdout.write(f"{verb} article: {article.title}")
            if article.featured_image_id is None:
                article.featured_image = self.featured_image(spec)
                article.save(update_fields=["featured_image", "updated_at"])
        # Apps that add to the demo (the comments app adds the seed comments) listen for this.
        for _receiver, lines in demo_articles_loaded.send(sender=self.__class__):
            for line in lines or []:
                self.stdout.write(line)

    def featured_image(self, spec):
        """The article's demo image: the library's, or drawn now
        (`fitness.articles.demo.demo_image`)."""
        image = Image.objects.filter(alt=spec["image"]["alt"]).first()
        if image is None:
            png = SimpleUploadedFile(f"{spec['slug']}.png", demo_image(spec["image"]))
            image = Image(file=png, alt=spec["image"]["alt"], credit="Drawn by load_demo (Pillow)")
            image.prepare()
            image.save()
            self.stdout.write(f"Drew the featured image of: {spec['slug']}")
        return image
