from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from nct_monitor.roles import ADMINISTRATOR, CLERK, MEMBER, OFFICER, permissions_for

pytestmark = pytest.mark.django_db


def perms(role: str) -> set[str]:
    return {
        f"{p.content_type.app_label}.{p.codename}"
        for p in Group.objects.get(name=role).permissions.select_related("content_type")
    }


def test_the_four_roles_exist_as_groups_after_migrate():
    assert set(Group.objects.values_list("name", flat=True)) >= {
        OFFICER,
        MEMBER,
        CLERK,
        ADMINISTRATOR,
    }


def test_a_committee_member_may_only_view():
    assert perms(MEMBER)
    assert all(name.split(".")[1].startswith("view_") for name in perms(MEMBER))


def test_an_officer_signs_off_but_does_not_reopen_or_set_shares():
    officer = perms(OFFICER)
    assert "nct_monitor.sign_off_period" in officer
    assert "nct_monitor.reopen_period" not in officer
    assert "contracts.add_shareschedule" not in officer
    assert "contracts.view_shareschedule" in officer


def test_a_clerk_cannot_change_monitoring_data():
    clerk = perms(CLERK)
    assert not any(
        name.split(".")[0] in {"contracts", "savings", "kpis", "risks", "nct_monitor"}
        and not name.split(".")[1].startswith("view_")
        for name in clerk
    )


def test_an_administrator_reopens_periods_and_sets_shares():
    admin = perms(ADMINISTRATOR)
    assert {"nct_monitor.reopen_period", "contracts.add_shareschedule", "auth.change_user"} <= admin


def test_exclusions_take_away_what_a_wider_pattern_gave():
    available = ["kpis.add_kpiresult", "kpis.change_kpidefinition", "kpis.view_kpidefinition"]
    assert permissions_for(OFFICER, available) == ["kpis.add_kpiresult", "kpis.view_kpidefinition"]
