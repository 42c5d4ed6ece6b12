from django.apps import AppConfig
from django.conf import settings
from django.core import checks


class CoreConfig(AppConfig):
    """The site's HTTP infrastructure (caching, CSRF, sessions, errors, health, logs, the
    scheduler). It knows no app: apps register with it (`scheduler.register`)."""

    name = "fitness.core"
    label = "fitness_core"
    verbose_name = "Infrastructure"

    def ready(self):
        from fitness.core import memory, tolerant_cache

        memory.keep_freed_memory(settings.MEMORY_KEEP_FREED_MB)
        tolerant_cache.register()
        checks.register(csrf_middleware_is_installed, checks.Tags.security, deploy=True)


def csrf_middleware_is_installed(app_configs, **kwargs):
    """Django's security.W003, silenced because it names Django's class, not our subclass."""
    if "fitness.core.csrf.CsrfViewMiddleware" in settings.MIDDLEWARE:
        return []
    return [
        checks.Error(
            "fitness.core.csrf.CsrfViewMiddleware is not in MIDDLEWARE: posts are not protected "
            "against cross-site request forgery.",
            hint="Put it where Django's CsrfViewMiddleware would be (docs/csrf.md).",
            id="fitness.E001",
        )
    ]
