"""Reads of the contract, the councils' shares and the contract's finance."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import models
from django.db.models import QuerySet

from contracts.choices import ForecastCategory, FundingBlock, InvestToSaveKind
from contracts.models import (
    BusinessCase,
    BusinessCaseSaving,
    Contract,
    ContractSum,
    ForecastPressure,
    FundingAllocation,
    InvestToSaveLine,
    MtfpBuildUp,
    ShareSchedule,
)
from nct_monitor.finance import PENNY, apportion, format_millions
from nct_monitor.models import Period
from nct_monitor.periods import PeriodRef, year_label


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


# --- The contract's finance -------------------------------------------------------------------
#
# Each selector below returns plain dataclasses holding the stored figures, every total computed
# from them, and each council's part from `apportion`. Pages, exports, committee appendices and
# the dashboard all read these, so the same figure is printed everywhere. Each runs a fixed
# number of queries, whatever the number of rows.


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


def council_names(contract: Contract | None = None) -> list[str]:
    """The short names of the contract's councils, for a column each."""
    contract = contract or get_contract()
    if contract is None:
        return []
    return list(contract.councils.order_by("short_name").values_list("short_name", flat=True))


ZERO = Decimal("0.00")


def _total(amounts: Iterable[Decimal]) -> Decimal:
    return sum(amounts, ZERO)


# Contract sums


@dataclass(frozen=True)
class ContractSumFigures:
    """A year's contract sum: its blocks, the sum computed, and the councils' parts."""

    pk: int
    start_year: int
    year_label: str
    status: str
    status_label: str
    block1: Decimal
    block2: Decimal
    block2_non_recurring: Decimal
    block3: Decimal
    notes: str
    source: str
    shares: dict[str, Decimal]
    contract_sum: Decimal
    block2_recurring: Decimal
    contract_sum_shares: dict[str, Decimal]
    block3_shares: dict[str, Decimal]


def _contract_sum_figures(record: ContractSum, book: ShareBook) -> ContractSumFigures:
    shares = book.for_year(record.year.start_year)
    contract_sum = record.block1 + record.block2
    return ContractSumFigures(
        pk=record.pk,
        start_year=record.year.start_year,
        year_label=record.year.label,
        status=record.status,
        status_label=record.get_status_display(),
        block1=record.block1,
        block2=record.block2,
        block2_non_recurring=record.block2_non_recurring,
        block3=record.block3,
        notes=record.notes,
        source=record.source,
        shares=shares,
        contract_sum=contract_sum,
        block2_recurring=record.block2 - record.block2_non_recurring,
        contract_sum_shares=split(contract_sum, shares),
        block3_shares=split(record.block3, shares),
    )


def contract_sums(queryset: QuerySet[ContractSum] | None = None) -> list[ContractSumFigures]:
    """Contract sums (all, or those of `queryset`), earliest year first."""
    records = (queryset if queryset is not None else ContractSum.objects.all()).select_related(
        "year"
    )
    book = ShareBook()
    return [_contract_sum_figures(record, book) for record in records]


def contract_sum_for_year(start_year: int) -> ContractSumFigures | None:
    """The contract sum of the year starting in `start_year`, or None when none is recorded."""
    found = contract_sums(ContractSum.objects.filter(year__start_year=start_year))
    return found[0] if found else None


def current_contract_sum(today: date | None = None) -> ContractSumFigures | None:
    """The contract sum of the current financial year, else of the latest year before it."""
    today = today or date.today()
    current_year = today.year if today.month >= 4 else today.year - 1
    latest = (
        ContractSum.objects.filter(year__start_year__lte=current_year)
        .order_by("-year__start_year")
        .first()
    )
    return contract_sum_for_year(latest.year.start_year) if latest is not None else None


# MTFP build-up


@dataclass(frozen=True)
class MtfpFigures:
    """A year's MTFP build-up with its totals and net contract sum computed.

    `previous_net` is what the year's initial sum is checked against: the previous year's net
    MTFP sum, or (with no MTFP for that year) the previous year's Block 1 contract sum.
    """

    pk: int
    start_year: int
    year_label: str
    initial_sum: Decimal
    inflation_staffing: Decimal
    inflation_placements: Decimal
    inflation_other: Decimal
    demand_staffing: Decimal
    demand_placements: Decimal
    demand_other: Decimal
    savings: Decimal
    notes: str
    source: str
    shares: dict[str, Decimal]
    inflation_total: Decimal
    demand_total: Decimal
    net_sum: Decimal
    net_shares: dict[str, Decimal]
    previous_net: Decimal | None
    previous_net_label: str
    block1: Decimal | None

    @property
    def initial_difference(self) -> Decimal | None:
        """Initial sum less what it should carry forward; None when there is nothing to check."""
        if self.previous_net is None:
            return None
        return self.initial_sum - self.previous_net

    @property
    def initial_differs(self) -> bool:
        return bool(self.initial_difference)

    @property
    def block1_difference(self) -> Decimal | None:
        """Net MTFP sum less the year's Block 1 contract sum, when one is recorded."""
        return None if self.block1 is None else self.net_sum - self.block1

    def steps(self) -> list[tuple[str, Decimal]]:
        """The build-up from the initial to the net sum, as signed steps."""
        return [
            ("Inflation: staffing", self.inflation_staffing),
            ("Inflation: placements", self.inflation_placements),
            ("Inflation: other", self.inflation_other),
            ("Demand: staffing", self.demand_staffing),
            ("Demand: placements", self.demand_placements),
            ("Demand: other", self.demand_other),
            ("Savings", -self.savings),
        ]


def mtfp_inflation(record: MtfpBuildUp) -> Decimal:
    return record.inflation_staffing + record.inflation_placements + record.inflation_other


def mtfp_demand(record: MtfpBuildUp) -> Decimal:
    return record.demand_staffing + record.demand_placements + record.demand_other


def mtfp_net(record: MtfpBuildUp) -> Decimal:
    """The net contract sum: initial sum + inflation + demand-led pressures − savings."""
    return record.initial_sum + mtfp_inflation(record) + mtfp_demand(record) - record.savings


def mtfp_for_years(
    start_years: Iterable[int] | None = None,
    *,
    queryset: QuerySet[MtfpBuildUp] | None = None,
) -> list[MtfpFigures]:
    """MTFP build-ups (all, those of `start_years`, or of `queryset`), earliest year first."""
    # Every year is read, so each initial sum is checked against the year before even when
    # that year is not among those asked for.
    everything = list(MtfpBuildUp.objects.select_related("year").order_by("year__start_year"))
    nets = {record.year.start_year: mtfp_net(record) for record in everything}
    chosen = everything
    if queryset is not None:
        wanted = set(queryset.values_list("pk", flat=True))
        chosen = [record for record in chosen if record.pk in wanted]
    if start_years is not None:
        years = set(start_years)
        chosen = [record for record in chosen if record.year.start_year in years]
    block1s = dict(ContractSum.objects.values_list("year__start_year", "block1"))
    book = ShareBook()
    result = []
    for record in chosen:
        start_year = record.year.start_year
        shares = book.for_year(start_year)
        inflation = mtfp_inflation(record)
        demand = mtfp_demand(record)
        net = nets[start_year]
        previous_label = year_label(start_year - 1)
        if start_year - 1 in nets:
            previous_net: Decimal | None = nets[start_year - 1]
            previous_text = f"{previous_label} net contract sum (MTFP)"
        elif start_year - 1 in block1s:
            previous_net = block1s[start_year - 1]
            previous_text = f"{previous_label} contract sum, Block 1"
        else:
            previous_net, previous_text = None, ""
        result.append(
            MtfpFigures(
                pk=record.pk,
                start_year=start_year,
                year_label=record.year.label,
                initial_sum=record.initial_sum,
                inflation_staffing=record.inflation_staffing,
                inflation_placements=record.inflation_placements,
                inflation_other=record.inflation_other,
                demand_staffing=record.demand_staffing,
                demand_placements=record.demand_placements,
                demand_other=record.demand_other,
                savings=record.savings,
                notes=record.notes,
                source=record.source,
                shares=shares,
                inflation_total=inflation,
                demand_total=demand,
                net_sum=net,
                net_shares=split(net, shares),
                previous_net=previous_net,
                previous_net_label=previous_text,
                block1=block1s.get(start_year),
            )
        )
    return result


# Business cases and funding blocks


@dataclass(frozen=True)
class AllocationFigures:
    """Funding agreed for a business case from one block of one year."""

    pk: int
    business_case_pk: int
    business_case_title: str
    start_year: int
    year_label: str
    block: int
    block_label: str
    amount: Decimal
    note: str
    shares: dict[str, Decimal]
    amount_shares: dict[str, Decimal]


@dataclass(frozen=True)
class SavingFigures:
    pk: int
    start_year: int
    year_label: str
    amount: Decimal


@dataclass(frozen=True)
class BusinessCaseFigures:
    """An approved business case with its savings by year and its funding by block."""

    pk: int
    theme: str
    theme_label: str
    title: str
    date_approved: date
    additional_benefits: Decimal | None
    additional_benefits_tbc: bool
    duration: str
    notes: str
    source: str
    savings: list[SavingFigures]
    allocations: list[AllocationFigures]
    funding_total: Decimal

    @property
    def savings_by_year(self) -> dict[int, Decimal]:
        return {saving.start_year: saving.amount for saving in self.savings}

    @property
    def benefits_label(self) -> str:
        if self.additional_benefits is not None:
            return format_millions(self.additional_benefits)
        return "TBC" if self.additional_benefits_tbc else "None"

    @property
    def funding_label(self) -> str:
        """`£1.280m Block 2 2024/25; £0.410m Block 3 2024/25`, as the papers list it."""
        return "; ".join(
            f"{format_millions(a.amount)} {a.block_label} {a.year_label}" for a in self.allocations
        )


def _allocation_figures(allocation: FundingAllocation, book: ShareBook) -> AllocationFigures:
    shares = book.for_year(allocation.year.start_year)
    return AllocationFigures(
        pk=allocation.pk,
        business_case_pk=allocation.business_case_id,
        business_case_title=allocation.business_case.title,
        start_year=allocation.year.start_year,
        year_label=allocation.year.label,
        block=allocation.block,
        block_label=allocation.get_block_display(),
        amount=allocation.amount,
        note=allocation.note,
        shares=shares,
        amount_shares=split(allocation.amount, shares),
    )


def business_cases(
    queryset: QuerySet[BusinessCase] | None = None, *, start_year: int | None = None
) -> list[BusinessCaseFigures]:
    """Business cases (all, or of `queryset`), with savings and allocations.

    With `start_year`, only the cases with a saving or funding in that year.
    """
    records = queryset if queryset is not None else BusinessCase.objects.all()
    if start_year is not None:
        records = records.filter(
            models.Q(savings__year__start_year=start_year)
            | models.Q(allocations__year__start_year=start_year)
        ).distinct()
    records = records.prefetch_related(
        models.Prefetch(
            "savings",
            queryset=BusinessCaseSaving.objects.select_related("year").order_by("year__start_year"),
        ),
        models.Prefetch(
            "allocations",
            queryset=FundingAllocation.objects.select_related("year", "business_case").order_by(
                "year__start_year", "block"
            ),
        ),
    )
    book = ShareBook()
    result = []
    for case in records:
        allocations = [_allocation_figures(a, book) for a in case.allocations.all()]
        result.append(
            BusinessCaseFigures(
                pk=case.pk,
                theme=case.theme,
                theme_label=case.get_theme_display(),
                title=case.title,
                date_approved=case.date_approved,
                additional_benefits=case.additional_benefits,
                additional_benefits_tbc=case.additional_benefits_tbc,
                duration=case.duration,
                notes=case.notes,
                source=case.source,
                savings=[
                    SavingFigures(s.pk, s.year.start_year, s.year.label, s.amount)
                    for s in case.savings.all()
                ],
                allocations=allocations,
                funding_total=_total(a.amount for a in allocations),
            )
        )
    return result


def business_case(pk: int) -> BusinessCaseFigures | None:
    """One business case's figures, or None when there is no such case."""
    found = business_cases(BusinessCase.objects.filter(pk=pk))
    return found[0] if found else None


def saving_years(cases: Iterable[BusinessCaseFigures]) -> list[int]:
    """The years any of `cases` has a saving in, for a column per year."""
    return sorted({saving.start_year for case in cases for saving in case.savings})


@dataclass(frozen=True)
class FundingBlockFigures:
    """One block of a year: what the contract sum makes available, what is allocated, the rest."""

    start_year: int
    year_label: str
    block: int
    block_label: str
    available: Decimal
    allocations: list[AllocationFigures]
    allocated: Decimal
    balance: Decimal
    shares: dict[str, Decimal]
    available_shares: dict[str, Decimal]
    allocated_shares: dict[str, Decimal]
    balance_shares: dict[str, Decimal]
    contract_sum_pk: int | None

    @property
    def overallocated(self) -> bool:
        return self.balance < 0


def _available(record: ContractSum | None, block: int) -> Decimal:
    if record is None:
        return ZERO
    return record.block2 if block == FundingBlock.BLOCK_2 else record.block3


def funding_blocks_for_years(start_years: Iterable[int] | None = None) -> list[FundingBlockFigures]:
    """Blocks 2 and 3 of each year that has either a contract sum or an allocation.

    With `start_years`, those years only (a year with neither shows both blocks at £0).
    """
    sums = {record.year.start_year: record for record in ContractSum.objects.select_related("year")}
    allocations = FundingAllocation.objects.select_related("year", "business_case").order_by(
        "year__start_year", "block", "business_case__date_approved", "business_case__title", "pk"
    )
    if start_years is not None:
        years = sorted(set(start_years))
        allocations = allocations.filter(year__start_year__in=years)
    book = ShareBook()
    by_block: dict[tuple[int, int], list[AllocationFigures]] = {}
    for allocation in allocations:
        figures = _allocation_figures(allocation, book)
        by_block.setdefault((figures.start_year, figures.block), []).append(figures)
    if start_years is None:
        years = sorted(set(sums) | {year for year, _ in by_block})
    result = []
    for start_year in years:
        record = sums.get(start_year)
        shares = book.for_year(start_year)
        for block in FundingBlock:
            lines = by_block.get((start_year, block.value), [])
            available = _available(record, block.value)
            allocated = _total(line.amount for line in lines)
            if start_years is None and not available and not lines:
                continue
            balance = available - allocated
            result.append(
                FundingBlockFigures(
                    start_year=start_year,
                    year_label=year_label(start_year),
                    block=block.value,
                    block_label=block.label,
                    available=available,
                    allocations=lines,
                    allocated=allocated,
                    balance=balance,
                    shares=shares,
                    available_shares=split(available, shares),
                    allocated_shares=split(allocated, shares),
                    balance_shares=split(balance, shares),
                    contract_sum_pk=record.pk if record is not None else None,
                )
            )
    return result


def funding_blocks(start_year: int) -> list[FundingBlockFigures]:
    """Block 2 and Block 3 of the year starting in `start_year`: available, allocated, balance."""
    return funding_blocks_for_years([start_year])


def funding_block(start_year: int, block: int) -> FundingBlockFigures:
    """One block (2 or 3) of a year: available, allocated and balance outstanding."""
    return next(figures for figures in funding_blocks(start_year) if figures.block == block)


def allocations(queryset: QuerySet[FundingAllocation]) -> list[AllocationFigures]:
    """The allocations of `queryset`, each with the councils' parts of its amount."""
    book = ShareBook()
    return [
        _allocation_figures(allocation, book)
        for allocation in queryset.select_related("year", "business_case")
    ]


# Invest to save


@dataclass(frozen=True)
class InvestToSaveLineFigures:
    pk: int
    programme: str
    start_year: int
    year_label: str
    kind: str
    kind_label: str
    title: str
    amount: Decimal
    notes: str
    source: str

    @property
    def is_grant(self) -> bool:
        return self.kind == InvestToSaveKind.GRANT

    @property
    def net_effect(self) -> Decimal:
        """What the line adds to the councils' net cost: a grant takes away."""
        return -self.amount if self.is_grant else self.amount


@dataclass(frozen=True)
class InvestToSaveFigures:
    """A programme's invest-to-save money in a year: funding, offsetting grants, net cost."""

    programme: str
    start_year: int
    year_label: str
    funding_lines: list[InvestToSaveLineFigures]
    grant_lines: list[InvestToSaveLineFigures]
    funding_total: Decimal
    grants_total: Decimal
    net: Decimal
    shares: dict[str, Decimal]
    net_shares: dict[str, Decimal]


def _line_figures(line: InvestToSaveLine) -> InvestToSaveLineFigures:
    return InvestToSaveLineFigures(
        pk=line.pk,
        programme=line.programme,
        start_year=line.year.start_year,
        year_label=line.year.label,
        kind=line.kind,
        kind_label=line.get_kind_display(),
        title=line.title,
        amount=line.amount,
        notes=line.notes,
        source=line.source,
    )


def invest_to_save_lines(queryset: QuerySet[InvestToSaveLine]) -> list[InvestToSaveLineFigures]:
    """The funding and grant lines of `queryset`, as figures."""
    return [_line_figures(line) for line in queryset.select_related("year")]


def invest_to_save(
    *, start_year: int | None = None, programme: str | None = None
) -> list[InvestToSaveFigures]:
    """Invest-to-save money by programme and year, with the net of grants and its split."""
    lines = InvestToSaveLine.objects.select_related("year").order_by(
        "programme", "year__start_year", "pk"
    )
    if start_year is not None:
        lines = lines.filter(year__start_year=start_year)
    if programme is not None:
        lines = lines.filter(programme=programme)
    groups: dict[tuple[str, int], list[InvestToSaveLineFigures]] = {}
    for line in lines:
        figures = _line_figures(line)
        groups.setdefault((figures.programme, figures.start_year), []).append(figures)
    book = ShareBook()
    result = []
    for (name, year), members in sorted(groups.items(), key=lambda item: (item[0][1], item[0][0])):
        funding = [line for line in members if not line.is_grant]
        grants = [line for line in members if line.is_grant]
        funding_total = _total(line.amount for line in funding)
        grants_total = _total(line.amount for line in grants)
        shares = book.for_year(year)
        net = funding_total - grants_total
        result.append(
            InvestToSaveFigures(
                programme=name,
                start_year=year,
                year_label=year_label(year),
                funding_lines=funding,
                grant_lines=grants,
                funding_total=funding_total,
                grants_total=grants_total,
                net=net,
                shares=shares,
                net_shares=split(net, shares),
            )
        )
    return result


# Period finance forecast


@dataclass(frozen=True)
class ForecastLineFigures:
    pk: int
    category: str
    category_label: str
    amount: Decimal
    note: str
    source: str
    amount_shares: dict[str, Decimal]


@dataclass(frozen=True)
class ForecastFigures:
    """A period's forecast outturn pressure by category, its total and the councils' parts."""

    period_pk: int
    ref: PeriodRef
    label: str
    month_label: str
    is_signed_off: bool
    lines: list[ForecastLineFigures]
    total: Decimal
    shares: dict[str, Decimal]
    total_shares: dict[str, Decimal]

    @property
    def by_category(self) -> dict[str, Decimal | None]:
        """Every category's amount, None for one with no line."""
        amounts = {line.category: line.amount for line in self.lines}
        return {category.value: amounts.get(category.value) for category in ForecastCategory}

    @property
    def placements(self) -> Decimal | None:
        return self.by_category[ForecastCategory.PLACEMENTS]

    @property
    def staffing(self) -> Decimal | None:
        return self.by_category[ForecastCategory.STAFFING]

    @property
    def unachieved_savings(self) -> Decimal | None:
        return self.by_category[ForecastCategory.UNACHIEVED_SAVINGS]

    @property
    def other(self) -> Decimal | None:
        return self.by_category[ForecastCategory.OTHER]


CATEGORY_ORDER = {category.value: index for index, category in enumerate(ForecastCategory)}


def forecasts(periods: QuerySet[Period] | None = None) -> list[ForecastFigures]:
    """The forecast of every period (of `periods`) that has one, latest period first."""
    lines = ForecastPressure.objects.select_related("period__year")
    if periods is not None:
        lines = lines.filter(period__in=periods)
    by_period: dict[int, list[ForecastPressure]] = {}
    for line in lines:
        by_period.setdefault(line.period_id, []).append(line)
    book = ShareBook()
    result = []
    for members in by_period.values():
        period = members[0].period
        ref = period.ref
        shares = book.for_period(ref)
        members.sort(key=lambda line: CATEGORY_ORDER.get(line.category, len(CATEGORY_ORDER)))
        total = _total(line.amount for line in members)
        result.append(
            ForecastFigures(
                period_pk=period.pk,
                ref=ref,
                label=period.label,
                month_label=period.month_label,
                is_signed_off=period.is_signed_off,
                lines=[
                    ForecastLineFigures(
                        pk=line.pk,
                        category=line.category,
                        category_label=line.get_category_display(),
                        amount=line.amount,
                        note=line.note,
                        source=line.source,
                        amount_shares=split(line.amount, shares),
                    )
                    for line in members
                ],
                total=total,
                shares=shares,
                total_shares=split(total, shares),
            )
        )
    result.sort(key=lambda figures: figures.ref, reverse=True)
    return result


def forecast_lines(period: Period) -> list[ForecastPressure]:
    """A period's forecast lines as stored, as its edit form fills in from them."""
    return list(ForecastPressure.objects.filter(period=period))


def forecast_for_period(period: Period | PeriodRef) -> ForecastFigures | None:
    """The forecast of one period, or None when none has been entered."""
    if isinstance(period, PeriodRef):
        periods = Period.objects.filter(year__start_year=period.start_year, number=period.number)
    else:
        periods = Period.objects.filter(pk=period.pk)
    found = forecasts(periods)
    return found[0] if found else None


def latest_forecast() -> ForecastFigures | None:
    """The forecast of the latest period that has one."""
    latest = (
        ForecastPressure.objects.select_related("period__year")
        .order_by("-period__year__start_year", "-period__number")
        .first()
    )
    return forecast_for_period(latest.period) if latest is not None else None


# The overview


@dataclass(frozen=True)
class FinanceOverview:
    """The key figures of the contract's finance, for the overview and the dashboard."""

    contract_sum: ContractSumFigures | None
    mtfp: list[MtfpFigures]
    funding_blocks: list[FundingBlockFigures]
    business_case_count: int
    invest_to_save: list[InvestToSaveFigures]
    forecast: ForecastFigures | None


def finance_overview(today: date | None = None) -> FinanceOverview:
    """The current contract sum with its funding blocks, the MTFP, the latest invest-to-save
    year and the latest period forecast."""
    current = current_contract_sum(today)
    spending = invest_to_save()
    latest_year = max((figures.start_year for figures in spending), default=None)
    return FinanceOverview(
        contract_sum=current,
        mtfp=mtfp_for_years(),
        funding_blocks=funding_blocks(current.start_year) if current is not None else [],
        business_case_count=BusinessCase.objects.count(),
        invest_to_save=[figures for figures in spending if figures.start_year == latest_year],
        forecast=latest_forecast(),
    )
