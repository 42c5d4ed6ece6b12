"""
A commenter's page: who they are (names, emails, networks, first and last seen), how they have
fared (counts per status, trust), every comment they wrote in every status with its actions
(the queue's own cells and script), moderators' notes, bans, and the commenters that look
linked (same network, same name, the same mailbox spelt otherwise), one click away.

A fixed number of queries whatever the number of comments: the counts are one grouped query
(they also give the paginator its total), the comments a page of PER_PAGE off an index.
"""

from django.core.paginator import Paginator
from django.db.models import Q

from comments.admin import actions, cells, people, queue
from comments.admin.views import inline_editor
from comments.models import Ban, Commenter
from comments.readers import commenters as recognise

PER_PAGE = 25
LINKED_MAX = 20
PAGE_PARAM = "p"


def page_context(model_admin, request, commenter):
    standing = recognise.standing(commenter)
    comments = (
        commenter.comments.select_related("article", "parent", "user")
        .with_open_report_counts()  # the rows' actions ask (no query per row)
        .order_by("-created_at", "-pk")
    )
    paginator = Paginator(comments, PER_PAGE)
    paginator.count = sum(standing.counts.values())  # counted already: no COUNT(*) again
    page = paginator.get_page(request.GET.get(PAGE_PARAM))
    rows = list(page.object_list)
    viewer = cells.Viewer.of(model_admin, request)
    column = cells.comment_column(viewer)
    networks = list(commenter.networks.all())
    Status = commenter.comments.model.Status
    counts = [
        (
            status,
            label,
            standing.counts.get(status, 0),
            people.queue_filter_url(commenter=commenter.pk, status=status),
        )
        for status, label in Status.choices
    ]
    # Every (name, email) they wrote under: one query, distinct in SQL.
    spellings = list(
        commenter.comments.order_by().values_list("author_name", "author_email").distinct()
    )
    return {
        "commenter": commenter,
        "standing": standing,
        "counts": counts,
        "all_comments_url": people.queue_filter_url(commenter=commenter.pk),
        "names": sorted({name for name, _ in spellings}),
        "emails": sorted({email for _, email in spellings if email}),
        "networks": networks,
        "notes": commenter.notes.select_related("author"),
        "bans": bans_for(commenter, networks),
        "linked": linked_commenters(commenter, networks),
        "trust_choices": Commenter.Trust.choices,
        "page": page,
        "page_param": PAGE_PARAM,
        "rows": [
            {
                "comment": column(obj),
                "article": cells.article_link(obj),
                "state": cells.state(obj),
                "age": cells.age(obj),
            }
            for obj in rows
        ],
        "ban_url": people.ban_url(commenter.pk),
        "undo_offer": actions.undo_offer(request),
        # The queue's script acts on the rows in place; every status is shown here.
        "queue_facts": {**queue.script_facts(), "status-default": queue.StatusFilter.everything},
        "queue_editor": inline_editor(),
        "keyboard_shortcuts": queue.keyboard_shortcuts(),
    }


def bans_for(commenter, networks):
    """The bans made on this commenter, and those that bar their email or a network of theirs
    (made on another commenter), newest first."""
    hashes = [recognise.ban_hash(Ban.Scope.NETWORK, n.network) for n in networks]
    if commenter.email:
        hashes.append(recognise.ban_hash(Ban.Scope.EMAIL, commenter.email))
    return list(
        Ban.objects.filter(Q(commenter=commenter) | Q(value_hash__in=hashes))
        .select_related("created_by", "lifted_by")
        .distinct()
    )


def linked_commenters(commenter, networks):
    """[(commenter, why)]: the same network, the same normalised name, the same mailbox spelt
    otherwise (+tags, dots); one query."""
    nets = [n.network for n in networks]
    match = Q(networks__network__in=nets) if nets else Q(pk__in=[])
    if commenter.name_key:
        match |= Q(name_key=commenter.name_key)
    if commenter.email_family:
        match |= Q(email_family=commenter.email_family)
    found = (
        Commenter.objects.filter(match)
        .exclude(pk=commenter.pk)
        .distinct()
        .order_by("-last_seen")[:LINKED_MAX]
    )
    linked = []
    for other in found:
        why = []
        if commenter.email_family and other.email_family == commenter.email_family:
            why.append("the same mailbox spelt otherwise")
        if commenter.name_key and other.name_key == commenter.name_key:
            why.append("the same name")
        if not why:
            why.append("the same network")
        linked.append((other, ", ".join(why)))
    return linked
