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
from datetime import timedelta

from django.db import connection, models
from django.utils import timezone

from comments.conf import settings
from comments.models import Ban, Comment, Commenter
from comments.readers import commenters
from comments.text import normalize
from fitness.core import prepared

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


def read_facts(comment: Comment, *, ip, user) -> Facts:
    """One query: every question as a subquery of one SELECT, its SQL compiled once per shape
    of the questions (fitness.core.prepared), the comment's values given each time."""
    shape = _shape(comment, ip=ip, user=user)
    sql, params = prepared.compiled(("screening.facts", shape), _select(shape), **SLOTS)
    with connection.cursor() as cursor:
        cursor.execute(sql, prepared.filled(params, **_values(comment, ip=ip, user=user)))
        found = dict(zip(shape.names(), cursor.fetchone(), strict=True))
    commenter = None
    if found.get("commenter") is not None:
        # Only what the rules read; any other field would be loaded when first read.
        values = [found["commenter"], found["trust"]]
        commenter = Commenter.from_db(connection.alias, ["id", "trust"], values)
    said = None
    if shape.recent:
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


# What a comment gives the questions, as the slots of the compiled SELECT.
SLOTS = {
    "now": models.DateTimeField(),
    "ban_email": models.CharField(),
    "ban_network": models.CharField(),
    "key": models.CharField(),
    "email": models.CharField(),
    "pk": models.IntegerField(),
    "user": models.IntegerField(),
    "article": models.IntegerField(),
    "parent": models.IntegerField(),
    "body": models.TextField(),
    "ip": models.GenericIPAddressField(),
    "recent_since": models.DateTimeField(),
    "resent_since": models.DateTimeField(),
}


@dataclass(frozen=True)
class Shape:
    """Which questions a comment asks, and how: what the SELECT's text depends on."""

    bans: tuple  # the scopes a ban could bar it by (email, network), in ban_values' order
    email: bool  # it carries an email (its returning and resent questions compare it)
    user: bool  # an account is signed in
    stored: bool  # a recheck of a stored comment: it must not find itself
    recent: str  # "email", "ip" or "": what the duplicate rule tells its writer by
    resent: bool  # a new comment with an email and an address: the resent question
    reply: bool  # it answers a comment (the resent question compares the parent)

    def names(self) -> list[str]:
        """The SELECT's columns, in order."""
        names = ["ban"] if self.bans else []
        names += ["commenter", "trust"] if self.bans else []  # a key exactly when a ban value
        names += ["by_email"] if self.email else []
        names += ["by_user"] if self.user else []
        names += ["bodies"] if self.recent else []
        names += ["resent"] if self.resent else []
        return names


def _shape(comment: Comment, *, ip, user) -> Shape:
    new = comment.pk is None
    email = bool(comment.author_email)
    return Shape(
        bans=tuple(commenters.ban_values(comment.author_email, ip)),
        email=email,
        user=user is not None and user.is_authenticated,
        stored=not new,
        recent=("email" if email else "ip" if ip else "") if new else "",
        resent=new and email and bool(ip),
        reply=comment.parent_id is not None,
    )


def _values(comment: Comment, *, ip, user) -> dict:
    now = timezone.now()
    bans = {
        f"ban_{scope}": commenters.ban_hash(scope, value)
        for scope, value in commenters.ban_values(comment.author_email, ip).items()
    }
    return {
        **dict.fromkeys(SLOTS),
        **bans,
        "now": now,
        "key": commenters.commenter_key(comment.author_email, ip),
        "email": (comment.author_email or "").strip(),
        "pk": comment.pk,
        "user": getattr(user, "pk", None),
        "article": comment.article_id,
        "parent": comment.parent_id,
        "body": comment.body,
        "ip": ip or None,
        "recent_since": now - timedelta(hours=settings.COMMENTS_DUPLICATE_WINDOW_HOURS),
        "resent_since": now - timedelta(seconds=RESEND_SECONDS),
    }


def _select(shape: Shape):
    """A function of the slots: the one SELECT (sql, params) that asks `shape`'s questions,
    each a queryset defined where it belongs."""

    def build(s):
        questions = {}
        if shape.bans:
            hashes = [getattr(s, f"ban_{scope}") for scope in shape.bans]
            barring = commenters.bans_barring(hashes, now=s.now)
            commenter = commenters.with_key(s.key)
            questions["ban"] = ("({})", barring.values("pk")[:1])
            questions["commenter"] = ("({})", commenter.values("pk")[:1])
            questions["trust"] = ("({})", commenter.values("trust")[:1])
        approved = Comment.objects.public().values("pk")
        if shape.stored:
            approved = approved.exclude(pk=s.pk)
        if shape.email:
            questions["by_email"] = ("EXISTS({})", approved.by_email(s.email)[:1])
        if shape.user:
            questions["by_user"] = ("EXISTS({})", approved.filter(user_id=s.user)[:1])
        if shape.recent:
            recent = recent_from_writer(s, by=shape.recent)
            bodies = recent.order_by("-created_at").values("body")[:DUPLICATE_ROWS]
            aggregate = JSON_LIST[connection.vendor]
            questions["bodies"] = (f"(SELECT {aggregate}(body) FROM ({{}}) AS recent)", bodies)
        if shape.resent:
            sent = same_post(s, reply=shape.reply)
            questions["resent"] = ("({})", sent.order_by("-pk").values("pk")[:1])
        assert list(questions) == shape.names()
        return _one_select(questions)

    return build


def recent_from_writer(s, *, by: str):
    """The comments on the article, within COMMENTS_DUPLICATE_WINDOW_HOURS, from the comment's
    email (`by` "email"), else from its address ("ip")."""
    same = Comment.objects.filter(article_id=s.article, created_at__gte=s.recent_since)
    return same.by_email(s.email) if by == "email" else same.filter(ip_address=s.ip)


def same_post(s, *, reply: bool):
    """The stored comments that are the new comment sent again: the same article, reply-to,
    text, email and address, within RESEND_SECONDS, not removed (a writer who deleted theirs
    and sends it again posts it anew)."""
    # By the email first: its index (comment_email_upper_idx) leaves a handful of rows.
    return (
        Comment.objects.by_email(s.email)
        .filter(
            article_id=s.article,
            parent_id=s.parent if reply else None,
            body=s.body,
            ip_address=s.ip,
            created_at__gte=s.resent_since,
        )
        .exclude(status=Comment.Status.REMOVED)
    )


def _one_select(questions: dict) -> tuple[str, list]:
    """(sql, params) for {name: (template, queryset)}: each queryset put in its template's
    `{}` as a subquery of one SELECT."""
    columns, params = [], []
    for name, (template, queryset) in questions.items():
        sql, query_params = queryset.query.sql_with_params()
        columns.append(f"{template.replace('{}', sql)} AS {connection.ops.quote_name(name)}")
        params.extend(query_params)
    return f"SELECT {', '.join(columns)}", params
