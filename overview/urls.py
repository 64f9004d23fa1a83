from __future__ import annotations

from django.urls import path

from overview import views

# Not namespaced: the overview is the product's home page.
urlpatterns = [
    path("", views.DashboardView.as_view(), name="home"),
    path(
        "overview/<fy:year>/p<int:period>/", views.DashboardView.as_view(), name="dashboard_period"
    ),
]
