from __future__ import annotations

import pytest

from kpis import demo
from kpis.models import KpiDefinition


@pytest.fixture
def contract_kpis(db) -> dict[int, KpiDefinition]:
    """The contract's 21 KPIs as the demo loads them (KPI 17 allows over 100%, KPI 20 is a
    quarterly count)."""
    demo.load(illustrative=False)
    return {kpi.number: kpi for kpi in KpiDefinition.objects.all()}
