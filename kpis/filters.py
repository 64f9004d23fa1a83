"""Filters for KPI lists. A rating is computed, not stored, so the scorecard's filter is given
each KPI's rating from the scorecard and filters the KPIs by it."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet

from kpis.choices import Frequency, PlanStatus, Rating, Unit
from kpis.models import KpiDefinition, RectificationPlan

KPI_NUMBER = re.compile(r"^\s*(?:KPI\s*)?(\d{1,4})\s*$", re.IGNORECASE)


def search_kpis(queryset: QuerySet[Any], value: str, prefix: str = "") -> QuerySet[Any]:
    """`KPI 3` or `3` finds KPI 3; other words search the titles."""
    value = (value or "").strip()
    if not value:
        return queryset
    match = KPI_NUMBER.match(value)
    if match:
        return queryset.filter(**{f"{prefix}number": int(match.group(1))})
    return queryset.filter(**{f"{prefix}title__icontains": value})


class ScorecardFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="KPI or words in its title")
    rating = django_filters.MultipleChoiceFilter(
        choices=Rating.choices,
        method="filter_rating",
        label="Rating",
        widget=forms.CheckboxSelectMultiple,
    )
    breach = django_filters.BooleanFilter(
        method="filter_breach",
        label="Persistent breaches only",
        widget=forms.CheckboxInput,
    )

    class Meta:
        model = KpiDefinition
        fields = ["q", "rating", "breach"]

    def __init__(
        self,
        *args: Any,
        ratings: Mapping[int, str],
        breaches: Iterable[int],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.ratings = ratings
        self.breaches = set(breaches)

    def search(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return search_kpis(queryset, value)

    def filter_rating(self, queryset: QuerySet[Any], name: str, value: list[str]) -> QuerySet[Any]:
        if not value:
            return queryset
        return queryset.filter(
            pk__in=[pk for pk, rating in self.ratings.items() if rating in value]
        )

    def filter_breach(
        self, queryset: QuerySet[Any], name: str, value: bool | None
    ) -> QuerySet[Any]:
        if not value:
            return queryset
        return queryset.filter(pk__in=self.breaches)


class RectificationPlanFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="KPI, owner or action")
    status = django_filters.ChoiceFilter(
        choices=PlanStatus.choices, label="Status", empty_label="Any status"
    )

    class Meta:
        model = RectificationPlan
        fields = ["q", "status"]

    def search(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        value = (value or "").strip()
        if not value:
            return queryset
        match = KPI_NUMBER.match(value)
        if match:
            return queryset.filter(kpi__number=int(match.group(1)))
        return queryset.filter(Q(owner__icontains=value) | Q(actions__icontains=value))


class KpiDefinitionFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="KPI or words in its title")
    unit = django_filters.ChoiceFilter(choices=Unit.choices, label="Unit", empty_label="Any unit")
    frequency = django_filters.ChoiceFilter(
        choices=Frequency.choices, label="Frequency", empty_label="Any frequency"
    )

    class Meta:
        model = KpiDefinition
        fields = ["q", "unit", "frequency"]

    def search(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return search_kpis(queryset, value)
