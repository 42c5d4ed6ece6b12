"""On logging in, a writer whose articles show their username is asked for a display name."""

from django.contrib import messages
from django.contrib.auth.signals import user_logged_in
from django.urls import reverse
from django.utils.html import format_html

from fitness.accounts.names import needs_display_name


def register():
    user_logged_in.connect(ask_for_display_name, dispatch_uid="accounts.display_name")


def ask_for_display_name(sender, request, user, **kwargs):
    if request is None or not needs_display_name(user):
        return
    messages.warning(
        request,
        format_html(
            "You have no display name: articles without a byline are signed “By {}”. "
            '<a href="{}">Set your display name</a>.',
            user.get_username(),
            reverse("admin:auth_user_display_name"),
        ),
        fail_silently=True,
    )
