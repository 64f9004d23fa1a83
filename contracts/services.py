"""Writes to the contract configuration and the contract's finance."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction

from contracts.choices import (
    BusinessCaseTheme,
    ContractSumStatus,
    ForecastCategory,
    FundingBlock,
    InvestToSaveKind,
)
from contracts.models import (
    BusinessCase,
    BusinessCaseSaving,
    Contract,
    ContractSum,
    Council,
    CouncilShare,
    ForecastPressure,
    FundingAllocation,
    InvestToSaveLine,
    MtfpBuildUp,
    ShareSchedule,
)
from contracts.record import (
    periods_showing_block_tables,
    periods_showing_case,
    periods_showing_mtfp,
    periods_showing_year,
    periods_whose_split_changes,
)
from contracts.selectors import (
    forecast_for_period,
    funding_block,
    funding_blocks,
    invest_to_save,
    mtfp_net,
)
from nct_monitor.audit import attribute
from nct_monitor.concurrency import NEW, Difference, EditConflict, Stamp, other_change
from nct_monitor.finance import PENNY, format_pounds, to_decimal, validate_shares
from nct_monitor.models import FinancialYear, Period
from nct_monitor.periods import PeriodRef
from nct_monitor.records import periods_of_years, refuse_if_signed_off
from nct_monitor.selectors import get_year
from nct_monitor.services import require_open_period


@transaction.atomic
def set_council_shares(
    *,
    contract: Contract,
    effective_from: date,
    shares: Mapping[str, Decimal],
    note: str = "",
) -> ShareSchedule:
    """Record the councils' shares from a date; they must total exactly 100.00%.

    Shares are keyed by council short name. Setting shares again for the same date replaces
    them. Nothing is saved when any share is refused, nor when a signed-off period would show
    another split (see `contracts.record.periods_whose_split_changes`).
    """
    councils = {council.short_name: council for council in contract.councils.all()}
    unknown = sorted(set(shares) - set(councils))
    if unknown:
        verb = "is not a council" if len(unknown) == 1 else "are not councils"
        raise ValidationError(
            f"{', '.join(unknown)} {verb} of this contract; its councils are "
            f"{', '.join(sorted(councils))}."
        )
    missing = sorted(set(councils) - set(shares))
    if missing:
        raise ValidationError(f"Give a share for {', '.join(missing)}.")
    for short_name, value in shares.items():
        if value != value.quantize(Decimal("0.01")):
            raise ValidationError(
                {short_name: f"{short_name}'s share must have at most 2 decimals."}
            )
    try:
        validate_shares(shares)
    except ValueError as error:
        raise ValidationError(str(error)) from None
    refuse_if_signed_off(
        periods_whose_split_changes(
            contract=contract, effective_from=effective_from, shares=shares
        ),
        change=f"Setting the councils' shares from {effective_from:%-d %B %Y}",
        field="effective_from",
    )

    schedule, _ = ShareSchedule.objects.update_or_create(
        contract=contract, effective_from=effective_from, defaults={"note": note}
    )
    schedule.shares.exclude(council__short_name__in=list(shares)).delete()
    for short_name, percentage in shares.items():
        share = CouncilShare.objects.filter(schedule=schedule, council=councils[short_name]).first()
        if share is None:
            share = CouncilShare(schedule=schedule, council=councils[short_name])
        share.percentage = percentage
        share.full_clean()
        share.save()
    schedule.full_clean()
    return schedule


@transaction.atomic
def create_contract(
    *, name: str, provider: str, start_date: date, councils: Mapping[str, str]
) -> Contract:
    """A contract and its councils ({short name: full name}); existing councils are reused.

    No period's figures change: a contract has no shares until `set_council_shares` gives them.
    """
    contract = Contract(name=name, provider=provider, start_date=start_date)
    contract.full_clean()
    contract.save()
    for short_name, full_name in councils.items():
        council, _ = Council.objects.get_or_create(
            short_name=short_name, defaults={"name": full_name}
        )
        contract.councils.add(council)
    return contract


# --- The contract's finance -------------------------------------------------------------------
#
# Each write checks its figures and names the field of any it refuses; nothing is saved then.
# Rules that depend on totals (a block's balance, grants against funding, a stated total) are
# checked after the write, inside the same transaction, with the selector that pages and reports
# use, so the rule and the printed figure can never disagree; a refusal rolls the write back.

LARGEST_AMOUNT = Decimal("999999999999.99")


@dataclass(frozen=True)
class ForecastEntry:
    """One category of a period's forecast: the pressure (None for no line) and its note."""

    amount: Decimal | None
    note: str = ""


def _year(year: str | int | FinancialYear, field: str = "year") -> FinancialYear:
    try:
        return get_year(year)
    except ValidationError as error:
        raise ValidationError({field: error.messages}) from None


def _money(
    errors: dict[str, list[str]],
    field: str,
    label: str,
    value: object,
    *,
    allow_negative: bool = False,
) -> Decimal:
    """`value` as pounds and pence, or an error naming `label` added to `errors`."""
    try:
        amount = value if isinstance(value, Decimal) else to_decimal(value)
    except ValueError:
        errors.setdefault(field, []).append(f"{label} must be an amount in pounds, not {value!r}.")
        return Decimal(0)
    if not amount.is_finite():
        errors.setdefault(field, []).append(f"{label} must be an amount in pounds.")
        return Decimal(0)
    if abs(amount) > LARGEST_AMOUNT:
        # Checked first: a figure this large cannot even be rounded to the penny.
        errors.setdefault(field, []).append(f"{label} is too large.")
    elif amount != amount.quantize(PENNY):
        errors.setdefault(field, []).append(
            f"{label} must be in pounds and pence, with at most 2 decimal places, not {amount}."
        )
    elif not allow_negative and amount < 0:
        errors.setdefault(field, []).append(
            f"{label} must be £0 or more, not {format_pounds(amount)}."
        )
    return amount


def _raise(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(errors)


def _save(instance: models.Model, *, user: Any, reason: str | None = None) -> None:
    instance.full_clean()
    attribute(instance, user=user, reason=reason)
    instance.save()


def _changed(instance: models.Model, values: Mapping[str, Any]) -> bool:
    return any(getattr(instance, name) != value for name, value in values.items())


# Contract sums


def _contract_sum_values(
    *,
    block1: object,
    block2: object,
    block2_non_recurring: object,
    block3: object,
    status: str,
) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    values: dict[str, Any] = {
        "block1": _money(errors, "block1", "Block 1", block1),
        "block2": _money(errors, "block2", "Block 2", block2),
        "block2_non_recurring": _money(
            errors, "block2_non_recurring", "Block 2 non-recurring part", block2_non_recurring
        ),
        "block3": _money(errors, "block3", "Block 3", block3),
        "status": status,
    }
    if not errors and values["block2_non_recurring"] > values["block2"]:
        errors["block2_non_recurring"] = [
            f"The Block 2 non-recurring part ({format_pounds(values['block2_non_recurring'])}) "
            f"cannot be larger than Block 2 ({format_pounds(values['block2'])})."
        ]
    if status not in ContractSumStatus.values:
        errors["status"] = ["Status must be provisional or agreed."]
    _raise(errors)
    return values


CONTRACT_SUM_SHOWN = {"block1", "block2", "block2_non_recurring", "block3", "status"}


def _refuse_contract_sum_change(year: FinancialYear, changed: set[str], *, change: str) -> None:
    """Refuse when a signed-off period shows what changes: its blocks and status are on the
    dashboards of the year and the year before and in the year's appendix (with its notes);
    Blocks 2 and 3 are also the available funding of the business cases appendix's tables."""
    periods = Period.objects.none()
    if changed & CONTRACT_SUM_SHOWN:
        periods = periods | periods_showing_year([year.start_year])
    if "notes" in changed:
        periods = periods | periods_of_years([year.start_year])
    if changed & {"block2", "block3"}:
        periods = periods | periods_showing_block_tables([year.start_year])
    refuse_if_signed_off(periods, change=change)


def _check_blocks_cover_allocations(year: FinancialYear) -> None:
    errors: dict[str, list[str]] = {}
    for block in funding_blocks(year.start_year):
        if block.overallocated:
            errors[f"block{block.block}"] = [
                f"{block.block_label} for {block.year_label} cannot be "
                f"{format_pounds(block.available)}: {format_pounds(block.allocated)} of it is "
                "already allocated to business cases. Reduce those allocations first."
            ]
    _raise(errors)


@transaction.atomic
def create_contract_sum(
    *,
    year: str | int | FinancialYear,
    block1: Decimal,
    block2: Decimal = Decimal(0),
    block2_non_recurring: Decimal = Decimal(0),
    block3: Decimal = Decimal(0),
    status: str = ContractSumStatus.AGREED,
    notes: str = "",
    source: str = "",
    user: Any = None,
) -> ContractSum:
    """Record a financial year's contract sum (Block 1 + Block 2) and its Block 3 reserve.

    Refused, naming the field, for a year the contract does not have, a year that already has
    one, negative money, or a non-recurring part larger than Block 2.
    """
    financial_year = _year(year)
    values = _contract_sum_values(
        block1=block1,
        block2=block2,
        block2_non_recurring=block2_non_recurring,
        block3=block3,
        status=status,
    )
    if ContractSum.objects.filter(year=financial_year).exists():
        raise ValidationError(
            {"year": f"{financial_year.label} already has a contract sum: change that one."}
        )
    _refuse_contract_sum_change(
        financial_year,
        CONTRACT_SUM_SHOWN,
        change=f"Recording the {financial_year.label} contract sum",
    )
    contract_sum = ContractSum(year=financial_year, notes=notes, source=source, **values)
    _save(contract_sum, user=user)
    # Allocations made before the year had a contract sum must still fit.
    _check_blocks_cover_allocations(financial_year)
    return contract_sum


@transaction.atomic
def update_contract_sum(
    *,
    contract_sum: ContractSum,
    block1: Decimal,
    block2: Decimal,
    block2_non_recurring: Decimal,
    block3: Decimal,
    status: str,
    notes: str = "",
    source: str = "",
    user: Any = None,
    reason: str | None = None,
) -> ContractSum:
    """Change a contract sum. A block cannot go below what is already allocated from it.

    Refused while a signed-off period shows a figure, the status or the notes that change;
    its source can always be changed.
    """
    values = _contract_sum_values(
        block1=block1,
        block2=block2,
        block2_non_recurring=block2_non_recurring,
        block3=block3,
        status=status,
    )
    values |= {"notes": notes, "source": source}
    locked = ContractSum.objects.select_for_update().select_related("year").get(pk=contract_sum.pk)
    if not _changed(locked, values):
        return locked
    _refuse_contract_sum_change(
        locked.year,
        {name for name, value in values.items() if getattr(locked, name) != value},
        change=f"Changing the {locked.year.label} contract sum",
    )
    for name, value in values.items():
        setattr(locked, name, value)
    _save(locked, user=user, reason=reason)
    _check_blocks_cover_allocations(locked.year)
    return locked


# MTFP build-up

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


# Business cases


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


# Funding allocations


def _check_block_balance(
    *, year: FinancialYear, block: int, amount: Decimal, business_case: BusinessCase
) -> None:
    figures = funding_block(year.start_year, block)
    if figures.balance < 0:
        allocated_before = figures.allocated - amount
        raise ValidationError(
            {
                "amount": f"{figures.block_label} for {figures.year_label} has "
                f"{format_pounds(figures.available)} available and "
                f"{format_pounds(allocated_before)} already allocated, so "
                f"{format_pounds(figures.available - allocated_before)} is left: "
                f"{format_pounds(amount)} for {business_case.title} would take it below zero."
            }
        )


def _allocation_values(
    *, year: str | int | FinancialYear, block: int, amount: object
) -> tuple[FinancialYear, int, Decimal]:
    financial_year = _year(year)
    errors: dict[str, list[str]] = {}
    value = _money(errors, "amount", "Funding agreed", amount)
    if not errors and value <= 0:
        errors["amount"] = ["Funding agreed must be more than £0."]
    if block not in FundingBlock.values:
        errors["block"] = ["Funding block must be Block 2 or Block 3."]
    _raise(errors)
    return financial_year, int(block), value


def _refuse_allocation_change(
    business_case: BusinessCase, start_years: Iterable[int], *, change: str
) -> None:
    """A year's allocations are in the block totals of the dashboards of the year and the year
    before, in the case's row of the business cases appendix, and in the year's block tables
    of every appendix that has them."""
    years = list(start_years)
    refuse_if_signed_off(
        periods_showing_year(years)
        | periods_showing_block_tables(years, approved=[business_case.date_approved]),
        change=change,
    )


def _lock_contract_sum(year: FinancialYear) -> None:
    # Allocations from a year's blocks are serialised on its contract sum row, so two officers
    # allocating at once cannot both spend the same balance.
    list(ContractSum.objects.select_for_update().filter(year=year))


@transaction.atomic
def allocate_funding(
    *,
    business_case: BusinessCase,
    year: str | int | FinancialYear,
    block: int,
    amount: Decimal,
    note: str = "",
    user: Any = None,
) -> FundingAllocation:
    """Agree funding for a business case from Block 2 or Block 3 of a year.

    Refused, with the block, year, available, allocated and the amount, when it would take the
    block's balance below zero; and while a signed-off period shows the block or the case.
    """
    financial_year, block, value = _allocation_values(year=year, block=block, amount=amount)
    _lock_contract_sum(financial_year)
    if FundingAllocation.objects.filter(
        business_case=business_case, year=financial_year, block=block
    ).exists():
        raise ValidationError(
            {
                "block": f"{business_case.title} already has {FundingBlock(block).label} funding "
                f"in {financial_year.label}: change that allocation."
            }
        )
    _refuse_allocation_change(
        business_case,
        [financial_year.start_year],
        change=f"Allocating {FundingBlock(block).label} {financial_year.label} funding to "
        f"'{business_case.title}'",
    )
    allocation = FundingAllocation(
        business_case=business_case, year=financial_year, block=block, amount=value, note=note
    )
    _save(allocation, user=user)
    _check_block_balance(
        year=financial_year, block=block, amount=value, business_case=business_case
    )
    return allocation


@transaction.atomic
def update_funding_allocation(
    *,
    allocation: FundingAllocation,
    year: str | int | FinancialYear,
    block: int,
    amount: Decimal,
    note: str = "",
    user: Any = None,
) -> FundingAllocation:
    """Change an allocation; the block it ends in must still have the balance for it.

    Refused while a signed-off period shows the block it leaves or joins; its note can always
    be changed.
    """
    financial_year, block, value = _allocation_values(year=year, block=block, amount=amount)
    _lock_contract_sum(financial_year)
    locked = (
        FundingAllocation.objects.select_for_update()
        .select_related("business_case")
        .get(pk=allocation.pk)
    )
    if (
        FundingAllocation.objects.filter(
            business_case_id=locked.business_case_id, year=financial_year, block=block
        )
        .exclude(pk=locked.pk)
        .exists()
    ):
        raise ValidationError(
            {
                "block": f"{locked.business_case.title} already has {FundingBlock(block).label} "
                f"funding in {financial_year.label}: change that allocation."
            }
        )
    values = {"year_id": financial_year.pk, "block": block, "amount": value, "note": note}
    if _changed(locked, {name: values[name] for name in ("year_id", "block", "amount")}):
        _refuse_allocation_change(
            locked.business_case,
            [locked.year.start_year, financial_year.start_year],
            change=f"Changing the {locked.get_block_display()} {locked.year.label} funding of "
            f"'{locked.business_case.title}'",
        )
    if _changed(locked, values):
        for name, item in values.items():
            setattr(locked, name, item)
        _save(locked, user=user)
        _check_block_balance(
            year=financial_year, block=block, amount=value, business_case=locked.business_case
        )
    return locked


@transaction.atomic
def remove_funding_allocation(*, allocation: FundingAllocation, user: Any = None) -> None:
    """Withdraw an allocation, returning its amount to the block's balance."""
    _refuse_allocation_change(
        allocation.business_case,
        [allocation.year.start_year],
        change=f"Withdrawing the {allocation.get_block_display()} {allocation.year.label} "
        f"funding of '{allocation.business_case.title}'",
    )
    attribute(allocation, user=user, reason="Removed")
    allocation.delete()


# Invest to save


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


# Period finance forecast


def _forecast_period(period: Period | PeriodRef) -> Period:
    ref = period.ref if isinstance(period, Period) else period
    try:
        return require_open_period(year=ref.start_year, period=ref.number)
    except ValidationError as error:
        if getattr(error, "code", None) == "period_signed_off":
            raise
        raise ValidationError({"period": error.messages}) from None


@transaction.atomic
def set_period_forecast(
    *,
    period: Period | PeriodRef,
    pressures: Mapping[str, ForecastEntry],
    stated_total: Decimal | None = None,
    source: str = "",
    user: Any = None,
    expected: Mapping[str, Stamp] | None = None,
) -> list[ForecastPressure]:
    """Record a period's forecast outturn pressure by category; the total is computed.

    `pressures` maps each category given to its entry; an entry without an amount removes that
    category's line. A negative amount is an underspend. A signed-off period is refused. With
    `stated_total` (the total a report prints), lines that do not add up to it are refused with
    both figures. With `expected` (the version of each category's line the editor was shown;
    a category missing had none), a forecast saved after someone else added, changed or removed
    any of the period's lines is refused with an `EditConflict`, and nothing is written: the
    period's lines make one total, checked as a whole.
    """
    found = _forecast_period(period)
    errors: dict[str, list[str]] = {}
    amounts: dict[str, Decimal | None] = {}
    for category, entry in pressures.items():
        if category not in ForecastCategory.values:
            errors.setdefault("__all__", []).append(
                f"{category!r} is not a forecast category: use "
                + ", ".join(str(label).lower() for label in ForecastCategory.labels)
                + "."
            )
            continue
        label = ForecastCategory(category).label
        if entry.amount is None:
            if entry.note.strip():
                errors.setdefault(f"{category}_amount", []).append(
                    f"Enter the {label.lower()} pressure, or clear its note."
                )
            amounts[category] = None
            continue
        amounts[category] = _money(
            errors, f"{category}_amount", f"{label} pressure", entry.amount, allow_negative=True
        )
    _raise(errors)

    existing = {
        line.category: line
        for line in ForecastPressure.objects.select_for_update().filter(period=found)
    }
    if expected is not None:
        _check_forecast_versions(found, existing, expected, amounts, pressures, source)
    for category, amount in amounts.items():
        line = existing.get(category)
        if amount is None:
            if line is not None:
                attribute(line, user=user, reason="Removed")
                line.delete()
            continue
        note = pressures[category].note.strip()
        if line is None:
            line = ForecastPressure(period=found, category=category)
        elif not _changed(line, {"amount": amount, "note": note, "source": source}):
            continue
        if line.pk is not None:
            line.version += 1
        line.amount, line.note, line.source = amount, note, source
        _save(line, user=user)

    if stated_total is not None:
        figures = forecast_for_period(found)
        computed = figures.total if figures is not None else Decimal("0.00")
        if computed != stated_total:
            raise ValidationError(
                {
                    "stated_total": f"The total stated for {found.label} "
                    f"({format_pounds(stated_total)}) does not match the categories, which add "
                    f"up to {format_pounds(computed)}."
                }
            )
    return list(ForecastPressure.objects.filter(period=found))


def _check_forecast_versions(
    period: Period,
    existing: Mapping[str, ForecastPressure],
    expected: Mapping[str, Stamp],
    amounts: Mapping[str, Decimal | None],
    pressures: Mapping[str, ForecastEntry],
    source: str,
) -> None:
    """EditConflict naming each of the period's lines someone else changed since the editor
    was shown them."""
    changes = []
    for category in ForecastCategory:
        line = existing.get(category.value)
        if expected.get(category.value, NEW).matches(line):
            continue
        entry = pressures.get(category.value, ForecastEntry(None))
        yours_amount = amounts.get(category.value)
        changes.append(
            other_change(
                record=f"the {category.label.lower()} pressure of {period.label}",
                history=ForecastPressure.history.filter(  # type: ignore[attr-defined]
                    period_id=period.pk, category=category.value
                ),
                differences=(
                    Difference(
                        "Pressure",
                        format_pounds(line.amount) if line is not None else "",
                        format_pounds(yours_amount) if yours_amount is not None else "",
                    ),
                    Difference(
                        "What makes up the pressure",
                        line.note if line is not None else "",
                        entry.note.strip(),
                        long=True,
                    ),
                    Difference(
                        "Source", line.source if line is not None else "", source.strip(), long=True
                    ),
                ),
            )
        )
    if changes:
        raise EditConflict(changes)


@transaction.atomic
def create_period_forecast(
    *,
    period: Period | PeriodRef,
    pressures: Mapping[str, ForecastEntry],
    stated_total: Decimal | None = None,
    source: str = "",
    user: Any = None,
) -> list[ForecastPressure]:
    """Record the forecast of a period that has none yet (see `set_period_forecast`)."""
    found = _forecast_period(period)
    if ForecastPressure.objects.filter(period=found).exists():
        raise ValidationError(
            {"period": f"{found.label} already has a finance forecast: change that one."}
        )
    return set_period_forecast(
        period=found, pressures=pressures, stated_total=stated_total, source=source, user=user
    )
