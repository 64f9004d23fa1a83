from __future__ import annotations

from django.urls import path

from kpis import views

app_name = "kpis"

urlpatterns = [
    path("", views.index, name="index"),
    path("<fy:year>/p<int:period>/", views.ScorecardView.as_view(), name="scorecard"),
    path("<fy:year>/p<int:period>/results/", views.ResultsEntryView.as_view(), name="results"),
    path(
        "<fy:year>/p<int:period>/results/changes/",
        views.ResultChangesView.as_view(),
        name="result_changes",
    ),
    path("<fy:year>/p<int:period>/breaches/", views.BreachesView.as_view(), name="breaches"),
    path(
        "<fy:year>/p<int:period>/kpi-<int:number>/",
        views.KpiDetailView.as_view(),
        name="kpi_detail",
    ),
    path(
        "<fy:year>/p<int:period>/kpi-<int:number>/plan/",
        views.PlanCreateView.as_view(),
        name="plan_add",
    ),
    path("breaches/", views.breaches_index, name="breaches_index"),
    path("results/", views.results_index, name="results_index"),
    path("results/upload/", views.ResultsUploadView.as_view(), name="results_upload"),
    path(
        "results/template.xlsx",
        views.blank_template,
        {"kind": "results"},
        name="results_template",
    ),
    path("targets/", views.targets_index, name="targets_index"),
    path("targets/upload/", views.TargetsUploadView.as_view(), name="targets_upload"),
    path(
        "targets/template.xlsx",
        views.blank_template,
        {"kind": "targets"},
        name="targets_template",
    ),
    path("targets/<fy:year>/", views.TargetsView.as_view(), name="targets"),
    path("targets/<fy:year>/changes/", views.TargetChangesView.as_view(), name="target_changes"),
    path("plans/", views.PlanListView.as_view(), name="plan_list"),
    path("plans/<int:pk>/update/", views.PlanUpdateView.as_view(), name="plan_edit"),
    path("plans/<int:pk>/history/", views.PlanHistoryView.as_view(), name="plan_history"),
    path("definitions/", views.DefinitionListView.as_view(), name="definition_list"),
    path(
        "definitions/kpi-<int:number>/edit/",
        views.DefinitionEditView.as_view(),
        name="definition_edit",
    ),
    path(
        "definitions/<int:pk>/history/",
        views.DefinitionHistoryView.as_view(),
        name="definition_history",
    ),
]
