from django.http import Http404
from django.shortcuts import redirect

from comments.models import Comment
from comments.web.views import comment_url, readable_articles
from wordpress.models import ImportedComment


def comment_permalink(request, source_id):
    """/comments/wordpress/<id>/ -> where the comment WordPress numbered `id` is now (an old
    `#comment-<id>` anchor cannot be followed by the server: its id is not ours)."""
    mapping = (
        ImportedComment.objects.filter(source_id=source_id, comment__status=Comment.Status.APPROVED)
        .select_related("comment__article")
        .order_by("-pk")
        .first()
    )
    if mapping is None or not (
        readable_articles(request).filter(pk=mapping.comment.article_id).exists()
    ):
        raise Http404("No such comment.")
    return redirect(comment_url(mapping.comment), permanent=True)
