"""
The commenters in the admin: a list (search by email or name, filter by trust) and each one's
page (`profile`), with its own small views (ban, lift, note, trust: `views.people`). Moderators
reach them with the moderation permission; nothing here is added or edited by Django's form.
"""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse

from comments.admin import profile, views
from comments.models import Commenter
from comments.services import moderation

PAGE_TEMPLATE = "admin/comments/commenter/page.html"


@admin.register(Commenter)
class CommenterAdmin(admin.ModelAdmin):
    list_display = ["__str__", "name", "trust", "first_seen", "last_seen"]
    list_filter = ["trust"]
    search_fields = ["email", "name", "key"]
    ordering = ["-last_seen"]
    show_full_result_count = False

    class Media:
        css = {"all": ["css/admin-moderation.css", "css/admin-people.css"]}

    def has_moderate_permission(self, request):
        return request.user.has_perm(moderation.MODERATE_PERMISSION)

    def has_view_permission(self, request, obj=None):
        return self.has_moderate_permission(request)

    def has_change_permission(self, request, obj=None):
        return self.has_moderate_permission(request)

    def has_add_permission(self, request):
        return False  # a commenter comes from their first comment

    def has_delete_permission(self, request, obj=None):
        return False  # erasure (the privacy duty) removes a commenter, nothing else

    def has_module_permission(self, request):
        return self.has_moderate_permission(request)

    def get_urls(self):
        return [*views.commenter_urls(self), *super().get_urls()]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if not self.has_view_permission(request):
            raise PermissionDenied
        commenter = self.get_object(request, object_id)
        if commenter is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        context = {
            **self.admin_site.each_context(request),
            **profile.page_context(self, request, commenter),
            "title": str(commenter),
            "opts": self.opts,
            "original": commenter,
            "media": self.media,
        }
        return TemplateResponse(request, PAGE_TEMPLATE, context)
