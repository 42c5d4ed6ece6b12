"""The moderators' admin. Importing the package registers its pages (Django's autodiscover)."""

from comments.admin import comment  # noqa: F401
