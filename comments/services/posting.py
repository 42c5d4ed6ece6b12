"""
Posting: the one way a new comment comes to be, from a reader's form, a staff member's reply in
the admin, the demo loader or a test factory.

    create_comment(comment, status=..., ...)  the sequence every new comment goes through, all
                       or nothing: its text rendered, saved and placed in its thread, a history
                       line, the article's count (thread visibility, page cache) when it is
                       public, then announced (held -> moderators, public -> author and the
                       parent's author) and, if Akismet could not be reached, a recheck.

    result = post_comment(form, article=article, request=request)
                       a reader's comment: screened first (Akismet included, up to its timeout,
                       before any transaction opens), then created.
    result.refusal  -> screening refused it: nothing saved, show the message, keep the text
    result.comment  -> saved (approved, pending or spam)

    create_comments_in_bulk(entries)
                    -> many comments at once (an import): the same placing in the thread,
                       history and counts, in a few queries per thousand comments; not
                       screened, not announced.

    result = post_staff_reply(parent, body=text, by=request.user)
                    -> a staff member's reply from the admin: trusted, so neither screened nor
                       sent to Akismet, and approved at once; a held parent is approved first.
                       Same PostResult: a refusal saves nothing (keep the text).
"""

import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.utils import timezone

from comments import signals
from comments.conf import settings
from comments.models import Comment, CommentEvent
from comments.readers.cookies import editable_ids
from comments.readers.people import client_ip, display_name
from comments.screening import flood, rules
from comments.screening import pipeline as screening
from comments.screening.form_tokens import form_key
from comments.screening.pipeline import Decision, ScreeningContext
from comments.services import moderation
from comments.text.clean import HONEYPOT_FIELD, clean_text
from comments.threads import reading as threads
from comments.threads.rendering import render_body

logger = logging.getLogger("comments.screening")  # the name operators filter on

REFERRER_MAX_LENGTH = 500
USER_AGENT_MAX_LENGTH = 500


@dataclass
class PostResult:
    comment: Comment | None = None
    refusal: str = ""
    decision: Decision | None = None  # for a screened comment: every step's verdict


def screening_context(form, request) -> ScreeningContext:
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
    create it as the decision says; a refusal saves nothing."""
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
    (a staff reply, demo content, a test's fixture). `by`, `actor_label` and `note` make its
    first history line (a screened comment's line lists every step). `announce=False` is for
    content that is not news (the demo, fixtures): nobody is emailed.
    """
    if decision is not None:
        status = decision.status
        actor_label = decision.decided_by or "screening"
        blatant = comment.akismet_verdict == Comment.Akismet.BLATANT
        note = ("Blatant spam. " if blatant else "") + decision.summary
    with transaction.atomic():
        comment.status = status or comment.status
        if not comment.body_html:
            comment.body_html = render_body(comment.body)
        save_in_thread(comment)
        kind = CommentEvent.Kind.SCREENING if decision is not None else CommentEvent.Kind.STATUS
        CommentEvent.objects.record(
            comment, kind=kind, by=by, actor_label=actor_label, to_status=comment.status, note=note
        )
        if comment.is_public:
            moderation.refresh_article_counts([comment.article_id], thread_ids=[comment.thread_id])
        if announce:
            announce_new(comment)
            if comment.notify_replies and comment.author_email:
                signals.reply_emails_asked.send(sender=Comment, comment=comment)
        if comment.akismet_verdict == Comment.Akismet.UNCHECKED and comment.akismet_next_check_at:
            signals.akismet_recheck_due.send(
                sender=Comment, comment=comment, when=comment.akismet_next_check_at
            )
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


def announce_new(comment: Comment) -> None:
    """A new comment is saved: held -> moderators are told, public -> its author and the
    parent's author (the receivers in `notifications` schedule the emails after the commit)."""
    if comment.status == Comment.Status.PENDING:
        signals.comment_held.send(sender=Comment, comment=comment)
    elif comment.status == Comment.Status.APPROVED:
        signals.comment_published.send(sender=Comment, comment=comment)


def save_in_thread(comment: Comment) -> Comment:
    """Insert a new comment and fill its thread, depth and path (the path needs its pk)."""
    if comment.parent_id is not None:
        # The depth must match the parent from the first insert (a database constraint).
        comment.depth = comment.parent.depth + 1
        comment.thread_id = comment.parent.thread_id
    comment.save()
    comment.place_in_thread()
    comment.save(update_fields=["thread", "depth", "path"])
    return comment


def create_comments_in_bulk(
    entries: list[tuple[Comment, list[dict]]],
    *,
    batch_size: int = 1000,
    refresh_counts: bool = True,
) -> list[Comment]:
    """Save many new comments with their history, all or nothing: what create_comment does
    for one (placed in the thread by `Comment.place_in_thread`, history, counts and thread
    visibility), in a few statements per thousand.

    Why not create_comment in a loop: 100,000 comments take about 12 ms each that way, and
    Django's bulk_create spends ~1 ms a row preparing values; bench/wordpress_import.py
    measures the loop against this. Here the ids are reserved first (so each path is known
    before the insert) and rows go in with executemany, values prepared once per column type.
    A new thread's visibility is known before the insert too (`shown_threads`): updating it
    afterwards wrote every top-level row twice, and on PostgreSQL each new row version goes
    into every index, the search's trigram indexes included (14 s of a 100,000-comment import).

    `entries`: (unsaved comment, its history lines as dicts of CommentEvent fields, in order)
    in an order where a parent comes before its replies; a parent is a saved comment or one of
    the entries. History lines are rows, not instances: see insert_rows. Nobody is told:
    these comments are not news (an import), and neither screened nor sent to Akismet.

    `refresh_counts=False`: the articles' approved counts (and their thread version and page
    cache) are left to the caller, who calls `moderation.refresh_article_counts` once it has
    added all it adds: an import in many batches counts each article once, at the end.
    """
    comments = [comment for comment, _ in entries]
    for comment in comments:
        if not comment.body_html:
            comment.body_html = render_body(comment.body)
    with transaction.atomic():
        ids = _reserve_ids(Comment, len(comments))
        if ids is None:
            _insert_level_by_level(comments, batch_size)
            old_threads = {comment.thread_id for comment in comments}
        else:
            for comment, pk in zip(comments, ids, strict=True):
                comment.pk = pk
                if comment.parent is not None:
                    comment.parent = comment.parent  # the parent's pk is known now
                    comment.depth = comment.parent.depth + 1
                comment.place_in_thread()
            new_threads = {comment.pk for comment in comments if comment.parent_id is None}
            shown = shown_threads(comments)
            for comment in comments:
                if comment.parent_id is None:
                    comment.thread_visible = comment.pk in shown
            # A reply to a thread saved before may change whether that thread is shown.
            old_threads = {comment.thread_id for comment in comments} - new_threads
            insert_rows(Comment, comments, batch_size)
        history = []
        for comment, events in entries:
            for event in events:
                event["comment_id"] = comment.pk
                history.append(event)
        insert_rows(CommentEvent, history, batch_size)
        if old_threads:
            threads.refresh_visibility(thread_ids=old_threads)
        article_ids = {comment.article_id for comment in comments}
        if article_ids and refresh_counts:
            moderation.refresh_article_counts(article_ids, thread_ids=())
    return comments


def shown_threads(comments: list[Comment]) -> set[int]:
    """The threads among `comments` that readers see, by the rule of `threads.is_shown_thread`
    (the top-level comment is approved, or one of its replies is), read from the comments
    themselves: for threads whose comments are all in the list (a bulk insert's new threads)."""
    return {comment.thread_id for comment in comments if comment.status == Comment.Status.APPROVED}


def _reserve_ids(model, count: int) -> list[int] | None:
    """`count` new primary keys for `model` that no other insert will take (None: this
    database has no way we use; the caller inserts first and reads the keys back)."""
    if not count:
        return []
    quote = connection.ops.quote_name
    table, pk = model._meta.db_table, model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, pk, count],
            )
            return [row[0] for row in cursor.fetchall()]
        if connection.vendor == "sqlite":
            # A write statement takes the database's write lock (held to the commit), so no
            # other insert comes between reading the highest id and using the next ones.
            cursor.execute(f"UPDATE {quote(table)} SET {quote(pk)} = {quote(pk)} WHERE 0")
            cursor.execute(f"SELECT MAX({quote(pk)}) FROM {quote(table)}")
            top = cursor.fetchone()[0] or 0
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
            row = cursor.fetchone()  # AUTOINCREMENT: never an id that was used and deleted
            top = max(top, row[0] if row else 0)
            return list(range(top + 1, top + 1 + count))
    return None


def _insert_level_by_level(comments: list[Comment], batch_size: int) -> None:
    """Insert, then place: a reply's thread and path need its parent's, and its own pk."""
    levels = defaultdict(list)
    for comment in comments:
        comment.depth = comment.parent.depth + 1 if comment.parent is not None else 0
        levels[comment.depth].append(comment)
    for depth in sorted(levels):
        level = levels[depth]
        for comment in level:
            if comment.parent is not None:
                comment.parent = comment.parent
                comment.thread_id = comment.parent.thread_id
        Comment.objects.bulk_create(level, batch_size=batch_size)
        for comment in level:
            comment.place_in_thread()
        Comment.objects.bulk_update(level, ["thread", "path"], batch_size=batch_size)


def insert_rows(model, rows: list, batch_size: int = 1000) -> None:
    """INSERT model instances, or dicts of field values (attnames: "comment_id"), with
    executemany (SQLite) or COPY (PostgreSQL): no signals, no save(). The primary key too
    when it is set. Values are adapted as Django would, once per column kind; a field a dict
    leaves out gets its default, and auto_now fields the time now, as save() would. Dicts,
    because making model instances was a fifth of an import's time (profiled)."""
    if not rows:
        return
    ops = connection.ops
    as_dicts = isinstance(rows[0], dict)
    first = rows[0]
    with_pk = (first.get(model._meta.pk.attname) if as_dicts else first.pk) is not None
    fields = [f for f in model._meta.concrete_fields if with_pk or not f.primary_key]
    now = ops.adapt_datetimefield_value(timezone.now())
    prepare = []
    for f in fields:
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            prepare.append(lambda row, now=now: now)
            continue
        if as_dicts:
            default = f.get_default()

            def get(row, a=f.attname, d=default):
                return row.get(a, d)
        else:

            def get(row, a=f.attname):
                return getattr(row, a)

        if isinstance(f, models.DateTimeField):
            prepare.append(lambda row, get=get: ops.adapt_datetimefield_value(get(row)))
        elif isinstance(f, models.GenericIPAddressField):
            prepare.append(lambda row, get=get: ops.adapt_ipaddressfield_value(get(row)))
        elif isinstance(f, models.JSONField):
            # The default [] or {} of most rows, adapted once (300,000 adaptations a 100,000-
            # comment import otherwise).
            adapted = {
                list: f.get_db_prep_save([], connection),
                dict: f.get_db_prep_save({}, connection),
            }

            def json_value(row, get=get, f=f, adapted=adapted):
                value = get(row)
                if not value and type(value) in adapted:
                    return adapted[type(value)]
                return f.get_db_prep_save(value, connection)

            prepare.append(json_value)
        else:  # text, numbers, booleans and keys go to the driver as they are
            prepare.append(get)
    columns = ", ".join(ops.quote_name(f.column) for f in fields)
    table = ops.quote_name(model._meta.db_table)
    one_row = f"({', '.join(['%s'] * len(fields))})"
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            # SQLite runs one prepared statement per row at C speed.
            sql = f"INSERT INTO {table} ({columns}) VALUES {one_row}"
            for start in range(0, len(rows), batch_size):
                batch = rows[start : start + batch_size]
                cursor.executemany(sql, [[p(row) for p in prepare] for row in batch])
            return
        # PostgreSQL: COPY, the rows streamed in one command (psycopg adapts each value).
        with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row([p(row) for p in prepare])


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
            moderation.approve(parent, by=by, note="Approved to reply to it from the admin.")
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


# --- The writer edits or deletes their own comment ------------------------------------------

EDIT_STATUSES = (Comment.Status.APPROVED, Comment.Status.PENDING)
EDIT_CLOSED = (
    "This comment can no longer be changed: a comment may be changed for {minutes} minutes "
    "after it was sent, from the browser that sent it."
)


def edit_deadline(comment: Comment):
    return comment.created_at + timedelta(minutes=settings.COMMENTS_EDIT_MINUTES)


def edit_refusal(comment: Comment, request) -> str:
    """Why this browser may not edit or delete `comment` now, or "" when it may.

    The proof is the signed cookie of the comments this browser sent in the window
    (comments.readers.cookies); the window is counted from the comment's own date.
    """
    closed = EDIT_CLOSED.format(minutes=settings.COMMENTS_EDIT_MINUTES)
    if comment.pk not in editable_ids(request):
        return closed
    if comment.status not in EDIT_STATUSES or timezone.now() >= edit_deadline(comment):
        return closed
    return ""


def edit_own_comment(comment: Comment, *, body: str, request) -> PostResult:
    """The writer's new text, screened again before it is saved (outside any transaction:
    Akismet may take its timeout), rendered, and recorded with the old text.

    The edit is screened by `rules.EDIT_STEPS`; a hold sends a published comment back to the
    queue and spam sends it to spam; a clean edit keeps the status it had (a held comment is
    still for a moderator to approve).
    """
    refusal = edit_refusal(comment, request)
    if refusal:
        return PostResult(refusal=refusal)
    old_body = comment.body
    user = request.user if request.user.is_authenticated else None
    context = ScreeningContext(
        ip=client_ip(request),
        user_agent=request.META.get("HTTP_USER_AGENT", "")[:USER_AGENT_MAX_LENGTH],
        referrer=request.META.get("HTTP_REFERER", "")[:REFERRER_MAX_LENGTH],
        user=user,
    )
    comment.body = body
    comment.akismet_verdict = Comment.Akismet.NOT_CHECKED
    decision = screening.screen(comment, context, steps=rules.EDIT_STEPS)
    comment.body_html = render_body(body)
    # A clean edit keeps the status; a hold or spam verdict moves the comment.
    clean = decision.status == Comment.Status.APPROVED
    to_status = comment.status if clean else decision.status
    note = f"Edited by its writer and screened again: {decision.summary}"
    moderation.record_author_edit(comment, old_body=old_body, to_status=to_status, note=note)
    return PostResult(comment=comment, decision=decision)


def delete_own_comment(comment: Comment, *, request) -> PostResult:
    """The writer deletes their own comment within the window: removed, through moderation."""
    refusal = edit_refusal(comment, request)
    if refusal:
        return PostResult(refusal=refusal)
    moderation.remove_by_author(comment)
    return PostResult(comment=comment)
