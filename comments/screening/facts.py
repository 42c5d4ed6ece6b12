"""
What the screening rules ask the database about a new comment, read in one query when a rule
first asks (`facts_for(comment, context)`), not one query per rule:

    ban          the ban that bars its email or network now (the `banned` rule), or None
    returning    an approved comment already from its email or its account (`first_time`)
    commenter    the Commenter it is recognised as, with its trust (`held_commenter`; its
                 standing is read only when a hold rule asks whether it is trusted), or None
    said_before  the same text (normal form) from the same email, else the same address, on
                 the article within COMMENTS_DUPLICATE_WINDOW_HOURS (`duplicate`); None when
                 there is neither to compare by, or for a stored comment (it would find itself)
    resent_id    the comment this very post already made: the same text, reply-to, email and
                 address on the article within RESEND_SECONDS (`resent`), or None. A post whose
                 answer never reached the reader (a worker killed after the commit, nginx or the
                 reader sending it again) lands on what it made instead of being refused.

Each question stays defined where it belongs (a queryset of `comments.readers.commenters` or of
Comment); this module asks them together, one `SELECT (…), EXISTS(…), …` with each as a
subquery, on PostgreSQL and SQLite alike. A ban found costs a second query (its scope, end and
reason for the history line): bans are rare, and every other post pays one round trip.
"""

import json
from dataclasses import dataclass, field

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.utils import timezone

from comments.conf import settings
from comments.models import Ban, Comment, Commenter
from comments.readers import commenters
from comments.text import normalize

# How many of the writer's recent comments on the article the duplicate rule compares.
DUPLICATE_ROWS = 200
# How long a post sent again counts as the same post (a reader pressing Post again after an
# error page, nginx passing a post on from a worker that died): minutes, not the duplicate
# rule's hours (a comment said again later is a duplicate, refused).
RESEND_SECONDS = 600
# The aggregate that returns a subquery's texts as one JSON array, per database.
JSON_LIST = {"postgresql": "json_agg", "sqlite": "json_group_array"}


@dataclass
class Facts:
    ban_id: int | None = None
    returning: bool = False
    commenter: Commenter | None = None
    said_before: bool | None = None
    resent_id: int | None = None
    _ban: Ban | None = field(default=None, repr=False)

    @property
    def ban(self) -> Ban | None:
        """The ban found, whole (None also when it was deleted since: it no longer bars)."""
        if self.ban_id is not None and self._ban is None:
            self._ban = Ban.objects.filter(pk=self.ban_id).first()
        return self._ban


def facts_for(comment: Comment, context) -> Facts:
    """The facts about `comment` (unsaved, or stored for a recheck), read once per screening
    and kept on `context` (a ScreeningContext)."""
    if context.facts is None:
        context.facts = read_facts(comment, ip=context.ip, user=context.user)
    return context.facts


def recent_from_writer(comment: Comment, ip):
    """The comments on the article, within COMMENTS_DUPLICATE_WINDOW_HOURS, from the comment's
    email, else from its address; None when it carries neither."""
    since = timezone.now() - timezone.timedelta(hours=settings.COMMENTS_DUPLICATE_WINDOW_HOURS)
    same = Comment.objects.filter(article_id=comment.article_id, created_at__gte=since)
    if comment.author_email:
        return same.by_email(comment.author_email)
    if ip:
        return same.filter(ip_address=ip)
    return None


def read_facts(comment: Comment, *, ip, user) -> Facts:
    """One query: every question as a subquery of one SELECT."""
    recent = recent_from_writer(comment, ip) if comment.pk is None else None
    found = _ask(_questions(comment, ip=ip, user=user, recent=recent))
    commenter = None
    if found.get("commenter") is not None:
        # Only what the rules read; any other field would be loaded when first read.
        values = [found["commenter"], found["trust"]]
        commenter = Commenter.from_db(connection.alias, ["id", "trust"], values)
    said = None
    if recent is not None:
        bodies = found.get("bodies") or []
        bodies = json.loads(bodies) if isinstance(bodies, str) else bodies  # SQLite: text
        said = normalize.said_before(comment.body, bodies)
    return Facts(
        ban_id=found.get("ban"),
        returning=bool(found.get("by_email") or found.get("by_user")),
        commenter=commenter,
        said_before=said,
        resent_id=found.get("resent"),
    )


def _questions(comment: Comment, *, ip, user, recent) -> dict:
    """{name: (template, queryset)}: what `read_facts` asks, each a queryset defined where it
    belongs."""
    email = comment.author_email
    commenter = commenters.found(email, ip)
    questions = {
        "ban": ("({})", commenters.active_bans(email, ip).values("pk")[:1]),
        "commenter": ("({})", commenter.values("pk")[:1]),
        "trust": ("({})", commenter.values("trust")[:1]),
    }
    approved = Comment.objects.public().exclude(pk=comment.pk).values("pk")
    if email:
        questions["by_email"] = ("EXISTS({})", approved.by_email(email)[:1])
    if user is not None and user.is_authenticated:
        questions["by_user"] = ("EXISTS({})", approved.filter(user=user)[:1])
    if recent is not None:
        bodies = recent.order_by("-created_at").values("body")[:DUPLICATE_ROWS]
        aggregate = JSON_LIST[connection.vendor]
        questions["bodies"] = (f"(SELECT {aggregate}(body) FROM ({{}}) AS recent)", bodies)
    sent = same_post(comment, ip=ip)
    if sent is not None:
        questions["resent"] = ("({})", sent.order_by("-pk").values("pk")[:1])
    return questions


def same_post(comment: Comment, *, ip):
    """The stored comments that are `comment` (unsaved) sent again: the same article, reply-to,
    text, email and address, within RESEND_SECONDS, not removed (a writer who deleted theirs
    and sends it again posts it anew). None when it lacks an email or an address to tell its
    writer by, or is stored already."""
    if comment.pk is not None or not comment.author_email or not ip:
        return None
    since = timezone.now() - timezone.timedelta(seconds=RESEND_SECONDS)
    # By the email first: its index (comment_email_upper_idx) leaves a handful of rows.
    return (
        Comment.objects.by_email(comment.author_email)
        .filter(
            article_id=comment.article_id,
            parent_id=comment.parent_id,
            body=comment.body,
            ip_address=ip,
            created_at__gte=since,
        )
        .exclude(status=Comment.Status.REMOVED)
    )


def _ask(questions: dict) -> dict:
    """{name: answer} for {name: (template, queryset)}: each queryset put in its template's
    `{}` as a subquery of one SELECT. A queryset that can match nothing (`.none()`) is not
    asked: its name is missing from the answer."""
    names, columns, params = [], [], []
    for name, (template, queryset) in questions.items():
        try:
            sql, query_params = queryset.query.sql_with_params()
        except EmptyResultSet:
            continue
        names.append(name)
        columns.append(f"{template.replace('{}', sql)} AS {connection.ops.quote_name(name)}")
        params.extend(query_params)
    if not columns:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(columns)}", params)
        return dict(zip(names, cursor.fetchone(), strict=True))
