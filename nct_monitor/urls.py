from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from nct_monitor import views

urlpatterns = [
    path("", views.home, name="home"),
    path("health/", views.health, name="health"),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("periods/", views.PeriodListView.as_view(), name="period_list"),
    path("periods/add-year/", views.YearAddView.as_view(), name="year_add"),
    path("periods/<int:pk>/sign-off/", views.PeriodSignOffView.as_view(), name="period_sign_off"),
    path("periods/<int:pk>/reopen/", views.PeriodReopenView.as_view(), name="period_reopen"),
    path("periods/<int:pk>/history/", views.PeriodHistoryView.as_view(), name="period_history"),
    path("contract/", include("contracts.urls")),
    path("admin/", admin.site.urls),
]
