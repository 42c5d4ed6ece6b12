"""
The article admin for the Authors group: each author writes, edits, publishes and deletes their
own articles, and sees nobody else's. Editors (superusers, or `fitness.edit_any_article`) see
and change every article. `ArticleAdmin` mixes this in; the rules themselves are
`ArticleQuerySet.editable_by` and `can_edit_any_article` (fitness/articles/models/articles.py).
"""

from fitness.articles.models import can_edit_any_article


class OwnArticlesOnly:
    """ModelAdmin mixin: the queryset, object permissions and the author field for authors."""

    def get_queryset(self, request):
        return super().get_queryset(request).editable_by(request.user)

    def _may_touch(self, request, obj):
        return (
            obj is None or can_edit_any_article(request.user) or (obj.author_id == request.user.pk)
        )

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self._may_touch(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._may_touch(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._may_touch(request, obj)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not can_edit_any_article(request.user):
            fields.append("author")
        return fields

    def get_changeform_initial_data(self, request):
        return {"author": request.user.pk, **super().get_changeform_initial_data(request)}

    def save_model(self, request, obj, form, change):
        # On a change the author field is read-only for them: the form cannot alter it.
        if not change and not can_edit_any_article(request.user):
            obj.author = request.user
        super().save_model(request, obj, form, change)
