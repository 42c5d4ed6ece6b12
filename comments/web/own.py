"""
The reader's own part of an article's discussion, which their cookies stand for
(comments.readers.cookies OWN_COOKIES) and the shared page never holds:

* their held comments that belong on the page shown ("Your comment is awaiting moderation."),
  where `reader_pending_rows` places them;
* their recent comments they may still edit, delete or bring back
  (templates/comments/own_comments.html);
* the name, email and website they asked to be remembered;
* their comments published in the last few minutes, as the list of threads has them: the page
  the script lands on after a post may be a copy made just before (nginx's one-second cache,
  the page store), without the comment; the script inserts each that the page lacks.

Rendered into the reader's own page by `{% comment_section %}` (when the page is personal
anyway: a post sent back, `?mine=1`, a session), and for the shared page sent by `comments:mine`
as JSON (`pieces`) for the script to fill in: one definition of each piece's markup.
"""

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from comments.conf import settings
from comments.models import Comment
from comments.readers.cookies import editable_ids, pending_ids, remembered_author
from comments.readers.people import badges
from comments.services.own_edits import EDIT_STATUSES, edit_deadline, writer_deletion
from comments.threads import own_rows
from comments.threads import reading as threads
from comments.threads.links import page_query, row_links
from comments.threads.rendering import count_heading, pending_list_html, thread_item_html


def mark_badges(rows, article):
    """Each row written by the article's author or by staff gets its badge (one query)."""
    found = badges((row.user_id for row in rows), article)
    if found:
        for row in rows:
            row.badge = found.get(row.user_id, "")


def pending_list(request, article, page):
    """The reader's own held comments that belong on `page` (a ThreadPage), as HTML; "" when
    none. No query when the reader has none."""
    rows = own_rows.reader_pending_rows(article, pending_ids(request), page)
    mark_badges(rows, article)
    return pending_list_html(rows)


def edit_window_start():
    """Comments written since then are still their writer's to change (COMMENTS_EDIT_MINUTES)."""
    return timezone.now() - timezone.timedelta(minutes=settings.COMMENTS_EDIT_MINUTES)


def published_rows(request, article, page, *, order):
    """([{id, parent, after, html}], {id: address}): the reader's own comments published
    within the edit window whose threads `page` lists, each as the list of threads writes it
    (`thread_item_html`, with the page's links). `parent`: the comment a reply goes under;
    `after`: for a top-level one, the thread listed before it on the page (None: it comes
    first). Then the others', whose threads another page lists now: their permalinks (in
    `order`), which find that page. One query, and one for badges when one has an account;
    none without the editable cookie."""
    rows, elsewhere = own_rows.reader_published_rows(
        article, editable_ids(request), page, since=edit_window_start()
    )
    sort = page_query(1, order).rstrip("&?")
    moved = {pk: reverse("comments:permalink", args=[pk]) + sort for pk in elsewhere}
    if not rows:
        return [], moved
    mark_badges(rows, article)
    reply_href, helpful_action = row_links(
        page_number=page.number,
        order=order,
        is_open=article.accepts_comments(),
        max_depth=settings.COMMENTS_MAX_DEPTH,
    )
    published = []
    for row in rows:
        position = page.thread_ids.index(row.id) if row.depth == 0 else 0
        html = thread_item_html(row, reply_href=reply_href, helpful_action=helpful_action)
        after = page.thread_ids[position - 1] if position else None
        published.append({"id": row.id, "parent": row.parent_id, "after": after, "html": html})
    return published, moved


def own_recent_comments(request, article):
    """[(comment, until)] of the reader's own comments on this article they may still change,
    and of those they deleted and may still bring back (`comment.deleted_by_writer`)."""
    ids = editable_ids(request)
    if not ids:
        return []
    recent = Comment.objects.filter(
        pk__in=ids,
        article=article,
        status__in=[*EDIT_STATUSES, Comment.Status.REMOVED],
        created_at__gt=edit_window_start(),
    ).only("id", "status", "created_at")
    own = []
    for comment in recent.order_by("created_at"):
        # At most EDITABLE_CAP of them, and a deleted one is rare: a query each is fine.
        comment.deleted_by_writer = comment.status == Comment.Status.REMOVED
        if comment.deleted_by_writer and writer_deletion(comment) is None:
            continue  # removed by a moderator: not the writer's to undo
        own.append((comment, edit_deadline(comment)))
    return own


OWN_COMMENTS_TEMPLATE = "comments/own_comments.html"


def pieces(request, article, *, page_number, order):
    """What the script fills into the shared page for this reader, for the page of threads
    `page_number` in `order`: {"pending": HTML, "own": HTML, "author": {name, email, website},
    "published": [{id, parent, after, html}], "elsewhere": {id: permalink} (`published_rows`),
    "heading": the discussion's heading with them counted}, each empty when the reader has
    none. A constant number of queries: none for a piece whose cookie the reader lacks."""
    pending, published, elsewhere = "", [], {}
    if pending_ids(request) or editable_ids(request):
        page = threads.page_threads(article, page_number, order=order)
        pending = pending_list(request, article, page)
        published, elsewhere = published_rows(request, article, page, order=order)
    own = own_recent_comments(request, article)
    own_html = ""
    if own:
        own_html = render_to_string(OWN_COMMENTS_TEMPLATE, {"own_comments": own}, request)
    return {
        "pending": str(pending),
        "own": own_html,
        "author": remembered_author(request),
        "published": published,
        "elsewhere": elsewhere,
        # The heading over the threads, counted now: the copy the script fills may predate them.
        "heading": count_heading(article.comment_count) if published else "",
    }
