"""Demo data for KPIs: the 21 definitions and their 2022/23 baselines, from `fixtures/kpis.toml`.

No targets or results: the business plan says the targets are still being discussed, so the
demo scorecard shows every KPI as it honestly stands, without a target.
"""

from __future__ import annotations

import tomllib
from decimal import Decimal
from typing import Any

from django.conf import settings

from kpis import services
from kpis.models import KpiDefinition
from nct_monitor.selectors import get_year


def definitions() -> list[dict[str, Any]]:
    """The definitions in the fixture, as `save_kpi_definition` takes them."""
    data = tomllib.loads((settings.BASE_DIR / "fixtures" / "kpis.toml").read_text())
    baseline_year = get_year(data["baseline_year"])
    found = []
    for entry in data["kpi"]:
        found.append(
            {
                "number": entry["number"],
                "title": entry["title"],
                "unit": entry["unit"],
                "polarity": entry["polarity"],
                "frequency": entry["frequency"],
                "minimum": Decimal(entry["minimum"]) if "minimum" in entry else None,
                "maximum": Decimal(entry["maximum"]) if "maximum" in entry else None,
                "baseline": Decimal(entry["baseline"]),
                "baseline_year": baseline_year,
                "notes": entry.get("notes", ""),
            }
        )
    return found


def load() -> list[str]:
    done = []
    for fields in definitions():
        before = KpiDefinition.objects.filter(number=fields["number"]).first()
        snapshot = None if before is None else before.history.count()
        saved = services.save_kpi_definition(
            **fields, user=None, reason="Business plan 2024/25, Appendix 6"
        )
        if before is None:
            done.append(f"Created {saved.code}")
        elif saved.history.count() != snapshot:
            done.append(f"Updated {saved.code}")
    return done
