"""
Posting: the one way a new comment comes to be, from a reader's form, a staff member's reply in
the admin, the demo loader or a test factory.

    create_comment(comment, status=..., ...)  the sequence every new comment goes through, all
                       or nothing: its text rendered, saved and placed in its thread, a history
                       line, then announced (held -> moderators, public -> author and the
                       parent's author), a recheck if Akismet could not be reached, and last
                       the article's count (thread visibility, page cache) when it is public.

    result = post_comment(form, article=article, request=request)
                       a reader's comment: screened first (Akismet included, up to its timeout,
                       before any transaction opens), then created.
    result.refusal  -> screening refused it: nothing saved, show the message, keep the text
    result.comment  -> saved (approved, pending or spam)
    result.resent   -> the same post had already been saved as result.comment (its answer
                       never reached the reader): nothing new saved, nothing refused

    result = post_staff_reply(parent, body=text, by=request.user)
                    -> a staff member's reply from the admin: trusted, so neither screened nor
                       sent to Akismet, and approved at once; a held parent is approved first.
                       Same PostResult: a refusal saves nothing (keep the text).

Many comments at once (an import) go through `comments.services.bulk`; the writer's own edit
and deletion through `comments.services.own_edits`.
"""

import logging
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from comments import signals
from comments.conf import settings
from comments.models import Comment, CommentEvent
from comments.readers.people import client_ip, display_name
from comments.screening import flood
from comments.screening import pipeline as screening
from comments.screening.facts import facts_for
from comments.screening.form_tokens import form_key
from comments.screening.pipeline import Decision, ScreeningContext
from comments.services import commenters
from comments.services.counts import move_article_count
from comments.services.status import approve, lock_thread
from comments.text.clean import HONEYPOT_FIELD, clean_text
from comments.threads.rendering import render_body

logger = logging.getLogger("comments.screening")  # the name operators filter on

REFERRER_MAX_LENGTH = 500
USER_AGENT_MAX_LENGTH = 500


@dataclass
class PostResult:
    comment: Comment | None = None
    refusal: str = ""
    decision: Decision | None = None  # for a screened comment: every step's verdict
    resent: bool = False  # `comment` is the one this same post made before


def request_context(request, **form_facts) -> ScreeningContext:
    """What screening knows of the request a comment (or an edit) came with: the client's
    address, user agent and referrer, the logged-in user; `form_facts` add the form's."""
    return ScreeningContext(
        ip=client_ip(request),
        user_agent=request.META.get("HTTP_USER_AGENT", "")[:USER_AGENT_MAX_LENGTH],
        referrer=request.META.get("HTTP_REFERER", "")[:REFERRER_MAX_LENGTH],
        user=request.user if request.user.is_authenticated else None,
        **form_facts,
    )


def screening_context(form, request) -> ScreeningContext:
    return request_context(
        request,
        honeypot=str(form.data.get(HONEYPOT_FIELD, "")),
        form_age=form.form_age,
        form_token=form_key(form.article.pk, form.cleaned_data.get("timestamp")),
    )


def build_comment(form, *, article, request) -> tuple[Comment, ScreeningContext]:
    """The unsaved Comment the form describes (a logged-in reader posts under their account)."""
    data = form.cleaned_data
    user = request.user if request.user.is_authenticated else None
    context = screening_context(form, request)
    comment = Comment(
        article=article,
        parent=form.parent_comment,
        user=user,
        author_name=display_name(user) if user else data["name"],
        author_email=user.email if user else data["email"],
        author_url="" if user else data.get("website", ""),
        body=data["comment"],
        notify_replies=bool(data.get("notify_replies")),
        notify_published=bool(data.get("notify_published")),
        ip_address=context.ip,
        user_agent=context.user_agent,
        referrer=context.referrer,
    )
    comment.author_name = comment.author_name[: settings.COMMENTS_NAME_MAX_LENGTH]
    return comment, context


def post_comment(form, *, article, request) -> PostResult:
    """Screen a reader's comment, then create it, all or nothing."""
    comment, context = build_comment(form, article=article, request=request)
    return post_screened(comment, context)


def post_screened(comment: Comment, context: ScreeningContext) -> PostResult:
    """Screen an unsaved comment (outside any transaction: Akismet may take its timeout), then
    create it as the decision says; a refusal saves nothing. The same post sent again (a
    reader pressing Post after an error page, nginx passing it on from a worker that died
    after the commit) is answered with the comment it made, before flood control and the
    duplicate rule could refuse it."""
    earlier = facts_for(comment, context).resent_id
    if earlier is not None:
        stored = Comment.objects.select_related("article", "thread").get(pk=earlier)
        return PostResult(comment=stored, resent=True)
    decision = screening.screen(comment, context)
    if decision.refusal:
        return PostResult(refusal=decision.refusal, decision=decision)
    create_comment(comment, decision=decision)
    flood.record(comment, context.ip)
    return PostResult(comment=comment, decision=decision)


def create_comment(
    comment: Comment,
    *,
    decision: Decision | None = None,
    status: str = "",
    by=None,
    actor_label: str = "",
    note: str = "",
    announce: bool = True,
) -> Comment:
    """Save a new comment and do what every new comment needs, all or nothing.

    Its status is the screening `decision`'s, or `status` for a comment that is not screened
    (a staff reply, demo content, a test's fixture). Its commenter is found or made
    (`commenters.attach`). `by`, `actor_label` and `note` make its
    first history line (a screened comment's line lists every step). `announce=False` is for
    content that is not news (the demo, fixtures): nobody is emailed.
    """
    if decision is not None:
        status, actor_label, note = _screened(comment, decision)
    with transaction.atomic():
        comment.status = status or comment.status
        if not comment.body_html:
            comment.body_html = render_body(comment.body)
        if comment.commenter_id is None:
            commenters.attach(comment)  # the person behind it, kept current
        if comment.is_public and comment.parent_id is not None:
            lock_thread(comment.parent.thread_id)  # its thread's visibility moves with it
        save_in_thread(comment)
        kind = CommentEvent.Kind.SCREENING if decision is not None else CommentEvent.Kind.STATUS
        CommentEvent.objects.record(
            comment, kind=kind, by=by, actor_label=actor_label, to_status=comment.status, note=note
        )
        if announce:
            announce_new(comment)
            asked = comment.notify_replies or comment.notify_published
            if asked and comment.author_email:
                signals.reply_emails_asked.send(sender=Comment, comment=comment)
        if comment.akismet_verdict == Comment.Akismet.UNCHECKED and comment.akismet_next_check_at:
            signals.akismet_recheck_due.send(
                sender=Comment, comment=comment, when=comment.akismet_next_check_at
            )
        if comment.is_public:
            # Last, so that the article's row is locked only from here to the commit: every
            # public comment on an article takes that lock in turn (a posting storm on one
            # article queues on it). One more public comment: the count moves by one (exact
            # under the lock), no recount of the article's comments.
            move_article_count(comment, 1, new_thread=comment.parent_id is None)
        if decision is not None:  # a reader's post: one log line with the outcome
            transaction.on_commit(
                lambda: logger.info(
                    "comment %s on article %s: %s (decided by %s)",
                    comment.pk,
                    comment.article_id,
                    comment.status,
                    actor_label or "system",
                )
            )
    return comment


def _screened(comment: Comment, decision: Decision) -> tuple[str, str, str]:
    """A screened comment's status, and who decided it and why for its first history line."""
    blatant = comment.akismet_verdict == Comment.Akismet.BLATANT
    note = ("Blatant spam. " if blatant else "") + decision.summary
    return decision.status, decision.decided_by or "screening", note


def announce_new(comment: Comment) -> None:
    """A new comment is saved: held -> moderators are told, public -> its author and the
    parent's author (the receivers in `notifications` schedule the emails after the commit)."""
    if comment.status == Comment.Status.PENDING:
        signals.comment_held.send(sender=Comment, comment=comment)
    elif comment.status == Comment.Status.APPROVED:
        signals.comment_published.send(sender=Comment, comment=comment)


def save_in_thread(comment: Comment) -> Comment:
    """Insert a new comment and fill its thread, depth and path (the path needs its pk). A new
    thread is listed from its insert when its comment is public (`thread_visible`)."""
    if comment.parent_id is not None:
        # The depth must match the parent from the first insert (a database constraint).
        comment.depth = comment.parent.depth + 1
        comment.thread_id = comment.parent.thread_id
    else:
        comment.thread_visible = comment.is_public
    comment.save()
    comment.place_in_thread()
    comment.save(update_fields=["thread", "depth", "path"])
    return comment


# --- A staff member's reply from the admin --------------------------------------------------


def reply_refusal(parent: Comment, *, by) -> str:
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


def clean_reply_body(text: str) -> str:
    """The reply's text as the reader's form would keep it; raises ValidationError."""
    text = clean_text(text or "", multiline=True, empty_message="Please type a reply.")
    limit = settings.COMMENTS_MAX_LENGTH
    if len(text) > limit:
        raise ValidationError(
            f"Please keep your reply under {limit:,} characters (it has {len(text):,}).",
            code="max_length",
        )
    return text


def post_staff_reply(parent: Comment, *, body: str, by) -> PostResult:
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
            approve(parent, by=by, note="Approved to reply to it from the admin.")
        reply = Comment(
            article=parent.article,
            parent=parent,
            user=by,
            author_name=display_name(by),
            author_email=by.email,
            body=body,
        )
        create_comment(
            reply,
            status=Comment.Status.APPROVED,
            by=by,
            note="Replied from the admin by a staff member: approved without screening or Akismet.",
        )
    return PostResult(comment=reply)
