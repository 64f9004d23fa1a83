"""Reads for KPIs. `scorecard` is the one place the KPIs' status for a period is put together:
the scorecard page, the breaches page, the KPI page, the exports and `kpi_status --json` all
call it, and it calls `kpis.rag` for every rating, direction and breach.

It runs a fixed number of queries however many KPIs and results there are: definitions,
targets, results up to the period, and rectification plans, each loaded once.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet

from kpis import rag
from kpis.choices import Frequency, Rating
from kpis.models import KpiDefinition, KpiResult, KpiTarget, RectificationPlan, plain_number
from nct_monitor.choices import PeriodStatus
from nct_monitor.models import FinancialYear, Period
from nct_monitor.periods import PeriodRef, year_label


@dataclass(frozen=True)
class ResultFacts:
    """A stored result as the scorecard needs it."""

    pk: int
    value: Decimal
    numerator: Decimal | None
    denominator: Decimal | None
    commentary: str
    illustrative: bool = False


@dataclass
class KpiStatus:
    """One KPI as at a period: its definition, its assessment and what goes with it."""

    kpi: KpiDefinition
    assessment: rag.Assessment
    result: ResultFacts | None
    plan: RectificationPlan | None = None
    results: dict[PeriodRef, ResultFacts] = field(default_factory=dict, repr=False)
    targets: dict[int, rag.Target] = field(default_factory=dict, repr=False)
    # The start years whose target is illustrative (invented for the demonstration).
    illustrative_years: frozenset[int] = frozenset()

    @property
    def illustrative(self) -> bool:
        """The result or target shown is invented for the demonstration, not from the papers."""
        if self.result is not None and self.result.illustrative:
            return True
        return self.assessment.target is not None and (
            self.assessment.as_of.start_year in self.illustrative_years
        )

    @property
    def code(self) -> str:
        return self.kpi.code

    @property
    def value(self) -> Decimal | None:
        return self.assessment.value

    @property
    def target(self) -> Decimal | None:
        return self.assessment.target.target if self.assessment.target else None

    @property
    def tolerance(self) -> Decimal | None:
        return self.assessment.target.tolerance if self.assessment.target else None

    @property
    def rating(self) -> Rating:
        return self.assessment.rating

    @property
    def direction(self) -> str | None:
        return self.assessment.direction

    @property
    def as_of_label(self) -> str:
        return self.assessment.as_of_label

    @property
    def persistent_breach(self) -> bool:
        return self.assessment.persistent_breach

    @property
    def breach_periods(self) -> list[str]:
        return self.assessment.breach_periods

    @property
    def plan_due(self) -> bool:
        """A persistent breach with no rectification plan recorded for it."""
        return self.persistent_breach and self.plan is None

    @property
    def commentary(self) -> str:
        return self.result.commentary if self.result else ""


@dataclass
class Scorecard:
    """Every KPI as at a period, in KPI order."""

    period: PeriodRef
    rows: list[KpiStatus]

    @property
    def breaches(self) -> list[KpiStatus]:
        return [row for row in self.rows if row.persistent_breach]

    @property
    def overdue(self) -> list[KpiStatus]:
        return [row for row in self.rows if row.assessment.overdue]

    @property
    def illustrative(self) -> bool:
        """Some KPI's figure here is invented for the demonstration."""
        return any(row.illustrative for row in self.rows)

    def counts(self) -> list[tuple[Rating, int]]:
        """How many KPIs have each rating, in the order of the ratings."""
        counted = Counter(row.rating for row in self.rows)
        return [(rating, counted.get(rating, 0)) for rating in Rating]


def _ref(period: Period | PeriodRef) -> PeriodRef:
    return period.ref if isinstance(period, Period) else period


def _up_to(ref: PeriodRef) -> Q:
    return Q(period__year__start_year__lt=ref.start_year) | Q(
        period__year__start_year=ref.start_year, period__number__lte=ref.number
    )


def targets_by_kpi(kpis: list[KpiDefinition]) -> dict[int, dict[int, rag.Target]]:
    """{kpi id: {start year: Target}} in one query."""
    return targets_and_illustrative_years(kpis)[0]


def targets_and_illustrative_years(
    kpis: list[KpiDefinition],
) -> tuple[dict[int, dict[int, rag.Target]], dict[int, frozenset[int]]]:
    """{kpi id: {start year: Target}}, and {kpi id: start years whose target is illustrative},
    in one query."""
    found: dict[int, dict[int, rag.Target]] = defaultdict(dict)
    invented: dict[int, set[int]] = defaultdict(set)
    rows = KpiTarget.objects.filter(kpi__in=kpis).values_list(
        "kpi_id", "year__start_year", "target", "tolerance", "illustrative"
    )
    for kpi_id, start_year, target, tolerance, illustrative in rows:
        found[kpi_id][start_year] = rag.Target(target, tolerance)
        if illustrative:
            invented[kpi_id].add(start_year)
    return found, {kpi_id: frozenset(years) for kpi_id, years in invented.items()}


def results_by_kpi(
    kpis: list[KpiDefinition], up_to: PeriodRef | None = None
) -> dict[int, dict[PeriodRef, ResultFacts]]:
    """{kpi id: {period: result}} for results up to a period, in one query."""
    found: dict[int, dict[PeriodRef, ResultFacts]] = defaultdict(dict)
    queryset = KpiResult.objects.filter(kpi__in=kpis)
    if up_to is not None:
        queryset = queryset.filter(_up_to(up_to))
    rows = queryset.values_list(
        "pk",
        "kpi_id",
        "period__year__start_year",
        "period__number",
        "value",
        "numerator",
        "denominator",
        "commentary",
        "illustrative",
    )
    for pk, kpi_id, start_year, number, value, numerator, denominator, commentary, flag in rows:
        found[kpi_id][PeriodRef(start_year, number)] = ResultFacts(
            pk, value, numerator, denominator, commentary, flag
        )
    return found


def plans_by_breach(
    kpis: list[KpiDefinition], *, as_of: datetime | None = None
) -> dict[tuple[int, PeriodRef], RectificationPlan]:
    """{(kpi id, first red period): plan}, in one query (two as they stood at `as_of`).

    A signed-off period's scorecard reads the plans as they stood when it was signed off, so
    a plan recorded or updated since does not change what the period shows.
    """
    if as_of is None:
        plans = list(
            RectificationPlan.objects.filter(kpi__in=kpis).select_related(
                "kpi", "breach_start__year", "breach_end__year"
            )
        )
    else:
        by_id = {kpi.pk: kpi for kpi in kpis}
        periods = {period.pk: period for period in Period.objects.select_related("year")}
        plans = []
        for plan in RectificationPlan.history.as_of(as_of).filter(kpi_id__in=by_id):  # type: ignore[attr-defined]
            plan.kpi = by_id[plan.kpi_id]
            plan.breach_start = periods[plan.breach_start_id]
            plan.breach_end = periods[plan.breach_end_id]
            plans.append(plan)
    return {(plan.kpi_id, plan.breach_start.ref): plan for plan in plans}


def signed_off_at(period: Period | PeriodRef) -> datetime | None:
    """When `period` was signed off, or None while it is open (or given as a bare ref)."""
    if isinstance(period, Period) and period.is_signed_off:
        return period.status_changed_at
    return None


def scorecard(
    period: Period | PeriodRef,
    *,
    kpis: QuerySet[KpiDefinition] | None = None,
    today: date | None = None,
) -> Scorecard:
    """Every KPI (or those in `kpis`) as at `period`, rated by `kpis.rag`."""
    ref = _ref(period)
    today = today or date.today()
    definitions = list(
        (kpis if kpis is not None else KpiDefinition.objects.all()).order_by("number")
    )
    targets, invented = targets_and_illustrative_years(definitions)
    results = results_by_kpi(definitions, up_to=ref)
    plans = plans_by_breach(definitions, as_of=signed_off_at(period))
    rows = []
    for kpi in definitions:
        kpi_results = results.get(kpi.pk, {})
        assessment = rag.assess(
            frequency=kpi.frequency,
            polarity=kpi.polarity,
            results={key: facts.value for key, facts in kpi_results.items()},
            targets=targets.get(kpi.pk, {}),
            period=ref,
            today=today,
        )
        start = assessment.breach_start
        rows.append(
            KpiStatus(
                kpi=kpi,
                assessment=assessment,
                result=kpi_results.get(assessment.as_of),
                plan=plans.get((kpi.pk, start)) if start else None,
                results=kpi_results,
                targets=targets.get(kpi.pk, {}),
                illustrative_years=invented.get(kpi.pk, frozenset()),
            )
        )
    return Scorecard(ref, rows)


@dataclass
class HistoryRow:
    """A result in a KPI's history, rated with its own year's target."""

    point: rag.Point
    result: ResultFacts | None
    illustrative: bool = False


@dataclass
class KpiHistory:
    """A KPI as at a period, with every due period of its recent history."""

    status: KpiStatus
    points: list[rag.Point]
    rows: list[HistoryRow]
    targets: list[tuple[str, rag.Target | None]]
    illustrative_years: frozenset[int] = frozenset()

    @property
    def illustrative(self) -> bool:
        """Some result or target on the KPI's page is invented for the demonstration."""
        return bool(self.illustrative_years) or any(row.illustrative for row in self.rows)


def kpi_history(
    kpi: KpiDefinition,
    period: Period | PeriodRef,
    *,
    chart_periods: int = 24,
    min_chart_periods: int = 12,
) -> KpiHistory:
    """The KPI page: its status (from `scorecard`); every due period from its first result to
    the period, newest first, each rated with its own year's target (a missing result shows as
    a gap); and the last `chart_periods` due periods for the trend chart."""
    status = scorecard(period, kpis=KpiDefinition.objects.filter(pk=kpi.pk)).rows[0]
    kpi = status.kpi
    targets = status.targets
    values = {key: facts.value for key, facts in status.results.items()}
    shown = status.assessment.as_of
    # The chart starts at the KPI's first result, going back at most `chart_periods` and
    # showing at least a year's worth.
    first = min(status.results) if status.results else shown
    start = min(
        max(rag.due_periods(shown, kpi.frequency, chart_periods)[0], first),
        rag.due_periods(shown, kpi.frequency, min_chart_periods)[0],
    )
    points = list(
        rag.iter_series(
            start,
            shown,
            frequency=kpi.frequency,
            polarity=kpi.polarity,
            results=values,
            targets=targets,
        )
    )
    invented = status.illustrative_years
    rows = [
        HistoryRow(
            point,
            status.results.get(point.period),
            point.period.start_year in invented
            or bool((facts := status.results.get(point.period)) and facts.illustrative),
        )
        for point in rag.iter_series(
            min(first, shown),
            shown,
            frequency=kpi.frequency,
            polarity=kpi.polarity,
            results=values,
            targets=targets,
        )
    ]
    rows.reverse()
    years = FinancialYear.objects.order_by("start_year").values_list("start_year", flat=True)
    return KpiHistory(
        status=status,
        points=points,
        rows=rows,
        targets=[(year_label(year), targets.get(year)) for year in years],
        illustrative_years=invented,
    )


def due_kpis(period: Period | PeriodRef) -> list[KpiDefinition]:
    """The KPIs whose result is due for a period: every monthly KPI, and quarterly KPIs at a
    quarter end."""
    ref = _ref(period)
    kpis = KpiDefinition.objects.order_by("number")
    if not ref.is_quarter_end:
        kpis = kpis.exclude(frequency=Frequency.QUARTERLY)
    return list(kpis)


def period_results(period: Period) -> dict[int, KpiResult]:
    """{kpi id: result} for one period."""
    return {
        result.kpi_id: result
        for result in KpiResult.objects.filter(period=period).select_related("kpi")
    }


def period_is_illustrative(period: Period) -> bool:
    """Some result for the period, or target for its year, is invented for the demonstration."""
    return (
        KpiResult.objects.filter(period=period, illustrative=True).exists()
        or KpiTarget.objects.filter(year=period.year, illustrative=True).exists()
    )


def year_is_illustrative(year: FinancialYear) -> bool:
    """Some target for the year is invented for the demonstration."""
    return KpiTarget.objects.filter(year=year, illustrative=True).exists()


def latest_result_period() -> Period | None:
    """The latest period holding a KPI result, illustrative or not: where the KPI pages open.

    The dashboard opens at the latest real figures (`default_period`); the KPI pages open
    where their own results end, so the demo's illustrative year is what they show first.
    """
    result = (
        KpiResult.objects.select_related("period__year")
        .order_by("-period__year__start_year", "-period__number")
        .first()
    )
    return result.period if result is not None else None


def rectification_plans() -> QuerySet[RectificationPlan]:
    return RectificationPlan.objects.select_related(
        "kpi", "breach_start__year", "breach_end__year"
    ).order_by("kpi__number", "breach_start__year__start_year", "breach_start__number")


def year_targets(year: FinancialYear) -> list[tuple[KpiDefinition, KpiTarget | None]]:
    """Every KPI with its target for the year (None when not set)."""
    targets = {
        target.kpi_id: target
        for target in KpiTarget.objects.filter(year=year).select_related("year")
    }
    return [(kpi, targets.get(kpi.pk)) for kpi in KpiDefinition.objects.order_by("number")]


@dataclass
class ChangeEntry:
    """One change in a history log: who, when, what, and each figure before and after."""

    when: datetime
    who: str
    action: str
    subject: str
    reason: str
    changes: list[tuple[str, str, str]]


ACTIONS = {"+": "Added", "~": "Changed", "-": "Removed"}


def _show(kpi: KpiDefinition, name: str, value: Any) -> str:
    if value is None or value == "":
        return "(blank)"
    if isinstance(value, Decimal):
        if name == "tolerance":
            return kpi.format_points(value)
        if name in ("numerator", "denominator"):
            return plain_number(value)
        return kpi.format(value)
    return str(value)


def _change_log(
    records: Iterable[Any], fields: list[tuple[str, str]], subject: Callable[[Any], str]
) -> list[ChangeEntry]:
    previous: dict[int, Any] = {}
    entries = []
    for record in records:
        before = previous.get(record.id) if record.history_type != "+" else None
        changes = []
        for name, label in fields:
            old = getattr(before, name) if before is not None else None
            new = getattr(record, name) if record.history_type != "-" else None
            if record.history_type == "-":
                new, old = None, getattr(record, name)
            before_text, after_text = _show(record.kpi, name, old), _show(record.kpi, name, new)
            if before_text != after_text:
                changes.append((label, before_text, after_text))
        previous[record.id] = record
        user = record.history_user
        entries.append(
            ChangeEntry(
                when=record.history_date,
                who=(user.get_full_name() or user.username) if user else "System",
                action=ACTIONS[record.history_type],
                subject=subject(record),
                reason=record.history_change_reason or "",
                changes=changes,
            )
        )
    entries.reverse()
    return entries


RESULT_FIELDS = [
    ("value", "Value"),
    ("numerator", "Numerator"),
    ("denominator", "Denominator"),
    ("commentary", "Commentary"),
]


def result_changes(period: Period, *, kpi: KpiDefinition | None = None) -> list[ChangeEntry]:
    """Every change to the period's results (including removed ones), newest first."""
    records = KpiResult.history.filter(period_id=period.pk)  # type: ignore[attr-defined]
    if kpi is not None:
        records = records.filter(kpi_id=kpi.pk)
    records = records.select_related("kpi", "history_user").order_by("history_date", "history_id")
    return _change_log(records, RESULT_FIELDS, lambda record: record.kpi.code)


def target_changes(year: FinancialYear) -> list[ChangeEntry]:
    """Every change to the year's targets and tolerances, newest first."""
    records = (
        KpiTarget.history.filter(year_id=year.pk)  # type: ignore[attr-defined]
        .select_related("kpi", "history_user")
        .order_by("history_date", "history_id")
    )
    return _change_log(
        records, [("target", "Target"), ("tolerance", "Tolerance")], lambda r: r.kpi.code
    )


def locked_targets(year: FinancialYear) -> dict[int, list[str]]:
    """{kpi id: labels of signed-off periods with its results}: targets that cannot change."""
    found: dict[int, list[str]] = defaultdict(list)
    rows = (
        KpiResult.objects.filter(period__year=year, period__status=PeriodStatus.SIGNED_OFF)
        .order_by("kpi_id", "period__number")
        .values_list("kpi_id", "period__number")
    )
    for kpi_id, number in rows:
        found[kpi_id].append(PeriodRef(year.start_year, number).label)
    return found
