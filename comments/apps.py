from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "comments"
    verbose_name = "Comments"

    def ready(self):
        # Imported here, not at the top: models cannot be imported before the app registry is
        # ready, and importing these modules is what registers their checks and receivers.
        from django.db.models.signals import post_delete, post_save

        from fitness import http_cache, jobs

        from . import (  # noqa: F401
            checks,
            demo,
            notifications,
            rules,
            tasks,
        )
        from .cookies import PERSONAL_COOKIES
        from .jobs import JOBS
        from .models import ScreeningWord

        jobs.register(*JOBS)
        # A remembered name, or one's own held comments: that reader's page is their own.
        for name in PERSONAL_COOKIES:
            http_cache.personal_cookie(name)
        # The word lists are cached for screening; an edit in the admin takes effect at once.
        for signal in (post_save, post_delete):
            signal.connect(rules.forget_screening_words, sender=ScreeningWord,
                           dispatch_uid=f"rules.words.{signal is post_save}")  # fmt: skip
