"""The savings period return: the savings table as a spreadsheet, checked line by line and
against the TOTAL rows it states.

Layout (the first sheet; header row 1; extra columns ignored): `Ref`, `Savings proposal`, `SRO`,
`Group`, `Target £'000`, `Red £'000`, `Amber £'000`, `Green £'000`, `Mitigations £'000`,
`Comments`. Amounts are £'000 with up to 3 decimals (to the pound).

- A row whose `Savings proposal` starts with the word TOTAL (in any case) states the subtotal of
  the lines since the previous TOTAL row, or the start; `TOTAL SAVINGS` states the total of
  every line. Each stated figure is checked against the lines and never stored. The lines are
  added as the return writes them, even a line that is itself wrong, so one run reports every
  problem; only a figure some line's cell does not give as a number is not checked.
- A line whose `Group` is blank belongs to the group of the line above it, as a group written
  once above its lines (or in merged cells) reads; the first line must name its group.
- A blank Red, Amber, Green or Mitigations cell is 0; the target must be given.
- A line is matched by its Ref, else by its title (ignoring case and spacing), within the
  contract and year; a new line is created. A blank Ref leaves a matched line's Ref as it is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from contracts.selectors import get_contract
from nct_monitor.importing import (
    Change,
    ImportIssue,
    ImportPlan,
    ImportRefused,
    Progress,
    RowReader,
    Sheet,
    read_sheet,
)
from nct_monitor.models import Period
from nct_monitor.selectors import get_period
from nct_monitor.services import require_open_period
from savings import returns, services
from savings.figures import Figures
from savings.rules import FIGURES, figure_problems, pounds_from_thousands, thousands_text

if TYPE_CHECKING:
    from contracts.models import Contract

REF = "Ref"
TITLE = "Savings proposal"
SRO = "SRO"
GROUP = "Group"
COMMENTS = "Comments"
AMOUNT_COLUMNS = {
    "target": "Target £'000",
    "red": "Red £'000",
    "amber": "Amber £'000",
    "green": "Green £'000",
    "mitigations": "Mitigations £'000",
}
COLUMNS = [REF, TITLE, SRO, GROUP, *AMOUNT_COLUMNS.values(), COMMENTS]
REQUIRED = [TITLE, GROUP, *AMOUNT_COLUMNS.values()]
TOTAL_PATTERN = re.compile(r"^total\b", re.IGNORECASE)
GRAND_TOTAL_PATTERN = re.compile(r"^total\s+savings$", re.IGNORECASE)
AMOUNT_UNIT = "£'000, to the pound"
# The largest amount the savings forms take (£'000); its pounds fit the database's figures.
AMOUNT_LIMIT = Decimal(100_000_000)
ZERO = Decimal(0)


@dataclass
class ParsedReturn:
    """The lines of a return that passed every check, and the sheet they came from."""

    sheet: Sheet
    lines: list[returns.ReturnLine]
    # The comparison `plan` made under lock; `apply_return` writes in the same transaction.
    compared: returns.ReturnComparison | None = None


def period_for(params: dict[str, Any]) -> Period:
    """The period a return is for; ValidationError naming a year or period that is not there."""
    return get_period(params["year"], params["period"])


def contract_for_import() -> Contract:
    contract = get_contract()
    if contract is None:
        raise ValidationError("No contract is set up, so there is nothing to record savings for.")
    return contract


@dataclass
class _Run:
    """The lines since the previous TOTAL row (or of the whole sheet), for checking a total.

    Each figure is the sum of the lines as written, wrong lines included: a TOTAL row states
    what its lines add up to, whatever else is wrong with them.
    """

    rows: list[int]
    figures: dict[str, Decimal]
    # Figures some line does not give as a number ('n/a', #REF!): their sum is not known.
    unknown: set[str] = field(default_factory=set)
    # Lines whose own figures are wrong (red + amber + green is not the target…).
    wrong: list[int] = field(default_factory=list)

    @classmethod
    def empty(cls) -> _Run:
        return cls([], dict.fromkeys(FIGURES, ZERO))

    def add(self, row: int, given: dict[str, Decimal | None], *, wrong: bool) -> None:
        self.rows.append(row)
        if wrong:
            self.wrong.append(row)
        for name in FIGURES:
            amount = given[name]
            if amount is None:
                self.unknown.add(name)  # its cell's own issue says why
            else:
                self.figures[name] += amount


def _wrong_text(rows: list[int]) -> str:
    """What a total's message adds when lines it covers are wrong themselves."""
    if not rows:
        return ""
    if len(rows) == 1:
        return f" as written (row {rows[0]} is itself wrong)"
    listed = ", ".join(str(row) for row in rows[:-1]) + f" and {rows[-1]}"
    return f" as written (rows {listed} are themselves wrong)"


def _rows_text(rows: list[int]) -> str:
    """The lines a subtotal covers, with the verb that agrees: "the lines in rows 2 to 14 add"."""
    if not rows:
        return "there are no lines since the previous TOTAL row, which add"
    if len(rows) == 1:
        return f"the line in row {rows[0]} adds"
    return f"the lines in rows {rows[0]} to {rows[-1]} add"


@dataclass
class _Reading:
    """What reading a return has found so far: its lines, the group the next line without one
    takes, the TOTAL rows' running sums, and the row each Ref and title is first on."""

    lines: list[returns.ReturnLine] = field(default_factory=list)
    group: str | None = None
    since_total: _Run = field(default_factory=_Run.empty)
    everything: _Run = field(default_factory=_Run.empty)
    first_ref: dict[str, int] = field(default_factory=dict)
    first_title: dict[str, int] = field(default_factory=dict)


def _once(cells: RowReader, column: str, key: str, first: dict[str, int], *, shown: str) -> None:
    """Each line appears once in a return: a Ref or title seen on an earlier row is an issue."""
    if key in first:
        cells.add_issue(
            column, f"{shown} is also on row {first[key]}; each line appears once in a return."
        )
    else:
        first[key] = cells.number


class SavingsImporter:
    """Imports a period's savings return (`import_savings`, and the upload page)."""

    kind = "savings"
    title = "Savings return"
    permission = "savings.add_savingsposition"

    def read(
        self,
        data: bytes,
        *,
        filename: str,
        params: dict[str, Any],
        progress: Progress | None = None,
    ) -> ParsedReturn:
        period_for(params)  # a year or period that does not exist is refused before the file
        contract_for_import()
        sheet = read_sheet(data, filename=filename, columns=COLUMNS, required=REQUIRED)
        issues: list[ImportIssue] = []
        reading = _Reading()
        for index, row in enumerate(sheet.rows, start=1):
            if progress and index % 250 == 0:
                progress(index, len(sheet.rows))
            self._read_row(RowReader(sheet, row, issues), reading)
        if not issues and not reading.lines:
            issues.append(
                sheet.issue(None, None, "The return has TOTAL rows but no savings lines.")
            )
        if issues:
            raise ImportRefused(issues)
        if progress:
            progress(len(sheet.rows), len(sheet.rows))
        return ParsedReturn(sheet, reading.lines)

    def _read_row(self, cells: RowReader, reading: _Reading) -> None:
        """Read one row: check a TOTAL row against the lines it totals, or take a line."""
        title = cells.text(TITLE, max_length=300)
        title = returns.tidy(title) if title else title
        if title and TOTAL_PATTERN.match(title):
            if GRAND_TOTAL_PATTERN.match(title):
                self._check_total(cells, title, reading.everything, grand=True)
            else:
                self._check_total(cells, title, reading.since_total, grand=False)
            reading.since_total = _Run.empty()
            return
        ref = returns.tidy(cells.text(REF, required=False, max_length=40))
        sro = returns.tidy(cells.text(SRO, required=False, max_length=200))
        named_group = returns.tidy(cells.text(GROUP, required=False, max_length=200))
        comment = cells.text(COMMENTS, required=False, max_length=5000) or ""
        if named_group:
            reading.group = named_group
        elif reading.group is None:
            cells.add_issue(
                GROUP,
                "The Group is empty and there is no line above to take it from: give "
                "the first line its group.",
            )
        figures, given = self._figures(cells)
        reading.since_total.add(cells.number, given, wrong=figures is None)
        reading.everything.add(cells.number, given, wrong=figures is None)
        if ref:
            _once(cells, REF, ref, reading.first_ref, shown=f"The Ref {ref}")
        if title:
            _once(cells, TITLE, returns.title_key(title), reading.first_title, shown=f"'{title}'")
        if title and reading.group and figures is not None:
            reading.lines.append(
                returns.ReturnLine(
                    row=cells.number,
                    ref=ref,
                    title=title,
                    sro=sro,
                    group=reading.group,
                    figures=Figures(**figures),
                    comment=comment.strip(),
                )
            )

    def _figures(
        self, cells: RowReader
    ) -> tuple[dict[str, Decimal] | None, dict[str, Decimal | None]]:
        """The line's five figures in pounds, or None when any is wrong (with the issues); and
        the figures as written, for the TOTAL rows: None where a cell gives no number."""
        before = len(cells.issues)
        given: dict[str, Decimal | None] = {}
        for name, column in AMOUNT_COLUMNS.items():
            cell_before = len(cells.issues)
            value = cells.decimal(
                column,
                required=name == "target",
                places=3,
                minimum=ZERO,
                unit=AMOUNT_UNIT,
                below=AMOUNT_LIMIT,
            )
            if len(cells.issues) > cell_before:
                given[name] = None  # not a figure a total can be checked against
            else:
                given[name] = pounds_from_thousands(value if value is not None else ZERO)
        if len(cells.issues) > before:
            return None, given
        figures = {name: amount for name, amount in given.items() if amount is not None}
        problems = figure_problems(**figures)
        for problem in problems:
            cells.add_issue(AMOUNT_COLUMNS[problem.field], problem.message)
        return (None if problems else figures), given

    def _check_total(self, cells: RowReader, title: str, run: _Run, *, grand: bool) -> None:
        """Compare each figure a TOTAL row states with the lines it totals, as they are written.

        This runs whatever else is wrong with the lines, so one run reports a wrong line and a
        wrong total together. Only a figure that some covered line does not give as a number
        is not compared; that line's own issue names the cell.
        """
        stated: dict[str, Decimal] = {}
        for name, column in AMOUNT_COLUMNS.items():
            value = cells.decimal(column, required=False, places=3)
            if value is not None:
                stated[name] = pounds_from_thousands(value)
        label = "TOTAL SAVINGS" if grand else "TOTAL"
        named = f"{label} row" if title.upper() == label else f"{label} row '{title}'"
        if grand:
            count = len(run.rows)
            what = (
                f"all {count} lines of the return add"
                if count != 1
                else "the return's only line adds"
            )
        else:
            what = _rows_text(run.rows)
        for name, amount in stated.items():
            if name in run.unknown:
                continue
            computed = run.figures[name]
            if amount != computed:
                cells.add_issue(
                    AMOUNT_COLUMNS[name],
                    f"The {named} states {thousands_text(amount)}, but "
                    f"{what} up to {thousands_text(computed)}{_wrong_text(run.wrong)}.",
                )

    def plan(self, parsed: ParsedReturn, *, params: dict[str, Any]) -> ImportPlan:
        period = require_open_period(year=params["year"], period=params["period"])
        comparison = returns.compare_return(
            contract=contract_for_import(), period=period, lines=parsed.lines, lock=True
        )
        if comparison.conflicts:
            raise ImportRefused(
                parsed.sheet.issue(conflict.row, conflict.column, conflict.message)
                for conflict in comparison.conflicts
            )
        parsed.compared = comparison
        plan = ImportPlan()
        for match in comparison.matches:
            entry = match.entry
            label = f"{entry.ref} {entry.title}" if entry.ref else entry.title
            if match.line is None:
                plan.add("create", f"{label} (new line)", self._shown(entry))
            elif match.position is None:
                plan.add("create", f"{label} ({period.label} position)", self._shown(entry))
            elif match.action == "change":
                changes = [
                    Change(
                        returns.FIELD_LABELS[name],
                        returns.describe_change(name, before) or "(blank)",
                        returns.describe_change(name, after) or "(blank)",
                    )
                    for name, (before, after) in {
                        **match.line_changes,
                        **match.position_changes,
                    }.items()
                ]
                plan.add("change", label, changes)
            else:
                plan.add("unchanged", label)
            if match.previous_target is not None and comparison.previous_period is not None:
                plan.notes.append(
                    f"The target of '{entry.title}' changes from "
                    f"{thousands_text(match.previous_target)} in "
                    f"{comparison.previous_period.label} to "
                    f"{thousands_text(entry.figures.target)} (£'000)."
                )
        if comparison.left_out:
            names = "; ".join(line.title for line in comparison.left_out)
            plan.notes.append(
                f"{len(comparison.left_out)} line(s) with a {period.label} position are not in "
                f"this return and stay as they are: {names}."
            )
        if comparison.not_carried and comparison.previous_period is not None:
            names = "; ".join(line.title for line in comparison.not_carried)
            plan.notes.append(
                f"{len(comparison.not_carried)} line(s) of {comparison.previous_period.label} are "
                f"not in this return and will have no {period.label} position until they are "
                f"carried forward or added: {names}."
            )
        total = Figures(
            **{
                name: sum((getattr(e.figures, name) for e in parsed.lines), ZERO)
                for name in FIGURES
            }
        )
        count = len(parsed.lines)
        plan.notes.append(
            (f"The return's {count} lines add" if count != 1 else "The return's line adds")
            + " up to a target of "
            f"{thousands_text(total.target)}: red {thousands_text(total.red)}, amber "
            f"{thousands_text(total.amber)}, green {thousands_text(total.green)}, mitigations "
            f"{thousands_text(total.mitigations)} (£'000). Every TOTAL row it states agrees."
        )
        return plan

    @staticmethod
    def _shown(entry: returns.ReturnLine) -> list[Change]:
        shown = [Change("Group", "", entry.group)]
        if entry.sro:
            shown.append(Change("SRO", "", entry.sro))
        for name in FIGURES:
            shown.append(
                Change(returns.FIELD_LABELS[name], "", thousands_text(getattr(entry.figures, name)))
            )
        return shown

    def write(
        self,
        parsed: ParsedReturn,
        *,
        params: dict[str, Any],
        user: Any,
        progress: Progress | None = None,
    ) -> None:
        period = period_for(params)
        services.record_return(
            contract=contract_for_import(),
            period=period,
            lines=parsed.lines,
            user=user,
            reason=f"Savings return for {period.label} imported",
            progress=progress,
            compared=parsed.compared if transaction.get_connection().in_atomic_block else None,
        )
        parsed.compared = None

    def describe(self, params: dict[str, Any]) -> str:
        try:
            return f"Savings tracker {period_for(params).label}"
        except (ValidationError, Period.DoesNotExist):
            return "Savings tracker"

    def success_url(self, params: dict[str, Any]) -> str:
        try:
            period = period_for(params)
        except (ValidationError, Period.DoesNotExist):
            return reverse("savings:index")
        return reverse(
            "savings:tracker", kwargs={"year": period.year.start_year, "period": period.number}
        )


savings_importer = SavingsImporter()
