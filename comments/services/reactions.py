"""
"Helpful": a reader marks a comment helpful, once, and may take it back.

    result = mark_helpful(comment, reader=reader_id, ip=client_ip)   # HelpfulResult
    taken = unmark_helpful(comment, reader=reader_id)                # True if there was one

The reader is the random id of their signed cookie (comments.readers.cookies); their network is
counted as flood control counts it (an IPv4 address, an IPv6 /64: comments.screening.flood) and
kept only as a keyed hash, so clearing the cookie gives a network at most
COMMENTS_HELPFUL_PER_NETWORK marks on one comment. The comment keeps its count, and the
article's `comments_version` moves with every mark, so the thread cache, the page's ETag and the
live endpoint all follow (the count is part of the shared page).
"""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.crypto import salted_hmac

from comments.conf import settings
from comments.models import Comment, HelpfulMark
from comments.screening.flood import address_key
from fitness.articles.models import Article

ALREADY = "You have already marked this comment helpful."
NETWORK_LIMIT = "Enough readers on your network have marked this comment helpful already."
NOT_PUBLIC = "Only a published comment can be marked helpful."


@dataclass
class HelpfulResult:
    marked: bool
    refusal: str = ""


def network_hash(ip) -> str:
    """What a mark keeps of the reader's network: a keyed hash, never the address."""
    key = address_key(ip) if ip else "-"
    return salted_hmac("comments.helpful.network", key).hexdigest()[:32]


def _move(comment, delta):
    Comment.objects.filter(pk=comment.pk).update(helpful_count=F("helpful_count") + delta)
    Article.objects.filter(pk=comment.article_id).update(comments_version=F("comments_version") + 1)


def mark_helpful(comment, *, reader: str, ip=None) -> HelpfulResult:
    """One mark by `reader` on a published comment; refused when they have one already, or
    when their network has COMMENTS_HELPFUL_PER_NETWORK on it."""
    if not comment.is_public:
        return HelpfulResult(False, NOT_PUBLIC)
    network = network_hash(ip)
    limit = settings.COMMENTS_HELPFUL_PER_NETWORK
    if limit > 0:
        same_network = HelpfulMark.objects.filter(comment=comment, network=network)
        if same_network.exclude(reader=reader).count() >= limit:
            return HelpfulResult(False, NETWORK_LIMIT)
    try:
        with transaction.atomic():
            HelpfulMark.objects.create(comment=comment, reader=reader, network=network)
            _move(comment, +1)
    except IntegrityError:
        return HelpfulResult(False, ALREADY)
    comment.helpful_count += 1
    return HelpfulResult(True)


def unmark_helpful(comment, *, reader: str) -> bool:
    """`reader`'s mark on the comment taken back; False when they had none."""
    with transaction.atomic():
        deleted, _ = HelpfulMark.objects.filter(comment=comment, reader=reader).delete()
        if deleted:
            _move(comment, -1)
    if deleted:
        comment.helpful_count = max(comment.helpful_count - 1, 0)
    return bool(deleted)
