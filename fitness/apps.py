from django.apps import AppConfig


class FitnessConfig(AppConfig):
    name = "fitness"
    verbose_name = "Articles"
