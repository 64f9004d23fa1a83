"""Reads of the contract and the councils' shares."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from contracts.models import Contract, ShareSchedule
from nct_monitor.periods import PeriodRef


def get_contract() -> Contract | None:
    """The contract NCT Monitor monitors (the first, and in practice the only, one)."""
    return Contract.objects.order_by("pk").first()


def share_schedule_on(day: date, *, contract: Contract | None = None) -> ShareSchedule | None:
    """The schedule in force on `day`: the latest from that day or before, else the earliest."""
    contract = contract or get_contract()
    if contract is None:
        return None
    schedules = ShareSchedule.objects.filter(contract=contract).prefetch_related("shares__council")
    return (
        schedules.filter(effective_from__lte=day).order_by("-effective_from").first()
        or schedules.order_by("effective_from").first()
    )


def shares_on(day: date, *, contract: Contract | None = None) -> dict[str, Decimal]:
    """{"NNC": Decimal("44.16"), "WNC": Decimal("55.84")} in force on `day`; {} if none set."""
    schedule = share_schedule_on(day, contract=contract)
    return schedule.as_mapping() if schedule is not None else {}


def shares_for_year(start_year: int, *, contract: Contract | None = None) -> dict[str, Decimal]:
    """The shares in force at the start (1 April) of a financial year."""
    return shares_on(date(start_year, 4, 1), contract=contract)


def shares_for_period(ref: PeriodRef, *, contract: Contract | None = None) -> dict[str, Decimal]:
    """The shares in force in the month of a period."""
    return shares_on(ref.month_start, contract=contract)


def share_schedules(contract: Contract) -> list[ShareSchedule]:
    return list(
        contract.share_schedules.prefetch_related("shares__council").order_by("-effective_from")
    )
