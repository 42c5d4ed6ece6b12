from django.apps import AppConfig
from django.conf import settings
from django.core import checks
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete


class FitnessConfig(AppConfig):
    name = "fitness"
    verbose_name = "Articles"

    def ready(self):
        # Models and what imports them load only once the app registry is ready.
        from . import memory, navigation, page_cache
        from .models import Article, Category, Page, Tag

        def article_changed(sender, instance, **kwargs):
            # Title, body, status, schedule or the comments switch: readers see it at once.
            page_cache.invalidate([instance.pk])

        # The footer's pages.
        post_save.connect(navigation.forget_pages, sender=Page, dispatch_uid="menu.page")
        post_delete.connect(navigation.forget_pages, sender=Page, dispatch_uid="menu.page_del")
        post_save.connect(article_changed, sender=Article, dispatch_uid="page_cache.article")
        post_delete.connect(article_changed, sender=Article, dispatch_uid="page_cache.article_del")
        # The header's categories: what a category or an article's publication changes.
        for model in (Article, Category):
            for name, signal in (("saved", post_save), ("deleted", post_delete)):
                signal.connect(navigation.forget, sender=model, dispatch_uid=f"menu.{name}")
        m2m_changed.connect(
            navigation.forget, sender=Article.categories.through, dispatch_uid="menu.m2m"
        )

        # An article's categories and tags are on its page: set after the article is saved
        # (the admin saves the form's many-to-many fields next), so they invalidate it again.
        def terms_changed(sender, instance, action, reverse, pk_set, **kwargs):
            if action.startswith("post_"):
                page_cache.invalidate((pk_set or []) if reverse else [instance.pk])

        def term_changed(sender, instance, **kwargs):
            page_cache.invalidate(instance.articles.values_list("pk", flat=True))

        for model, through in ((Category, Article.categories.through), (Tag, Article.tags.through)):
            m2m_changed.connect(terms_changed, sender=through, dispatch_uid="page_cache.terms")
            post_save.connect(term_changed, sender=model, dispatch_uid="page_cache.term")
            pre_delete.connect(term_changed, sender=model, dispatch_uid="page_cache.term_del")
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
