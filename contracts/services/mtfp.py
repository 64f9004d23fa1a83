"""Writes to a year's MTFP build-up of the contract sum."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from contracts.models import MtfpBuildUp
from contracts.record import periods_showing_mtfp
from contracts.selectors import mtfp_net
from contracts.services._common import _changed, _money, _raise, _save, _year
from nct_monitor.finance import format_pounds
from nct_monitor.models import FinancialYear
from nct_monitor.records import refuse_if_signed_off

MTFP_FIELDS = {
    "initial_sum": "Initial contract sum",
    "inflation_staffing": "Inflation: staffing",
    "inflation_placements": "Inflation: placements",
    "inflation_other": "Inflation: other",
    "demand_staffing": "Demand-led pressures: staffing",
    "demand_placements": "Demand-led pressures: placements",
    "demand_other": "Demand-led pressures: other",
    "savings": "Savings",
}


def _mtfp_values(figures: Mapping[str, object]) -> dict[str, Decimal]:
    errors: dict[str, list[str]] = {}
    values = {
        field: _money(errors, field, label, figures.get(field, Decimal(0)))
        for field, label in MTFP_FIELDS.items()
    }
    _raise(errors)
    return values


def _check_stated_net(build_up: MtfpBuildUp, stated_net: Decimal | None) -> None:
    if stated_net is None:
        return
    computed = mtfp_net(build_up)
    if stated_net != computed:
        raise ValidationError(
            {
                "stated_net": f"The net contract sum stated for {build_up.year.label} "
                f"({format_pounds(stated_net)}) does not match the build-up, which gives "
                f"{format_pounds(computed)}."
            }
        )


@transaction.atomic
def create_mtfp_build_up(
    *,
    year: str | int | FinancialYear,
    initial_sum: Decimal,
    inflation_staffing: Decimal = Decimal(0),
    inflation_placements: Decimal = Decimal(0),
    inflation_other: Decimal = Decimal(0),
    demand_staffing: Decimal = Decimal(0),
    demand_placements: Decimal = Decimal(0),
    demand_other: Decimal = Decimal(0),
    savings: Decimal = Decimal(0),
    notes: str = "",
    source: str = "",
    stated_net: Decimal | None = None,
    user: Any = None,
) -> MtfpBuildUp:
    """Record how the MTFP builds a year's contract sum; the net sum is computed.

    `savings` is the amount taken off, as a positive figure. With `stated_net` (the net sum a
    paper prints), a build-up that does not give it is refused with both figures.
    """
    financial_year = _year(year)
    values = _mtfp_values(
        {
            "initial_sum": initial_sum,
            "inflation_staffing": inflation_staffing,
            "inflation_placements": inflation_placements,
            "inflation_other": inflation_other,
            "demand_staffing": demand_staffing,
            "demand_placements": demand_placements,
            "demand_other": demand_other,
            "savings": savings,
        }
    )
    if MtfpBuildUp.objects.filter(year=financial_year).exists():
        raise ValidationError(
            {"year": f"{financial_year.label} already has an MTFP build-up: change that one."}
        )
    # Each period's appendix shows the MTFP of its year and every later year.
    refuse_if_signed_off(
        periods_showing_mtfp(financial_year.start_year),
        change=f"Recording the {financial_year.label} MTFP build-up",
    )
    build_up = MtfpBuildUp(year=financial_year, notes=notes, source=source, **values)
    _check_stated_net(build_up, stated_net)
    _save(build_up, user=user)
    return build_up


@transaction.atomic
def update_mtfp_build_up(
    *,
    build_up: MtfpBuildUp,
    figures: Mapping[str, Decimal],
    notes: str = "",
    source: str = "",
    stated_net: Decimal | None = None,
    user: Any = None,
) -> MtfpBuildUp:
    """Change a year's MTFP build-up: `figures` holds every amount (see `MTFP_FIELDS`).

    Refused while a signed-off period of the year or an earlier one shows the amounts (its
    appendix shows the MTFP from its year on); notes and source can always be changed.
    """
    values: dict[str, Any] = dict(_mtfp_values(figures))
    locked = MtfpBuildUp.objects.select_for_update().select_related("year").get(pk=build_up.pk)
    values |= {"notes": notes, "source": source}
    changed = _changed(locked, values)
    if _changed(locked, {name: values[name] for name in MTFP_FIELDS}):
        refuse_if_signed_off(
            periods_showing_mtfp(locked.year.start_year),
            change=f"Changing the {locked.year.label} MTFP build-up",
        )
    for name, value in values.items():
        setattr(locked, name, value)
    _check_stated_net(locked, stated_net)
    if changed:
        _save(locked, user=user)
    return locked
