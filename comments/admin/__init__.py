"""The moderators' admin. Importing the package registers its pages (Django's autodiscover):
the queue and a comment's pages (`comment`), and the pages next to them (`related`)."""

from comments.admin import comment, related  # noqa: F401
