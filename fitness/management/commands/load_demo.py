from django.core.management.base import BaseCommand
from django.db import transaction

from fitness.demo import ARTICLES, article_body
from fitness.models import Article


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
        self.load_comments()

    def load_comments(self):
        """The demo comments belong to the comments app; it adds them when it is installed."""
        from django.apps import apps

        if not apps.is_installed("comments"):
            return
        from comments.demo import load_demo_comments

        for line in load_demo_comments():
            self.stdout.write(line)
