from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "comments"
    verbose_name = "Comments"

    def ready(self):
        from fitness import page_cache

        from . import checks  # noqa: F401  (registers the system checks)
        from .forms import TIMESTAMP_BINDING, fresh_timestamp

        page_cache.register(TIMESTAMP_BINDING, fresh_timestamp)
