"""
The queue's Reported view: each reported comment's open reports (how many, from how many
networks, the reasons, the readers' notes, an illegal-content notice's explanation), in one
column drawn from reports prefetched with the page (one query for the whole page), and the
change page's list of a comment's reports. Moderators see who sent a notice on the change page;
the comment's writer never does (comments.services.data_export leaves reports out of their export).
"""

from collections import Counter

from django.contrib import admin
from django.db.models import Prefetch
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator

from comments.models import CommentReport

VIEW = "reported"  # the status filter's value for this view: ?status=reported
PREFETCHED = "open_reports"  # where `with_open_reports` puts each comment's open reports
NOTE_CHARS = 300


def with_open_reports(queryset):
    """The page's comments, each with its open reports (one more query for the page)."""
    return queryset.prefetch_related(
        Prefetch(
            "reports",
            queryset=CommentReport.objects.open().order_by("created_at", "pk"),
            to_attr=PREFETCHED,
        )
    )


def summary(open_reports):
    """(count, networks, [(reason label, n)], [notes], [explanations]) of a comment's reports."""
    reasons = Counter(report.get_reason_display() for report in open_reports)
    networks = {report.network for report in open_reports if report.network}
    notes = [report.note for report in open_reports if report.note]
    explanations = [report.explanation for report in open_reports if report.explanation]
    return len(open_reports), len(networks), reasons.most_common(), notes, explanations


@admin.display(description="reports")
def reports_column(obj):
    """How many, from how many networks, why; the notes readers wrote, quoted."""
    open_reports = getattr(obj, PREFETCHED, None) or []
    if not open_reports:
        return "–"
    count, networks, reasons, notes, explanations = summary(open_reports)
    quoted = [("Note", note) for note in notes] + [("Why illegal", text) for text in explanations]
    return format_html(
        '<div class="queue-reports"><strong>{} report{}</strong>'
        '<span class="moderation-meta">from {} network{}</span>'
        '<ul class="queue-report-reasons">{}</ul>{}</div>',
        count,
        "" if count == 1 else "s",
        networks,
        "" if networks == 1 else "s",
        format_html_join("", "<li>{} ({})</li>", reasons),
        format_html(
            '<ul class="queue-report-notes">{}</ul>',
            format_html_join(
                "",
                "<li><span class='moderation-meta'>{}:</span> “{}”</li>",
                ((label, Truncator(text).chars(NOTE_CHARS)) for label, text in quoted),
            ),
        )
        if quoted
        else "",
    )


def comment_reports(comment):
    """Every report on the comment, newest first, for its change page (with who decided)."""
    return comment.reports.select_related("decided_by").order_by("-created_at", "-pk")
