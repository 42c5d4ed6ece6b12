"""
Reader views: post a comment, follow a comment's permalink, report one, stop reply emails, the
reader's own part of an article page (`mine`).
Thin: the rules live in the forms, the services (posting, own_edits, reports), threads and
notifications (replies, optin).
"""

from django.contrib import messages
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from comments.models import Comment
from comments.notifications import optin, replies
from comments.readers.cookies import (
    forget_hint,
    has_own_cookies,
    helpful_marks,
    new_reader_id,
    new_reporter_token,
    remember_author,
    remember_editable,
    remember_helpful,
    remember_pending,
    remember_reporter,
    reporter_token,
)
from comments.readers.people import client_ip
from comments.services import reactions
from comments.services.own_edits import (
    delete_own_comment,
    edit_deadline,
    edit_own_comment,
    edit_refusal,
    restore_own_comment,
)
from comments.services.posting import post_comment
from comments.services.reactions import unmark_helpful
from comments.services.reports import report_comment
from comments.threads import reading as threads
from comments.threads.rendering import render_body
from comments.web import own
from comments.web.forms import CommentEditForm, CommentForm, ReportForm
from fitness.articles.models import Article
from fitness.core import http_cache
from fitness.core.csrf import origin_checked

# The article page re-rendered with the reader's form and its errors.
ARTICLE_TEMPLATE = "fitness/article_detail.html"


def readable_articles(request):
    """What the reader may see (and so comment on): published, or what they may edit
    (editors any article, authors their own drafts)."""
    return Article.objects.readable_by(request.user)


def comment_url(comment, order=threads.DEFAULT_ORDER, *, mine=False):
    """The article page (the right page of threads in `order`) at the comment's anchor; with
    `mine`, the reader's own page (`?mine=1`: their held comments and edit links rendered in
    it, never from a shared cache), where their own post, edit or undo lands."""
    order = threads.order_of(order)
    page = threads.page_of(comment, order=order)
    parts = [f"sort={order}"] if order != threads.DEFAULT_ORDER else []
    parts += [f"page={page}"] if page > 1 else []
    parts += [f"{http_cache.PERSONAL_PARAMETER}=1"] if mine else []
    query = f"?{'&'.join(parts)}" if parts else ""
    return f"{comment.article.get_absolute_url()}{query}#{comment.anchor}"


# The reader's form, on the article, once the page has loaded: where a post sent back lands.
RESPOND_ANCHOR = "#respond"

# The field static/js/comments.js adds to the comment form, with SHARED_LANDING as its value:
# the script is there to fill the reader's own part into the page everyone shares (from
# `mine`, including the comment just published that a cached copy may lack), so the post lands
# on that page, which nginx serves from its cache. Without it, on `?mine=1`, rendered for them.
LANDING_FIELD = "landing"
SHARED_LANDING = "shared"


# A post sent again after its first answer was lost: what the reader is told, by whether the
# comment it made is published.
RESENT_MESSAGE = {
    True: "Your comment had already reached us; here it is.",
    False: "Your comment had already reached us; it awaits moderation.",
}


# The form sits on a page every anonymous reader shares: no token in it (fitness/core/csrf.py).
@origin_checked
@require_http_methods(["GET", "HEAD", "POST"])
def post(request, article_id):
    """POST: screen and save the reader's comment (or, with "Preview", show it rendered), and
    send them to it in the order they were reading (the form's action keeps `?sort=`): on the
    shared page when the script says it fills their part in (LANDING_FIELD), else on their own.
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
            order = request.GET.get("sort", "")
            mine = request.POST.get(LANDING_FIELD) != SHARED_LANDING
            response = redirect(comment_url(result.comment, order, mine=mine))
            remember_pending(request, response, result.comment)
            if result.resent:
                # Its text is the reader's own, sent again: they may see it held, as before,
                # but the edit window is given only by the answer that made the comment.
                messages.info(request, RESENT_MESSAGE[result.comment.is_public])
            else:
                remember_editable(request, response, result.comment)
            remember_author(response, form)
            return response
        form.add_error(None, result.refusal)
    context = {"article": article, "comment_form": form}
    return render(request, ARTICLE_TEMPLATE, context, status=400)


def permalink(request, pk):
    """/comments/<id>/ -> the article, on the page of threads that holds the comment (in the
    order `?sort=` names, oldest first by default)."""
    comment = get_object_or_404(Comment.objects.public().select_related("article", "thread"), pk=pk)
    if not readable_articles(request).filter(pk=comment.article_id).exists():
        raise Http404("No such comment.")
    return redirect(comment_url(comment, request.GET.get("sort", "")))


# The Helpful button sits on a page every anonymous reader shares: no token (fitness/core/csrf.py).
@origin_checked
@require_POST
def helpful(request, pk):
    """One tap: the reader's mark on the comment, or, when they have one, taken back.

    Without the script the form posts here and comes back to the comment (a message says what
    happened); the script posts with `Accept: application/json` and gets the new count. The
    reader is their `comments_helpful` cookie (given on their first mark)."""
    comment = get_object_or_404(Comment.objects.public().select_related("article"), pk=pk)
    if not readable_articles(request).filter(pk=comment.article_id).exists():
        raise Http404("No such comment.")
    reader, marked = helpful_marks(request)
    reader = reader or new_reader_id()
    wanted = request.POST.get("helpful", "toggle")  # "1": mark, "0": take back, else toggle
    refusal = ""
    if wanted == "0" or (wanted != "1" and comment.pk in marked):
        unmark_helpful(comment, reader=reader)
        marked = [pk for pk in marked if pk != comment.pk]
        now_marked = False
        text = "Your mark was taken back."
    else:
        result = reactions.mark_helpful(comment, reader=reader, ip=client_ip(request))
        now_marked = result.marked or result.refusal == reactions.ALREADY
        refusal = "" if now_marked else result.refusal
        if now_marked:
            marked = [*(pk for pk in marked if pk != comment.pk), comment.pk]
        text = refusal or "Marked helpful. Tap again to take it back."
    if "application/json" in request.headers.get("Accept", ""):
        data = {"marked": now_marked, "count": comment.helpful_count, "message": text}
        response = JsonResponse(data, status=409 if refusal else 200)
    else:
        (messages.warning if refusal else messages.success)(request, text)
        response = redirect(comment_url(comment, request.GET.get("sort", "")))
    remember_helpful(response, reader, marked)
    return response


def live(request, article_id):
    """Whether an article's discussion changed: its version and count, as a tiny JSON.

    Asked every few seconds by each open article page (static/js/comments.js) with
    If-None-Match: a current copy is a 304 from one small query, nothing rendered; nginx keeps
    the answer for a second, so a thousand open tabs cost gunicorn about one request a second
    (docs/caching.md). Shared by every reader whatever their cookies: nothing in it is theirs."""
    row = (
        Article.objects.published()
        .filter(pk=article_id)
        .values_list("comments_version", "comment_count")
        .first()
    )
    if row is None:
        raise Http404("No such article.")
    version, count = row
    etag = http_cache.version_etag("live", article_id, version)
    response = http_cache.not_modified(request, etag)
    if response is None:
        response = JsonResponse({"version": version, "count": count})
        response["ETag"] = etag
        response["Cache-Control"] = http_cache.shared_cache_control()
    return response


@require_http_methods(["GET", "HEAD"])
def mine(request, article_id):
    """The reader's own part of an article page, for the script to fill into the shared page:
    their held comments on the page `?page=` in `?sort=`, their edit links, their remembered
    name (comments.web.own.pieces), as JSON. Private: `Cache-Control: private, no-store`.

    A reader without any of the cookies gets `{}` from no query (and loses a stale hint)."""
    if not has_own_cookies(request):
        response = JsonResponse({})
    else:
        article = get_object_or_404(readable_articles(request), pk=article_id)
        order = threads.order_of(request.GET.get("sort", ""))
        page_number = request.GET.get("page") or 1
        response = JsonResponse(own.pieces(request, article, page_number=page_number, order=order))
    response["Cache-Control"] = "private, no-store"
    forget_hint(request, response)
    return response


# The report form is the same page for every reader (a shared cache may keep it): no token in it,
# the post checked by Fetch Metadata/Origin as the comment form's is (fitness/core/csrf.py).
REFUSED_STATUS = {"too_many": 429, "already": 409, "not_shown": 404}


@origin_checked
@require_http_methods(["GET", "HEAD", "POST"])
def report(request, pk):
    """GET: the report form for one published comment; POST: the report (once per reader)."""
    comment = get_object_or_404(Comment.objects.select_related("article"), pk=pk)
    if not readable_articles(request).filter(pk=comment.article_id).exists():
        raise Http404("No such comment.")
    context = {"comment": comment, "comment_url": comment_url_if_public(comment)}
    if not comment.is_public:
        return render(request, "comments/report.html", {**context, "gone": True}, status=404)
    form = ReportForm(request.POST if request.method == "POST" else None)
    if request.method != "POST" or not form.is_valid():
        status = 400 if form.is_bound else 200
        return render(request, "comments/report.html", {**context, "form": form}, status=status)
    token = reporter_token(request) or new_reporter_token()
    data = form.cleaned_data
    result = report_comment(
        comment,
        reason=data["reason"],
        note=data["note"],
        explanation=data["explanation"],
        reporter_name=data["name"],
        reporter_email=data["email"],
        good_faith=data["good_faith"],
        reader=token,
        ip=client_ip(request),
    )
    if result.refusal:
        status = REFUSED_STATUS.get(result.refused_because, 400)
        context.update(form=form, refusal=result.refusal)
        return render(request, "comments/report.html", context, status=status)
    response = render(request, "comments/report.html", {**context, "report": result.report,
                                                          "held": result.held})  # fmt: skip
    remember_reporter(response, token)
    return response


def comment_url_if_public(comment):
    return comment_url(comment) if comment.is_public else comment.article.get_absolute_url()


# The stop link in reply emails. Exempt from CSRF because a mail client's one-click unsubscribe
# (RFC 8058) posts without a token; the signed token is the proof, and a POST here can only
# turn emails off.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def stop_replies(request, token):
    """GET: which comment, and a button; POST: no more emails about replies to it."""
    comment = replies.comment_for_stop_token(token)
    if comment is None:
        return render(request, "comments/stop_replies.html", {"invalid": True}, status=404)
    if request.method == "POST":
        replies.stop_reply_notices(comment)
    context = {"comment": comment, "stopped": request.method == "POST"}
    return render(request, "comments/stop_replies.html", context)


def _own_comment(request, pk):
    """The comment; whether this browser may change it is edit_refusal()'s to say."""
    return get_object_or_404(Comment.objects.select_related("article", "thread"), pk=pk)


# Never cached: the page is the writer's own, and says how long they have left.
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def edit(request, pk):
    """The writer edits their own comment, within COMMENTS_EDIT_MINUTES, from the browser
    that sent it; the new text is screened again (comments.services.own_edits.edit_own_comment)."""
    comment = _own_comment(request, pk)
    refusal = edit_refusal(comment, request)
    if refusal:
        context = {"comment": comment, "refusal": refusal}
        return render(request, "comments/edit.html", context, status=403)
    form = CommentEditForm(request.POST or None, initial={"comment": comment.body})
    preview = None
    if request.method == "POST" and form.is_valid():
        if request.POST.get("preview"):
            preview = render_body(form.cleaned_data["comment"])
        else:
            result = edit_own_comment(comment, body=form.cleaned_data["comment"], request=request)
            if result.refusal:
                form.add_error(None, result.refusal)
            else:
                if comment.is_public:
                    messages.success(request, "Your comment was changed.")
                else:
                    messages.info(request, "Your comment was changed; it awaits moderation.")
                response = redirect(comment_url(comment, mine=True))
                remember_pending(request, response, comment)  # held now: its writer sees it
                return response
    context = {
        "comment": comment,
        "form": form,
        "preview_html": preview,
        "deadline": edit_deadline(comment),
    }
    return render(request, "comments/edit.html", context, status=400 if form.errors else 200)


# The field the confirmation step sends: a POST without it only asks "Delete your comment?"
# (a page of its own without JavaScript; static/js/comments.js asks with a dialog and adds it).
DELETE_CONFIRMED = "confirmed"


@never_cache
@require_POST
def delete(request, pk):
    """The writer deletes their own comment in the same window, once they have confirmed:
    removed, its replies kept, and undoable from the article page until the window closes."""
    comment = _own_comment(request, pk)
    refusal = edit_refusal(comment, request)
    if not refusal and not request.POST.get(DELETE_CONFIRMED):
        context = {"comment": comment, "deadline": edit_deadline(comment)}
        return render(request, "comments/delete.html", context)
    result = delete_own_comment(comment, request=request)
    if result.refusal:
        context = {"comment": comment, "refusal": result.refusal}
        return render(request, "comments/edit.html", context, status=403)
    messages.success(request, "Your comment was deleted.")
    # The "Undo" next to it, in the reader's own lines above the form (section.html): the
    # editable cookie is kept, it is the proof the undo asks for.
    mine = f"?{http_cache.PERSONAL_PARAMETER}=1"
    return redirect(f"{comment.article.get_absolute_url()}{mine}#own-comment-{comment.pk}")


@require_POST
def restore(request, pk):
    """The writer undoes their own deletion while the edit window lasts: the comment is back
    as it was (published, or held for a moderator)."""
    comment = _own_comment(request, pk)
    result = restore_own_comment(comment, request=request)
    if result.refusal:
        context = {"comment": comment, "refusal": result.refusal}
        return render(request, "comments/edit.html", context, status=403)
    if comment.is_public:
        messages.success(request, "Your comment is back.")
    else:
        messages.info(request, "Your comment is back; it awaits moderation.")
    response = redirect(comment_url(comment, mine=True))
    remember_pending(request, response, comment)  # held: its writer sees it again
    return response


# The confirmation link of the double opt-in: GET shows a button (a mail scanner that follows
# links confirms nothing), POST confirms.
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def confirm_replies(request, token):
    address = optin.address_for_confirm_token(token)
    if address is None:
        return render(request, "comments/reply_address.html", {"invalid": True}, status=404)
    if request.method == "POST":
        optin.confirm_reply_emails(address)
    context = {"confirming": True, "confirmed": address.confirmed_at is not None}
    return render(request, "comments/reply_address.html", context)


# "Stop all": every email to a reader carries it. CSRF-exempt for the same reason as
# stop_replies (RFC 8058 one-click unsubscribe); a POST here can only turn emails off.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def stop_all_replies(request, token):
    address = optin.address_for_stop_all_token(token)
    if address is None:
        return render(request, "comments/reply_address.html", {"invalid": True}, status=404)
    if request.method == "POST":
        optin.stop_all_reply_emails(address)
    context = {"stopping": True, "stopped": request.method == "POST"}
    return render(request, "comments/reply_address.html", context)
