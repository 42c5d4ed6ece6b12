from django.apps import AppConfig
from django.conf import settings
from django.core import checks
from django.db.models.signals import post_delete, post_save


class FitnessConfig(AppConfig):
    name = "fitness"
    verbose_name = "Articles"

    def ready(self):
        # Models and what imports them load only once the app registry is ready.
        from . import memory, menus, page_cache
        from .models import Article, Page

        def article_changed(sender, instance, **kwargs):
            # Title, body, status, schedule or the comments switch: readers see it at once.
            page_cache.invalidate([instance.pk])

        def page_changed(sender, **kwargs):
            menus.forget()

        post_save.connect(page_changed, sender=Page, dispatch_uid="menus.page")
        post_delete.connect(page_changed, sender=Page, dispatch_uid="menus.page_del")
        post_save.connect(article_changed, sender=Article, dispatch_uid="page_cache.article")
        post_delete.connect(article_changed, sender=Article, dispatch_uid="page_cache.article_del")
        checks.register(page_cache_needs_a_shared_cache)
        memory.keep_freed_memory(settings.MEMORY_KEEP_FREED_MB)


def page_cache_needs_a_shared_cache(app_configs, **kwargs):
    """The page cache's generations must be seen by every process: Redis, not local memory."""
    backend = settings.CACHES["default"]["BACKEND"]
    if settings.PAGE_CACHE_SECONDS > 0 and not settings.DEBUG and "locmem" in backend.lower():
        return [
            checks.Warning(
                "PAGE_CACHE_SECONDS is on with the local-memory cache: with several web "
                "processes, one process's change does not reach the pages cached by the others.",
                hint="Set REDIS_URL (shared cache), or PAGE_CACHE_SECONDS=0, or run one process.",
                id="fitness.W001",
            )
        ]
    return []
