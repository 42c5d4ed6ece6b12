"""The account pages in the site's look: asking for a password reset (from the admin's login
page, "Forgotten your password?"), the link's page to choose a new one, and the invitation's
page to choose a first one. Django's views, with the limits and the mail check around them."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpResponseRedirect
from django.urls import reverse_lazy
from django.views.decorators.cache import never_cache

from fitness.accounts import invitations, limits, mail
from fitness.accounts.forms import PasswordResetForm
from fitness.accounts.tokens import invitation_tokens


class PasswordResetView(auth_views.PasswordResetView):
    """The same answer for every address (an email goes only where an account has it); 429 past
    the limits (fitness/accounts/limits.py); 503, with the form kept, when the mail server does
    not answer."""

    form_class = PasswordResetForm
    template_name = "accounts/password_reset_form.html"
    success_url = reverse_lazy("accounts:reset_done")

    def form_valid(self, form):
        refused = limits.refusal(form.cleaned_data["email"], self.request)
        if refused:
            return self.refuse(form, refused, status=429)
        try:
            # Asked whatever the address: the answer depends on the mail server alone.
            mail.connection().close()
        except mail.MailUnavailable as unavailable:
            return self.refuse(form, str(unavailable), status=503)
        form.save()
        return HttpResponseRedirect(self.get_success_url())

    def refuse(self, form, message, *, status):
        form.add_error(None, message)
        return self.render_to_response(self.get_context_data(form=form), status=status)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
        }


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        # A reset proves the address as an invitation would: an open invitation is settled.
        invitations.accept(form.user)
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


class InvitationView(auth_views.PasswordResetConfirmView):
    """The invitation's link: the account's username, a password to choose, once."""

    token_generator = invitation_tokens
    template_name = "accounts/invitation.html"
    success_url = reverse_lazy("accounts:invitation_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        invitations.accept(form.user)
        return response


class InvitationCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/invitation_complete.html"


reset = never_cache(PasswordResetView.as_view())
