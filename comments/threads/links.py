"""
The addresses in a page of threads: the query that keeps the page and the order, and the two
links every row carries (Reply without the script, the Helpful form's action).

Written once, here, for the two places that render rows: the page's thread fragment
(comments.templatetags.comment_tags) and the reader's own just-published comments that the
private request sends for a cached page that lacks them (comments.web.own). Same arguments,
same bytes, so the script can put such a row in the list as if the page had it.
"""

from django.urls import reverse

from comments.threads import reading as threads


def page_query(number, order=threads.DEFAULT_ORDER):
    """The start of a link's query that keeps the page and the order ("?" when neither)."""
    sort = f"sort={order}&" if order != threads.DEFAULT_ORDER else ""
    page = f"page={number}&" if number > 1 else ""
    return f"?{sort}{page}"


def row_links(*, page_number, order, is_open, max_depth):
    """(reply_href, helpful_action): for a row, its Reply link (None: no reply offered, the
    discussion closed or the thread at its deepest) and its Helpful form's address (which
    comes back to the same order). One reverse() for the page, not one per comment."""
    query = page_query(page_number, order)

    def reply_href(row):
        if is_open and row.depth + 1 < max_depth:
            return f"{query}replytocom={row.id}#respond"
        return None

    before, after = reverse("comments:helpful", args=[0]).split("/0/", 1)
    after += f"?sort={order}" if order != threads.DEFAULT_ORDER else ""

    def helpful_action(row):
        return f"{before}/{row.id}/{after}"

    return reply_href, helpful_action
