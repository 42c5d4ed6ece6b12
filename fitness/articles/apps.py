from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete


class ArticlesConfig(AppConfig):
    name = "fitness.articles"
    label = "fitness"  # the label the tables, migrations and permissions were made under
    verbose_name = "Articles"

    def ready(self):
        # Models and what imports them load only once the app registry is ready.
        from fitness.articles import navigation
        from fitness.articles.models import Article, Category, Page, Tag

        # The footer's pages.
        post_save.connect(navigation.forget_pages, sender=Page, dispatch_uid="menu.page")
        post_delete.connect(navigation.forget_pages, sender=Page, dispatch_uid="menu.page_del")
        # The header's categories: what a category or an article's publication changes.
        for model in (Article, Category):
            for name, signal in (("saved", post_save), ("deleted", post_delete)):
                signal.connect(navigation.forget, sender=model, dispatch_uid=f"menu.{name}")
        m2m_changed.connect(
            navigation.forget, sender=Article.categories.through, dispatch_uid="menu.m2m"
        )

        # An article's categories and tags are on its page, and set after the article is saved
        # (the admin saves the form's many-to-many fields next): they move its updated_at, so
        # its ETag (fitness/core/http_cache.py) changes with them.
        def terms_changed(sender, instance, action, reverse, pk_set, **kwargs):
            if action.startswith("post_"):
                Article.touch((pk_set or []) if reverse else [instance.pk])

        def term_changed(sender, instance, **kwargs):
            Article.touch(instance.articles.values_list("pk", flat=True))

        for model, through in ((Category, Article.categories.through), (Tag, Article.tags.through)):
            m2m_changed.connect(terms_changed, sender=through, dispatch_uid="http_cache.terms")
            post_save.connect(term_changed, sender=model, dispatch_uid="http_cache.term")
            pre_delete.connect(term_changed, sender=model, dispatch_uid="http_cache.term_del")
