"""
The queue's cells and the change page's read-only fields, each written once with `format_html`.

A row of the queue is: the comment (its text, why it was held, its row actions), the author,
the article (and the comment it answers), the state, the age. The row actions depend on who
asks and from where (`Viewer`); the other cells on the comment alone. `row_json` is the same
cells for the queue's script after an action (static/js/admin-queue.js replaces them in place).

The names the script looks for in this markup are `SCRIPT_NAMES`; the script declares each once
at its top and tests/comments/admin/test_script.py holds the two together.
"""

from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlencode

from django.contrib import admin
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.text import Truncator
from django.utils.timesince import timesince

from comments.admin import people
from comments.models import Comment
from comments.screening.verdicts import held_reasons, in_words
from comments.services import moderation, posting
from comments.services.housekeeping import purge_date

Status = Comment.Status

RETURN_TO_CHANGELIST = "changelist"  # ?return_to=changelist: after a reply, back to the queue
TEXT_CHARS = 600  # the queue shows this much of a comment's text (two lines, "more" opens it)
TITLE_CHARS = 200  # the comment answered, on hover

# --- Names the queue's script reads (static/js/admin-queue.js declares each once) -----------
ROOT_ID = "queue-row-form"  # the row buttons' form (change_list.html); its data-* are the facts
CELL_CLASS = "queue-comment"
ROW_ID_PREFIX = "queue-row-"  # + pk: the comment cell's id, and the #fragment back to a row
TEXT_CLASS = "queue-text"
ACTIONS_CLASS = "queue-actions"
PK_ATTR = "data-pk"
STATUS_ATTR = "data-status"
EDIT_URL_ATTR = "data-edit-url"
KEY_ATTR = "data-key"
MESSAGES_ID = "queue-messages"  # includes/messages.html
UNDO_CLASS = "queue-undo"  # includes/messages.html: the Undo button of the last action
UNDO_URL_ATTR = "data-undo-url"
KEYS_ID = "queue-keys"  # change_list.html: the "?" list
EDITOR_ID = "queue-editor-form"  # change_list.html: the <template> of the inline edit's fields
REPLY_BOX_ID = "reply"  # change_form.html: the reply box, and the Reply links' #fragment
REPLY_FIELD_ID = "id_reply"  # change_form.html: its text, focused on arrival
REPLYING_TO_ID = "replying-to"  # change_form.html: the comment answered, quoted above it
REPLY_URL_ATTR = "data-reply-url"  # a row's Reply link: where the in-place reply box posts
REPLY_FORM_ID = "queue-reply-form"  # change_list.html: the <template> of that box's field

SCRIPT_NAMES = {
    "ROOT_ID": ROOT_ID,
    "CELL_CLASS": CELL_CLASS,
    "ROW_ID_PREFIX": ROW_ID_PREFIX,
    "TEXT_CLASS": TEXT_CLASS,
    "ACTIONS_CLASS": ACTIONS_CLASS,
    "STATE_CELL_CLASS": "field-state",  # Django's class for the `state` column's cells
    "PK_ATTR": PK_ATTR,
    "STATUS_ATTR": STATUS_ATTR,
    "EDIT_URL_ATTR": EDIT_URL_ATTR,
    "KEY_ATTR": KEY_ATTR,
    "MESSAGES_ID": MESSAGES_ID,
    "UNDO_CLASS": UNDO_CLASS,
    "UNDO_URL_ATTR": UNDO_URL_ATTR,
    "KEYS_ID": KEYS_ID,
    "EDITOR_ID": EDITOR_ID,
    "REPLY_BOX_ID": REPLY_BOX_ID,
    "REPLY_FIELD_ID": REPLY_FIELD_ID,
    "REPLYING_TO_ID": REPLYING_TO_ID,
    "REPLY_URL_ATTR": REPLY_URL_ATTR,
    "REPLY_FORM_ID": REPLY_FORM_ID,
}


# Every fragment below is built by `format_html`/`format_html_join` and is safe markup, the
# empty one included: a fragment that is "nothing" is `NOTHING`, never a plain "" (a plain str
# added to markup makes the sum an unsafe str, which the admin then shows escaped).
NOTHING = SafeString("")


# --- URLs of one comment's pages, for every row ----------------------------------------------

PK_MARK = "__pk__"


def row_url(view, pk):
    """`admin:comments_comment_<view>` for one comment: reversed once per script prefix, then
    filled in (a page of 50 rows would otherwise ask for 300 reverses)."""
    return _row_url_template(view, get_script_prefix()).replace(PK_MARK, str(pk))


@lru_cache(maxsize=32)
def _row_url_template(view, prefix):
    return reverse(f"admin:comments_comment_{view}", args=[PK_MARK])


# --- Who is looking: what the row actions depend on -------------------------------------------


@dataclass(frozen=True)
class Viewer:
    """The moderator a page of rows is drawn for: their user, whether they may change comments
    (Reply, Edit), and the query a row's Reply link carries back to this view of the queue."""

    user: object
    may_change: bool
    reply_query: str

    @classmethod
    def of(cls, model_admin, request):
        preserved = model_admin.get_preserved_filters(request)
        query = urlencode({"return_to": RETURN_TO_CHANGELIST})
        return cls(
            user=request.user,
            may_change=model_admin.has_change_permission(request),
            reply_query=f"{query}&{preserved}" if preserved else query,
        )


# The cells' markup, with the script's names filled in once.
COMMENT_CELL = (
    f'<div class="{CELL_CLASS}" id="{ROW_ID_PREFIX}{{pk}}" {PK_ATTR}="{{pk}}" '
    f'{STATUS_ATTR}="{{status}}" {EDIT_URL_ATTR}="{{edit}}">'
    f'<a class="{TEXT_CLASS}" href="{{url}}">{{text}}</a>{{reasons}}{{actions}}</div>'
)
ACTION_BUTTON = (
    f'<button type="submit" form="{ROOT_ID}" formaction="{{}}" name="operation" value="{{}}" '
    f'class="queue-action queue-{{}}" {KEY_ATTR}="{{}}">{{}}</button>'
)
ACTIONS = (
    f'<div class="{ACTIONS_CLASS}" role="group" aria-label="Actions on comment {{}}">'
    "{}{}{}</div>"
)
# Without JavaScript, the change page's reply box; with it, a box in the row posting here.
REPLY_LINK = f'<a href="{{}}?{{}}#{REPLY_BOX_ID}" {REPLY_URL_ATTR}="{{}}">{{}}</a>'


def comment_column(viewer):
    """The queue's first column for `viewer`: the text (a link to the change page), why it was
    held, the row actions."""

    @admin.display(description="comment")
    def comment(obj):
        return format_html(
            COMMENT_CELL,
            pk=obj.pk,
            status=obj.status,
            edit=row_url("edit", obj.pk) if viewer.may_change else "",
            url=row_url("change", obj.pk),
            text=Truncator(obj.body).chars(TEXT_CHARS),
            reasons=reasons(obj),
            actions=actions(obj, viewer),
        )

    return comment


def actions(obj, viewer):
    """The row's buttons, from the operations registry, for what applies to its status; then
    Reply and Edit for those who may change comments."""
    act = row_url("act", obj.pk) + "?" + urlencode({"expected": obj.status})
    buttons = format_html_join(
        "",
        ACTION_BUTTON,
        (
            (act, op.name, op.name, op.key, op.short)
            for op in moderation.OPERATIONS.values()
            if op.short and op.applies(obj) and op.allowed(viewer.user)
        ),
    )
    return format_html(ACTIONS, obj.pk, buttons, reply_link(obj, viewer), edit_link(obj, viewer))


def reply_link(obj, viewer):
    """To the change page's reply box, unless a reply would be refused there."""
    if not viewer.may_change or posting.reply_refusal(obj, by=viewer.user):
        return NOTHING
    return format_html(
        REPLY_LINK,
        row_url("change", obj.pk),
        viewer.reply_query,
        row_url("reply", obj.pk),
        "Approve and reply" if obj.status == Status.PENDING else "Reply",
    )


def edit_link(obj, viewer):
    if not viewer.may_change:
        return NOTHING
    return format_html(' <a class="queue-edit-link" href="{}">Edit</a>', row_url("edit", obj.pk))


def reasons(obj):
    """Why it was held, in words ("First comment from this address", "3 links", "Akismet:
    spam": `verdicts.in_words`); the step's code stays on the label (data-step) for filters."""
    held = held_reasons(obj.screening)
    if not held:
        return NOTHING
    return format_html(
        '<ul class="queue-reasons" aria-label="why held">{}</ul>',
        format_html_join(
            "",
            '<li class="queue-reason" data-step="{}">{}</li>',
            ((step.get("step", "?"), in_words(step)) for step in held),
        ),
    )


# --- The small columns (also the change page's read-only fields) -----------------------------


# The author: name, email and IP as filter links, the commenter's counts, trust and Ban…
author = people.author


@admin.display(description="article", ordering="article__title")
def article_link(obj):
    """The article, and under it the comment this one answers."""
    answered = NOTHING
    if obj.parent_id is not None:
        answered = format_html(
            '<span class="moderation-meta">in reply to {}</span>', parent_link(obj)
        )
    return format_html(
        '<a href="{}">{}</a>{}', obj.article.get_absolute_url(), obj.article.title, answered
    )


@admin.display(description="in reply to")
def in_reply_to(obj):
    return SafeString("–") if obj.parent_id is None else parent_link(obj)


def parent_link(obj):
    """The comment answered: its author, its text on hover, a link to its change page."""
    return format_html(
        '<a href="{}" title="{}">{}</a>',
        row_url("change", obj.parent_id),
        Truncator(obj.parent.body).chars(TITLE_CHARS),
        obj.parent.author_name,
    )


STATE_FACT = '<span class="queue-fact"><span class="queue-fact-label">{}:</span> {}</span>'


@admin.display(description="status", ordering="status")
def state(obj, *, rechecking=False):
    """The queue's column: two labelled facts, "Status: Spam" and "Akismet: ham", then the
    purge date."""
    return format_html(
        "{}{}{}",
        format_html(STATE_FACT, "Status", status_badge(obj)),
        format_html(STATE_FACT, "Akismet", akismet_badge(obj, rechecking)),
        purge(obj),
    )


@admin.display(description="status", ordering="status")
def status_column(obj):
    """The change page's field: the status and the purge date (Akismet has its own box)."""
    return format_html("{}{}", status_badge(obj), purge(obj))


def status_badge(obj):
    return format_html(
        '<span class="status status-{}">{}</span>', obj.status, obj.get_status_display()
    )


def akismet_badge(obj, rechecking=False):
    """Akismet's verdict; "rechecking" while a recheck is queued or due."""
    verdict = obj.akismet_verdict or "none"
    label = obj.get_akismet_verdict_display() if obj.akismet_verdict else "not checked"
    if rechecking or (
        obj.akismet_verdict == Comment.Akismet.UNCHECKED
        and obj.akismet_next_check_at
        and obj.akismet_next_check_at <= timezone.now()
    ):
        verdict, label = "rechecking", "rechecking"
    return format_html('<span class="akismet akismet-{}">{}</span>', verdict, label)


def purge(obj):
    when = purge_date(obj)
    if when is None:
        return NOTHING
    return format_html('<span class="moderation-meta">purged on {}</span>', when.date().isoformat())


@admin.display(description="age", ordering="created_at")
def age(obj):
    return format_html(
        '<time datetime="{}" title="{}">{}</time>',
        obj.created_at.isoformat(),
        obj.created_at.strftime("%Y-%m-%d %H:%M"),
        timesince(obj.created_at, depth=1),
    )


# --- A row for the script ---------------------------------------------------------------------


def row_json(obj, viewer, *, rechecking=False):
    """What static/js/admin-queue.js replaces in a row after an action, an undo or an edit."""
    return {
        "pk": obj.pk,
        "status": obj.status,
        "state_html": state(obj, rechecking=rechecking),
        "actions_html": actions(obj, viewer),
        "text": Truncator(obj.body).chars(TEXT_CHARS),
    }
