"""
Reader views: post a comment, follow a comment's permalink, stop reply emails. Thin: the rules
live in forms.py, posting.py, threads.py and notifications.py.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from fitness.models import Article

from . import notifications, threads
from .cookies import remember_author, remember_pending
from .forms import CommentForm
from .models import Comment
from .posting import post_comment
from .rendering import render_body

# The article page re-rendered with the reader's form and its errors.
ARTICLE_TEMPLATE = "fitness/article_detail.html"


def readable_articles(request):
    """What the reader may see (and so comment on): published, or anything for staff."""
    return Article.objects.all() if request.user.is_staff else Article.objects.published()


def comment_url(comment):
    """The article page (the right page of threads) at the comment's anchor."""
    page = threads.page_of(comment)
    query = f"?page={page}" if page > 1 else ""
    return f"{comment.article.get_absolute_url()}{query}#{comment.anchor}"


# The reader's form, on the article, once the page has loaded: where a post sent back lands.
RESPOND_ANCHOR = "#respond"


@require_http_methods(["GET", "HEAD", "POST"])
def post(request, article_id):
    """POST: screen and save the reader's comment (or, with "Preview", show it rendered).
    GET (a reload, a bookmark of the page a failed post showed): back to the article's form."""
    article = get_object_or_404(readable_articles(request), pk=article_id)
    if request.method != "POST":
        return redirect(article.get_absolute_url() + RESPOND_ANCHOR)
    form = CommentForm(request.POST, article=article, user=request.user)
    if form.is_valid() and request.POST.get("preview"):
        # Nothing is screened or saved: the text as it would read, and the form to send it.
        preview = render_body(form.cleaned_data["comment"])
        context = {"article": article, "comment_form": form, "comment_preview": preview}
        return render(request, ARTICLE_TEMPLATE, context)
    if form.is_valid():
        result = post_comment(form, article=article, request=request)
        if not result.refusal:
            response = redirect(comment_url(result.comment))
            remember_pending(request, response, result.comment)
            remember_author(response, form)
            return response
        form.add_error(None, result.refusal)
    context = {"article": article, "comment_form": form}
    return render(request, ARTICLE_TEMPLATE, context, status=400)


def permalink(request, pk):
    """/comments/<id>/ -> the article, on the page of threads that holds the comment."""
    comment = get_object_or_404(Comment.objects.public().select_related("article", "thread"), pk=pk)
    if not (comment.article.is_published or request.user.is_staff):
        raise Http404("No such comment.")
    return redirect(comment_url(comment))


# The stop link in reply emails. Exempt from CSRF because a mail client's one-click unsubscribe
# (RFC 8058) posts without a token; the signed token is the proof, and a POST here can only
# turn emails off.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def stop_replies(request, token):
    """GET: which comment, and a button; POST: no more emails about replies to it."""
    comment = notifications.comment_for_stop_token(token)
    if comment is None:
        return render(request, "comments/stop_replies.html", {"invalid": True}, status=404)
    if request.method == "POST":
        notifications.stop_reply_notices(comment)
    context = {"comment": comment, "stopped": request.method == "POST"}
    return render(request, "comments/stop_replies.html", context)
