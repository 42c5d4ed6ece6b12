from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save


class ArticlesConfig(AppConfig):
    name = "fitness.articles"
    label = "fitness"  # the label the tables, migrations and permissions were made under
    verbose_name = "Articles"

    def ready(self):
        # Models and what imports them load only once the app registry is ready.
        from fitness.articles import navigation, signal_handlers, site_settings
        from fitness.articles.models import Article, Category, Page, SiteSettings

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

        # The site's settings: the next page (in any process) reads the change.
        post_save.connect(site_settings.forget, sender=SiteSettings, dispatch_uid="site.saved")
        post_delete.connect(site_settings.forget, sender=SiteSettings, dispatch_uid="site.del")

        # What else an article page shows (its terms, author, images) moves its updated_at.
        signal_handlers.register()

        # Images whose renditions task was lost (never stored) or given up on.
        from fitness.core.scheduler import MINUTE, Job, register

        register(Job("image-renditions", 10 * MINUTE, "fitness.articles.tasks.take_back_stuck"))
