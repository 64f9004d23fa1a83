"""Writes to invest-to-save funding and the grants that offset it."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from contracts.choices import InvestToSaveKind
from contracts.models import InvestToSaveLine
from contracts.record import periods_showing_year
from contracts.selectors import invest_to_save
from contracts.services._common import _changed, _money, _raise, _save, _year
from nct_monitor.finance import format_pounds
from nct_monitor.models import FinancialYear
from nct_monitor.records import refuse_if_signed_off


def _programme_name(programme: str) -> str:
    """The programme's name as first recorded, so one programme is never split by spelling."""
    name = " ".join((programme or "").split())
    existing = (
        InvestToSaveLine.objects.filter(programme__iexact=name)
        .values_list("programme", flat=True)
        .first()
    )
    return existing or name


def _check_grants_within_funding(groups: Iterable[tuple[str, int]]) -> None:
    for programme, start_year in set(groups):
        for figures in invest_to_save(start_year=start_year, programme=programme):
            if figures.net < 0:
                raise ValidationError(
                    {
                        "amount": f"Grants for {figures.programme} in {figures.year_label} "
                        f"would be {format_pounds(figures.grants_total)}, more than its funding "
                        f"of {format_pounds(figures.funding_total)}: a grant offsets funding, "
                        "so it cannot be larger."
                    }
                )


def _invest_to_save_values(
    *, programme: str, year: str | int | FinancialYear, kind: str, title: str, amount: object
) -> dict[str, Any]:
    financial_year = _year(year)
    errors: dict[str, list[str]] = {}
    name = _programme_name(programme)
    if not name:
        errors["programme"] = ["Enter the programme."]
    if kind not in InvestToSaveKind.values:
        errors["kind"] = ["Say whether the line is funding or an offsetting grant."]
    if not (title or "").strip():
        errors["title"] = ["Enter a description of the funding or grant."]
    value = _money(errors, "amount", "Amount", amount)
    _raise(errors)
    return {
        "programme": name,
        "year": financial_year,
        "kind": kind,
        "title": title.strip(),
        "amount": value,
    }


@transaction.atomic
def create_invest_to_save_line(
    *,
    programme: str,
    year: str | int | FinancialYear,
    kind: str,
    title: str,
    amount: Decimal,
    notes: str = "",
    source: str = "",
    user: Any = None,
) -> InvestToSaveLine:
    """Record invest-to-save funding, or a grant that offsets it, for a programme and year.

    A programme's grants in a year cannot add up to more than its funding. Refused while a
    signed-off period's dashboard shows the programme's year.
    """
    values = _invest_to_save_values(
        programme=programme, year=year, kind=kind, title=title, amount=amount
    )
    refuse_if_signed_off(
        periods_showing_year([values["year"].start_year]),
        change=f"Recording invest-to-save {values['kind']} for {values['programme']} "
        f"{values['year'].label}",
    )
    line = InvestToSaveLine(notes=notes, source=source, **values)
    _save(line, user=user)
    _check_grants_within_funding([(line.programme, line.year.start_year)])
    return line


@transaction.atomic
def update_invest_to_save_line(
    *,
    line: InvestToSaveLine,
    programme: str,
    year: str | int | FinancialYear,
    kind: str,
    title: str,
    amount: Decimal,
    notes: str = "",
    source: str = "",
    user: Any = None,
) -> InvestToSaveLine:
    """Change an invest-to-save line; grants must still be covered by funding afterwards.

    Refused while a signed-off period's dashboard shows the programme's totals for the year
    the line leaves or joins; its description, notes and source are not shown there.
    """
    values = _invest_to_save_values(
        programme=programme, year=year, kind=kind, title=title, amount=amount
    )
    values |= {"notes": notes, "source": source}
    locked = InvestToSaveLine.objects.select_for_update().select_related("year").get(pk=line.pk)
    before = (locked.programme, locked.year.start_year)
    if _changed(locked, {name: values[name] for name in ("programme", "year", "kind", "amount")}):
        refuse_if_signed_off(
            periods_showing_year([locked.year.start_year, values["year"].start_year]),
            change=f"Changing the invest-to-save line '{locked.title}'",
        )
    if _changed(locked, values):
        for name, value in values.items():
            setattr(locked, name, value)
        _save(locked, user=user)
        _check_grants_within_funding([before, (locked.programme, locked.year.start_year)])
    return locked
