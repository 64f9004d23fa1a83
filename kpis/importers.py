"""KPI spreadsheet returns: targets and tolerances per year, and results per period.

Targets: `KPI`, `Year`, `Target`, `Tolerance`. Results: `KPI`, `Year`, `Period`, `Value`,
`Numerator`, `Denominator`, `Commentary`, where `Period` is 1-12, or `Q1`-`Q4` for a
quarterly KPI (stored at period 3, 6, 9 or 12). Every row is checked with the same rules as
the forms (`kpis.rules.check_result`, `check_target`); any problem refuses the whole
return, and a row that matches what is stored is left alone, so a second import changes
nothing.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.urls import reverse

from kpis import rules, services
from kpis.choices import Frequency
from kpis.models import KpiDefinition, KpiResult, KpiTarget, plain_number
from nct_monitor.choices import PeriodStatus
from nct_monitor.importing import (
    Change,
    ImportIssue,
    ImportPlan,
    ImportRefused,
    Progress,
    RowReader,
    read_sheet,
)
from nct_monitor.models import FinancialYear, Period
from nct_monitor.periods import PeriodRef, parse_year, year_label
from nct_monitor.services import require_open_periods, signed_off_message

KPI_CODE = re.compile(r"^\s*(?:KPI\s*)?(\d{1,4})\s*$", re.IGNORECASE)
QUARTER = re.compile(r"^\s*Q\s*(\d+)\s*$", re.IGNORECASE)
MONTH = re.compile(r"^\s*P?\s*(\d+)\s*$", re.IGNORECASE)
TARGET_COLUMNS = ("KPI", "Year", "Target", "Tolerance")
RESULT_COLUMNS = ("KPI", "Year", "Period", "Value", "Numerator", "Denominator", "Commentary")
COMMENTARY_LENGTH = 4000
# The fields of `check_result` and `check_target` errors, as the template's columns.
COLUMN_OF = {
    "value": "Value",
    "numerator": "Numerator",
    "denominator": "Denominator",
    "period": "Period",
    "target": "Target",
    "tolerance": "Tolerance",
}


class Lookups:
    """The KPIs, years and periods, each loaded once for the whole return."""

    def __init__(self) -> None:
        self.kpis = {kpi.number: kpi for kpi in KpiDefinition.objects.all()}
        self.years = {year.start_year: year for year in FinancialYear.objects.all()}
        self.periods = {
            (period.year.start_year, period.number): period
            for period in Period.objects.select_related("year")
        }

    def kpi_range(self) -> str:
        if not self.kpis:
            return "no KPIs are defined"
        return f"the contract's KPIs are KPI {min(self.kpis)} to KPI {max(self.kpis)}"

    def year_range(self) -> str:
        if not self.years:
            return "no financial years are set up"
        return f"years run from {year_label(min(self.years))} to {year_label(max(self.years))}"

    def kpi(self, cells: RowReader) -> KpiDefinition | None:
        text = cells.text("KPI")
        if text is None:
            return None
        match = KPI_CODE.match(text)
        found = self.kpis.get(int(match.group(1))) if match else None
        if found is None:
            cells.add_issue(
                "KPI", f"'{text}' is not a KPI code: {self.kpi_range()} (write KPI 1, or 1)."
            )
        return found

    def year(self, cells: RowReader) -> FinancialYear | None:
        text = cells.text("Year")
        if text is None:
            return None
        try:
            start_year = parse_year(text)
        except ValueError as error:
            cells.add_issue("Year", str(error))
            return None
        found = self.years.get(start_year)
        if found is None:
            cells.add_issue(
                "Year", f"There is no financial year {year_label(start_year)}: {self.year_range()}."
            )
        return found

    def period(
        self, cells: RowReader, *, kpi: KpiDefinition | None, year: FinancialYear | None
    ) -> Period | None:
        """`Period` 1-12 (or P1-P12), or Q1-Q4 for a quarterly KPI, in the row's year."""
        text = cells.text("Period")
        if text is None:
            return None
        number: int | None = None
        if quarter := QUARTER.match(text):
            if not 1 <= int(quarter.group(1)) <= 4:
                cells.add_issue("Period", f"'{text}' is not a quarter: Q1 to Q4.")
                return None
            if kpi is not None and kpi.frequency != Frequency.QUARTERLY:
                cells.add_issue(
                    "Period", f"{kpi.code} is reported monthly: give a period 1 to 12, not {text}."
                )
                return None
            number = int(quarter.group(1)) * 3
        elif month := MONTH.match(text):
            number = int(month.group(1))
            if not 1 <= number <= 12:
                cells.add_issue(
                    "Period", f"'{text}' is not a period: periods are numbered 1 to 12."
                )
                return None
        else:
            cells.add_issue(
                "Period",
                f"'{text}' is not a period: give 1 to 12, or Q1 to Q4 for a quarterly KPI.",
            )
            return None
        if year is None:
            return None
        found = self.periods.get((year.start_year, number))
        if found is None:
            cells.add_issue("Period", f"{year.label} has no period {number} set up.")
            return None
        if kpi is not None and (message := rules.check_period_for(kpi, found.ref)):
            cells.add_issue("Period", message)
            return None
        if found.is_signed_off:
            cells.add_issue("Period", signed_off_message(found))
            return None
        return found


def _issues_from(cells: RowReader, error: ValidationError) -> None:
    for field, messages in error.message_dict.items():
        for message in messages:
            cells.add_issue(COLUMN_OF.get(field), message)


def _show(value: Decimal | None) -> str:
    return "(blank)" if value is None else plain_number(value)


# Results


@dataclass(frozen=True)
class ResultRow:
    sheet: str
    row: int
    kpi: KpiDefinition
    period: Period
    value: Decimal
    numerator: Decimal | None
    denominator: Decimal | None
    commentary: str

    @property
    def label(self) -> str:
        return f"{self.kpi.code} {self.period.label}"

    def figures(self) -> tuple[Any, ...]:
        return (self.value, self.numerator, self.denominator, self.commentary)


def _changes(before: KpiResult, after: ResultRow) -> list[Change]:
    pairs = [
        ("Value", _show(before.value), _show(after.value)),
        ("Numerator", _show(before.numerator), _show(after.numerator)),
        ("Denominator", _show(before.denominator), _show(after.denominator)),
        ("Commentary", before.commentary or "(blank)", after.commentary or "(blank)"),
    ]
    return [Change(name, old, new) for name, old, new in pairs if old != new]


class KpiResultsImporter:
    """A return of KPI results, for any KPIs and periods."""

    kind = "kpi_results"
    title = "KPI results return"
    permission = "kpis.add_kpiresult"

    def read(
        self, data: bytes, *, filename: str, params: dict[str, Any], progress: Progress | None
    ) -> list[ResultRow]:
        sheet = read_sheet(
            data, filename=filename, columns=RESULT_COLUMNS, required=("KPI", "Year", "Period")
        )
        lookups = Lookups()
        issues: list[ImportIssue] = []
        rows: list[ResultRow] = []
        seen: dict[tuple[int, int], int] = {}
        for index, row in enumerate(sheet.rows, 1):
            before = len(issues)
            cells = RowReader(sheet, row, issues)
            kpi = lookups.kpi(cells)
            year = lookups.year(cells)
            period = lookups.period(cells, kpi=kpi, year=year)
            value = cells.decimal("Value", required=False)
            numerator = cells.decimal("Numerator", required=False)
            denominator = cells.decimal("Denominator", required=False)
            commentary = cells.text("Commentary", required=False, max_length=COMMENTARY_LENGTH)
            if kpi is not None and period is not None:
                key = (kpi.pk, period.pk)
                if key in seen:
                    cells.add_issue(
                        "KPI",
                        f"{kpi.code} for {period.label} is given twice, in rows {seen[key]} "
                        f"and {row.number}: give each KPI's result for a period once.",
                    )
                else:
                    seen[key] = row.number
            if len(issues) == before and kpi is not None and period is not None:
                try:
                    stored = rules.check_result(
                        kpi=kpi,
                        period=period.ref,
                        value=value,
                        numerator=numerator,
                        denominator=denominator,
                    )
                except ValidationError as error:
                    _issues_from(cells, error)
                else:
                    rows.append(
                        ResultRow(
                            sheet.name,
                            row.number,
                            kpi,
                            period,
                            stored,
                            numerator,
                            denominator,
                            commentary or "",
                        )
                    )
            if progress:
                progress(index, len(sheet.rows))
        if issues:
            raise ImportRefused(issues)
        return rows

    def plan(self, parsed: list[ResultRow], *, params: dict[str, Any]) -> ImportPlan:
        issues: list[ImportIssue] = []
        rows_by_period: dict[int, list[ResultRow]] = defaultdict(list)
        for row in parsed:
            rows_by_period[row.period.pk].append(row)
        # Each period is locked until the import's transaction ends, so a form save of one of
        # them waits for the import and then sees the versions it left. The periods are locked
        # together, in time order, as every writer of several periods does, so two imports
        # cannot deadlock.
        try:
            require_open_periods(row.period for row in parsed)
        except ValidationError:
            closed = {
                period.pk: period
                for period in Period.objects.select_related("year").filter(
                    pk__in=list(rows_by_period), status=PeriodStatus.SIGNED_OFF
                )
            }
            for row in parsed:
                if row.period.pk in closed:
                    issues.append(
                        ImportIssue(
                            row.sheet, row.row, "Period", signed_off_message(closed[row.period.pk])
                        )
                    )
        if issues:
            raise ImportRefused(issues)
        existing = {
            (result.kpi_id, result.period_id): result
            for result in KpiResult.objects.filter(period_id__in=list(rows_by_period))
        }
        plan = ImportPlan()
        for row in parsed:
            before = existing.get((row.kpi.pk, row.period.pk))
            if before is None:
                plan.add("create", f"{row.label}: {row.kpi.format(row.value)}")
            elif (before.value, before.numerator, before.denominator, before.commentary) == (
                row.figures()
            ):
                plan.add("unchanged", row.label)
            else:
                plan.add("change", row.label, _changes(before, row))
        return plan

    def write(
        self,
        parsed: list[ResultRow],
        *,
        params: dict[str, Any],
        user: Any,
        progress: Progress | None,
    ) -> None:
        services.record_kpi_results(
            entries=[
                services.ResultFigures(
                    row.kpi, row.period, row.value, row.numerator, row.denominator, row.commentary
                )
                for row in parsed
            ],
            user=user,
            reason="Imported from a KPI results return",
        )
        if progress:
            progress(len(parsed), len(parsed))

    def describe(self, params: dict[str, Any]) -> str:
        return "KPI results"

    def success_url(self, params: dict[str, Any]) -> str:
        return reverse("kpis:index")


# Targets


@dataclass(frozen=True)
class TargetRow:
    sheet: str
    row: int
    kpi: KpiDefinition
    year: FinancialYear
    target: Decimal
    tolerance: Decimal

    @property
    def label(self) -> str:
        return f"{self.kpi.code} {self.year.label}"


class KpiTargetsImporter:
    """A return of KPI targets and tolerances, for any KPIs and years."""

    kind = "kpi_targets"
    title = "KPI targets return"
    permission = "kpis.add_kpitarget"

    def read(
        self, data: bytes, *, filename: str, params: dict[str, Any], progress: Progress | None
    ) -> list[TargetRow]:
        sheet = read_sheet(data, filename=filename, columns=TARGET_COLUMNS, required=TARGET_COLUMNS)
        lookups = Lookups()
        locked = _signed_off_results()
        existing = {
            (target.kpi_id, target.year_id): (target.target, target.tolerance)
            for target in KpiTarget.objects.all()
        }
        issues: list[ImportIssue] = []
        rows: list[TargetRow] = []
        seen: dict[tuple[int, int], int] = {}
        for index, row in enumerate(sheet.rows, 1):
            before = len(issues)
            cells = RowReader(sheet, row, issues)
            kpi = lookups.kpi(cells)
            year = lookups.year(cells)
            target = cells.decimal("Target")
            tolerance = cells.decimal("Tolerance")
            if kpi is not None and year is not None:
                key = (kpi.pk, year.pk)
                if key in seen:
                    cells.add_issue(
                        "KPI",
                        f"{kpi.code}'s target for {year.label} is given twice, in rows "
                        f"{seen[key]} and {row.number}: give it once.",
                    )
                else:
                    seen[key] = row.number
            if len(issues) == before and kpi is not None and year is not None:
                try:
                    rules.check_target(kpi, target=target, tolerance=tolerance)
                except ValidationError as error:
                    _issues_from(cells, error)
                else:
                    assert target is not None and tolerance is not None
                    rows.append(TargetRow(sheet.name, row.number, kpi, year, target, tolerance))
                    if existing.get((kpi.pk, year.pk)) != (target, tolerance):
                        _locked_issue(sheet.name, row.number, kpi, year, locked, issues)
            if progress:
                progress(index, len(sheet.rows))
        if issues:
            raise ImportRefused(issues)
        return rows

    def plan(self, parsed: list[TargetRow], *, params: dict[str, Any]) -> ImportPlan:
        existing = {
            (target.kpi_id, target.year_id): target
            for target in KpiTarget.objects.filter(year__in={row.year.pk for row in parsed})
        }
        plan = ImportPlan()
        issues: list[ImportIssue] = []
        changing = []
        for row in parsed:
            before = existing.get((row.kpi.pk, row.year.pk))
            if before is None:
                plan.add(
                    "create",
                    f"{row.label}: target {row.kpi.format(row.target)}, tolerance "
                    f"{row.kpi.format_points(row.tolerance)}",
                )
                changing.append(row)
            elif (before.target, before.tolerance) == (row.target, row.tolerance):
                plan.add("unchanged", row.label)
            else:
                changes = [
                    Change(name, _show(old), _show(new))
                    for name, old, new in (
                        ("Target", before.target, row.target),
                        ("Tolerance", before.tolerance, row.tolerance),
                    )
                    if old != new
                ]
                plan.add("change", row.label, changes)
                changing.append(row)
        # Lock the years' periods, then check again that no changed target rates a result in a
        # signed-off period (one may have been signed off since the file was read).
        # Years in time order, as every writer of several periods locks them.
        years = sorted({row.year.pk: row.year for row in changing}.values(), key=_start_year)
        for year in years:
            list(Period.objects.select_for_update().filter(year=year).values_list("pk"))
        locked = _signed_off_results()
        for row in changing:
            _locked_issue(row.sheet, row.row, row.kpi, row.year, locked, issues)
        if issues:
            raise ImportRefused(issues)
        return plan

    def write(
        self,
        parsed: list[TargetRow],
        *,
        params: dict[str, Any],
        user: Any,
        progress: Progress | None,
    ) -> None:
        for index, row in enumerate(parsed, 1):
            services.set_kpi_target(
                kpi=row.kpi,
                year=row.year,
                target=row.target,
                tolerance=row.tolerance,
                user=user,
                reason="Imported from a KPI targets return",
            )
            if progress:
                progress(index, len(parsed))

    def describe(self, params: dict[str, Any]) -> str:
        return "KPI targets"

    def success_url(self, params: dict[str, Any]) -> str:
        return reverse("kpis:index")


def _signed_off_results() -> dict[tuple[int, int], list[int]]:
    """{(kpi id, year id): [period numbers]} of results in signed-off periods."""
    found: dict[tuple[int, int], list[int]] = defaultdict(list)
    rows = (
        KpiResult.objects.filter(period__status=PeriodStatus.SIGNED_OFF)
        .order_by("period__number")
        .values_list("kpi_id", "period__year_id", "period__number")
    )
    for kpi_id, year_id, number in rows:
        found[(kpi_id, year_id)].append(number)
    return found


def _start_year(year: FinancialYear) -> int:
    return year.start_year


def _locked_issue(
    sheet: str,
    row: int,
    kpi: KpiDefinition,
    year: FinancialYear,
    locked: dict[tuple[int, int], list[int]],
    issues: list[ImportIssue],
) -> None:
    numbers = locked.get((kpi.pk, year.pk))
    if not numbers:
        return
    labels = ", ".join(PeriodRef(year.start_year, n).label for n in numbers)
    message = (
        f"{kpi.code}'s {year.label} target cannot change: it rates results in signed-off "
        f"periods ({labels}). An administrator can reopen those periods."
    )
    issues.append(ImportIssue(sheet, row, "Year", message))


results_importer = KpiResultsImporter()
targets_importer = KpiTargetsImporter()
