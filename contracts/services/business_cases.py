"""Writes to business cases and the savings each is to make to the contract sum."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from contracts.choices import BusinessCaseTheme
from contracts.models import BusinessCase, BusinessCaseSaving
from contracts.record import periods_showing_block_tables, periods_showing_case
from contracts.services._common import _changed, _money, _raise, _save, _year
from nct_monitor.audit import attribute
from nct_monitor.models import FinancialYear
from nct_monitor.records import refuse_if_signed_off


def _business_case_values(
    *,
    theme: str,
    title: str,
    additional_benefits: Decimal | None,
    additional_benefits_tbc: bool,
    exclude_pk: int | None = None,
) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    title = " ".join((title or "").split())
    if not title:
        errors["title"] = ["Enter the project title."]
    elif (
        BusinessCase.objects.filter(title__iexact=title)
        .exclude(pk=exclude_pk or 0)  # a new case has no pk yet; pks start at 1
        .exists()
    ):
        errors["title"] = [f"There is already a business case called {title!r}."]
    if theme not in BusinessCaseTheme.values:
        errors["theme"] = [
            "Theme must be one of " + ", ".join(str(label) for label in BusinessCaseTheme.labels)
        ]
    benefits = None
    if additional_benefits is not None:
        benefits = _money(errors, "additional_benefits", "Additional benefits", additional_benefits)
        if additional_benefits_tbc:
            errors.setdefault("additional_benefits", []).append(
                "Give an amount of additional benefits or mark them to be confirmed, not both."
            )
    _raise(errors)
    return {
        "theme": theme,
        "title": title,
        "additional_benefits": benefits,
        "additional_benefits_tbc": additional_benefits_tbc,
    }


# What the business cases appendix prints of a case; its notes and source are not printed.
BUSINESS_CASE_SHOWN = (
    "theme",
    "title",
    "date_approved",
    "additional_benefits",
    "additional_benefits_tbc",
    "duration",
)


def _refuse_saving_change(business_case: BusinessCase, *, change: str) -> None:
    """A case's savings are printed by the appendix of every period from its approval on."""
    refuse_if_signed_off(periods_showing_case(business_case.date_approved), change=change)


@transaction.atomic
def create_business_case(
    *,
    theme: str,
    title: str,
    date_approved: date,
    additional_benefits: Decimal | None = None,
    additional_benefits_tbc: bool = False,
    duration: str = "",
    notes: str = "",
    source: str = "",
    user: Any = None,
) -> BusinessCase:
    """Record a business case the Transformation & Efficiency Board approved.

    Refused when a signed-off period's business cases appendix would list it: one from the
    period it was approved in on.
    """
    values = _business_case_values(
        theme=theme,
        title=title,
        additional_benefits=additional_benefits,
        additional_benefits_tbc=additional_benefits_tbc,
    )
    refuse_if_signed_off(
        periods_showing_case(date_approved),
        change=f"Recording the business case '{values['title']}', approved on "
        f"{date_approved:%-d %B %Y},",
    )
    case = BusinessCase(
        date_approved=date_approved, duration=duration, notes=notes, source=source, **values
    )
    _save(case, user=user)
    return case


@transaction.atomic
def update_business_case(
    *,
    business_case: BusinessCase,
    theme: str,
    title: str,
    date_approved: date,
    additional_benefits: Decimal | None = None,
    additional_benefits_tbc: bool = False,
    duration: str = "",
    notes: str = "",
    source: str = "",
    user: Any = None,
) -> BusinessCase:
    """Change a business case's details (its savings and funding have their own services).

    Refused while a signed-off period's appendix lists the case or names it in a funding
    block's table, unless only its notes or source change.
    """
    values = _business_case_values(
        theme=theme,
        title=title,
        additional_benefits=additional_benefits,
        additional_benefits_tbc=additional_benefits_tbc,
        exclude_pk=business_case.pk,
    )
    values |= {
        "date_approved": date_approved,
        "duration": duration,
        "notes": notes,
        "source": source,
    }
    locked = BusinessCase.objects.select_for_update().get(pk=business_case.pk)
    if _changed(locked, {name: values[name] for name in BUSINESS_CASE_SHOWN}):
        funded = locked.allocations.values_list("year__start_year", flat=True)
        refuse_if_signed_off(
            periods_showing_case(locked.date_approved, date_approved)
            | periods_showing_block_tables(list(funded), approved=[date_approved]),
            change=f"Changing the business case '{locked.title}'",
        )
    if _changed(locked, values):
        for name, value in values.items():
            setattr(locked, name, value)
        _save(locked, user=user)
    return locked


@transaction.atomic
def set_business_case_saving(
    *,
    business_case: BusinessCase,
    year: str | int | FinancialYear,
    amount: Decimal,
    user: Any = None,
) -> BusinessCaseSaving:
    """Record (or change) the saving a business case is to make to a year's contract sum."""
    financial_year = _year(year)
    errors: dict[str, list[str]] = {}
    value = _money(errors, "amount", "Contract sum saving", amount)
    _raise(errors)
    saving = (
        BusinessCaseSaving.objects.select_for_update()
        .filter(business_case=business_case, year=financial_year)
        .first()
    ) or BusinessCaseSaving(business_case=business_case, year=financial_year)
    if saving.pk is None or saving.amount != value:
        _refuse_saving_change(
            business_case,
            change=f"{'Recording' if saving.pk is None else 'Changing'} the "
            f"{financial_year.label} saving of '{business_case.title}'",
        )
        saving.amount = value
        _save(saving, user=user)
    return saving


@transaction.atomic
def update_business_case_saving(
    *,
    saving: BusinessCaseSaving,
    year: str | int | FinancialYear,
    amount: Decimal,
    user: Any = None,
) -> BusinessCaseSaving:
    """Change a saving's year or amount; a case has one saving per year."""
    financial_year = _year(year)
    errors: dict[str, list[str]] = {}
    value = _money(errors, "amount", "Contract sum saving", amount)
    _raise(errors)
    locked = (
        BusinessCaseSaving.objects.select_for_update(of=("self",))
        .select_related("business_case", "year")
        .get(pk=saving.pk)
    )
    if (
        BusinessCaseSaving.objects.filter(
            business_case_id=locked.business_case_id, year=financial_year
        )
        .exclude(pk=locked.pk)
        .exists()
    ):
        raise ValidationError(
            {"year": f"This business case already has a saving for {financial_year.label}."}
        )
    if _changed(locked, {"year_id": financial_year.pk, "amount": value}):
        _refuse_saving_change(
            locked.business_case,
            change=f"Changing the {locked.year.label} saving of '{locked.business_case.title}'",
        )
        locked.year = financial_year
        locked.amount = value
        _save(locked, user=user)
    return locked


@transaction.atomic
def remove_business_case_saving(*, saving: BusinessCaseSaving, user: Any = None) -> None:
    """Take a year's saving off a business case (its history keeps the record)."""
    _refuse_saving_change(
        saving.business_case,
        change=f"Removing the {saving.year.label} saving of '{saving.business_case.title}'",
    )
    attribute(saving, user=user, reason="Removed")
    saving.delete()
