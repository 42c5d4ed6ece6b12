"""The moderators' admin. Importing the package registers its pages (Django's autodiscover):
the queue and a comment's pages (`comment`), the pages next to them (`related`), and the
commenters with each one's page (`commenter`)."""

from comments.admin import comment, commenter, related  # noqa: F401
