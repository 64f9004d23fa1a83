"""The overview dashboard: the state of the contract as at one period, on one page.

Every figure comes from the owning app's selector (the same one its own pages, exports and
reports use), so a tile can never disagree with the page it links to. What is computed from a
signed-off period is cached (see `nct_monitor.caching`); the data-quality panel is always live.
A fixed number of queries, whatever the years of data.

The overview is the one app that reads every other app, so it sits on top of them; the core
(`nct_monitor`) reads none of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils import timezone

from committee import selectors as committee
from contracts import selectors as contracts
from kpis.selectors import Scorecard, scorecard
from nct_monitor import caching
from nct_monitor.charts import COLOURS, Chart, Series, stacked_bar_chart
from nct_monitor.choices import ImportStatus, PeriodStatus
from nct_monitor.finance import format_millions
from nct_monitor.models import ImportRun, Period
from nct_monitor.periods import PeriodRef
from nct_monitor.selectors import default_period
from risks import selectors as risks
from savings.selectors import SavingsSummary, savings_summary, totals_by_period

TOP_RISKS = 5


@dataclass
class Check:
    """A figure reported in two places that must agree."""

    name: str
    first: tuple[str, Decimal]
    second: tuple[str, Decimal]

    @property
    def agrees(self) -> bool:
        return self.first[1] == self.second[1]


@dataclass
class DataQuality:
    """What is missing, late or refused: the things to chase before a committee meets."""

    open_periods: int
    first_open_period: Period | None
    kpis_overdue: list[Any]
    reviews_overdue: list[risks.RiskPosition]
    refused_imports: list[ImportRun]
    refused_count: int
    checks: list[Check] = field(default_factory=list)
    # Its own record (exceptions it was signed off with, corrections) is shown with it.
    period: Period | None = None


@dataclass
class PeriodFigures:
    """What the dashboard shows of one period's own data; cached once it is signed off."""

    savings: SavingsSummary
    savings_chart: Chart | None
    scorecard: Scorecard
    positions: list[risks.RiskPosition]


@dataclass
class Dashboard:
    period: Period
    shares: dict[str, Decimal]
    contract_sums: list[contracts.ContractSumFigures]
    funding_blocks: list[contracts.FundingBlockFigures]
    invest_to_save: list[contracts.InvestToSaveFigures]
    forecast: contracts.ForecastFigures | None
    figures: PeriodFigures
    heatmap: risks.Heatmap
    band_counts: list[tuple[Any, int]]
    top_risks: list[risks.RiskPosition]
    next_meeting: committee.Meeting | None
    last_meeting: committee.Meeting | None
    latest_packs: list[committee.AgendaPack]
    quality: DataQuality


def savings_chart(period: Period) -> Chart | None:
    """The savings RAG by period of the year, up to `period`, as a stacked bar."""
    rows = [
        (p, figures) for p, figures in totals_by_period(period.year) if p.number <= period.number
    ]
    if not rows:
        return None
    labels = [f"P{p.number}" for p, _ in rows]
    last = rows[-1][1]
    return stacked_bar_chart(
        title=f"Savings RAG by period, {period.year.label}",
        description=(
            f"At {rows[-1][0].label}, of a target of {format_millions(last.target)}: red "
            f"{format_millions(last.red)}, amber {format_millions(last.amber)}, green "
            f"{format_millions(last.green)}."
        ),
        labels=labels,
        stacks=[
            Series("Red", [f.red for _, f in rows], COLOURS["red"]),
            Series("Amber", [f.amber for _, f in rows], COLOURS["amber"]),
            Series("Green", [f.green for _, f in rows], COLOURS["green"]),
        ],
        value_format=format_millions,
        money=True,
        empty=f"No savings positions are recorded for {period.year.label} up to {period.label}.",
    )


def period_figures(period: Period, *, today: date) -> PeriodFigures:
    def compute() -> PeriodFigures:
        return PeriodFigures(
            savings=savings_summary(period),
            savings_chart=savings_chart(period),
            scorecard=scorecard(period, today=today),
            positions=risks.register(as_at=period),
        )

    # KPI results become overdue as days pass, so a day's figures are cached for that day.
    return caching.for_period(f"dashboard:{today.isoformat()}", period, compute)


def data_quality(
    figures: PeriodFigures,
    forecast: contracts.ForecastFigures | None,
    *,
    today: date,
    period: Period | None = None,
) -> DataQuality:
    # Due for sign-off: periods that have ended, up to the one shown. A dashboard at P9 is
    # complete when P9 and every period before it are signed off; later periods are the
    # periods list's concern, not this period's.
    ended = PeriodRef.containing(today).previous()
    if period is not None:
        ended = min(ended, period.ref)
    open_periods = [
        p
        for p in Period.objects.select_related("year").filter(status=PeriodStatus.OPEN)
        if p.ref <= ended
    ]
    refused = ImportRun.objects.filter(status=ImportStatus.REFUSED).select_related("uploaded_by")
    checks = []
    if (
        forecast is not None
        and forecast.unachieved_savings is not None
        and figures.savings.has_positions
    ):
        checks.append(
            Check(
                "Unachieved savings in the forecast against the savings shortfall",
                ("Forecast: unachieved savings", forecast.unachieved_savings),
                ("Savings tracker: shortfall", figures.savings.totals.shortfall),
            )
        )
    return DataQuality(
        open_periods=len(open_periods),
        first_open_period=min(open_periods, key=lambda p: p.ref) if open_periods else None,
        kpis_overdue=figures.scorecard.overdue,
        reviews_overdue=[p for p in figures.positions if p.review_overdue],
        refused_imports=list(refused.order_by("-created_at")[:5]),
        refused_count=refused.count(),
        checks=checks,
        period=period,
    )


def dashboard(period: Period | None = None, *, today: date | None = None) -> Dashboard:
    today = today or timezone.localdate()
    period = period or default_period(today)
    start = period.year.start_year
    figures = period_figures(period, today=today)
    forecast = contracts.forecast_for_period(period)
    open_positions = [p for p in figures.positions if p.is_open]
    next_meeting = committee.next_meeting(today)
    sums = [s for s in contracts.contract_sums() if s.start_year in (start, start + 1)]
    blocks = [
        block
        for block in contracts.funding_blocks_for_years([start, start + 1])
        if block.block in (2, 3) and (block.available or block.allocated)
    ]
    return Dashboard(
        period=period,
        shares=contracts.shares_for_period(period.ref),
        contract_sums=sums,
        funding_blocks=blocks,
        invest_to_save=[
            figures_
            for figures_ in contracts.invest_to_save()
            if figures_.start_year in (start, start + 1)
        ],
        forecast=forecast,
        figures=figures,
        heatmap=risks.heatmap(figures.positions),
        band_counts=risks.band_count_pairs(figures.positions),
        top_risks=sorted(open_positions, key=lambda p: (-p.current.value, p.risk.ref))[:TOP_RISKS],
        next_meeting=next_meeting,
        last_meeting=None if next_meeting else committee.last_meeting(today),
        latest_packs=committee.latest_published_packs(3),
        quality=data_quality(figures, forecast, today=today, period=period),
    )
