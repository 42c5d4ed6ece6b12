from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "comments"
    verbose_name = "Comments"

    def ready(self):
        # Imported here, not at the top: models cannot be imported before the app registry is
        # ready. Importing `checks` registers the system checks, and `demo` its receiver.
        from django.db.backends.signals import connection_created
        from django.db.models.signals import post_delete, post_save

        from comments import checks, conf  # noqa: F401
        from comments.models import ScreeningWord
        from comments.models.comments import register_sqlite_functions
        from comments.notifications import signal_handlers
        from comments.schedule import JOBS
        from comments.screening import rules
        from comments.services import demo  # noqa: F401
        from fitness.articles import site_settings
        from fitness.core import scheduler as jobs

        jobs.register(*JOBS)
        # The admin's Site settings show (and fall back on) this app's defaults.
        site_settings.register_environment(
            conf.settings.environment,
            *(name for name in site_settings.FIELDS if name in conf.DEFAULTS),
        )
        # SQLite's stand-in for PostgreSQL's `<<=` (searching the queue by network).
        connection_created.connect(register_sqlite_functions, dispatch_uid="comments.sqlite")
        signal_handlers.register()
        # The word lists are cached for screening; an edit in the admin takes effect at once.
        for signal in (post_save, post_delete):
            signal.connect(rules.forget_screening_words, sender=ScreeningWord,
                           dispatch_uid=f"rules.words.{signal is post_save}")  # fmt: skip
