from django.core.management.base import BaseCommand
from django.db import transaction

from fitness.demo import ARTICLES, article_body
from fitness.models import Article
from fitness.signals import demo_articles_loaded


class Command(BaseCommand):
    help = "Create the demo articles (and their comments). Safe to run again: nothing doubles."

    @transaction.atomic
    def handle(self, *args, **options):
        for spec in ARTICLES:
            fields = {key: value for key, value in spec.items() if key != "slug"}
            article, created = Article.objects.get_or_create(
                slug=spec["slug"],
                defaults={**fields, "body": article_body(spec["slug"]), "status": "published"},
            )
            verb = "Created" if created else "Kept"
            self.stdout.write(f"{verb} article: {article.title}")
        # Apps that add to the demo (the comments app adds the seed comments) listen for this.
        for _receiver, lines in demo_articles_loaded.send(sender=self.__class__):
            for line in lines or []:
                self.stdout.write(line)
