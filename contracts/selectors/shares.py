"""Reads of the contract, its councils and their shares, and the `ShareBook` that
looks up the split for many dates at once.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal

from django.db.models import QuerySet

from contracts.models import Contract, Council, ShareSchedule
from nct_monitor.finance import PENNY, apportion
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


class ShareBook:
    """Every share schedule of the contract, loaded once, to look up the split for many dates."""

    def __init__(self, contract: Contract | None = None) -> None:
        contract = contract or get_contract()
        schedules = (
            list(
                ShareSchedule.objects.filter(contract=contract)
                .prefetch_related("shares__council")
                .order_by("effective_from")
            )
            if contract is not None
            else []
        )
        self._schedules = [(s.effective_from, s.as_mapping()) for s in schedules]

    @classmethod
    def of(cls, schedules: Iterable[tuple[date, Mapping[str, Decimal]]]) -> ShareBook:
        """A book of the given (effective from, shares) pairs, as a schedule change would
        leave them, without reading the database."""
        book = cls.__new__(cls)
        book._schedules = sorted(
            ((day, dict(shares)) for day, shares in schedules), key=lambda item: item[0]
        )
        return book

    def on(self, day: date) -> dict[str, Decimal]:
        """As `shares_on`: the latest schedule from `day` or before, else the earliest."""
        if not self._schedules:
            return {}
        chosen = self._schedules[0][1]
        for effective_from, shares in self._schedules:
            if effective_from <= day:
                chosen = shares
        return dict(chosen)

    def for_year(self, start_year: int) -> dict[str, Decimal]:
        return self.on(date(start_year, 4, 1))

    def for_period(self, ref: PeriodRef) -> dict[str, Decimal]:
        return self.on(ref.month_start)


def split(amount: Decimal, shares: Mapping[str, Decimal]) -> dict[str, Decimal]:
    """Each council's part of `amount` to the penny, or {} while no shares are set."""
    if not shares:
        return {}
    return {council: part.quantize(PENNY) for council, part in apportion(amount, shares).items()}


def councils() -> QuerySet[Council]:
    """Every council, by short name: to choose one, or to find one by its short name."""
    return Council.objects.all()


def council_names(contract: Contract | None = None) -> list[str]:
    """The short names of the contract's councils, for a column each."""
    contract = contract or get_contract()
    if contract is None:
        return []
    return list(contract.councils.order_by("short_name").values_list("short_name", flat=True))
