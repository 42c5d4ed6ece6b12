"""
Privacy in the comment admin: answer a commenter's request for their data, and see what the
retention job has scrubbed. Plain functions, added to CommentAdmin in comments/admin/comment.py:

    actions = [..., export_commenter_data_action, erase_commenter_data_action]
    list_filter = [..., ScrubbedFilter]
    list_display = [..., scrubbed]

Both actions work on the email addresses of the selected comments, so one selected comment
is enough to export or erase everything its author wrote under that address.

They are a separate duty from moderating: they need `comments.handle_privacy_requests` (the
"Privacy" group, or a superuser), which the Moderators group does not have. An address that
belongs to a staff member is never erased by these actions (a staff member's replies are the
site's own words; their account is handled in the user admin).
"""

import json

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.auth import get_user_model
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Q
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import ngettext

from comments.models import Comment
from comments.services.data_export import export_commenter_data
from comments.services.privacy import erase_commenter_data

CONFIRM_TEMPLATE = "admin/comments/confirm_erasure.html"
PRIVACY_PERMISSION = "comments.handle_privacy_requests"


def has_privacy_permission(modeladmin, request):
    """The `privacy` action permission: CommentAdmin.has_privacy_permission calls this."""
    return request.user.has_perm(PRIVACY_PERMISSION)


def staff_emails(emails):
    """Those of `emails` that belong to a staff member: a staff account's address, or the
    address of a comment a staff account wrote."""
    if not emails:
        return set()
    users = get_user_model().objects.filter(is_staff=True)
    match = Q()
    for email in emails:
        match |= Q(email__iexact=email)
    found = {email.strip().lower() for email in users.filter(match).values_list("email", flat=True)}
    by_staff = Comment.objects.filter(user__is_staff=True, author_email__in=emails)
    found |= {e.strip().lower() for e in by_staff.values_list("author_email", flat=True)}
    return found & set(emails)


def selected_emails(queryset):
    """The distinct addresses (letter case ignored) of the selected comments, sorted."""
    emails = queryset.exclude(author_email="").values_list("author_email", flat=True)
    return sorted({email.strip().lower() for email in emails})


def _no_address(modeladmin, request):
    modeladmin.message_user(
        request,
        "None of the selected comments has an email address (erased ones have none left).",
        messages.WARNING,
    )


@admin.action(
    description="Export commenter data (JSON) for the selected comments' email addresses",
    permissions=["privacy"],
)
def export_commenter_data_action(modeladmin, request, queryset):
    emails = selected_emails(queryset)
    if not emails:
        return _no_address(modeladmin, request)
    data = {
        "exported_at": timezone.now(),
        "commenters": [export_commenter_data(email) for email in emails],
    }
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False),
        content_type="application/json; charset=utf-8",
    )
    filename = f"commenter-data-{timezone.now():%Y%m%d-%H%M%S}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@admin.action(
    description="Erase commenter data for the selected comments' email addresses",
    permissions=["privacy"],
)
def erase_commenter_data_action(modeladmin, request, queryset):
    emails = selected_emails(queryset)
    staff = staff_emails(emails)
    if staff:
        modeladmin.message_user(
            request,
            ngettext(
                "Not erased: %(emails)s belongs to a staff member.",
                "Not erased: %(emails)s belong to staff members.",
                len(staff),
            )
            % {"emails": ", ".join(sorted(staff))},
            messages.ERROR,
        )
        emails = [email for email in emails if email not in staff]
        if not emails:
            return None
    if not emails:
        return _no_address(modeladmin, request)
    if request.POST.get("post") == "yes":
        remove_text = request.POST.get("remove_text") == "on"
        erased = sum(
            erase_commenter_data(email, remove_text=remove_text, by=request.user)
            for email in emails
        )
        modeladmin.message_user(
            request,
            ngettext(
                "Erased the personal data of %(count)d comment from %(people)d address (%(text)s).",
                "Erased the personal data of %(count)d comments from %(people)d address(es) "
                "(%(text)s).",
                erased,
            )
            % {
                "count": erased,
                "people": len(emails),
                "text": "text removed" if remove_text else "text kept",
            },
            messages.SUCCESS,
        )
        return None
    commenters = [(email, Comment.objects.by_email(email).count()) for email in emails]
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": "Erase commenter data?",
        "opts": modeladmin.model._meta,
        "commenters": commenters,
        "total": sum(count for _, count in commenters),
        "selected": request.POST.getlist(helpers.ACTION_CHECKBOX_NAME),
        "select_across": request.POST.get("select_across", "0"),
        "action": request.POST.get("action", "erase_commenter_data_action"),
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
    }
    return TemplateResponse(request, CONFIRM_TEMPLATE, context)


class ScrubbedFilter(admin.SimpleListFilter):
    """Personal data: kept (still there), scrubbed (by retention), erased (on request)."""

    title = "personal data"
    parameter_name = "personal_data"

    def lookups(self, request, model_admin):
        return [("kept", "Kept"), ("scrubbed", "Scrubbed"), ("erased", "Erased")]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "kept":
            return queryset.filter(scrubbed_at__isnull=True, erased_at__isnull=True)
        if value == "scrubbed":
            return queryset.filter(scrubbed_at__isnull=False, erased_at__isnull=True)
        if value == "erased":
            return queryset.filter(erased_at__isnull=False)
        return queryset


@admin.display(description="personal data", ordering="scrubbed_at")
def scrubbed(obj):
    """Whether IP, user agent and referrer are still stored, with the date they went."""
    if obj.erased_at:
        state, when = "erased", obj.erased_at
    elif obj.scrubbed_at:
        state, when = "scrubbed", obj.scrubbed_at
    else:
        return format_html('<span class="personal-data personal-data-kept">{}</span>', "kept")
    return format_html(
        '<span class="personal-data personal-data-{}" title="{}">{} {}</span>',
        state,
        when.isoformat(),
        state,
        when.date().isoformat(),
    )
