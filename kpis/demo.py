"""Demo data for KPIs: the 21 definitions and their 2022/23 baselines, from `fixtures/kpis.toml`.

The papers give no targets or results: the business plan says the targets are still being
discussed. So that the demo shows ratings and breaches, an illustrative 2024/25 year
(`fixtures/kpis-illustrative-2024-25.toml`, invented) is loaded too, its targets, results and
rectification plan marked `illustrative` and labelled so wherever they are shown. Without
`illustrative` it is left out.
"""

from __future__ import annotations

import tomllib
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings

from kpis import services
from kpis.models import KpiDefinition, KpiResult, KpiTarget, RectificationPlan
from nct_monitor.selectors import get_period, get_year

ILLUSTRATIVE_FIXTURE = "kpis-illustrative-2024-25.toml"


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


def load(*, illustrative: bool = True) -> list[str]:
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
    if illustrative:
        done.extend(load_illustrative())
    return done


def load_illustrative() -> list[str]:
    """The invented 2024/25 targets, results and rectification plan, each marked illustrative.

    Each write goes through the services, which change nothing that already matches.
    """
    name = f"fixtures/{ILLUSTRATIVE_FIXTURE}"
    data = tomllib.loads((settings.BASE_DIR / name).read_text())
    year = get_year(data["year"])
    reason = data["reason"]
    kpis = {kpi.number: kpi for kpi in KpiDefinition.objects.all()}

    def kpi_numbered(number: int) -> KpiDefinition:
        if number not in kpis:
            raise ValueError(f"{name}: there is no KPI {number}.")
        return kpis[number]

    targets_before, results_before = KpiTarget.history.count(), KpiResult.history.count()
    for entry in data["kpi"]:
        kpi = kpi_numbered(entry["number"])
        services.set_kpi_target(
            kpi=kpi,
            year=year,
            target=Decimal(entry["target"]),
            tolerance=Decimal(entry["tolerance"]),
            user=None,
            reason=reason,
            illustrative=True,
        )
        for row in entry.get("result", []):
            services.record_kpi_result(
                kpi=kpi,
                period=get_period(year.start_year, row["period"]),
                value=Decimal(row["value"]),
                commentary=row.get("commentary", ""),
                user=None,
                reason=reason,
                illustrative=True,
            )
    targets = KpiTarget.history.count() - targets_before
    results = KpiResult.history.count() - results_before
    plans = 0
    for entry in data.get("plan", []):
        kpi = kpi_numbered(entry["kpi"])
        period = get_period(year.start_year, entry["as_at"])
        if RectificationPlan.objects.filter(
            kpi=kpi, breach_start__year=year, illustrative=True
        ).exists():
            continue
        services.record_rectification_plan(
            kpi=kpi,
            period=period,
            owner=entry["owner"],
            actions=entry["actions"],
            due_date=date.fromisoformat(entry["due_date"]),
            status=entry["status"],
            progress=entry.get("progress", ""),
            user=None,
            illustrative=True,
        )
        plans += 1
    done = []
    if targets or results or plans:
        done.append(
            f"Illustrative {year.label}: {targets} target changes, {results} result changes "
            f"and {plans} rectification plan{'' if plans == 1 else 's'} saved"
        )
    return done
