from __future__ import annotations

from django.urls import path

from savings import views

app_name = "savings"

urlpatterns = [
    path("", views.index, name="index"),
    path("<fy:year>/p<int:period>/", views.TrackerView.as_view(), name="tracker"),
    path(
        "<fy:year>/p<int:period>/export/<str:fmt>/",
        views.TrackerExportView.as_view(),
        name="tracker_export",
    ),
    path("<fy:year>/p<int:period>/start/", views.StartPeriodView.as_view(), name="period_start"),
    path("<fy:year>/p<int:period>/lines/add/", views.LineAddView.as_view(), name="savingsline_add"),
    path("positions/<int:pk>/", views.PositionRowView.as_view(), name="savingsposition_row"),
    path("positions/<int:pk>/edit/", views.PositionEditView.as_view(), name="savingsposition_edit"),
    path(
        "positions/<int:pk>/history/",
        views.PositionHistoryView.as_view(),
        name="savingsposition_history",
    ),
    path("lines/<int:pk>/", views.LineDetailView.as_view(), name="savingsline_detail"),
    path("lines/<int:pk>/edit/", views.LineEditView.as_view(), name="savingsline_edit"),
    path("lines/<int:pk>/retire/", views.LineRetireView.as_view(), name="savingsline_retire"),
    path(
        "lines/<int:pk>/reinstate/",
        views.LineReinstateView.as_view(),
        name="savingsline_reinstate",
    ),
    path("lines/<int:pk>/history/", views.LineHistoryView.as_view(), name="savingsline_history"),
    path("import/", views.SavingsUploadView.as_view(), name="import"),
    path("template/", views.blank_template, name="template"),
]
