from __future__ import annotations

import django_filters

from committee.choices import MeetingStatus
from committee.models import Committee, Meeting


class MeetingFilterSet(django_filters.FilterSet):
    committee = django_filters.ModelChoiceFilter(
        queryset=Committee.objects.all(), label="Committee", empty_label="All committees"
    )
    status = django_filters.ChoiceFilter(
        choices=MeetingStatus.choices, label="Status", empty_label="Any status"
    )
    q = django_filters.CharFilter(method="search", label="Search venue")

    class Meta:
        model = Meeting
        fields = ["committee", "status"]

    def search(self, queryset, name, value):  # type: ignore[no-untyped-def]
        return queryset.filter(venue__icontains=value)
