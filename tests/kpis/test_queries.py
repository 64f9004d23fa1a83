"""The KPI list pages run the same number of queries however many rows they show."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from kpis import services
from kpis.models import KpiDefinition
from tests.factories import period
from tests.kpis.factories import KpiDefinitionFactory, series, target

pytestmark = pytest.mark.django_db


def breached_kpis(numbers: range) -> list[KpiDefinition]:
    """KPIs red against their target from 2023/24 P10 to 2024/25 P1: a persistent breach."""
    kpis = [KpiDefinitionFactory(number=number) for number in numbers]
    for kpi in kpis:
        target(kpi, "2023/24", "80", "5")
        target(kpi, "2024/25", "80", "5")
        series(kpi, "2023/24 P10", ["60", "60", "60", "60"])
    return kpis


def plans_for(kpis: list[KpiDefinition]) -> None:
    for kpi in kpis:
        services.record_rectification_plan(
            kpi=kpi,
            period=period("2024/25 P1"),
            owner="Director",
            actions="Review.",
            due_date=date(2024, 7, 31),
            user=None,
        )


SCORECARD = reverse("kpis:scorecard", kwargs={"year": 2024, "period": 1})


def test_the_scorecard_runs_the_same_queries_for_one_kpi_or_three(
    member_client, django_assert_num_queries
):
    breached_kpis(range(1, 2))
    with django_assert_num_queries(15):
        assert member_client.get(SCORECARD).status_code == 200
    breached_kpis(range(2, 4))
    with django_assert_num_queries(15):
        response = member_client.get(SCORECARD)
    assert len(response.context["table"].rows) == 3


def test_the_plan_list_runs_the_same_queries_for_one_plan_or_three(
    officer_client, django_assert_num_queries
):
    plans_for(breached_kpis(range(1, 2)))
    with django_assert_num_queries(8):
        assert officer_client.get(reverse("kpis:plan_list")).status_code == 200
    plans_for(breached_kpis(range(2, 4)))
    with django_assert_num_queries(8):
        response = officer_client.get(reverse("kpis:plan_list"))
    assert len(response.context["table"].rows) == 3


def test_the_definition_list_runs_the_same_queries_for_one_definition_or_three(
    member_client, django_assert_num_queries
):
    KpiDefinitionFactory(number=1)
    with django_assert_num_queries(8):
        assert member_client.get(reverse("kpis:definition_list")).status_code == 200
    KpiDefinitionFactory(number=2)
    KpiDefinitionFactory(number=3)
    with django_assert_num_queries(8):
        response = member_client.get(reverse("kpis:definition_list"))
    assert len(response.context["table"].rows) == 3
