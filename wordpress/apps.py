from django.apps import AppConfig


class WordpressConfig(AppConfig):
    """Moving in from WordPress and out again. It uses the articles and comments apps; neither
    knows it exists."""

    name = "wordpress"
    verbose_name = "WordPress"
