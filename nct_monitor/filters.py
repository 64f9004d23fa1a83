from __future__ import annotations

import django_filters

from nct_monitor.choices import ImportStatus, PeriodStatus
from nct_monitor.models import FinancialYear, ImportRun, Period


class PeriodFilterSet(django_filters.FilterSet):
    year = django_filters.ModelChoiceFilter(
        queryset=FinancialYear.objects.all(), label="Financial year", empty_label="All years"
    )
    status = django_filters.ChoiceFilter(
        choices=PeriodStatus.choices, label="Status", empty_label="Any status"
    )

    class Meta:
        model = Period
        fields = ["year", "status"]


class ImportRunFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        choices=ImportStatus.choices, label="Status", empty_label="Any status"
    )

    class Meta:
        model = ImportRun
        fields = ["status"]
