"""Reads of the product's users and their roles."""

from __future__ import annotations

from django.contrib.auth.models import Group, User
from django.db.models import Prefetch, QuerySet

from nct_monitor.roles import ADMINISTRATOR, ROLES, role_of


def user_queryset() -> QuerySet[User]:
    """Every user, with the groups that give their role, for the users list."""
    return User.objects.prefetch_related(
        Prefetch("groups", queryset=Group.objects.filter(name__in=ROLES))
    ).order_by("last_name", "first_name", "username")


def active_administrators() -> QuerySet[User]:
    return User.objects.filter(is_active=True, groups__name=ADMINISTRATOR).distinct()


def role_choices() -> list[tuple[str, str]]:
    return [(role, role) for role in ROLES]


__all__ = ["active_administrators", "role_choices", "role_of", "user_queryset"]
