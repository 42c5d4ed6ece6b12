"""
The article editor keeps the writer's work: autosave while typing, a revision on every save,
a revision shown beside the article as it is now, and one-click restore.

`RevisionsMixin` goes on the ArticleAdmin. Its pages:
- `<id>/autosave/` (POST, from static/js/admin-autosave.js every few seconds of typing): the
  writer's unsaved title, excerpt and body, one row per writer and article; `discard=1` drops it.
- `<id>/revisions/`: every revision, newest first, each against the article as it is now.
- `<id>/revisions/<n>/`: one revision beside the article now (GET), restored by a POST.
The change page says when this writer has autosaved text newer than the article (and the script
offers to put it back; the browser also keeps a copy, for articles not saved yet).
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
from fitness.articles.models.revisions import KEPT_FIELDS

REVISIONS_PER_PAGE = 100


def compared(revision, article):
    """Per kept field that differs: its name and rows of (old line, new line, change), where
    change is "same", "removed", "added" or "changed" (a side-by-side diff by lines)."""
    fields = []
    for name in KEPT_FIELDS:
        old, new = getattr(revision, name).splitlines(), getattr(article, name).splitlines()
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
    change_form_template = "admin/fitness/article/change_form.html"

    def get_urls(self):
        view = self.admin_site.admin_view
        prefix = f"{self.opts.app_label}_{self.opts.model_name}"
        return [
            path(
                "<path:object_id>/autosave/",
                view(require_POST(self.autosave_view)),
                name=f"{prefix}_autosave",
            ),
            path(
                "<path:object_id>/revisions/",
                view(self.revisions_view),
                name=f"{prefix}_revisions",
            ),
            path(
                "<path:object_id>/revisions/<int:revision_id>/",
                view(self.revision_view),
                name=f"{prefix}_revision",
            ),
            *super().get_urls(),
        ]

    def _editable(self, request, object_id):
        article = self.get_object(request, object_id)
        if article is None:
            raise Http404("No such article.")
        if not self.has_change_permission(request, article):
            raise PermissionDenied
        return article

    def autosave_view(self, request, object_id):
        article = self._editable(request, object_id)
        if request.POST.get("discard"):
            Revision.objects.filter(
                article=article, kind=Revision.Kind.AUTOSAVE, by=request.user
            ).delete()
            return JsonResponse({"discarded": True})
        text = {name: request.POST.get(name, "") for name in KEPT_FIELDS}
        revision = Revision.autosave(article, request.user, **text)
        return JsonResponse({"saved_at": revision.created_at.isoformat()})

    def revisions_view(self, request, object_id):
        article = self._editable(request, object_id)
        revisions = article.revisions.filter(kind=Revision.Kind.SAVED).select_related("by")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Revisions of “{article.title}”",
            "article": article,
            "revisions": revisions[:REVISIONS_PER_PAGE],
            "autosave": self._autosave(request, article),
        }
        return TemplateResponse(request, "admin/fitness/article/revisions.html", context)

    def revision_view(self, request, object_id, revision_id):
        article = self._editable(request, object_id)
        revision = get_object_or_404(article.revisions.select_related("by"), pk=revision_id)
        if revision.kind == Revision.Kind.AUTOSAVE and revision.by_id != request.user.pk:
            raise Http404("No such revision.")
        if request.method == "POST":
            revision.restore(request.user)
            messages.success(
                request,
                f"Restored the text of {revision.created_at:%B %-d, %Y, %H:%M}. "
                "The text it replaced is kept as a revision too.",
            )
            change = f"admin:{self.opts.app_label}_{self.opts.model_name}_change"
            return HttpResponseRedirect(reverse(change, args=[article.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"{revision.get_kind_display()} text of “{article.title}”",
            "article": article,
            "revision": revision,
            "fields": compared(revision, article),
        }
        return TemplateResponse(request, "admin/fitness/article/revision.html", context)

    def _autosave(self, request, article):
        """This writer's autosaved text of the article, when it is newer than the article."""
        return (
            article.revisions.filter(
                kind=Revision.Kind.AUTOSAVE, by=request.user, created_at__gt=article.updated_at
            )
            .order_by("-created_at")
            .first()
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = dict(extra_context or {})
        article = self.get_object(request, object_id)
        if article is not None and self.has_change_permission(request, article):
            autosave = self._autosave(request, article)
            extra_context["autosave"] = autosave
            if autosave is not None:  # for the script's offer to put it back
                extra_context["autosave_data"] = {
                    **autosave.kept(),
                    "at": autosave.created_at.isoformat(),
                }
            extra_context["revision_count"] = article.revisions.filter(
                kind=Revision.Kind.SAVED
            ).count()
        return super().change_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        Revision.record(obj, request.user)
