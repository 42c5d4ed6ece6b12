"""The email to an article's author when a comment on it is published (COMMENTS_NOTIFY_AUTHOR);
never about their own comment, and once per comment however often it is approved."""

from django.utils.text import Truncator
from django_tasks import task

from comments.conf import settings
from comments.models import Comment, Notification
from comments.notifications.sending import already_sent, load_comment, send_once


@task()
def send_published_notice(comment_id):
    comment = load_comment(comment_id)
    if comment is None or comment.status != Comment.Status.APPROVED:
        return False
    author = comment.article.author
    if author is None or not author.email or comment.user_id == author.pk:
        return False
    if already_sent(comment, Notification.Kind.PUBLISHED):
        return False  # approved before, unapproved, approved again: one email is enough
    link = settings.SITE_URL + comment.get_absolute_url()
    body = (
        f"{comment.author_name} commented on “{comment.article.title}”:\n\n"
        f"{Truncator(comment.body).chars(2000)}\n\nRead it on the site: {link}\n"
    )
    return send_once(
        comment,
        subject=f"[{settings.SITE_NAME}] New comment on “{comment.article.title}”",
        body=body,
        kind=Notification.Kind.PUBLISHED,
        recipients=[author.email],
    )
