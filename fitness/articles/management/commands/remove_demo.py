"""`manage.py remove_demo`: see fitness/articles/demo/removal.py."""

from django.core.management.base import BaseCommand

from fitness.articles.demo import removal


class Command(BaseCommand):
    help = (
        "Remove what load_demo added: its articles, categories, tags, images and comments. "
        "Nothing a person wrote or changed is removed: a demo article a person edited or "
        "commented on is kept, and said."
    )
    requires_system_checks = []

    def handle(self, *args, **options):
        for line in removal.remove():
            self.stdout.write(line)
