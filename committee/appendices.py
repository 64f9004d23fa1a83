"""Appendices generated from live data as at a report's period.

Each kind of appendix has a builder that asks the owning app's selector for its figures, the
same selector its own pages use, so an appendix can never disagree with the tracker, the
scorecard or the register. A period with no data gives an appendix that says so instead of a
table of zeros.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from committee.choices import AppendixKind
from contracts import selectors as contracts
from kpis import selectors as kpis
from nct_monitor.charts import waterfall_chart
from nct_monitor.finance import format_millions, format_pounds
from nct_monitor.models import Period
from nct_monitor.periods import PeriodRef, year_label
from risks import selectors as risks
from savings import selectors as savings


@dataclass
class AppendixContent:
    """What an appendix shows: a template and its context, or why there is nothing to show."""

    template: str
    context: dict[str, Any] = field(default_factory=dict)
    empty_message: str = ""

    @property
    def has_data(self) -> bool:
        return not self.empty_message


Builder = Callable[[Period], AppendixContent]
BUILDERS: dict[str, Builder] = {}


def builder(kind: AppendixKind) -> Callable[[Builder], Builder]:
    def register(function: Builder) -> Builder:
        BUILDERS[kind.value] = function
        return function

    return register


def build_appendix(kind: str, period: Period) -> AppendixContent:
    """The content of an appendix of `kind` as at `period`."""
    if kind not in BUILDERS:
        return AppendixContent(
            template="", empty_message=f"Appendices of this kind ({kind}) cannot be produced."
        )
    return BUILDERS[kind](period)


@builder(AppendixKind.SAVINGS_RAG)
def savings_rag(period: Period) -> AppendixContent:
    """The period's savings RAG table as the papers lay it out, every total computed."""
    summary = savings.savings_summary(period)
    if not summary.has_positions:
        return AppendixContent(
            template="", empty_message=f"No savings positions are recorded for {period.label}."
        )
    parts = [
        (council, summary.shares[council], part)
        for council, part in summary.shortfall_shares.items()
    ]
    return AppendixContent(
        template="committee/appendices/savings_rag.html",
        context={"summary": summary, "shortfall_parts": parts},
    )


@builder(AppendixKind.RISK_EXTRACT)
def risk_extract(period: Period) -> AppendixContent:
    """Open risks scored high or very high at the period's end, by band, highest first; the
    lower bands are counted, so the extract accounts for every open risk."""
    positions = [position for position in risks.register(as_at=period) if position.is_open]
    if not positions:
        return AppendixContent(
            template="",
            empty_message=f"No open risks are recorded on the register at {period.label}.",
        )
    ordered = sorted(risks.bands(), key=lambda band: band.low, reverse=True)
    shown = [band for band in ordered if band.key in {"very_high", "high"}]
    groups = [
        (
            band,
            sorted(
                (p for p in positions if p.band.key == band.key), key=lambda p: -p.current.value
            ),
        )
        for band in shown
    ]
    counted = [
        (band, sum(1 for p in positions if p.band.key == band.key))
        for band in ordered
        if band not in shown
    ]
    return AppendixContent(
        template="committee/appendices/risk_extract.html",
        context={"groups": groups, "counted": counted, "open_count": len(positions)},
    )


@builder(AppendixKind.KPI_SCORECARD)
def kpi_scorecard(period: Period) -> AppendixContent:
    """Every contractual KPI as at the period, rated by the contract's rules."""
    card = kpis.scorecard(period)
    if not card.rows:
        return AppendixContent(template="", empty_message="No KPIs are defined.")
    if all(row.value is None for row in card.rows):
        return AppendixContent(
            template="",
            empty_message=f"No KPI results are recorded up to {period.label}, so there is no "
            "scorecard to show.",
        )
    return AppendixContent(
        template="committee/appendices/kpi_scorecard.html", context={"card": card}
    )


@builder(AppendixKind.CONTRACT_SUM_MTFP)
def contract_sum_mtfp(period: Period) -> AppendixContent:
    """The contract sum of the period's year, and the MTFP from that year on, with a chart."""
    start = period.year.start_year
    contract_sum = contracts.contract_sum_for_year(start)
    mtfp = [year for year in contracts.mtfp_for_years() if year.start_year >= start]
    if contract_sum is None and not mtfp:
        return AppendixContent(
            template="",
            empty_message=f"No contract sum or MTFP is recorded for {period.year.label} or later.",
        )
    chart = None
    if mtfp:
        first = mtfp[0]
        chart = waterfall_chart(
            title=f"MTFP build-up {first.year_label}",
            description=(
                f"From the initial contract sum of {format_millions(first.initial_sum)} to the net "
                f"contract sum of {format_millions(first.net_sum)}."
            ),
            start=("Initial contract sum", first.initial_sum),
            steps=first.steps(),
            end_label="Net contract sum",
            value_format=format_millions,
            money=True,
            empty=f"No MTFP amounts are recorded for {first.year_label}.",
        )
    return AppendixContent(
        template="committee/appendices/contract_sum_mtfp.html",
        context={
            "contract_sum": contract_sum,
            "mtfp": mtfp,
            "chart": chart,
            "profit_and_loss": contracts.profit_and_loss(mtfp),
            "footnotes": contracts.footnotes("mtfp"),
        },
    )


@builder(AppendixKind.BUSINESS_CASES)
def business_cases_appendix(period: Period) -> AppendixContent:
    """Business cases approved by the period's end, and the funding blocks they draw on."""
    end = PeriodRef(period.year.start_year, period.number).next().month_start
    cases = [case for case in contracts.business_cases() if case.date_approved < end]
    if not cases:
        return AppendixContent(
            template="",
            empty_message=f"No business cases had been approved by the end of {period.label}.",
        )
    years = sorted({allocation.start_year for case in cases for allocation in case.allocations})
    years_saved = contracts.saving_years(cases)
    blocks = [block for block in contracts.funding_blocks_for_years(years) if block.block in (2, 3)]
    return AppendixContent(
        template="committee/appendices/business_cases.html",
        context={
            "rows": [
                (case, [case.savings_by_year.get(year) for year in years_saved]) for case in cases
            ],
            "saving_years": [year_label(year) for year in years_saved],
            "blocks": blocks,
            "footnotes": contracts.footnotes("business_cases"),
        },
    )


@builder(AppendixKind.PERIOD_FORECAST)
def period_forecast(period: Period) -> AppendixContent:
    """The period's forecast outturn pressure by category, with each council's share."""
    forecast = contracts.forecast_for_period(period)
    if forecast is None or not forecast.lines:
        return AppendixContent(
            template="", empty_message=f"No finance forecast is recorded for {period.label}."
        )
    return AppendixContent(
        template="committee/appendices/period_forecast.html", context={"forecast": forecast}
    )


def forecast_figures(period: Period) -> dict[str, Any] | None:
    """The period's forecast pressure and each council's share, written for a paragraph."""
    forecast = contracts.forecast_for_period(period)
    if forecast is None or not forecast.lines:
        return None
    return {
        "label": f"{period.label} ({period.month_label})",
        "total": format_millions(forecast.total),
        "lines": [
            (line.category_label.lower(), format_millions(line.amount)) for line in forecast.lines
        ],
        "shares": [
            (council, forecast.shares[council], format_pounds(part))
            for council, part in forecast.total_shares.items()
        ],
    }
