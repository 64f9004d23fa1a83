"""Filters for the contract's finance lists; each has a `q` search."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet

from contracts.choices import (
    BusinessCaseTheme,
    ContractSumStatus,
    FundingBlock,
    InvestToSaveKind,
    PlanInvestmentKind,
)
from contracts.models import (
    BusinessCase,
    ContractSum,
    FundingAllocation,
    InvestToSaveLine,
    MtfpBuildUp,
    PlanInvestment,
)
from nct_monitor.models import FinancialYear, Period


def _years(request: Any = None) -> QuerySet[FinancialYear]:
    return FinancialYear.objects.all()


class SearchFilterSet(django_filters.FilterSet):
    """A FilterSet with a `q` box that searches `search_fields`."""

    search_fields: tuple[str, ...] = ()
    q = django_filters.CharFilter(method="search", label="Search")

    def search(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        value = value.strip()
        if not value:
            return queryset
        condition = Q()
        for field in self.search_fields:
            condition |= Q(**{f"{field}__icontains": value})
        return queryset.filter(condition)


class ContractSumFilterSet(SearchFilterSet):
    search_fields = ("notes", "source")
    status = django_filters.ChoiceFilter(
        choices=ContractSumStatus.choices, label="Status", empty_label="Any status"
    )

    class Meta:
        model = ContractSum
        fields = ["q", "status"]


class MtfpFilterSet(SearchFilterSet):
    search_fields = ("notes", "source")

    class Meta:
        model = MtfpBuildUp
        fields = ["q"]


class BusinessCaseFilterSet(SearchFilterSet):
    search_fields = ("title", "duration", "notes")
    theme = django_filters.ChoiceFilter(
        choices=BusinessCaseTheme.choices, label="Theme", empty_label="Any theme"
    )

    class Meta:
        model = BusinessCase
        fields = ["q", "theme"]


class FundingAllocationFilterSet(SearchFilterSet):
    search_fields = ("business_case__title", "note")
    year = django_filters.ModelChoiceFilter(
        queryset=_years, label="Financial year", empty_label="All years"
    )
    block = django_filters.ChoiceFilter(
        choices=FundingBlock.choices, label="Block", empty_label="Both blocks"
    )

    class Meta:
        model = FundingAllocation
        fields = ["q", "year", "block"]


class InvestToSaveFilterSet(SearchFilterSet):
    search_fields = ("programme", "title", "notes")
    year = django_filters.ModelChoiceFilter(
        queryset=_years, label="Financial year", empty_label="All years"
    )
    kind = django_filters.ChoiceFilter(
        choices=InvestToSaveKind.choices, label="Kind", empty_label="Funding and grants"
    )

    class Meta:
        model = InvestToSaveLine
        fields = ["q", "year", "kind"]


class ForecastFilterSet(SearchFilterSet):
    search_fields = ("forecast_pressures__note",)
    year = django_filters.ModelChoiceFilter(
        queryset=_years, label="Financial year", empty_label="All years"
    )

    class Meta:
        model = Period
        fields = ["q", "year"]


class PlanInvestmentFilterSet(SearchFilterSet):
    search_fields = ("title", "notes")
    kind = django_filters.ChoiceFilter(
        choices=PlanInvestmentKind.choices, label="Part of the table", empty_label="All parts"
    )

    class Meta:
        model = PlanInvestment
        fields = ["q", "kind"]
