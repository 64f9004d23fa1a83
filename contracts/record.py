"""The contract's finance and the period record: which periods show each record, what must be
in place before a period is signed off, and the figures a period's papers print.

A period shows contract finance in three places, and `reach` below follows each of them:

- the dashboard of a period shows the contract sums, funding blocks and invest-to-save money
  of the period's year and the year after, and the period's own forecast and shares;
- the contract sum and MTFP appendix shows the contract sum of the period's year and the MTFP
  of that year and every later year;
- the business cases appendix shows the cases approved by the end of the period, with all of
  their savings and funding, and every Block 2 and Block 3 of each year those cases draw on.

A write that would change what a signed-off period shows in any of them is refused (see
`nct_monitor.records.refuse_if_signed_off`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal

from django.db.models import QuerySet
from django.urls import reverse

from contracts.models import (
    Contract,
    ContractSum,
    ForecastPressure,
    FundingAllocation,
    InvestToSaveLine,
    MtfpBuildUp,
    ShareSchedule,
)
from contracts.selectors import (
    ShareBook,
    contract_sums,
    forecast_for_period,
    funding_blocks_for_years,
    mtfp_for_years,
)
from nct_monitor.choices import PeriodStatus
from nct_monitor.finance import format_millions, format_pounds
from nct_monitor.models import Period
from nct_monitor.periods import PeriodRef
from nct_monitor.records import Gap, periods_from, periods_of_years

# Which periods show a record ----------------------------------------------------------------


def periods_showing_year(start_years: Iterable[int]) -> QuerySet[Period]:
    """Periods that show a year's contract sum, funding block totals or invest-to-save money:
    the year's own periods, and the year before's, whose dashboard shows the year after."""
    years = {year + offset for year in start_years for offset in (-1, 0)}
    return periods_of_years(years)


def periods_showing_mtfp(start_year: int) -> QuerySet[Period]:
    """Periods whose contract sum and MTFP appendix shows a year's MTFP build-up: those of
    that year and of every year before it."""
    return Period.objects.filter(year__start_year__lte=start_year)


def periods_showing_case(*approved: date) -> QuerySet[Period]:
    """Periods whose business cases appendix lists a case approved on `approved` (the earliest
    of several dates): every period from the one it was approved in."""
    return periods_from(min(approved))


def periods_showing_block_tables(
    start_years: Iterable[int], *, approved: Iterable[date] = ()
) -> QuerySet[Period]:
    """Periods whose business cases appendix has a table of the years' Block 2 and Block 3: every
    period from the earliest approval of a case funded from those years (or `approved`)."""
    dates = [
        *FundingAllocation.objects.filter(year__start_year__in=list(start_years)).values_list(
            "business_case__date_approved", flat=True
        ),
        *approved,
    ]
    return periods_from(min(dates)) if dates else Period.objects.none()


def periods_whose_split_changes(
    *, contract: Contract, effective_from: date, shares: Mapping[str, Decimal]
) -> list[Period]:
    """The signed-off periods that would show another split with `shares` from `effective_from`.

    A period looks its split up on the first day of its month (savings shortfall, forecast,
    the dashboard) and on 1 April of each year whose finance it shows: its own year and the
    next (the dashboard), later years' MTFP, and the years its business cases draw on. A
    schedule that is the earliest also applies to every day before it. New shares from part-way
    through a signed-off period's month are refused too: its split would no longer have held
    for the whole of the month it reports.
    """
    signed_off = list(Period.objects.filter(status=PeriodStatus.SIGNED_OFF).select_related("year"))
    if not signed_off:
        return []
    schedules = [
        (schedule.effective_from, schedule.as_mapping())
        for schedule in ShareSchedule.objects.filter(contract=contract).prefetch_related(
            "shares__council"
        )
    ]
    before = ShareBook.of(schedules)
    after = ShareBook.of(
        [item for item in schedules if item[0] != effective_from] + [(effective_from, shares)]
    )
    year_finance = (
        set(ContractSum.objects.values_list("year__start_year", flat=True))
        | set(InvestToSaveLine.objects.values_list("year__start_year", flat=True))
        | set(FundingAllocation.objects.values_list("year__start_year", flat=True))
    )
    mtfp_years = set(MtfpBuildUp.objects.values_list("year__start_year", flat=True))
    funded = list(
        FundingAllocation.objects.values_list("year__start_year", "business_case__date_approved")
    )
    starts_in = PeriodRef.containing(effective_from)
    changed = []
    for period in signed_off:
        start = period.year.start_year
        end = period.ref.next().month_start
        years = (
            {year for year in year_finance if year in (start, start + 1)}
            | {year for year in mtfp_years if year >= start}
            | {year for year, approved in funded if approved < end}
        )
        days = {period.ref.month_start} | {date(year, 4, 1) for year in years}
        if period.ref == starts_in:
            days.add(effective_from)
        if any(before.on(day) != after.on(day) for day in days):
            changed.append(period)
    return changed


# Before sign-off ----------------------------------------------------------------------------


def forecast_url(period: Period) -> str:
    return reverse(
        "contracts:forecastpressure_edit",
        kwargs={"year": period.year.start_year, "period": period.number},
    )


def sign_off_checks(period: Period) -> list[Gap]:
    """A period with no forecast outturn, once forecasts are kept: from the first period that
    has one (the periods before it were reported before NCT Monitor held forecasts)."""
    first = (
        ForecastPressure.objects.order_by("period__year__start_year", "period__number")
        .values_list("period__year__start_year", "period__number")
        .first()
    )
    if first is None or period.ref < PeriodRef(*first):
        return []
    if ForecastPressure.objects.filter(period=period).exists():
        return []
    return [Gap("Forecast", f"No forecast outturn for {period.label}.", forecast_url(period))]


# The figures a period's papers print --------------------------------------------------------


def millions_text(amount: Decimal) -> str:
    """£m as printed, without the unit the label carries: 1.456 for £1.456m."""
    return format_millions(amount).replace("£", "").removesuffix("m")


def pounds_text(amount: Decimal) -> str:
    """Pounds and pence without the £ the label carries: 13,102,272.00.

    A negative part keeps the hyphen-minus the records published so far hold (-1,250.00), so
    a figure that has not changed still compares equal to its record.
    """
    return format_pounds(amount).replace("£", "").replace("−", "-")


def _parts(prefix: str, parts: Mapping[str, Decimal]) -> dict[str, str]:
    return {f"{prefix}, {council} share (£)": pounds_text(part) for council, part in parts.items()}


def printed_figures(period: Period) -> dict[str, str]:
    """The contract-finance figures `period`'s dashboard and appendices print, in £m (and each
    council's part in £): the forecast, the contract sums and funding blocks of its year and
    the next, the blocks its business cases draw on, and the net MTFP sums from its year on."""
    start = period.year.start_year
    printed: dict[str, str] = {}

    forecast = forecast_for_period(period)
    if forecast is not None and forecast.lines:
        for line in forecast.lines:
            printed[f"Forecast outturn pressure, {line.category_label} (£m)"] = millions_text(
                line.amount
            )
        printed["Forecast outturn pressure, Total pressure (£m)"] = millions_text(forecast.total)
        printed |= _parts("Forecast outturn pressure, Total pressure", forecast.total_shares)

    shown_sums = ContractSum.objects.filter(year__start_year__in=[start, start + 1])
    for figures in contract_sums(shown_sums):
        prefix = f"Contract sum, {figures.year_label}"
        printed[f"{prefix}, Block 1 (£m)"] = millions_text(figures.block1)
        printed[f"{prefix}, Block 2 (£m)"] = millions_text(figures.block2)
        printed[f"{prefix}, Block 2 non-recurring (£m)"] = millions_text(
            figures.block2_non_recurring
        )
        printed[f"{prefix}, total (£m)"] = millions_text(figures.contract_sum)
        printed |= _parts(f"{prefix}, total", figures.contract_sum_shares)
        printed[f"{prefix}, Block 3 (£m)"] = millions_text(figures.block3)

    # As the business cases appendix chooses its block tables: each year a case approved by
    # the end of the period is funded from.
    end = period.ref.next().month_start
    drawn_on = set(
        FundingAllocation.objects.filter(business_case__date_approved__lt=end).values_list(
            "year__start_year", flat=True
        )
    )
    for block in funding_blocks_for_years(sorted(drawn_on | {start, start + 1})):
        if block.start_year not in drawn_on and not (block.available or block.allocated):
            continue
        prefix = f"{block.block_label} funding, {block.year_label}"
        for allocation in block.allocations:
            printed[f"{prefix}, {allocation.business_case_title} (£m)"] = millions_text(
                allocation.amount
            )
        printed[f"{prefix}, available (£m)"] = millions_text(block.available)
        printed[f"{prefix}, total (£m)"] = millions_text(block.allocated)
        printed |= _parts(f"{prefix}, total", block.allocated_shares)
        printed[f"{prefix}, balance outstanding (£m)"] = millions_text(block.balance)

    for year in mtfp_for_years():
        if year.start_year >= start:
            printed[f"MTFP, {year.year_label}, net contract sum (£m)"] = millions_text(year.net_sum)
    return printed
