from django.core.management.base import BaseCommand

from fitness.articles.models import Article, Page

PROGRESS_EVERY = 100


class Command(BaseCommand):
    help = (
        "Render every article's and page's body again with the current renderer (a body keeps "
        "the HTML it was saved with until it is saved again): after an upgrade of the Markdown "
        "renderer or the sanitiser. Only bodies whose HTML changes are written, and their "
        "page's version moves. --dry-run counts them and writes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="count the bodies that would change only"
        )

    def handle(self, *args, dry_run=False, **options):
        changed = checked = 0
        for model, label in ((Article, "articles"), (Page, "pages")):
            rows = model.objects.order_by("pk").only("pk", "body", "body_html", "body_summary")
            total = rows.count()
            model_changed = 0
            for done, row in enumerate(rows.iterator(chunk_size=PROGRESS_EVERY), start=1):
                model_changed += row.render_again(save=not dry_run)
                if done % PROGRESS_EVERY == 0 or done == total:
                    self.stdout.write(f"{label}: {done}/{total} checked, {model_changed} changed")
            changed += model_changed
            checked += total
        if dry_run:
            self.stdout.write(
                f"Dry run: {changed} of {checked} bodies would change; nothing was written."
            )
        else:
            self.stdout.write(
                self.style.SUCCESS(f"Rendered again: {changed} of {checked} bodies changed.")
            )
