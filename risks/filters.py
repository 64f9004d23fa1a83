"""Filters for the register: search, category, owner, status, and band or cell of a score."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet

from risks.choices import RiskCategory, RiskStatus, ScoreKind
from risks.matrix import band_by_key, bands
from risks.models import IMPACT_CHOICES, LIKELIHOOD_CHOICES, Risk
from risks.selectors import owner_choices


def _band_choices() -> list[tuple[str, str]]:
    return [(band.key, f"{band.name} ({band.range_label})") for band in bands()]


class RiskFilterSet(django_filters.FilterSet):
    """`band`, `probability` and `impact` apply to the score chosen in `scores` (current unless
    it says initial or target), so the heatmap's cells link to exactly their risks."""

    q = django_filters.CharFilter(method="search", label="Search")
    category = django_filters.ChoiceFilter(
        choices=RiskCategory.choices, label="Category", empty_label="Any category"
    )
    owner = django_filters.ChoiceFilter(
        choices=owner_choices, label="Risk owner", empty_label="Any owner"
    )
    status = django_filters.ChoiceFilter(
        choices=RiskStatus.choices, label="Status", empty_label="Any status"
    )
    scores = django_filters.ChoiceFilter(
        choices=[
            (kind.value, f"{kind.label} score") for kind in ScoreKind if kind != ScoreKind.CURRENT
        ],
        label="Score for band and cell",
        empty_label="Current score",
        method="by_score",
    )
    band = django_filters.ChoiceFilter(
        choices=_band_choices, label="Band", empty_label="Any band", method="by_score"
    )
    probability = django_filters.ChoiceFilter(
        choices=[(str(value), label) for value, label in LIKELIHOOD_CHOICES],
        label="Probability",
        empty_label="Any probability",
        method="by_score",
    )
    impact = django_filters.ChoiceFilter(
        choices=[(str(value), label) for value, label in IMPACT_CHOICES],
        label="Impact",
        empty_label="Any impact",
        method="by_score",
    )

    class Meta:
        model = Risk
        fields = ["q", "category", "owner", "status", "scores", "band", "probability", "impact"]

    def search(self, queryset: QuerySet[Risk], name: str, value: str) -> QuerySet[Risk]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(ref__icontains=value)
            | Q(description__icontains=value)
            | Q(owner__icontains=value)
            | Q(risk_type__icontains=value)
        )

    def by_score(self, queryset: QuerySet[Risk], name: str, value: Any) -> QuerySet[Risk]:
        return queryset  # applied together in filter_queryset, once the score is known

    def filter_queryset(self, queryset: QuerySet[Risk]) -> QuerySet[Risk]:
        queryset = super().filter_queryset(queryset)
        data = self.form.cleaned_data
        kind = data.get("scores") or ScoreKind.CURRENT
        if data.get("band"):
            band = band_by_key(data["band"])
            queryset = queryset.filter(
                **{f"{kind}_value__gte": band.low, f"{kind}_value__lte": band.high}
            )
        if data.get("probability"):
            queryset = queryset.filter(**{f"{kind}_probability": int(data["probability"])})
        if data.get("impact"):
            queryset = queryset.filter(**{f"{kind}_impact": int(data["impact"])})
        return queryset
