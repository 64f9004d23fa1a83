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
    # Contract sums
    path("sums/", views.ContractSumListView.as_view(), name="contractsum_list"),
    path("sums/add/", views.ContractSumCreateView.as_view(), name="contractsum_add"),
    path("sums/<int:pk>/edit/", views.ContractSumUpdateView.as_view(), name="contractsum_edit"),
    path(
        "sums/<int:pk>/history/",
        views.ContractSumHistoryView.as_view(),
        name="contractsum_history",
    ),
    # MTFP build-up
    path("mtfp/", views.MtfpListView.as_view(), name="mtfpbuildup_list"),
    path("mtfp/add/", views.MtfpCreateView.as_view(), name="mtfpbuildup_add"),
    path("mtfp/<int:pk>/edit/", views.MtfpUpdateView.as_view(), name="mtfpbuildup_edit"),
    path("mtfp/<int:pk>/history/", views.MtfpHistoryView.as_view(), name="mtfpbuildup_history"),
    # Business cases and their savings
    path("business-cases/", views.BusinessCaseListView.as_view(), name="businesscase_list"),
    path("business-cases/add/", views.BusinessCaseCreateView.as_view(), name="businesscase_add"),
    path(
        "business-cases/<int:pk>/",
        views.BusinessCaseDetailView.as_view(),
        name="businesscase_detail",
    ),
    path(
        "business-cases/<int:pk>/edit/",
        views.BusinessCaseUpdateView.as_view(),
        name="businesscase_edit",
    ),
    path(
        "business-cases/<int:pk>/history/",
        views.BusinessCaseHistoryView.as_view(),
        name="businesscase_history",
    ),
    path(
        "business-cases/<int:case>/savings/add/",
        views.BusinessCaseSavingCreateView.as_view(),
        name="businesscasesaving_add",
    ),
    path(
        "business-cases/savings/<int:pk>/edit/",
        views.BusinessCaseSavingUpdateView.as_view(),
        name="businesscasesaving_edit",
    ),
    path(
        "business-cases/savings/<int:pk>/remove/",
        views.BusinessCaseSavingRemoveView.as_view(),
        name="businesscasesaving_remove",
    ),
    path(
        "business-cases/savings/<int:pk>/history/",
        views.BusinessCaseSavingHistoryView.as_view(),
        name="businesscasesaving_history",
    ),
    # Funding blocks and allocations
    path("funding/", views.FundingListView.as_view(), name="fundingallocation_list"),
    path(
        "funding/add/",
        views.FundingAllocationCreateView.as_view(),
        name="fundingallocation_add",
    ),
    path(
        "funding/<int:pk>/edit/",
        views.FundingAllocationUpdateView.as_view(),
        name="fundingallocation_edit",
    ),
    path(
        "funding/<int:pk>/remove/",
        views.FundingAllocationRemoveView.as_view(),
        name="fundingallocation_remove",
    ),
    path(
        "funding/<int:pk>/history/",
        views.FundingAllocationHistoryView.as_view(),
        name="fundingallocation_history",
    ),
    # Invest to save
    path("invest-to-save/", views.InvestToSaveListView.as_view(), name="investtosaveline_list"),
    path(
        "invest-to-save/add/",
        views.InvestToSaveCreateView.as_view(),
        name="investtosaveline_add",
    ),
    path(
        "invest-to-save/<int:pk>/edit/",
        views.InvestToSaveUpdateView.as_view(),
        name="investtosaveline_edit",
    ),
    path(
        "invest-to-save/<int:pk>/history/",
        views.InvestToSaveHistoryView.as_view(),
        name="investtosaveline_history",
    ),
    path(
        "business-plan-invest-to-save/",
        views.PlanInvestmentListView.as_view(),
        name="planinvestment_list",
    ),
    # Period finance forecast
    path("forecast/", views.ForecastListView.as_view(), name="forecastpressure_list"),
    path("forecast/add/", views.ForecastCreateView.as_view(), name="forecastpressure_add"),
    path(
        "forecast/<fy:year>/p<int:period>/",
        views.ForecastDetailView.as_view(),
        name="forecastpressure_detail",
    ),
    path(
        "forecast/<fy:year>/p<int:period>/edit/",
        views.ForecastUpdateView.as_view(),
        name="forecastpressure_edit",
    ),
    path(
        "forecast/lines/<int:pk>/history/",
        views.ForecastHistoryView.as_view(),
        name="forecastpressure_history",
    ),
]
