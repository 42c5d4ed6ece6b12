from django.apps import AppConfig
from django.conf import settings
from django.core import checks


class FitnessConfig(AppConfig):
    name = "fitness"
    verbose_name = "Articles"

    def ready(self):
        # Models and what imports them load only once the app registry is ready.
        from . import memory

        memory.keep_freed_memory(settings.MEMORY_KEEP_FREED_MB)
        checks.register(csrf_middleware_is_installed, checks.Tags.security, deploy=True)


def csrf_middleware_is_installed(app_configs, **kwargs):
    """Django's security.W003, silenced because it names Django's class, not our subclass."""
    if "fitness.csrf.CsrfViewMiddleware" in settings.MIDDLEWARE:
        return []
    return [
        checks.Error(
            "fitness.csrf.CsrfViewMiddleware is not in MIDDLEWARE: posts are not protected "
            "against cross-site request forgery.",
            hint="Put it where Django's CsrfViewMiddleware would be (docs/csrf.md).",
            id="fitness.E001",
        )
    ]
