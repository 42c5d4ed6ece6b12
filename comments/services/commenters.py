"""
Keeping the person behind each comment: the writers of `Commenter` rows.

    attach(comment)          in the posting sequence, before the comment's first save: finds or
                             makes its commenter (by normalised email, else by network), moves
                             their last-seen date, name and network on (one statement per post
                             on PostgreSQL, two on SQLite; none per page)
    link_existing(batch=...) comments saved without one (before this existed, an import):
                             linked in batches; `manage.py link_commenters` runs it
    set_trust(commenter, trust, *, by)
    lift_ban(ban, *, by)     a ban ends now (made by `comments.services.bans`)
    add_note(commenter, text, *, by)
    forget_old_networks()    networks not seen for COMMENTS_PERSONAL_DATA_DAYS are dropped
                             (they are personal data, as the comments' IP addresses are)

Bans are `comments.services.bans`.
"""

from datetime import datetime, timedelta

from django.db import connection, transaction
from django.utils import timezone

from comments.conf import settings
from comments.models import Ban, Comment, Commenter, CommenterNetwork, CommenterNote
from comments.readers import commenters as recognise
from comments.readers.people import network_of


def attach(comment: Comment) -> int | None:
    """Set `comment.commenter_id` (unsaved comment or not) and keep the commenter current:
    their last-seen date moves on (never back), their name is the comment's, the network it
    came from is noted. One statement on PostgreSQL whatever the commenter's history (the
    upsert of the commenter and of its network, joined by a WITH), two on SQLite. The
    commenter's id, or None when the comment carries neither an email nor an address."""
    key = recognise.commenter_key(comment.author_email, comment.ip_address)
    if not key:
        return None
    seen = comment.created_at or timezone.now()
    name = (comment.author_name or "")[:100]
    person = _upsert_sql(
        Commenter,
        {
            "key": key,
            "email": recognise.email_key(comment.author_email),
            "email_family": recognise.email_family(comment.author_email),
            "name": name,
            "name_key": recognise.name_key(name),
            "first_seen": seen,
            "last_seen": seen,
            "trust": Commenter.Trust.AUTO,
        },
        unique=["key"],
        replace=["name", "name_key"],
    )
    network = network_of(comment.ip_address) if comment.ip_address else None
    comment.commenter_id = _upsert_with_network(person, network, seen)
    return comment.commenter_id


def _upsert_with_network(person: tuple, network: str | None, seen) -> int:
    """Run the commenter's upsert (`person`: sql, params), then note `network` for them (when
    there is one); the commenter's id."""
    sql, params = person
    if network is None:
        return _returned_id(f"{sql} RETURNING id", params)
    noted = {"network": network, "first_seen": seen, "last_seen": seen}
    unique = ["commenter_id", "network"]
    if connection.vendor != "postgresql":  # no INSERT inside a WITH: two statements
        commenter_id = _returned_id(f"{sql} RETURNING id", params)
        noted["commenter_id"] = commenter_id
        _execute(*_upsert_sql(CommenterNetwork, noted, unique=unique))
        return commenter_id
    noted["commenter_id"] = _Column("id")  # the upserted commenter's, from the WITH
    network_sql, network_params = _upsert_sql(
        CommenterNetwork, noted, unique=unique, source="person"
    )
    return _returned_id(
        f"WITH person AS ({sql} RETURNING id), network AS ({network_sql}) SELECT id FROM person",
        params + network_params,
    )


class _Column(str):
    """In `_upsert_sql`'s values: a column of its `source`, not a parameter."""


def _upsert_sql(model, values: dict, *, unique: list, replace=(), source="") -> tuple[str, list]:
    """(sql, params) that insert a row of `model`, or, when one with the same `unique` columns
    exists, set its `replace` columns to these values and its `last_seen` to the later of the
    two (INSERT ... ON CONFLICT DO UPDATE: PostgreSQL, SQLite). With `source`, the row is
    selected from it (a WITH's name), its `_Column` values read from there."""
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = [quote(model._meta.get_field(name).column) for name in values]
    row, params = [], []
    for value in values.values():
        if isinstance(value, _Column):
            row.append(quote(value))
            continue
        row.append("%s")
        params.append(
            connection.ops.adapt_datetimefield_value(value)
            if isinstance(value, datetime)
            else value
        )
    last_seen = quote("last_seen")
    updates = [f"{quote(name)} = excluded.{quote(name)}" for name in replace]
    updates.append(
        f"{last_seen} = CASE WHEN excluded.{last_seen} > {table}.{last_seen}"
        f" THEN excluded.{last_seen} ELSE {table}.{last_seen} END"
    )
    conflict = ", ".join(quote(model._meta.get_field(name).column) for name in unique)
    rows = f"SELECT {', '.join(row)} FROM {source}" if source else f"VALUES ({', '.join(row)})"
    sql = (
        f"INSERT INTO {table} ({', '.join(columns)}) {rows}"
        f" ON CONFLICT ({conflict}) DO UPDATE SET {', '.join(updates)}"
    )
    return sql, params


def _execute(sql: str, params: list) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _returned_id(sql: str, params: list) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def link_existing(batch: int = 1000) -> int:
    """Link every comment that has no commenter yet (and an email or an IP); how many."""
    linked = 0
    while True:
        comments = list(
            Comment.objects.filter(commenter__isnull=True, erased_at__isnull=True)
            .exclude(author_email="", ip_address__isnull=True)
            .order_by("created_at", "pk")[:batch]
        )
        if not comments:
            return linked
        with transaction.atomic():
            for comment in comments:
                attach(comment)
            Comment.objects.bulk_update(comments, ["commenter"])
        linked += len(comments)


@transaction.atomic
def set_trust(commenter: Commenter, trust: str, *, by=None) -> bool:
    """Trusted, always hold, or back to earned-by-comments; whether it changed."""
    if trust not in Commenter.Trust.values:
        raise ValueError(f"Unknown trust {trust!r}")
    if commenter.trust == trust:
        return False
    commenter.trust, commenter.trust_set_by, commenter.trust_set_at = trust, by, timezone.now()
    commenter.save(update_fields=["trust", "trust_set_by", "trust_set_at"])
    return True


def add_note(commenter: Commenter, text: str, *, by=None) -> CommenterNote | None:
    text = (text or "").strip()
    if not text:
        return None
    return CommenterNote.objects.create(commenter=commenter, author=by, text=text[:5000])


def forget_old_networks(now=None) -> int:
    """Networks last seen COMMENTS_PERSONAL_DATA_DAYS ago go; so do commenters none of whose
    comments is left (purged spam) and not seen since: what stays of a ban on them is its hash
    and dates (`Ban.label` cleared once it has ended). Returns how many networks went."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.COMMENTS_PERSONAL_DATA_DAYS)
    deleted, _ = CommenterNetwork.objects.filter(last_seen__lt=cutoff).delete()
    idle = Commenter.objects.filter(last_seen__lt=cutoff, comments__isnull=True)
    if idle.exists():
        Ban.objects.filter(commenter__in=idle).exclude(pk__in=Ban.objects.active(now)).update(
            label="", reason=""
        )
        idle.delete()
    return deleted


def lift_ban(ban_or_pk, *, by=None, now=None) -> bool:
    """Lift a ban (one click, or the undo of the action that made it); whether it was active.
    The ban stays, with who lifted it and when: every ban and lift is in the history."""
    now = now or timezone.now()
    pk = getattr(ban_or_pk, "pk", ban_or_pk)
    lifted = Ban.objects.active(now).filter(pk=pk).update(lifted_at=now, lifted_by=by)
    return bool(lifted)
