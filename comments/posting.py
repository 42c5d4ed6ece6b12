"""
Posting a comment: from a valid form and its request to a saved, screened, placed comment.

    result = post_comment(form, article=article, request=request)
    result.refusal  -> screening refused it: nothing saved, show the message, keep the text
    result.comment  -> saved (approved, pending or spam); the view remembers held ones in a
                       signed cookie (`remember_pending`), so only their writer sees "Your
                       comment is awaiting moderation." No session is made: a post writes
                       nothing but the comment and its history.

    result = post_staff_reply(parent, body=text, by=request.user)
                    -> a staff member's reply from the admin: trusted, so neither screened nor
                       sent to Akismet, and approved at once; a held parent is approved first.
                       Same PostResult: a refusal saves nothing (keep the text).
"""

import ipaddress
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from . import moderation, screening
from .form_tokens import form_key
from .forms import HONEYPOT_FIELD, clean_text
from .models import Comment
from .moderation import refresh_article_counts
from .rendering import render_body
from .screening import ScreeningContext

PENDING_COOKIE = "comments_pending"
PENDING_COOKIE_SALT = "comments.pending"
PENDING_COOKIE_MAX_AGE = 30 * 24 * 60 * 60
PENDING_CAP = 20
REFERRER_MAX_LENGTH = 500
USER_AGENT_MAX_LENGTH = 500


@dataclass
class PostResult:
    comment: Comment | None = None
    refusal: str = ""


def _valid_ip(value):
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request):
    """REMOTE_ADDR; behind a trusted proxy, the right-most address of its header instead."""
    header = getattr(settings, "COMMENTS_TRUSTED_PROXY_HEADER", "")
    if header:
        forwarded = [part for part in request.META.get(header, "").split(",") if part.strip()]
        if forwarded:
            address = _valid_ip(forwarded[-1])
            if address:
                return address
    return _valid_ip(request.META.get("REMOTE_ADDR", ""))


def screening_context(form, request):
    user = request.user if request.user.is_authenticated else None
    return ScreeningContext(
        ip=client_ip(request),
        user_agent=request.META.get("HTTP_USER_AGENT", "")[:USER_AGENT_MAX_LENGTH],
        referrer=request.META.get("HTTP_REFERER", "")[:REFERRER_MAX_LENGTH],
        user=user,
        honeypot=str(form.data.get(HONEYPOT_FIELD, "")),
        form_age=form.form_age,
        form_token=form_key(form.article.pk, form.cleaned_data.get("timestamp")),
    )


def build_comment(form, *, article, request):
    """The unsaved Comment the form describes (a logged-in reader posts under their account)."""
    data = form.cleaned_data
    user = request.user if request.user.is_authenticated else None
    context = screening_context(form, request)
    comment = Comment(
        article=article,
        parent=form.parent_comment,
        user=user,
        author_name=(user.get_full_name() or user.get_username()) if user else data["name"],
        author_email=user.email if user else data["email"],
        author_url="" if user else data.get("website", ""),
        body=data["comment"],
        notify_replies=bool(data.get("notify_replies")),
        ip_address=context.ip,
        user_agent=context.user_agent,
        referrer=context.referrer,
    )
    comment.author_name = comment.author_name[: settings.COMMENTS_NAME_MAX_LENGTH]
    comment.body_html = render_body(comment.body)
    return comment, context


def post_comment(form, *, article, request):
    """Screen, save, place in its thread and count a new comment, all or nothing."""
    comment, context = build_comment(form, article=article, request=request)
    # Screening (Akismet included, up to its timeout) runs before the transaction opens.
    decision = screening.screen(comment, context)
    if decision.refusal:
        return PostResult(refusal=decision.refusal)
    with transaction.atomic():
        comment.status = decision.status
        save_in_thread(comment)
        screening.finish(comment, decision)
        if comment.status == Comment.Status.APPROVED:
            refresh_article_counts([article.id], thread_ids=[comment.thread_id])
    return PostResult(comment=comment)


def save_in_thread(comment):
    """Insert a new comment and fill its thread, depth and path (the path needs its pk)."""
    if comment.parent_id is not None:
        # The depth must match the parent from the first insert (a database constraint).
        comment.depth = comment.parent.depth + 1
        comment.thread_id = comment.parent.thread_id
    comment.save()
    comment.place_in_thread()
    comment.save(update_fields=["thread", "depth", "path"])
    return comment


# --- A staff member's reply from the admin --------------------------------------------------


def reply_refusal(parent, *, by):
    """Why `by` may not reply to `parent` from the admin now, or "" when they may."""
    Status = Comment.Status
    if parent.status == Status.SPAM:
        return "This comment is marked as spam: mark it as not spam before replying to it."
    if parent.status == Status.REMOVED:
        return "This comment was removed: restore and approve it before replying to it."
    if parent.status == Status.PENDING and not by.has_perm("comments.moderate_comment"):
        return "Replying would approve this held comment, and you may not moderate comments."
    if not parent.takes_replies:
        return (
            "This conversation is nested as deep as it can go "
            f"({settings.COMMENTS_MAX_DEPTH} levels); reply to an earlier comment instead."
        )
    if not parent.article.accepts_comments():
        return "Comments are closed on this article."
    return ""


def reply_author_name(user):
    """The name a staff member's reply is shown under, as for a logged-in reader's comment."""
    return (user.get_full_name() or user.get_username())[: settings.COMMENTS_NAME_MAX_LENGTH]


def clean_reply_body(text):
    """The reply's text as the reader's form would keep it; raises ValidationError."""
    text = clean_text(text or "", multiline=True, empty_message="Please type a reply.")
    limit = settings.COMMENTS_MAX_LENGTH
    if len(text) > limit:
        raise ValidationError(
            f"Please keep your reply under {limit:,} characters (it has {len(text):,}).",
            code="max_length",
        )
    return text


def post_staff_reply(parent, *, body, by):
    """Reply to `parent` as the staff member `by`, from the admin, all or nothing.

    Staff are trusted: the reply is neither screened nor sent to Akismet, and is approved at
    once. A held parent is approved first ("Approve and reply"). Everything else is what a
    comment posted on the site goes through: placed in its thread, recorded in its history,
    counted (thread visibility and the page cache with it) and announced.
    """
    with transaction.atomic():
        # Read again under a lock: the parent's status may have changed since the page was shown.
        parent = Comment.objects.select_for_update().get(pk=parent.pk)
        refusal = reply_refusal(parent, by=by)
        if not refusal:
            try:
                body = clean_reply_body(body)
            except ValidationError as error:
                refusal = error.messages[0]
        if refusal:
            return PostResult(refusal=refusal)
        if parent.status == Comment.Status.PENDING:
            moderation.approve(parent, by=by, note="Approved to reply to it from the admin.")
        reply = Comment(
            article=parent.article,
            parent=parent,
            user=by,
            author_name=reply_author_name(by),
            author_email=by.email,
            body=body,
            body_html=render_body(body),
            status=Comment.Status.APPROVED,
        )
        save_in_thread(reply)
        moderation.record_event(
            reply,
            by=by,
            to_status=reply.status,
            note="Replied from the admin by a staff member: approved without screening or Akismet.",
        )
        refresh_article_counts([reply.article_id], thread_ids=[reply.thread_id])
        moderation.announce_new(reply)  # after the commit: the article's author is emailed
    return PostResult(comment=reply)


def pending_ids(request):
    """The ids of the reader's own held comments, from their signed cookie (newest last)."""
    value = request.get_signed_cookie(
        PENDING_COOKIE, default="", salt=PENDING_COOKIE_SALT, max_age=PENDING_COOKIE_MAX_AGE
    )
    return [int(part) for part in value.split(",") if part.isascii() and part.isdigit()]


def remember_pending(request, response, comment):
    """After a held comment: its writer's cookie gains its id (the last PENDING_CAP are kept)."""
    if comment.status == Comment.Status.APPROVED:
        return
    ids = [pk for pk in pending_ids(request) if pk != comment.pk]
    response.set_signed_cookie(
        PENDING_COOKIE,
        ",".join(str(pk) for pk in [*ids, comment.pk][-PENDING_CAP:]),
        salt=PENDING_COOKIE_SALT,
        max_age=PENDING_COOKIE_MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )
