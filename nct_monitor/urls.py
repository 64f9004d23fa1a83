from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, register_converter

from nct_monitor import views
from nct_monitor.converters import FinancialYearConverter
from nct_monitor.importing import views as import_views

# `<fy:year>` in any app's URLs: `2023-24` in the URL, the start year (2023) in the view.
register_converter(FinancialYearConverter, "fy")

urlpatterns = [
    path("", include("overview.urls")),
    path("health/", views.health, name="health"),
    # Browsers and feed readers ask for /favicon.ico whatever the page's icon link says.
    path("favicon.ico", views.favicon),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("people.account_urls")),
    path("periods/", views.PeriodListView.as_view(), name="period_list"),
    path("periods/go/", views.period_jump, name="period_jump"),
    path("periods/add-year/", views.YearAddView.as_view(), name="year_add"),
    path("periods/<int:pk>/sign-off/", views.PeriodSignOffView.as_view(), name="period_sign_off"),
    path("periods/<int:pk>/reopen/", views.PeriodReopenView.as_view(), name="period_reopen"),
    path("periods/<int:pk>/history/", views.PeriodHistoryView.as_view(), name="period_history"),
    path("imports/", import_views.ImportRunListView.as_view(), name="import_list"),
    path("imports/<int:pk>/", import_views.ImportRunView.as_view(), name="import_run"),
    path(
        "imports/<int:pk>/confirm/", import_views.ImportConfirmView.as_view(), name="import_confirm"
    ),
    path("imports/<int:pk>/cancel/", import_views.ImportCancelView.as_view(), name="import_cancel"),
    path("contract/", include("contracts.urls")),
    path("savings/", include("savings.urls")),
    path("kpis/", include("kpis.urls")),
    path("risks/", include("risks.urls")),
    path("committee/", include("committee.urls")),
    path("people/", include("people.urls")),
    # Open to anyone, no sign-in: the committee papers as published.
    path("public/", include("public.urls")),
    path("admin/", admin.site.urls),
]
