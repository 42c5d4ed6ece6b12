"""The user admin with invitations (the "Send invitation" action, a button on a user's page, a
tick box when adding a user without a password, the latest invitation's state in the list and
on the page) and the display-name page every staff member may open for themselves."""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth import admin as auth_admin
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from fitness.accounts import invitations, mail, names
from fitness.accounts.forms import DisplayNameForm, UserCreationForm
from fitness.accounts.models import Invitation

User = get_user_model()

admin.site.unregister(User)


@admin.register(User)
class UserAdmin(auth_admin.UserAdmin):
    add_form = UserCreationForm
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "username",
                    "email",
                    "usable_password",
                    "password1",
                    "password2",
                    "send_invitation",
                ),
            },
        ),
    )
    list_display = ("username", "email", "first_name", "last_name", "is_staff", "invitation")
    readonly_fields = ("invitation",)
    actions = ["send_invitations"]
    change_form_template = "admin/accounts/user/change_form.html"

    def get_queryset(self, request):
        latest_first = Invitation.objects.select_related("invited_by").order_by("-sent_at", "-pk")
        return (
            super()
            .get_queryset(request)
            .prefetch_related(Prefetch("invitations", queryset=latest_first))
        )

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            return fieldsets
        return (*fieldsets, ("Invitation", {"fields": ("invitation",)}))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        user = self.get_object(request, unquote(object_id))
        invitable = user is not None and not invitations.refusal(user)
        extra_context = {**(extra_context or {}), "invitable": invitable}
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.display(description="Invitation")
    def invitation(self, user):
        return invitations.status(user) or "—"

    def get_urls(self):
        return [
            path(
                "display-name/",
                self.admin_site.admin_view(self.display_name_view),
                name="auth_user_display_name",
            ),
            path(
                "<id>/invite/",
                self.admin_site.admin_view(require_POST(self.invite_view)),
                name="auth_user_invite",
            ),
            *super().get_urls(),
        ]

    # --- invitations

    @admin.action(description="Send invitation (to choose a password)", permissions=["change"])
    def send_invitations(self, request, queryset):
        self.invite(request, list(queryset))

    def invite_view(self, request, id):
        user = self.get_object(request, unquote(id))  # None for an id that is no number too
        if user is None:
            raise Http404
        if not self.has_change_permission(request, user):
            raise PermissionDenied
        self.invite(request, [user])
        return HttpResponseRedirect(reverse("admin:auth_user_change", args=[user.pk]))

    def invite(self, request, users):
        """Email each an invitation over one connection; say what was sent and what was not."""
        refused = [(user, invitations.refusal(user)) for user in users]
        ready = [user for user, reason in refused if not reason]
        sent = []
        if ready:
            try:
                with mail.connection() as connection:
                    for user in ready:
                        invitations.send_invitation(user, by=request.user, connection=connection)
                        sent.append(user)
                        # The user's History, and the index's "Recent actions", tell it too.
                        self.log_change(request, user, "Sent an invitation to choose a password.")
            except mail.MailUnavailable as unavailable:
                self.message_user(request, str(unavailable), messages.ERROR)
        if sent:
            self.message_user(
                request,
                ngettext(
                    "Invitation sent to %(names)s.",
                    "Invitations sent to %(names)s.",
                    len(sent),
                )
                % {"names": ", ".join(f"{u.get_username()} ({u.email})" for u in sent)},
                messages.SUCCESS,
            )
        for user, reason in refused:
            if reason:
                self.message_user(
                    request, f"Not invited: {user.get_username()}: {reason}.", messages.WARNING
                )

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change and form.cleaned_data.get("send_invitation"):
            self.invite(request, [obj])

    # --- the display name

    def display_name_view(self, request):
        """Any staff member's own first and last name (what their articles are signed with)."""
        user = request.user
        if not user.is_active:
            raise Http404
        initial = {} if user.get_full_name().strip() else names.suggested_name(user)
        form = DisplayNameForm(request.POST or None, instance=user, initial=initial)
        if request.method == "POST" and form.is_valid():
            form.save()
            self.message_user(
                request,
                f"Your articles are now signed “By {user.get_full_name()}”.",
                messages.SUCCESS,
            )
            return HttpResponseRedirect(reverse("admin:index"))
        context = {
            **self.admin_site.each_context(request),
            "title": "Your display name",
            "form": form,
            "signed_as": user.get_full_name() or user.get_username(),
        }
        return TemplateResponse(request, "admin/accounts/display_name.html", context)
