"""
The WordPress import in the admin: upload an export, see the report; every run is kept.

Staff need the "Can add WordPress import" permission (comments.add_importrun) to upload, and
"Can view" to read past reports. The import runs in the request: fine for a site of a few
thousand comments; a big site uses `manage.py import_wordpress` (the report is the same).
"""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html

from fitness.articles.demo import records as demo_records
from fitness.articles.demo import removal as demo_removal
from wordpress.importer import import_export
from wordpress.models import ImportRun


class ImportForm(forms.Form):
    export = forms.FileField(label="WordPress export (.xml)")
    dry_run = forms.BooleanField(
        required=False, label="Dry run: show the report, save nothing", initial=False
    )
    remove_demo = forms.BooleanField(
        required=False,
        initial=True,
        label="Remove the demo content first",
        help_text=(
            "This site still holds the demo (its two articles and their comments): removed "
            "before the import, but for anything a person wrote or changed."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not demo_records.is_loaded():
            del self.fields["remove_demo"]
        self.fields["export"].help_text = (
            "In WordPress: Tools › Export › All content. At most "
            f"{settings.WORDPRESS_IMPORT_MAX_MB} MB here (WORDPRESS_IMPORT_MAX_MB); a larger "
            "export: manage.py import_wordpress. Images are not imported."
        )

    def clean_export(self):
        """Django limits no uploaded file (nginx does, a little above this): the page's own
        limit, said in words rather than a bare 413."""
        export = self.cleaned_data["export"]
        limit = settings.WORDPRESS_IMPORT_MAX_MB
        if export.size > limit * 1024 * 1024:
            raise forms.ValidationError(
                "This export is %(size).1f MB; the import page takes at most %(limit)d MB "
                "(WORDPRESS_IMPORT_MAX_MB). Import it with manage.py import_wordpress, or "
                "raise the limit and nginx's client_max_body_size with it.",
                code="too_large",
                params={"size": export.size / 1024 / 1024, "limit": limit},
            )
        return export


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    list_display = ["created_at", "file_name", "by", "dry_run", "ok", "summary"]
    list_filter = ["ok", "dry_run"]
    date_hierarchy = "created_at"
    list_select_related = ["by"]
    fields = ["created_at", "file_name", "by", "dry_run", "ok", "report_text"]
    readonly_fields = fields

    @admin.display(description="result")
    def summary(self, run):
        lines = run.report.splitlines()
        return " · ".join(lines[1:3]) if len(lines) > 2 else run.report[:200]

    @admin.display(description="report")
    def report_text(self, run):
        return format_html('<pre class="wordpress-report">{}</pre>', run.report)

    def has_change_permission(self, request, obj=None):
        return False  # a report is a record: read it, never edit it

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = ImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["export"]
            dry_run = form.cleaned_data["dry_run"]
            if form.cleaned_data.get("remove_demo") and not dry_run:
                for line in demo_removal.remove():
                    self.message_user(request, line, messages.INFO)
            report = import_export(upload, dry_run=dry_run, by=request.user, file_name=upload.name)
            run = ImportRun.objects.create(
                by=request.user,
                file_name=upload.name[:255],
                dry_run=dry_run,
                ok=report.ok,
                report=report.text(),
                counts=dict(report.counts),
            )
            level = messages.SUCCESS if report.ok else messages.ERROR
            done = "Dry run done: nothing was saved." if dry_run else "Import done."
            self.message_user(request, report.error or done, level)
            return HttpResponseRedirect(reverse("admin:wordpress_importrun_change", args=[run.pk]))
        context = {
            **self.admin_site.each_context(request),
            "title": "Import from WordPress",
            "form": form,
            "opts": self.model._meta,
            **(extra_context or {}),
        }
        return TemplateResponse(request, "admin/wordpress/import_form.html", context)
