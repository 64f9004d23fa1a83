"""Each year's MTFP build-up of the contract sum, with its totals and net sum computed."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet

from contracts.models import ContractSum, MtfpBuildUp
from contracts.selectors.shares import ShareBook, split
from nct_monitor.periods import year_label


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
