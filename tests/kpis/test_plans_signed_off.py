"""A signed-off period's scorecard shows the rectification plans as they stood at sign-off:
a plan recorded or updated later shows from the open periods on."""

from __future__ import annotations

from datetime import date

import pytest

from kpis import services
from kpis.choices import PlanStatus
from kpis.selectors import scorecard
from nct_monitor.services import sign_off_period
from tests.factories import period
from tests.kpis.factories import KpiDefinitionFactory, series, target

pytestmark = pytest.mark.django_db


def red_run():
    """KPI 1 red from 2023/24 P11 to 2024/25 P2: a persistent breach."""
    kpi = KpiDefinitionFactory(number=1)
    target(kpi, "2023/24", "80", "5")
    target(kpi, "2024/25", "80", "5")
    series(kpi, "2023/24 P11", ["60", "60", "60", "60"])
    return kpi


@pytest.fixture
def breach(officer):
    """The red run, with 2024/25 P1 signed off."""
    kpi = red_run()
    sign_off_period(period=period("2024/25 P1"), user=officer, exceptions_reason="For this test")
    return kpi


def plan_row(label: str):
    (row,) = scorecard(period(label)).rows
    return row


def record(kpi, user, label: str = "2024/25 P1"):
    return services.record_rectification_plan(
        kpi=kpi,
        period=period(label),
        owner="Director of Children's Services",
        actions="Weekly triage review.",
        due_date=date(2024, 7, 31),
        user=user,
    )


def test_a_plan_recorded_after_sign_off_leaves_the_period_showing_it_due(breach, officer):
    assert plan_row("2024/25 P1").plan_due

    record(breach, officer)

    assert plan_row("2024/25 P1").plan_due
    assert plan_row("2024/25 P1").plan is None
    assert not plan_row("2024/25 P2").plan_due
    assert plan_row("2024/25 P2").plan.owner == "Director of Children's Services"


def test_a_plan_updated_after_sign_off_shows_as_it_was_in_the_period(officer):
    plan = record(red_run(), officer)
    sign_off_period(period=period("2024/25 P1"), user=officer, exceptions_reason="For this test")

    services.update_rectification_plan(
        plan=plan,
        owner="Someone else",
        actions="Weekly triage review.",
        due_date=date(2024, 8, 31),
        status=PlanStatus.IN_PROGRESS,
        progress="Triage started.",
        user=officer,
    )

    shown = plan_row("2024/25 P1").plan
    assert (shown.owner, shown.status, shown.due_date) == (
        "Director of Children's Services",
        PlanStatus.NOT_STARTED,
        date(2024, 7, 31),
    )
    assert plan_row("2024/25 P2").plan.owner == "Someone else"
