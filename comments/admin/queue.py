"""
The queue page (the comment changelist): its status filter (with the Reported view: comments
with open readers' reports, whatever their status), its keys, and the server's facts its
script reads (static/js/admin-queue.js).

The script hard-codes none of them: it reads `script_facts()` from the data attributes of the
row buttons' form (change_list.html), copies the inline editor's fields from a <template> drawn
from `EditForm`, and finds each row's keys on its buttons (`data-key`, from the operations
registry). tests/comments/admin/test_script.py holds the script and these together.
"""

from django.conf import settings as django_settings
from django.contrib import admin
from django.contrib.admin.views.main import SEARCH_VAR, ChangeList

from comments.admin import actions, people, reported
from comments.admin.views import REPLY_FIELD, inline_editor
from comments.admin.views.base import FETCH_HEADER, FETCH_VALUE
from comments.conf import settings as comments_settings
from comments.models import Comment
from comments.screening import akismet
from comments.services import moderation, reports
from comments.services.counts import status_counts

Status = Comment.Status


def searching(request):
    """A search is on: it looks in every status, whichever status the moderator was viewing."""
    return bool(request.GET.get(SEARCH_VAR, "").strip())


class StatusFilter(admin.SimpleListFilter):
    """Status with counts, "Pending (12)"; pending is the default view, "All" shows everything,
    "Reported (3)" the comments readers have reported and no moderator has decided on yet.
    A search looks in every status ("All" is then the one shown selected); choosing a status
    leaves the search."""

    title = "status"
    parameter_name = "status"
    default = Status.PENDING
    everything = "all"
    reported_view = reported.VIEW

    def __init__(self, request, params, model, model_admin):
        self.searching = searching(request)
        super().__init__(request, params, model, model_admin)

    def lookups(self, request, model_admin):
        counts = status_counts()
        request.comment_status_counts = counts  # the paginator reuses the held count
        return [
            *((value, f"{label} ({counts.get(value, 0)})") for value, label in Status.choices),
            (self.reported_view, f"Reported ({reports.reported_comments_count()})"),
        ]

    def value(self):
        if self.searching:
            return self.everything
        return super().value() or self.default

    def queryset(self, request, queryset):
        # Every view counts each row's open reports in its own query: "Dismiss reports" is
        # offered by that count (moderation.OPERATIONS).
        queryset = queryset.with_open_report_counts()
        value = self.value()
        if value in Status.values:
            return queryset.filter(status=value)
        if value == self.reported_view:
            return reported.with_open_reports(queryset.reported())
        return queryset

    def choices(self, changelist):
        yield {
            "selected": self.value() == self.everything,
            "query_string": changelist.get_query_string({self.parameter_name: self.everything}),
            "display": "All",
        }
        for value, label in self.lookup_choices:
            yield {
                "selected": self.value() == value,
                "query_string": changelist.get_query_string(
                    {self.parameter_name: value}, remove=[SEARCH_VAR]
                ),
                "display": label,
            }


class QueueChangeList(ChangeList):
    """Django's changelist, whose rows know their commenter's standing (counts, trust) from one
    query for the whole page (`people.attach_standings`)."""

    def get_results(self, request):
        super().get_results(request)
        people.attach_standings(self.result_list)  # evaluates the page once; rows are cached


def extra_columns(request):
    """The columns a view adds after the queue's own: the Reported view, the reports."""
    if request.GET.get(StatusFilter.parameter_name) == StatusFilter.reported_view:
        return [reported.reports_column]
    return []


def held_count(request):
    """The number of held comments the status filter has just counted, when the page shows
    exactly them (no search, no other filter); else None."""
    counts = getattr(request, "comment_status_counts", None)
    plain = set(request.GET) <= {StatusFilter.parameter_name, "o", "p"}
    shown = request.GET.get(StatusFilter.parameter_name, StatusFilter.default)
    if counts and plain and shown == Status.PENDING:
        return counts[Status.PENDING]
    return None


# --- Keys ---------------------------------------------------------------------------------------

# The queue's own keys: {name: (key, what the "?" list says)}. An operation's key is its
# registry entry's (`Operation.key`), written on its row button as data-key.
KEYS = {
    "next": ("j", "next comment"),
    "previous": ("k", "previous comment"),
    "select": ("x", "select it"),
    "all": (
        "*",
        "select every open row of the page (again: none); while rows are selected, an "
        "action's key acts on all of them, undone as one",
    ),
    "reply": ("r", "reply in the row (approves a held comment); Ctrl+Enter sends"),
    "edit": ("e", "edit"),
    "undo": ("z", "undo"),
    "help": ("?", "show this list"),
}
MOVES = ("next", "previous", "select", "all")


def keyboard_shortcuts():
    """The "?" list: J/K/X/*, the operations' keys, the author's (B, P), R, E, Z, ?."""
    operations = [(op.key, op.short) for op in moderation.OPERATIONS.values() if op.key]
    own = [(name, KEYS[name]) for name in KEYS]
    return [
        *(shortcut for name, shortcut in own if name in MOVES),
        *operations,
        *people.KEYS.values(),
        *(shortcut for name, shortcut in own if name not in MOVES),
    ]


def hint_keys():
    """The keys the line under the queue names: {"next": "j", ..., "approve": "a", ...}."""
    operations = {op.name: op.key for op in moderation.OPERATIONS.values() if op.key}
    return {**{name: key for name, (key, _) in KEYS.items()}, **operations}


# --- The script's facts ------------------------------------------------------------------------


def script_facts():
    """{data attribute (without "data-"): value} on the row buttons' form, for the script."""
    csrf_header = django_settings.CSRF_HEADER_NAME.removeprefix("HTTP_").replace("_", "-")
    return {
        "fetch-header": FETCH_HEADER,
        "fetch-value": FETCH_VALUE,
        "csrf-header": csrf_header,
        "status-param": StatusFilter.parameter_name,
        "status-default": StatusFilter.default,
        "status-all": StatusFilter.everything,
        "search-param": SEARCH_VAR,
        **{f"key-{name}": key for name, (key, _) in KEYS.items()},
    }


def page_context(request):
    """What the queue's template adds to Django's changelist."""
    return {
        "title": "Moderation queue",
        "akismet_warnings": akismet.owner_warnings(),
        "undo_offer": actions.undo_offer(request),
        "keyboard_shortcuts": keyboard_shortcuts(),
        "queue_keys": hint_keys(),
        "queue_facts": script_facts(),
        "queue_editor": inline_editor(),
        "searching_every_status": searching(request),
        # the reply box a row opens (the script copies it from a <template>)
        "queue_reply": {"field": REPLY_FIELD, "max_length": comments_settings.COMMENTS_MAX_LENGTH},
    }
