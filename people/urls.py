from __future__ import annotations

from django.urls import path

from people import views

app_name = "people"

urlpatterns = [
    path("", views.UserListView.as_view(), name="user_list"),
    path("add/", views.UserAddView.as_view(), name="user_add"),
    path("<int:pk>/", views.UserEditView.as_view(), name="user_edit"),
    path("<int:pk>/password-link/", views.PasswordLinkView.as_view(), name="password_link"),
    path("<int:pk>/two-factor-reset/", views.TwoFactorResetView.as_view(), name="two_factor_reset"),
]
