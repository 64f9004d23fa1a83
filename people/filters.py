"""Filters for the users list: search, role, and whether they can sign in."""

from __future__ import annotations

import django_filters
from django.contrib.auth.models import User
from django.db.models import Q, QuerySet

from people.selectors import role_choices


class UserFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Search")
    role = django_filters.ChoiceFilter(
        choices=role_choices, field_name="groups__name", label="Role", empty_label="Any role"
    )
    is_active = django_filters.ChoiceFilter(
        choices=[("true", "Can sign in"), ("false", "Deactivated")],
        method="by_active",
        label="Account",
        empty_label="Any account",
    )

    class Meta:
        model = User
        fields: list[str] = []

    def search(self, queryset: QuerySet[User], name: str, value: str) -> QuerySet[User]:
        words = Q()
        for word in value.split():
            words &= (
                Q(username__icontains=word)
                | Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(email__icontains=word)
            )
        return queryset.filter(words)

    def by_active(self, queryset: QuerySet[User], name: str, value: str) -> QuerySet[User]:
        return queryset.filter(is_active=value == "true")
