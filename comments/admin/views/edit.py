"""
A moderator's edit of a comment's text, name and website (`moderation.edit`; never the email):
a page of its own without JavaScript; with it, the queue's inline editor asks for the values
(GET) and saves them (POST), both in JSON.
"""

from django import forms
from django.http import JsonResponse
from django.template.response import TemplateResponse

from comments.admin import actions, cells
from comments.admin.views.base import CommentView, is_fetch
from comments.models import Comment
from comments.services import moderation


class EditForm(forms.ModelForm):
    """The edit page's form, and the fields of the queue's inline editor (its <template>)."""

    author_url = forms.URLField(label="website", required=False, assume_scheme="https")

    class Meta:
        model = Comment
        fields = list(moderation.EDITABLE)
        widgets = {"body": forms.Textarea(attrs={"rows": 6, "cols": 60})}


def inline_editor():
    """The inline editor's fields, drawn once into the queue page for the script to copy into a
    row: their names, labels, kinds and lengths are the form's."""
    form = EditForm(auto_id=f"{cells.EDITOR_ID}-%s")
    form.fields["body"].widget.attrs["rows"] = 4
    return form


class EditView(CommentView):
    """`<id>/edit/`: GET the page (or, for the script, the values); POST saves them."""

    http_method_names = ["get", "post"]

    def has_permission(self):
        may_change = self.model_admin.has_change_permission(self.request, self.object)
        return may_change and super().has_permission()

    def get(self, request, object_id):
        if is_fetch(request):
            return JsonResponse({name: getattr(self.object, name) for name in moderation.EDITABLE})
        return self.page(EditForm(instance=self.object))

    def post(self, request, object_id):
        form = EditForm(request.POST, instance=Comment.objects.get(pk=self.object.pk))
        if not form.is_valid():
            if is_fetch(request):
                return JsonResponse(
                    {"ok": False, "errors": form.errors.get_json_data()}, status=400
                )
            return self.page(form)
        comment = self.object
        values = {name: form.cleaned_data[name] for name in moderation.EDITABLE}
        step = moderation.edit(comment, by=request.user, **values)
        message = "Comment edited." if step else "Nothing was changed."
        undo = actions.remember_undo(request, [step] if step else [], message)
        if step:
            actions.log(self.model_admin, request, [comment], "Edited: " + ", ".join(step["edit"]))
        then = self.next_url() + f"#{cells.ROW_ID_PREFIX}{comment.pk}"
        return self.respond(message, then=then, undo=undo, row=comment)

    def page(self, form):
        request, comment = self.request, self.object
        context = {
            **self.model_admin.admin_site.each_context(request),
            "title": f"Edit the comment by {comment.author_name}",
            "opts": self.model_admin.opts,
            "original": comment,
            "comment": comment,
            "form": form,
            "next": request.GET.get("next") or request.POST.get("next") or "",
        }
        return TemplateResponse(request, "admin/comments/comment/edit.html", context)
