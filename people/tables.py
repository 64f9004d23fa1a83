"""The users list."""

from __future__ import annotations

import django_tables2 as tables
from django.contrib.auth.models import User

from nct_monitor.roles import ROLES
from nct_monitor.tables import BaseTable


class UserTable(BaseTable):
    username = tables.Column(
        verbose_name="Username", linkify=("people:user_edit", {"pk": tables.A("pk")})
    )
    name = tables.Column(
        verbose_name="Name", accessor="last_name", order_by=("last_name", "first_name")
    )
    email = tables.Column(verbose_name="Email")
    role = tables.Column(verbose_name="Role", empty_values=(), orderable=False)
    is_active = tables.BooleanColumn(verbose_name="Can sign in", yesno="Yes,No")
    last_login = tables.DateTimeColumn(
        verbose_name="Last signed in", format="j M Y, H:i", default="Never"
    )

    class Meta(BaseTable.Meta):
        model = User
        fields = ("username", "name", "email", "role", "is_active", "last_login")

    def render_name(self, record: User) -> str:
        return record.get_full_name()

    def value_name(self, record: User) -> str:
        return record.get_full_name()

    def render_role(self, record: User) -> str:
        # The groups were prefetched with only the four roles, so this asks nothing more.
        names = {group.name for group in record.groups.all()}
        return next((role for role in ROLES if role in names), "No role")

    def value_role(self, record: User) -> str:
        return self.render_role(record)
