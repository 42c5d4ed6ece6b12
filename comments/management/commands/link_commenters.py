"""
Link every comment saved without a commenter (those from before commenters existed, a WordPress
import) to the person behind it, in batches; safe to run again:

    manage.py link_commenters [--batch 1000]
"""

from django.core.management.base import BaseCommand

from comments.services.commenters import link_existing


class Command(BaseCommand):
    help = "Link comments saved without a commenter to one (by normalised email, else network)."

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=1000)

    def handle(self, *args, batch, **options):
        linked = link_existing(batch=batch)
        self.stdout.write(f"Linked {linked} comment{'s' if linked != 1 else ''} to commenters.")
