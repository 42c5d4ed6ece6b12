"""
The WordPress import in the admin: upload an export (and the old site's uploads), watch it
go, read the report; every run is kept.

Staff need the "Can add WordPress import" permission (comments.add_importrun) to upload, and
"Can view" to read past reports. The import runs in the request, its progress streamed to the
page as it reads the export (`wordpress.upload`), then the report, the CLI's: fine for a site
of a few thousand comments and its images; a big site uses `manage.py import_wordpress`.
"""

import logging

from django import forms
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import StreamingHttpResponse
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html

from fitness.articles.demo import records as demo_records
from fitness.articles.demo import removal as demo_removal
from wordpress.models import ImportRun
from wordpress.upload import Progress, import_uploaded, is_zip

log = logging.getLogger(__name__)
PROGRESS_MARK = "<!-- progress -->"


class ImportForm(forms.Form):
    export = forms.FileField(label="WordPress export (.xml, or a .zip with the uploads)")
    uploads = forms.FileField(
        label="Uploads (.zip of wp-content/uploads)",
        required=False,
        help_text="",
    )
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
            "export: manage.py import_wordpress. Or one zip of the export and the uploads "
            "together."
        )
        self.fields["uploads"].help_text = (
            "The old site's images: zip the folder wp-content/uploads (its year folders). "
            f"At most {settings.WORDPRESS_UPLOADS_MAX_MB} MB, unpacked too "
            "(WORDPRESS_UPLOADS_MAX_MB); only images are taken, and only those an article or "
            "a page shows become images of the media library. Without it, images keep their "
            "old address."
        )

    def clean_uploads(self):
        uploads = self.cleaned_data.get("uploads")
        if uploads is None:
            return None
        if not is_zip(uploads):
            raise forms.ValidationError(
                "This is not a zip file: zip the folder wp-content/uploads and upload the zip.",
                code="not_a_zip",
            )
        self.refuse_above(uploads, settings.WORDPRESS_UPLOADS_MAX_MB, "WORDPRESS_UPLOADS_MAX_MB")
        return uploads

    def refuse_above(self, file, limit, name):
        if file.size > limit * 1024 * 1024:
            raise forms.ValidationError(
                "This file is %(size).1f MB; the import page takes at most %(limit)d MB here "
                "(%(name)s). Import with manage.py import_wordpress --uploads, or raise the "
                "limit and nginx's client_max_body_size with it.",
                code="too_large",
                params={"size": file.size / 1024 / 1024, "limit": limit, "name": name},
            )

    def clean_export(self):
        """Django limits no uploaded file (nginx does, a little above this): the page's own
        limit, said in words rather than a bare 413."""
        export = self.cleaned_data["export"]
        if is_zip(export):  # the export and the uploads together: the uploads' limit
            self.refuse_above(export, settings.WORDPRESS_UPLOADS_MAX_MB, "WORDPRESS_UPLOADS_MAX_MB")
            return export
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
            data = dict(form.cleaned_data, said=[])
            if data.get("remove_demo") and not data["dry_run"]:
                data["said"] = list(demo_removal.remove())  # shown at the top of the progress
            response = StreamingHttpResponse(
                self.stream_import(request, data),
                content_type="text/html; charset=utf-8",
            )
            response["Cache-Control"] = "private, no-store"
            response["X-Accel-Buffering"] = "no"  # nginx passes each line on as it comes
            return response
        context = {
            **self.admin_site.each_context(request),
            "title": "Import from WordPress",
            "form": form,
            "opts": self.model._meta,
            **(extra_context or {}),
        }
        return TemplateResponse(request, "admin/wordpress/import_form.html", context)

    def stream_import(self, request, data):
        """The progress page, written as the import goes: a line per percent of the export
        read, then the report (the CLI's), kept as an ImportRun."""
        export, dry_run = data["export"], data["dry_run"]
        page = render_to_string(
            "admin/wordpress/import_progress.html",
            {
                **self.admin_site.each_context(request),
                "title": "Importing from WordPress",
                "opts": self.model._meta,
                "file_name": export.name,
            },
            request=request,
        )
        head, _, tail = page.partition(PROGRESS_MARK)
        yield head
        for line in data.get("said", []):
            yield format_html("<p>{}</p>", line)
        report = None
        try:
            for event in import_uploaded(
                export, data.get("uploads"), dry_run=dry_run, by=request.user
            ):
                if isinstance(event, Progress):
                    yield render_to_string("admin/wordpress/import_step.html", {"step": event})
                else:
                    report = event
        except Exception as error:  # the page has begun: say it there, never a half page
            log.exception("wordpress import failed")
            ImportRun.objects.create(
                by=request.user,
                file_name=export.name[:255],
                dry_run=dry_run,
                ok=False,
                report=f"WordPress import of {export.name}\nERROR: the import stopped on an "
                f"error ({type(error).__name__}); nothing was saved. The server's log says why.",
            )
            yield render_to_string("admin/wordpress/import_done.html", {"failed": True})
            yield tail
            return
        run = ImportRun.objects.create(
            by=request.user,
            file_name=export.name[:255],
            dry_run=dry_run,
            ok=report.ok,
            report=report.text(),
            counts=dict(report.counts),
        )
        yield render_to_string(
            "admin/wordpress/import_done.html",
            {
                "run": run,
                "report": report,
                "run_url": reverse("admin:wordpress_importrun_change", args=[run.pk]),
            },
        )
        yield tail
