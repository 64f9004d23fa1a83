from __future__ import annotations

from django.urls import path

from risks import views

app_name = "risks"

urlpatterns = [
    path("", views.RiskListView.as_view(), name="risk_list"),
    path("heatmap/", views.HeatmapView.as_view(), name="heatmap"),
    path("add/", views.RiskFormView.as_view(), name="risk_add"),
    path("import/", views.RiskImportView.as_view(), name="risk_import"),
    path("import/template.xlsx", views.import_template, name="import_template"),
    path("export.xlsx", views.register_export, name="risk_export"),
    path("<int:pk>/", views.RiskDetailView.as_view(), name="risk_detail"),
    path("<int:pk>/edit/", views.RiskFormView.as_view(), name="risk_edit"),
    path("<int:pk>/review/", views.RiskReviewView.as_view(), name="riskreview_add"),
    path("<int:pk>/status/", views.RiskStatusView.as_view(), name="risk_status"),
    path("<int:pk>/history/", views.RiskHistoryView.as_view(), name="risk_history"),
    path("<int:risk>/actions/add/", views.RiskActionView.as_view(), name="riskaction_add"),
    path("actions/<int:pk>/edit/", views.RiskActionView.as_view(), name="riskaction_edit"),
    path(
        "actions/<int:pk>/history/",
        views.RiskActionHistoryView.as_view(),
        name="riskaction_history",
    ),
    path(
        "reviews/<int:pk>/history/",
        views.RiskReviewHistoryView.as_view(),
        name="riskreview_history",
    ),
]
