"""Post a comment the way a reader's post goes: `posting.post_screened`, screening first."""

from comments.models import Comment
from comments.screening.pipeline import ScreeningContext
from comments.services.posting import post_screened

# What a report to Akismet (submit-spam, submit-ham) must send as the comment-check did.
REPORTED_FIELDS = [
    "comment_author",
    "comment_author_email",
    "comment_content",
    "user_ip",
    "user_agent",
    "referrer",
    "permalink",
    "comment_type",
    "blog",
]


def new_comment(article, **fields):
    values = {
        "author_name": "Ada Reader",
        "author_email": "ada@example.com",
        "author_url": "",
        "body": "Warming up first made my knees stop aching.",
        "ip_address": "203.0.113.7",
        "user_agent": "Mozilla/5.0 Firefox/130.0",
        "referrer": "http://fitness.example/articles/",
    }
    values.update(fields)
    comment = Comment(article=article, **values)
    if comment.parent is not None:
        comment.depth = comment.parent.depth + 1
    return comment


def context_for(comment, **fields):
    values = {
        "ip": comment.ip_address,
        "user_agent": comment.user_agent,
        "referrer": comment.referrer,
        "user": comment.user,
        "form_age": 30.0,
    }
    values.update(fields)
    return ScreeningContext(**values)


def post(comment, context=None):
    """Returns the decision; the comment is saved unless it was refused."""
    return post_screened(comment, context or context_for(comment)).decision
