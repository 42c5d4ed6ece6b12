"""
A commenter's data returned on request: `export_commenter_data(email)` gives every comment and
every stored field for an address, as a JSON-serialisable dict, for a staff member answering a
request (the admin's privacy page, `manage.py commenter_data`). Every concrete field is read
from the model, so a new field is never missed. The reports on a writer's comments are the
reporters' data, never part of the writer's export; a reporter's own reports are part of theirs.
Erasure and retention are `comments.services.privacy`'s. The privacy page
(templates/fitness/privacy.html) describes the export too; keep them in step.
"""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from comments.conf import settings
from comments.models import Comment, Commenter, CommentReport, ReplyAddress
from comments.readers.commenters import commenter_key


def _stored_fields(instance, *, exclude=()):
    """Every concrete field as stored (foreign keys as ids), so a new field is never missed."""
    return {
        field.attname: field.value_from_object(instance)
        for field in instance._meta.concrete_fields
        if field.attname not in exclude
    }


# Records about a comment that are someone else's data: readers' reports name their reporter.
NOT_THE_WRITERS = (Comment, CommentReport)


def _related_records():
    """Per-comment records (history, Akismet reports, ...): every one-to-many but replies and
    readers' reports (the reporters' data: a writer never learns who reported them)."""
    return [
        relation
        for relation in Comment._meta.related_objects
        if relation.one_to_many and relation.related_model not in NOT_THE_WRITERS
    ]


def _comment_export(comment, relations):
    data = _stored_fields(comment)
    data["article"] = {"title": comment.article.title, "url": comment.article.get_absolute_url()}
    for relation in relations:
        records = getattr(comment, relation.get_accessor_name()).all()
        data[relation.get_accessor_name()] = [
            _stored_fields(record, exclude={relation.field.attname}) for record in records
        ]
    return data


def export_commenter_data(email: str) -> dict:
    """Everything stored for comments written with this email address, JSON-serialisable."""
    relations = _related_records()
    comments = (
        Comment.objects.by_email(email).select_related("article").order_by("created_at", "pk")
        if email.strip()
        else Comment.objects.none()
    ).prefetch_related(*(relation.get_accessor_name() for relation in relations))
    data = {
        "email": email.strip(),
        "exported_at": timezone.now(),
        "site": settings.SITE_URL,
        "comments": [_comment_export(comment, relations) for comment in comments],
        # Whether the address was asked, and said yes, to emails about replies (double opt-in).
        "reply_emails": [
            _stored_fields(address)
            for address in (ReplyAddress.objects.for_email(email) if email.strip() else [])
        ],
        # What is kept about the person: first and last seen, trust, networks, moderators'
        # notes, bans (a ban outlives an erasure as a salted hash: see
        # privacy.erase_commenter_data).
        "commenter": _commenter_export(email),
        # Reports sent with this address (illegal-content notices), with their decision.
        "reports": [
            {
                **_stored_fields(report, exclude={"decided_by_id"}),
                "comment_url": report.comment.get_absolute_url(),
            }
            for report in (
                CommentReport.objects.by_email(email).select_related("comment")
                if email.strip()
                else []
            )
        ],
    }
    # Dates, UUIDs and decimals as strings: the result can go straight to json.dump.
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def _commenter_export(email):
    commenter = Commenter.objects.filter(key=commenter_key(email, None)).first()
    if commenter is None:
        return None
    data = _stored_fields(commenter, exclude={"key"})
    data["networks"] = [
        _stored_fields(n, exclude={"commenter_id"}) for n in commenter.networks.all()
    ]
    data["notes"] = [_stored_fields(n, exclude={"commenter_id"}) for n in commenter.notes.all()]
    data["bans"] = [
        _stored_fields(ban, exclude={"commenter_id", "value_hash"}) for ban in commenter.bans.all()
    ]
    return data
