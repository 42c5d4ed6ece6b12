"""
`{% comment_section article %}`: the discussion under an article.

It has two parts on purpose:
* `thread_fragment(article, page_number, max_depth=, is_open=)`: the heading, the numbered
  threads and their pagination. Its output depends only on those arguments (and the article's
  comments_version), so it can be cached per (article, comments_version, page).
* the rest, rendered around it on every request: the reply target, "Logged in as", the form.

The reader's own part (comments.web.own: their held comments, "Your comment is awaiting
moderation.", their edit links, their remembered name in the form) is rendered only into a page
that is theirs anyway (`http_cache.is_personal`: a post sent back, `?mine=1`, a session). The
shared page is the same bytes for a returning commenter as for a stranger; it names
`comments:mine` (data-mine), from which the script fills their part in.

The empty form (no errors, nothing remembered) is the same for every reader but for the
signed timestamp and the reply target, so its crispy HTML is rendered once per process and
shape, with placeholders that `form_html()` fills in; any other form is rendered by
`{% crispy form %}` as usual.
"""

import time
from dataclasses import dataclass, field
from html import escape

from crispy_forms.utils import render_crispy_form
from django import template
from django.core.signals import setting_changed
from django.http import Http404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.autoreload import file_changed
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from comments.conf import settings
from comments.models import Comment
from comments.readers.cookies import remembered_author
from comments.readers.people import display_name
from comments.screening import akismet, form_tokens
from comments.screening.rules import EXPIRED
from comments.services import privacy
from comments.threads import cache as thread_cache
from comments.threads import reading as threads
from comments.threads import structured_data
from comments.threads.links import page_query, row_links
from comments.threads.rendering import comment_list_parts, count_heading
from comments.web import own
from comments.web.forms import CommentForm, fresh_timestamp, sign_timestamp
from comments.web.own import mark_badges
from fitness.articles import seo
from fitness.core import http_cache, page_shells

register = template.Library()


@dataclass
class ThreadFragment:
    """The cacheable part: plain data (HTML string, numbers), safe to pickle.

    `html`: safe HTML (comments/thread.html around the list of threads), a plain str joined
    once; it reaches the page through `page_shells.deferred` (spliced into the page's bytes),
    not copied by each template on the way (7 MB at 5,000 comments).
    """

    html: str = ""
    number: int = 1
    num_pages: int = 1
    thread_ids: list = field(default_factory=list)
    # The page's approved comments as schema.org `Comment` items, for the article's JSON-LD,
    # encoded once (JSON text; "" when none).
    schema_comments_json: str = ""


# Where a long text goes in what is rendered around it (the list of threads in
# comments/thread.html, the comments in the JSON-LD), to split at and join once.
PLACE = "\x00place\x00"


# The orders a reader can choose, as the links above the threads name them.
SORT_LABELS = (
    (threads.OLDEST, "Oldest"),
    (threads.NEWEST, "Newest"),
    (threads.HELPFUL, "Most helpful"),
)


# The pagination's (previous, next) in each order.
PAGE_LABELS = {
    threads.OLDEST: ("Older comments", "Newer comments"),
    threads.NEWEST: ("Newer comments", "Older comments"),
    threads.HELPFUL: ("More helpful comments", "Less helpful comments"),
}


def sort_links(order):
    """[(label, href, current)] for the sort links: each order's first page."""
    return [
        (label, f"{page_query(1, name).rstrip('&')}#comments", name == order)
        for name, label in SORT_LABELS
    ]


def thread_fragment(article, page_number, *, max_depth, is_open, order=threads.DEFAULT_ORDER):
    page = threads.read_page(article, page_number, order=order)
    query = page_query(page.number, order)
    mark_badges(page.rows, article)
    reply_href, helpful_action = row_links(
        page_number=page.number, order=order, is_open=is_open, max_depth=max_depth
    )
    around = render_to_string(
        "comments/thread.html",
        {
            "heading": count_heading(article.comment_count),
            "comment_list": mark_safe(PLACE),
            "page": page,
            "sort_links": sort_links(order) if page.rows else [],
            "previous_query": page_query(page.number - 1, order).rstrip("&"),
            "next_query": page_query(page.number + 1, order).rstrip("&"),
            "page_labels": PAGE_LABELS[order],
        },
    )
    # The list placed by one join, not copied by the template (and marked safe) first.
    head, tail = around.split(PLACE)
    parts = comment_list_parts(page.rows, reply_href=reply_href, helpful_action=helpful_action)
    return ThreadFragment(
        html="".join([head, *parts, tail]),
        number=page.number,
        num_pages=page.num_pages,
        thread_ids=page.thread_ids,
        schema_comments_json=structured_data.schema_comments_json(
            article, page.rows, page.number, query=query.rstrip("&?")
        ),
    )


def requested_page(request):
    """The ?page= the reader asked for: 1 when absent, None when it is not a page number."""
    raw = request.GET.get("page", "").strip()
    if not raw:
        return 1
    if not (raw.isascii() and raw.isdigit() and len(raw) < 7) or int(raw) < 1:
        return None
    return int(raw)


def error_summary(form):
    """What the summary above the form lists: messages that belong to no field (as
    sentences), and one link per field in error, to that field."""
    if not form.is_bound or not form.errors:
        return None
    fields = []
    for name, errors in form.errors.items():
        if name == "__all__" or name not in form.fields:
            continue
        bound = form[name]
        for message in errors:
            fields.append((bound.auto_id, bound.label, message))
    return {"general": list(form.non_field_errors()), "fields": fields}


def new_form(request, article, *, personal):
    # The same token for every reader of the article during one second: the page stays the
    # same bytes for all anonymous readers, so any HTTP cache may share it. The remembered
    # name, email and website only in the reader's own page (the script fills in the shared one).
    initial = {"timestamp": fresh_timestamp(article.pk)}
    remembered = remembered_author(request) if personal else {}
    if remembered:
        initial.update(remembered, remember=True)
    return CommentForm(initial=initial, article=article, user=request.user)


# Values no reader can send (the timestamp is signed base64 and the parent is digits), each
# of which must appear once in the rendered form.
TIMESTAMP_PLACEHOLDER = "comment-form-timestamp-placeholder"
PARENT_PLACEHOLDER = "comment-form-parent-placeholder"
_empty_forms = {}  # (language, field names, has a parent) -> crispy HTML with placeholders


def _clear_empty_forms(**kwargs):
    """Settings (lengths, template packs) and templates shape the HTML: render it again."""
    _empty_forms.clear()


setting_changed.connect(_clear_empty_forms, dispatch_uid="comments.empty_forms")
file_changed.connect(_clear_empty_forms, dispatch_uid="comments.empty_forms")


def form_html(form):
    """The form's crispy HTML when it is the empty form, from the per-process copy; else None.

    The empty form's initial values are the signed timestamp and, for ?replytocom=, the
    parent; a bound form or a remembered name, email and website is rendered as usual.
    """
    if form.is_bound or not form.initial.get("timestamp"):
        return None
    if not set(form.initial) <= {"timestamp", "parent"}:
        return None
    parent = form.initial.get("parent")
    has_parent = parent not in (None, "")  # an empty parent has no value="" at all
    key = (get_language(), tuple(form.fields), has_parent)
    html = _empty_forms.get(key)
    if html is None:
        initial = {"timestamp": TIMESTAMP_PLACEHOLDER}
        if has_parent:
            initial["parent"] = PARENT_PLACEHOLDER
        empty = CommentForm(initial=initial, article=form.article, user=form.user)
        html = str(render_crispy_form(empty))
        shown = (html.count(TIMESTAMP_PLACEHOLDER), html.count(PARENT_PLACEHOLDER))
        if shown != (1, int(has_parent)):
            return None  # the form no longer shows them once each: render it as usual
        _empty_forms[key] = html
    html = html.replace(TIMESTAMP_PLACEHOLDER, escape(str(form.initial["timestamp"])))
    if has_parent:
        html = html.replace(PARENT_PLACEHOLDER, escape(str(parent)))
    # Rendered by crispy from our own form; the two values are escaped as the widget would.
    return mark_safe(html)


def refresh_bound_form(form, article):
    """A form sent back with errors gets a fresh timestamp; everything typed stays.

    The fresh token keeps the time the page was first shown when the token sent was ours:
    signed with the present time, a reader who corrected their email and sent it again within
    COMMENTS_MIN_SUBMIT_SECONDS was filed as spam ("too fast"). It is the same form, with the
    same uses (comments.screening.form_tokens). A form that expired or was used up is a new one.
    """
    form.data = form.data.copy()
    shown = getattr(form, "cleaned_data", {}).get("timestamp")
    now = time.time()
    spent = {EXPIRED, form_tokens.USED_UP} & set(form.non_field_errors())
    if not isinstance(shown, int | float) or spent:
        shown = now
    form.data["timestamp"] = sign_timestamp(article.pk, shown)
    return form


def reply_target(request, article, form, max_depth):
    """The comment being replied to without JavaScript (?replytocom=<id>), if it can be."""
    if form.is_bound:
        return form.parent_comment
    raw = request.GET.get("replytocom", "")
    if not raw.isascii() or not raw.isdigit() or len(raw) > 18:
        return None
    target = (
        Comment.objects.public()
        .filter(article=article, pk=int(raw), depth__lt=max_depth - 1)
        .only("id", "author_name", "depth")
        .first()
    )
    if target is not None and not form.is_bound:
        form.initial["parent"] = target.pk
    return target


@register.inclusion_tag("comments/section.html", takes_context=True)
def comment_section(context, article):
    request = context["request"]
    max_depth = settings.COMMENTS_MAX_DEPTH
    is_open = article.accepts_comments()
    asked = requested_page(request)
    order = threads.order_of(request.GET.get("sort", ""))
    fragment = thread_cache.cached_fragment(
        article,
        asked or 1,
        max_depth=max_depth,
        is_open=is_open,
        render=thread_fragment,
        order=order,
    )
    if asked is None or asked != fragment.number:
        # No such page of comments (?page=99, ?page=x): a page that is not there, not page 1.
        raise Http404("No such page of comments.")
    page = threads.ThreadPage(
        number=fragment.number, num_pages=fragment.num_pages, thread_ids=fragment.thread_ids
    )
    structured_data.remember(request, article, fragment.schema_comments_json)
    personal = http_cache.is_personal(request)
    form = context.get("comment_form")
    if form is not None:
        form = refresh_bound_form(form, article)
    else:
        form = new_form(request, article, personal=personal)
    reply_to = reply_target(request, article, form, max_depth)
    article_url = article.get_absolute_url()
    return {
        "request": request,
        "user": request.user,
        "article": article,
        "thread_html": page_shells.deferred(context, fragment.html),  # our own HTML
        "pending_list": own.pending_list(request, article, page) if personal else "",
        "own_comments": own.own_recent_comments(request, article) if personal else [],
        # The shared page: where the script asks for the reader's own part.
        "mine_url": "" if personal else reverse("comments:mine", args=[article.pk]),
        # The order read goes with the post: the writer comes back to it (comments:post).
        "post_url": reverse("comments:post", args=[article.pk]) + page_query(1, order).rstrip("&?"),
        "form": form,
        "form_html": form_html(form),
        "error_summary": error_summary(form),
        "preview_html": context.get("comment_preview"),
        "article_url": article_url,
        "show_form": is_open or form.is_bound,
        "is_open": is_open,
        "reply_to": reply_to,
        "cancel_url": f"{article_url}{page_query(fragment.number, order).rstrip('&?')}#respond",
        "akismet_notice": akismet.is_configured(),
        "author_display_name": (
            display_name(request.user) if request.user.is_authenticated else ""
        ),
    }


@register.simple_tag
def comments_link(article):
    """`{% comments_link article %}`: under the article's title, "20 Comments" to the thread
    (the heading's wording), or "Leave a comment" to the form when there are none yet; nothing
    when there are none and the discussion is closed. From the kept count, so the page stays
    the same bytes for every reader (its ETag moves with comments_version)."""
    count = article.comment_count
    if count:
        href, text = "#comments", count_heading(count)
    elif article.accepts_comments():
        href, text = "#respond", "Leave a comment"
    else:
        return ""
    return format_html(
        '<p class="article-comments mb-3"><a class="article-comments-link tap-target"'
        ' href="{}">{}</a></p>',
        href,
        text,
    )


@register.simple_tag(takes_context=True)
def article_structured_data(context, article):
    """`{% article_structured_data article %}`, after `{% comment_section article %}`: the
    article's schema.org BlogPosting (fitness.articles.seo) with the approved comments that section
    showed, from the same cached fragment (no query for them), as a JSON-LD data block."""
    comments = structured_data.remembered(context["request"], article)
    if not comments:
        return seo.json_ld_script(seo.blog_posting(article))
    # The comments' JSON text (megabytes on a big page) spliced in by the page, not copied here.
    script = seo.json_ld_script(seo.blog_posting(article), encoded={"comment": PLACE})
    head, tail = script.split(PLACE)
    return mark_safe(f"{head}{page_shells.deferred(context, comments)}{tail}")


@register.simple_tag
def privacy_facts():
    """`{% privacy_facts as facts %}`: what the privacy page states about comments, read from
    the settings the code obeys (retention, recipients, cookies)."""
    return privacy.privacy_facts()
