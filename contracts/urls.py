from __future__ import annotations

from django.urls import path

from contracts import views

app_name = "contracts"

urlpatterns = [
    path("", views.ContractOverviewView.as_view(), name="overview"),
    path("shares/add/", views.ShareScheduleCreateView.as_view(), name="shareschedule_add"),
    path(
        "shares/<int:pk>/history/",
        views.ShareScheduleHistoryView.as_view(),
        name="shareschedule_history",
    ),
]
