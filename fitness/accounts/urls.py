"""The account pages (the reset form itself is at /admin/password_reset/, named
`admin_password_reset` so that the admin's login page links to it: fitness/urls.py)."""

from django.urls import path

from fitness.accounts import views

app_name = "accounts"

urlpatterns = [
    path("reset/sent/", views.PasswordResetDoneView.as_view(), name="reset_done"),
    path(
        "reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="reset_confirm",
    ),
    path("reset/done/", views.PasswordResetCompleteView.as_view(), name="reset_complete"),
    path("invitation/<uidb64>/<token>/", views.InvitationView.as_view(), name="invitation"),
    path("invitation/done/", views.InvitationCompleteView.as_view(), name="invitation_complete"),
]
