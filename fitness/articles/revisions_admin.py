"""
The editor keeps the writer's work, for articles and pages alike: autosave while typing, a
revision on every save, a revision shown beside the article or page as it is now, and one-click
restore.

`RevisionsMixin` goes on the ArticleAdmin and the PageAdmin (the model must be one that
`Revision` keeps: fitness/articles/models/revisions.py). Its pages, named after the model
(`admin:fitness_article_autosave`, `admin:fitness_page_autosave`, ...):
- `<id>/autosave/` (POST, from static/js/admin-autosave.js every few seconds of typing): the
  writer's unsaved text (the kept fields), one row per writer and object; `discard=1` drops it.
- `<id>/revisions/`: every revision, newest first, each against the object as it is now.
- `<id>/revisions/<n>/`: one revision beside the object now (GET), restored by a POST.
Each asks what the change page asks: the object found through the admin's queryset (else 404)
and the permission to change it (else 403). The change page says when this writer has autosaved
text newer than the object (and the script offers to put it back; the browser also keeps a
copy, for an article or page not saved yet).
"""

import difflib

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from fitness.articles.models import Revision
from fitness.articles.models.revisions import kept_fields

REVISIONS_PER_PAGE = 100


def compared(revision, current):
    """Per kept field of `current` (an article or a page) that differs in `revision`: its name
    and rows of (old line, new line, change), where change is "same", "removed", "added" or
    "changed" (a side-by-side diff by lines)."""
    fields = []
    for name in kept_fields(current):
        old, new = getattr(revision, name).splitlines(), getattr(current, name).splitlines()
        if old == new:
            continue
        rows = []
        matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
        for tag, a0, a1, b0, b1 in matcher.get_opcodes():
            if tag == "equal":
                rows += [(line, line, "same") for line in old[a0:a1]]
                continue
            left, right = old[a0:a1], new[b0:b1]
            for n in range(max(len(left), len(right))):
                before = left[n] if n < len(left) else None
                after = right[n] if n < len(right) else None
                change = "changed" if before is not None and after is not None else (
                    "removed" if after is None else "added"
                )  # fmt: skip
                rows.append((before, after, change))
        fields.append({"name": name, "rows": rows})
    return fields


class RevisionsMixin:
    change_form_template = "admin/fitness/revisions/change_form.html"

    def _url_name(self, view):
        return f"{self.opts.app_label}_{self.opts.model_name}_{view}"

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/autosave/",
                view(require_POST(self.autosave_view)),
                name=self._url_name("autosave"),
            ),
            path(
                "<path:object_id>/revisions/",
                view(self.revisions_view),
                name=self._url_name("revisions"),
            ),
            path(
                "<path:object_id>/revisions/<int:revision_id>/",
                view(self.revision_view),
                name=self._url_name("revision"),
            ),
            *super().get_urls(),
        ]

    def _editable(self, request, object_id):
        obj = self.get_object(request, object_id)
        if obj is None:
            raise Http404(f"No such {self.opts.verbose_name}.")
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        return obj

    def autosave_view(self, request, object_id):
        obj = self._editable(request, object_id)
        if request.POST.get("discard"):
            Revision.objects.of(obj).autosaves().filter(by=request.user).delete()
            return JsonResponse({"discarded": True})
        text = {name: request.POST.get(name, "") for name in kept_fields(obj)}
        revision = Revision.autosave(obj, request.user, **text)
        return JsonResponse({"saved_at": revision.created_at.isoformat()})

    def revisions_view(self, request, object_id):
        obj = self._editable(request, object_id)
        revisions = Revision.objects.of(obj).saved().select_related("by")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Revisions of “{obj.title}”",
            "original": obj,
            "revisions": revisions[:REVISIONS_PER_PAGE],
            "autosave": self._autosave(request, obj),
        }
        return TemplateResponse(request, "admin/fitness/revisions/list.html", context)

    def revision_view(self, request, object_id, revision_id):
        obj = self._editable(request, object_id)
        revision = get_object_or_404(Revision.objects.of(obj).select_related("by"), pk=revision_id)
        if revision.kind == Revision.Kind.AUTOSAVE and revision.by_id != request.user.pk:
            raise Http404("No such revision.")
        if request.method == "POST":
            revision.restore(request.user)
            messages.success(
                request,
                f"Restored the text of {revision.created_at:%B %-d, %Y, %H:%M}. "
                "The text it replaced is kept as a revision too.",
            )
            return HttpResponseRedirect(reverse(f"admin:{self._url_name('change')}", args=[obj.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"{revision.get_kind_display()} text of “{obj.title}”",
            "original": obj,
            "revision": revision,
            "fields": compared(revision, obj),
        }
        return TemplateResponse(request, "admin/fitness/revisions/revision.html", context)

    def _autosave(self, request, obj):
        """This writer's autosaved text of `obj`, when it is newer than `obj`."""
        return (
            Revision.objects.of(obj)
            .autosaves()
            .filter(by=request.user, created_at__gt=obj.updated_at)
            .order_by("-created_at")
            .first()
        )

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        """The add and change pages, with the autosave's place for who may write here: the
        fields the script keeps (`kept_fields`: the model's, as a revision keeps them) and, for
        a saved object, its revision count and this writer's newer autosave."""
        may_write = (
            self.has_add_permission(request)
            if obj is None
            else self.has_change_permission(request, obj)
        )
        if may_write:
            context["kept_fields"] = kept_fields(self.model)
        if may_write and obj is not None:
            autosave = self._autosave(request, obj)
            context["autosave"] = autosave
            if autosave is not None:  # for the script's offer to put it back
                context["autosave_data"] = {
                    **autosave.kept(),
                    "at": autosave.created_at.isoformat(),
                }
            context["revision_count"] = Revision.objects.of(obj).saved().count()
        return super().render_change_form(request, context, add, change, form_url, obj)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        Revision.record(obj, request.user)
