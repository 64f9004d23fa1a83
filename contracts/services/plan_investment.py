"""Writes to the business plan's invest-to-save table and capital programme, and to the
footnotes printed beneath the finance tables."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from contracts.choices import FootnoteTable, PlanInvestmentKind
from contracts.models import FinanceFootnote, PlanInvestment
from contracts.record import periods_showing_mtfp
from contracts.selectors import plan_investment
from contracts.services._common import _changed, _money, _raise, _save, _year
from nct_monitor.finance import format_millions
from nct_monitor.models import FinancialYear
from nct_monitor.periods import parse_year, year_label
from nct_monitor.records import refuse_if_signed_off

# The totals a paper prints for the table, by part: revenue or capital.
SECTIONS = {
    "revenue": "Total invest to save / transformation",
    "capital": "Total capital programme",
}


def _refuse_if_shown(kind: str, start_year: int, *, change: str) -> None:
    # Revenue lines feed the projected profit and loss account that each period's contract sum
    # and MTFP appendix prints; the capital programme is printed by none.
    if kind != PlanInvestmentKind.CAPITAL:
        refuse_if_signed_off(periods_showing_mtfp(start_year), change=change)


def _amount_values(amount: object, tbc: bool) -> tuple[Decimal | None, bool]:
    errors: dict[str, list[str]] = {}
    if tbc and amount is not None:
        errors["amount"] = ["Give an amount or mark the line to be confirmed, not both."]
    elif not tbc and amount is None:
        errors["amount"] = ["Enter the amount, or mark the line to be confirmed."]
    value = None if amount is None else _money(errors, "amount", "Amount", amount)
    _raise(errors)
    return value, tbc


@transaction.atomic
def create_plan_investment(
    *,
    kind: str,
    title: str,
    year: str | int | FinancialYear,
    amount: Decimal | None,
    tbc: bool = False,
    position: int = 0,
    notes: str = "",
    source: str = "",
    user: Any = None,
) -> PlanInvestment:
    """Record a line of the business plan's invest-to-save table for a year.

    The amount is in pounds, or None with `tbc` while the plan has not costed it. Revenue lines
    are refused while a signed-off period's MTFP appendix shows the year.
    """
    financial_year = _year(year)
    errors: dict[str, list[str]] = {}
    if kind not in PlanInvestmentKind.values:
        errors["kind"] = [
            "Say whether the line is service improvement, the transformation reserve or capital."
        ]
    name = " ".join((title or "").split())
    if not name:
        errors["title"] = ["Enter the line's title, as the business plan prints it."]
    _raise(errors)
    value, tbc = _amount_values(amount, tbc)
    if PlanInvestment.objects.filter(kind=kind, title__iexact=name, year=financial_year).exists():
        raise ValidationError(
            {"year": f"{name} already has an amount for {financial_year.label}: change that one."}
        )
    _refuse_if_shown(
        kind,
        financial_year.start_year,
        change=f"Recording {name} for {financial_year.label}",
    )
    line = PlanInvestment(
        kind=kind,
        title=name,
        year=financial_year,
        amount=value,
        tbc=tbc,
        position=position,
        notes=notes,
        source=source,
    )
    _save(line, user=user)
    return line


@transaction.atomic
def update_plan_investment(
    *,
    line: PlanInvestment,
    amount: Decimal | None,
    tbc: bool = False,
    notes: str = "",
    source: str = "",
    user: Any = None,
) -> PlanInvestment:
    """Change a line's amount for its year (or mark it to be confirmed), notes and source."""
    value, tbc = _amount_values(amount, tbc)
    locked = PlanInvestment.objects.select_for_update().select_related("year").get(pk=line.pk)
    if _changed(locked, {"amount": value, "tbc": tbc}):
        _refuse_if_shown(
            locked.kind, locked.year.start_year, change=f"Changing {locked.title} {locked.year}"
        )
    values = {"amount": value, "tbc": tbc, "notes": notes, "source": source}
    if _changed(locked, values):
        for name, new in values.items():
            setattr(locked, name, new)
        _save(locked, user=user)
    return locked


@dataclass(frozen=True)
class PlanInvestmentEntry:
    """A line of the table as a paper prints it: None for an amount to be confirmed."""

    kind: str
    title: str
    amounts: Mapping[str, Decimal | None]
    notes: str = ""


def check_plan_investment_totals(stated: Mapping[tuple[str, str], Decimal | None]) -> None:
    """Refuse totals a paper prints that the recorded lines do not add up to.

    `stated` maps (part, year) to the printed total, part "revenue" or "capital"; the message
    names the total, the year, the printed figure and the computed one.
    """
    figures = plan_investment()
    errors: list[str] = []
    for (section, year), printed in stated.items():
        if section not in SECTIONS:
            errors.append(f"There is no total of {section!r}: use revenue or capital.")
            continue
        row = figures.revenue_total if section == "revenue" else figures.capital_total
        start_year = parse_year(year)
        computed = row.amount(start_year)
        if printed != computed:
            errors.append(
                f"{SECTIONS[section]}, {year_label(start_year)}: the paper prints "
                f"{format_millions(printed) if printed is not None else 'TBC'} but the lines add "
                f"up to {format_millions(computed) if computed is not None else 'TBC'}."
            )
    if errors:
        raise ValidationError({"stated_total": errors})


@transaction.atomic
def record_plan_investment_table(
    *,
    lines: Sequence[PlanInvestmentEntry],
    stated_totals: Mapping[tuple[str, str], Decimal | None],
    source: str = "",
    user: Any = None,
) -> list[PlanInvestment]:
    """Record the lines of the business plan's table that are not yet recorded, then check the
    totals it prints against the lines; a mismatch writes nothing."""
    created = []
    for position, entry in enumerate(lines, start=1):
        for year, amount in entry.amounts.items():
            if PlanInvestment.objects.filter(
                kind=entry.kind, title__iexact=entry.title, year__start_year=parse_year(year)
            ).exists():
                continue
            created.append(
                create_plan_investment(
                    kind=entry.kind,
                    title=entry.title,
                    year=year,
                    amount=amount,
                    tbc=amount is None,
                    position=position,
                    notes=entry.notes,
                    source=source,
                    user=user,
                )
            )
    check_plan_investment_totals(stated_totals)
    return created


@transaction.atomic
def create_finance_footnote(
    *,
    table: str,
    marker: str,
    text: str,
    refers_to: str = "",
    position: int = 0,
    source: str = "",
    user: Any = None,
) -> FinanceFootnote:
    """Record a footnote a paper prints beneath a finance table, to be shown beneath it."""
    errors: dict[str, list[str]] = {}
    if table not in FootnoteTable.values:
        errors["table"] = [f"There is no finance table {table!r}."]
    if not (marker or "").strip():
        errors["marker"] = ["Enter the marker the table prints, such as * or Note 4."]
    if not (text or "").strip():
        errors["text"] = ["Enter the footnote's text."]
    _raise(errors)
    if FinanceFootnote.objects.filter(table=table, marker=marker.strip()).exists():
        raise ValidationError(
            {"marker": f"That table already has a footnote marked {marker.strip()}."}
        )
    note = FinanceFootnote(
        table=table,
        marker=marker.strip(),
        refers_to=refers_to.strip(),
        text=text.strip(),
        position=position,
        source=source,
    )
    _save(note, user=user)
    return note
