from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db.models import Q

from fitness.accounts import tasks


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's form, its email sent in the background (fitness/accounts/tasks.py), also to an
    invited account that has not chosen a password yet (an expired invitation is no dead
    end)."""

    def get_users(self, email):
        User = get_user_model()
        email_field = User.get_email_field_name()
        candidates = User._default_manager.filter(
            Q(invitations__accepted_at=None, invitations__isnull=False)
            | ~Q(password__startswith=UNUSABLE_PASSWORD_PREFIX),
            **{f"{email_field}__iexact": email, "is_active": True},
        ).distinct()
        return (
            user
            for user in candidates
            if auth_forms._unicode_ci_compare(email, getattr(user, email_field))
        )

    def save(self, **kwargs):
        for user in self.get_users(self.cleaned_data["email"]):
            tasks.schedule_password_reset(user)


class DisplayNameForm(forms.ModelForm):
    class Meta:
        model = get_user_model()
        fields = ["first_name", "last_name"]
        help_texts = {
            "first_name": "Your articles are signed with your first and last name.",
        }

    def clean(self):
        cleaned = super().clean()
        if not (cleaned.get("first_name", "").strip() or cleaned.get("last_name", "").strip()):
            raise forms.ValidationError(
                "Give a first or a last name (or both): readers see it under your articles.",
                code="required",
            )
        return cleaned


class UserCreationForm(auth_forms.AdminUserCreationForm):
    """The admin's "Add user" form, with an email address and, for an account without a
    password, an invitation to choose one."""

    send_invitation = forms.BooleanField(
        required=False,
        label="Send an invitation",
        help_text=(
            "Emails them a link to choose their own password (set password-based "
            "authentication to Disabled above). Without staff status they become an author."
        ),
    )

    class Meta(auth_forms.AdminUserCreationForm.Meta):
        fields = ("username", "email")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("send_invitation"):
            if not cleaned.get("email"):
                self.add_error("email", "An invitation needs an email address.")
            if cleaned.get("set_usable_password"):
                self.add_error(
                    "send_invitation",
                    "An invited person chooses their own password: set password-based "
                    "authentication to Disabled.",
                )
        return cleaned
