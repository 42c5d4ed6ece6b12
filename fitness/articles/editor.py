"""
The article editor in the admin: a live preview of the body as readers will see it, the media
library beside it (pick an image or upload one without leaving the article, and insert its
Markdown at the cursor), and the sanitiser's warnings after a save.

`ArticleEditorMixin` goes on the ArticleAdmin, `MediaLibraryMixin` on the ImageAdmin; the page's
script is static/js/admin-editor.js (the site's CSP allows no inline script, in the admin too).
Every endpoint is admin-only and asks the permission its action needs: previewing an article
asks to change articles, listing the library to view images, uploading to add one.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import JsonResponse
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import path, reverse
from django.views.decorators.http import require_GET, require_POST

from fitness.articles import images
from fitness.articles.models import ALT_REQUIRED, Image

LIBRARY_PAGE = 24
# The stylesheets of the reader's article page (templates/base.html, article_detail.html): the
# preview is drawn with them, inside a shadow root, so the admin's styles do not leak in.
READER_STYLESHEETS = ["css/bootstrap.site.css", "css/site.css", "css/preview.css"]


class BodyEditor(forms.Textarea):
    """The body's textarea, with the preview and the media library beside it."""

    def __init__(self, attrs=None, *, preview_url="admin:fitness_article_preview"):
        super().__init__({"rows": 24, "class": "body-editor-text", **(attrs or {})})
        self.preview_url = preview_url

    def render(self, name, value, attrs=None, renderer=None):
        textarea = super().render(name, value, attrs, renderer)
        return render_to_string(
            "fitness/admin/body_editor.html",
            {
                "textarea": textarea,
                "textarea_id": (attrs or {}).get("id", f"id_{name}"),
                "preview_url": reverse(self.preview_url),
                "library_url": reverse("admin:fitness_image_library"),
                "upload_url": reverse("admin:fitness_image_library_upload"),
                "images_url": reverse("admin:fitness_image_changelist"),
                "stylesheets": " ".join(static(sheet) for sheet in READER_STYLESHEETS),
            },
        )


def image_json(image):
    """What the editor's script needs to show an image and insert it."""
    return {
        "id": image.pk,
        "alt": image.alt,
        "markdown": image.markdown,
        "thumb": image.thumb_url,
        "width": image.width,
        "height": image.height,
        "label": f"{image.alt} ({image.width} × {image.height})",
        # "processing" until its renditions are made (the script asks the library again),
        # "ready", or "failed" (shown from its original; the reason is in the admin).
        "state": image.state,
    }


class ArticleEditorMixin:
    """The editor of an admin whose model has a rendered body (`RenderedBody`: articles,
    pages): the body widget, the preview endpoint, warnings on save."""

    class Media:
        css = {"all": ["css/admin-editor.css"]}
        js = ["js/admin-editor.js"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "body":
            kwargs["widget"] = BodyEditor(preview_url=f"admin:{self.preview_url_name}")
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    @property
    def preview_url_name(self):
        return f"{self.opts.app_label}_{self.opts.model_name}_preview"

    def get_urls(self):
        preview = self.admin_site.admin_view(require_POST(self.preview_view))
        return [path("preview/", preview, name=self.preview_url_name), *super().get_urls()]

    def preview_view(self, request):
        """The body as readers will see it (`render_body`), and what they will not."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        rendered = self.model(body=request.POST.get("body", "")).render_body()
        return JsonResponse({"html": rendered.html, "problems": rendered.problems})

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        for problem in getattr(obj, "body_problems", []):
            messages.warning(request, f"In the body: {problem}")


class ImageForm(forms.ModelForm):
    """An image of the library, as the ImageAdmin and the editor's upload take it. A new file's
    clean original is made (`images.render_original`: upright, without EXIF/GPS, in memory) as
    the last step of validation, so a file Pillow fails on is refused on the form, in words,
    before anything is written; `store_upload` then writes it, and its renditions are made by
    a task, off the request."""

    rendered = None

    class Meta:
        model = Image
        fields = ["file", "alt", "caption", "credit"]
        error_messages = {"alt": {"required": ALT_REQUIRED}}

    def full_clean(self):
        super().full_clean()
        if self.is_bound and not self._errors and "file" in self.changed_data:
            try:
                self.rendered = images.render_original(self.instance.file)
            except ValidationError as refused:
                self.add_error("file", refused)


class MediaLibraryMixin:
    """The ImageAdmin's two endpoints for the editor: the library (recent images, those whose
    alt text or caption matches ?q=, or those of ?ids=1,2: the script asks about images still
    processing until they are ready) and an upload that answers with the new image."""

    def get_urls(self):
        library = self.admin_site.admin_view(require_GET(self.library_view))
        upload = self.admin_site.admin_view(require_POST(self.upload_view))
        return [
            path("library/", library, name="fitness_image_library"),
            path("library/upload/", upload, name="fitness_image_library_upload"),
            *super().get_urls(),
        ]

    def library_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        library = Image.objects.all()
        if ids := request.GET.get("ids", ""):  # the script asks about images being processed
            wanted = [int(pk) for pk in ids.split(",")[:LIBRARY_PAGE] if pk.strip().isdigit()]
            library = library.filter(pk__in=wanted)
        if query := request.GET.get("q", "").strip():
            library = library.filter(alt__icontains=query) | library.filter(
                caption__icontains=query
            )
        return JsonResponse({"images": [image_json(image) for image in library[:LIBRARY_PAGE]]})

    def upload_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = ImageForm(request.POST, request.FILES)
        if not form.is_valid():
            errors = {name: [str(e) for e in errs] for name, errs in form.errors.items()}
            return JsonResponse({"errors": errors}, status=400)
        image = store_upload(form, by=request.user)
        self.log_addition(request, image, [{"added": {}}])
        return JsonResponse({"image": image_json(image)}, status=201)


def store_upload(form, *, by):
    """Save a valid image form's new image: its clean original written, its uploader, and
    (a still picture) "processing" with its renditions queued (fitness/articles/tasks.py)."""
    image = form.save(commit=False)
    if image.uploaded_by_id is None:
        image.uploaded_by = by
    images.store_original(image, form.rendered)
    try:
        with transaction.atomic():
            image.save()
            if image.processing:
                image.queue_renditions()
    except BaseException:
        image.file.storage.delete(image.file.name)
        raise
    return image
