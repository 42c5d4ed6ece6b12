"""The Insights page (`insights/`): each screening rule's record, time to decision, the queue,
each moderator's decisions, readers' reports and the discussion, for a chosen period, read
from the daily rollup (`comments.services.insights_figures`); `?export=moderators` and
`?export=reports&year=YYYY` answer CSV files of the same numbers."""

import datetime

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views import View

from comments.admin import insights as page
from comments.services import insights_figures

MAX_DAYS = 3 * 366
RULE_COLUMNS = [
    ("rule", "Rule"),
    ("held", "Held or spam"),
    ("false_positives", "Then approved"),
    ("rate", "False positive rate"),
    ("missed", "Missed"),
]
SORTS = {  # the rule column's sort: most first, then by name
    "rule": lambda row: row.rule,
    "held": lambda row: (-row.held, row.rule),
    "false_positives": lambda row: (-row.false_positives, row.rule),
    "rate": lambda row: (-(row.false_positive_rate or 0), row.rule),
    "missed": lambda row: (-row.missed, row.rule),
}


class PeriodForm(forms.Form):
    start = forms.DateField(
        label="From", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label="To", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    group = forms.ChoiceField(
        label="Moderators by", choices=[("week", "week"), ("month", "month")], required=False
    )
    year = forms.IntegerField(
        label="Transparency year", required=False, min_value=2000, max_value=9999
    )

    def clean(self):
        data = with_defaults(super().clean())
        if data["start"] > data["end"]:
            raise forms.ValidationError("The period's first day comes after its last.")
        if (data["end"] - data["start"]).days >= MAX_DAYS:
            raise forms.ValidationError("Choose a period of three years at most.")
        return data


def with_defaults(data):
    """The last twelve weeks to today, by week, this year's reports, unless chosen."""
    today = timezone.localdate()
    data["end"] = data.get("end") or today
    data["start"] = data.get("start") or data["end"] - datetime.timedelta(days=12 * 7 - 1)
    data["group"] = data.get("group") or "week"
    data["year"] = data.get("year") or today.year
    return data


class InsightsView(View):
    model_admin = None  # CommentAdmin, given to as_view()
    http_method_names = ["get"]

    def get(self, request):
        admin = self.model_admin
        if not (request.user.is_superuser or admin.has_moderate_permission(request)):
            raise PermissionDenied
        form = PeriodForm(request.GET)
        data = form.cleaned_data if form.is_valid() else with_defaults({})
        figures = insights_figures.figures(data["start"], data["end"], data["group"])
        export = request.GET.get("export")
        if export == "moderators":
            return csv_response(
                page.moderators_csv(figures), f"moderators-{data['start']}-{data['end']}.csv"
            )
        reports_year = insights_figures.reports_year(data["year"])
        if export == "reports":
            return csv_response(
                page.reports_csv(data["year"], reports_year), f"reports-{data['year']}.csv"
            )
        sort = request.GET.get("sort") if request.GET.get("sort") in SORTS else "held"
        figures.rules.sort(key=SORTS[sort])
        without_sort = request.GET.copy()
        without_sort.pop("sort", None)
        without_sort.pop("export", None)
        context = {
            "rule_columns": RULE_COLUMNS,
            "sort": sort,
            "sort_query": without_sort.urlencode(),
            **admin.admin_site.each_context(request),
            "opts": admin.opts,
            "title": "Moderation insights",
            "form": form,
            "period": data,
            "figures": figures,
            "reports_year": reports_year,
            "rules": page.rule_rows(figures.rules, data["start"], data["end"]),
            **page.charts(figures),
            "query": without_sort.urlencode(),
        }
        return TemplateResponse(request, "admin/comments/insights.html", context)


def csv_response(text: str, filename: str) -> HttpResponse:
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
