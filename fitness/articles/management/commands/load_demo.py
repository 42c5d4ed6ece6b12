"""`manage.py load_demo`: the demo articles (and, through the comments app, their comments), into
an empty site only; `make run` runs it (DEMO=0 skips it). See fitness/articles/demo/loading.py."""

from django.core.management.base import BaseCommand

from fitness.articles.demo import loading


class Command(BaseCommand):
    help = (
        "Load the demo articles and their comments into an empty site (no article, no page); "
        "a site with content is left alone. `remove_demo` takes the demo away again."
    )
    # Akismet's W001 matters where comments are screened, not here (said by runserver).
    requires_system_checks = []

    def handle(self, *args, **options):
        for line in loading.load():
            self.stdout.write(line)
