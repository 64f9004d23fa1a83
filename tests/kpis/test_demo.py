"""The demo KPIs: the business plan's 21 definitions and 2022/23 baselines, with no targets
from the papers; and the illustrative 2024/25 year, invented and marked so."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kpis import demo
from kpis.models import KpiDefinition, KpiTarget
from kpis.selectors import scorecard
from tests.factories import period

pytestmark = pytest.mark.django_db


def test_the_demo_loads_the_21_kpis_with_their_baselines_once():
    first = demo.load(illustrative=False)
    assert len(first) == 21
    assert demo.load(illustrative=False) == []
    baselines = dict(KpiDefinition.objects.values_list("number", "baseline"))
    assert baselines[1] == Decimal("68") and baselines[18] == Decimal("120")
    assert baselines[17] == Decimal("120") and baselines[20] == Decimal("1")
    assert KpiDefinition.objects.get(number=1).history.count() == 1


def test_the_demo_definitions_read_from_the_kpis_wording():
    demo.load(illustrative=False)
    kpis = {kpi.number: kpi for kpi in KpiDefinition.objects.all()}
    assert (kpis[1].polarity, kpis[2].polarity) == ("higher_is_better", "lower_is_better")
    assert (kpis[18].unit, kpis[18].maximum) == ("days", None)
    assert (kpis[20].unit, kpis[20].frequency) == ("count", "quarterly")
    assert (kpis[17].minimum, kpis[17].maximum) == (Decimal(0), None)
    assert "120%" in kpis[17].notes
    assert [n for n, kpi in kpis.items() if kpi.frequency == "quarterly"] == [20]


def test_without_the_illustrative_year_every_kpi_is_rated_no_target():
    demo.load(illustrative=False)
    assert not KpiTarget.objects.exists()
    card = scorecard(period("2024/25 P6"))
    assert {row.rating for row in card.rows} == {"no_target"}
