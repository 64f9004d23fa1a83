"""A KPI result someone else changed while an editor had it open: the figures a result is
compared by, how two sets of them differ, and the other person's change to show beside the
editor's."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from kpis.models import KpiDefinition, KpiResult, plain_number
from nct_monitor.concurrency import Difference, OtherChange, Stamp, other_change, shown_record
from nct_monitor.models import Period

Figures = tuple[Decimal, Decimal | None, Decimal | None, str]


def figures_of(result: Any) -> Figures | None:
    """A result's figures (a stored one or a historical row), None for no result."""
    if result is None:
        return None
    return (result.value, result.numerator, result.denominator, result.commentary)


def result_differences(
    kpi: KpiDefinition, theirs: KpiResult | None, yours: Figures | None
) -> tuple[Difference, ...]:
    """A result as saved beside one an editor tried to save (None: no result)."""

    def shown(figures: Figures | None) -> tuple[str, str, str, str]:
        if figures is None:
            return ("", "", "", "")
        value, numerator, denominator, commentary = figures
        return (
            kpi.format(value),
            "" if numerator is None else plain_number(numerator),
            "" if denominator is None else plain_number(denominator),
            commentary,
        )

    before, after = shown(figures_of(theirs)), shown(yours)
    labels = ("Value", "Numerator", "Denominator", "Commentary")
    return tuple(
        Difference(label, before[index], after[index], long=label == "Commentary")
        for index, label in enumerate(labels)
    )


def result_change(
    kpi: KpiDefinition, period: Period, current: KpiResult | None, yours: Figures | None
) -> OtherChange:
    """Someone else's latest change to the KPI's result for the period (added, changed or
    removed), with their figures beside `yours`."""
    return other_change(
        record=f"{kpi.code}'s {period.label} result",
        history=KpiResult.history.filter(kpi_id=kpi.pk, period_id=period.pk),  # type: ignore[attr-defined]
        differences=result_differences(kpi, current, yours),
    )


def shown_figures(stamp: Stamp) -> Figures | bool | None:
    """The figures the editor was shown at `stamp`; False when they cannot be known."""
    if stamp.pk is None:
        return None
    shown = shown_record(KpiResult.history.all(), stamp)  # type: ignore[attr-defined]
    return False if shown is None else figures_of(shown)
