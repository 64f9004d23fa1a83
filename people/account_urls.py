"""Everyone's own account: changing one's password, resetting a forgotten one by email, and
two-factor sign-in (setting up an authenticator app, and the code asked for at sign-in).

Django's views, with the names its password-reset emails and redirects expect.
"""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from people import two_factor, views

urlpatterns = [
    path("account/password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("account/two-factor/", two_factor.SetUpView.as_view(), name="two_factor_setup"),
    path("login/code/", two_factor.VerifyView.as_view(), name="two_factor_verify"),
    path(
        "password-reset/",
        auth_views.PasswordResetView.as_view(
            email_template_name="registration/password_reset_email.txt",
            subject_template_name="registration/password_reset_subject.txt",
            success_url=reverse_lazy("password_reset_done"),
            title="Reset your password",
            extra_context={"submit_label": "Email me a link", "cancel_url": reverse_lazy("login")},
        ),
        name="password_reset",
    ),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            success_url=reverse_lazy("password_reset_complete")
        ),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
