from django.apps import AppConfig
from django.conf import settings


class FitnessConfig(AppConfig):
    name = "fitness"
    verbose_name = "Articles"

    def ready(self):
        # Models and what imports them load only once the app registry is ready.
        from . import memory

        memory.keep_freed_memory(settings.MEMORY_KEEP_FREED_MB)
