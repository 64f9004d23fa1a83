"""The risk register return: one row per risk, laid out as the Trust's register.

Columns (header row 1, matched ignoring case and spaces; extra columns ignored):
`Risk No`, `Category`, `Date Raised`, `Risk Owner`, `Risk Type`, `Risk Description`, `Event`,
`Impact`, `Initial Probability`, `Initial Impact`, `Initial Score`, `Mitigating Action`,
`Current Position`, `Current Probability`, `Current Impact`, `Current Score`,
`Further Management Actions`, `Target Probability`, `Target Impact`, `Target Score`,
`Date Closed`, and optionally `Status`.

- A risk is matched by its number (`Risk No`, ignoring case and spacing); a new number adds a
  risk. Risks on the register but not in the file are left as they are.
- Probabilities and impacts are whole numbers 1 to 5. The score columns may be left out; when
  a score is given it must equal probability × impact, and the error names the risk, the row,
  the column, the stated score and the computed one. Scores are never stored.
- Dates are Excel dates or dd/mm/yyyy. A risk with a `Date Closed` is closed (a risk already
  transferred to the operational register stays transferred); without one it is open. The
  optional `Status` column (Open, Closed, Transferred) says which, and a closed or transferred
  risk must then have its date.
- A row with only a heading in `Risk No` (no digits, nothing else filled in, such as
  "Corporate Risk") is a section heading and is skipped; a file of headings alone is refused.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import Any

from django.urls import reverse
from django.utils import timezone

from nct_monitor.importing import (
    Change,
    ImportIssue,
    ImportPlan,
    ImportRefused,
    Progress,
    RowReader,
    Sheet,
    SheetRow,
    changes_between,
    read_sheet,
    register,
)
from risks import services
from risks.choices import RiskCategory, RiskStatus
from risks.matrix import IMPACT, LIKELIHOOD
from risks.models import Risk, normalise_ref, short_title
from risks.services import RiskFields

COLUMNS = (
    "Risk No",
    "Category",
    "Date Raised",
    "Risk Owner",
    "Risk Type",
    "Risk Description",
    "Event",
    "Impact",
    "Initial Probability",
    "Initial Impact",
    "Initial Score",
    "Mitigating Action",
    "Current Position",
    "Current Probability",
    "Current Impact",
    "Current Score",
    "Further Management Actions",
    "Target Probability",
    "Target Impact",
    "Target Score",
    "Date Closed",
)
STATUS_COLUMN = "Status"
SCORE_COLUMNS = ("Initial Score", "Current Score", "Target Score")
REQUIRED = tuple(column for column in COLUMNS if column not in SCORE_COLUMNS)
ASSESSMENTS = (
    ("initial", "Initial Probability", "Initial Impact", "Initial Score"),
    ("current", "Current Probability", "Current Impact", "Current Score"),
    ("target", "Target Probability", "Target Impact", "Target Score"),
)

# The field each column fills, and the label the preview shows for it.
FIELD_LABELS = {
    "ref": "Risk No",
    "category": "Category",
    "date_raised": "Date Raised",
    "owner": "Risk Owner",
    "risk_type": "Risk Type",
    "description": "Risk Description",
    "event": "Event",
    "impact_description": "Impact",
    "initial_probability": "Initial Probability",
    "initial_impact": "Initial Impact",
    "mitigating_actions": "Mitigating Action",
    "current_position": "Current Position",
    "current_probability": "Current Probability",
    "current_impact": "Current Impact",
    "further_actions": "Further Management Actions",
    "target_probability": "Target Probability",
    "target_impact": "Target Impact",
    "status": "Status",
    "status_date": "Date Closed",
}

CLOSED_WORDS = {"closed", "close", "yes", "y", "x", "transferred", "closed/transferred"}


def _words(text: str) -> str:
    text = re.sub(r"\s+", " ", text.replace("&", " and ")).strip().casefold()
    return re.sub(r"\s*risks?$", "", text)


CATEGORY_NAMES = {_words(str(label)): value for value, label in RiskCategory.choices}
STATUS_NAMES = {
    "open": RiskStatus.OPEN,
    "closed": RiskStatus.CLOSED,
    "transferred": RiskStatus.TRANSFERRED,
    "transferred to the operational register": RiskStatus.TRANSFERRED,
    "transferred to operational register": RiskStatus.TRANSFERRED,
    "transferred to the operational risk register": RiskStatus.TRANSFERRED,
    "transferred to operational risk register": RiskStatus.TRANSFERRED,
}


@dataclass
class RegisterRow:
    """A risk as one row of the return states it. `status` None: closed unless transferred."""

    number: int
    data: RiskFields
    status: str | None


@dataclass
class ParsedRegister:
    filename: str
    rows: list[RegisterRow] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _show(value: Any) -> str:
    if isinstance(value, date):
        return f"{value:%d/%m/%Y}"
    if value is None or value == "":
        return ""
    return str(value)


def _scale_cell(cells: RowReader, column: str) -> int | None:
    """A probability or impact: a whole number 1 to 5."""
    value = cells.value(column)
    scale = LIKELIHOOD if "Probability" in column else IMPACT
    span = f"1 ({scale[1].name.lower()}) to 5 ({scale[5].name.lower()})"
    if value is None:
        cells.add_issue(column, f"This cell is empty; give a whole number {span}.")
        return None
    before = len(cells.issues)
    number = cells.decimal(column)
    if number is None:
        del cells.issues[before:]
        shown = str(value).strip()
        cells.add_issue(column, f"'{shown}' is not a whole number {span}.")
        return None
    if number != number.to_integral_value() or not Decimal(1) <= number <= Decimal(5):
        cells.add_issue(column, f"{number.normalize():f} is not a whole number {span}.")
        return None
    return int(number)


def _known(value: int | None) -> int:
    """A value read without an issue (rows with issues are never turned into risks)."""
    assert value is not None
    return value


def _ref(cells: RowReader, seen: dict[str, int]) -> str:
    """The risk's number, normalised ("" when unreadable); each may appear once in a return."""
    ref_text = cells.text("Risk No", max_length=20)
    ref = normalise_ref(ref_text) if ref_text else ""
    if not ref:
        return ref
    if ref in seen:
        cells.add_issue(
            "Risk No",
            f"The risk number appears twice: it is also on row {seen[ref]}, and "
            "each risk may appear only once.",
        )
    else:
        seen[ref] = cells.number
    return ref


def _category(cells: RowReader) -> str | None:
    """The category, named as the register names it (ignoring case, "&" and "risk")."""
    category_text = cells.text("Category")
    if not category_text:
        return None
    category = CATEGORY_NAMES.get(_words(category_text))
    if category is None:
        names = ", ".join(str(label) for label in RiskCategory.labels)
        cells.add_issue(
            "Category", f"'{category_text}' is not a category of the register: use {names}."
        )
    return category


def _date_raised(cells: RowReader, *, today: date) -> date | None:
    date_raised = cells.date("Date Raised")
    if date_raised and date_raised > today:
        cells.add_issue("Date Raised", f"{date_raised:%d/%m/%Y} is in the future.")
    return date_raised


def _assessments(cells: RowReader) -> dict[str, int | None]:
    """The initial, current and target probability and impact; a score, where the return
    states one, must be their product."""
    scores: dict[str, int | None] = {}
    for kind, probability_column, impact_column, score_column in ASSESSMENTS:
        probability = _scale_cell(cells, probability_column)
        impact = _scale_cell(cells, impact_column)
        scores[f"{kind}_probability"] = probability
        scores[f"{kind}_impact"] = impact
        if score_column not in cells.sheet.headers or cells.value(score_column) is None:
            continue
        stated = cells.decimal(score_column)
        if stated is None or probability is None or impact is None:
            continue
        computed = probability * impact
        if stated != computed:
            cells.add_issue(
                score_column,
                f"The {score_column} is stated as {stated.normalize():f}, but "
                f"{probability_column} {probability} × {impact_column} {impact} "
                f"= {computed}.",
            )
    return scores


def _status_cell(cells: RowReader) -> tuple[str | None, bool]:
    """(status named in the optional Status column, whether the column named one)."""
    value = cells.value(STATUS_COLUMN)
    if value is None:
        return None, False
    text = re.sub(r"\s+", " ", str(value)).strip().casefold()
    status = STATUS_NAMES.get(text)
    if status is None:
        cells.add_issue(
            STATUS_COLUMN,
            f"'{str(value).strip()}' is not a status: use Open, Closed or Transferred.",
        )
        return None, True
    return status, True


def _date_closed(cells: RowReader) -> tuple[date | None, bool]:
    """(date closed, whether the cell says the risk is closed without giving a date)."""
    value = cells.value("Date Closed")
    if isinstance(value, str) and value.strip().casefold() in CLOSED_WORDS:
        return None, True
    return cells.date("Date Closed", required=False), False


@dataclass(frozen=True)
class _Closure:
    """Whether and when a row says its risk closed: `status` None when the Status column
    names none."""

    status: str | None
    status_date: date | None
    named: bool


def _closure(cells: RowReader, *, date_raised: date | None, today: date) -> _Closure:
    """The row's Status and Date Closed, checked against each other and the Date Raised."""
    before = len(cells.issues)
    status_date, marked_closed = _date_closed(cells)
    date_unreadable = len(cells.issues) > before
    status, named = _status_cell(cells)
    closes = marked_closed or status in (RiskStatus.CLOSED, RiskStatus.TRANSFERRED)
    if closes and status_date is None and not date_unreadable:
        word = "transferred" if status == RiskStatus.TRANSFERRED else "closed"
        cells.add_issue(
            "Date Closed",
            f"The risk is {word} but has no date: enter the date it was {word} as an "
            "Excel date or dd/mm/yyyy.",
        )
    elif status == RiskStatus.OPEN and status_date is not None:
        cells.add_issue(
            STATUS_COLUMN,
            f"The risk is open but has the Date Closed {status_date:%d/%m/%Y}: clear the "
            "date, or set the status to Closed or Transferred.",
        )
    if status_date is not None:
        if date_raised is not None and status_date < date_raised:
            cells.add_issue(
                "Date Closed",
                f"The Date Closed {status_date:%d/%m/%Y} is before the Date Raised "
                f"{date_raised:%d/%m/%Y}.",
            )
        if status_date > today:
            cells.add_issue("Date Closed", f"{status_date:%d/%m/%Y} is in the future.")
    return _Closure(status, status_date, named)


def _about_risk(ref: str, issues: list[ImportIssue]) -> list[ImportIssue]:
    """The row's issues, each naming its risk when the row gives a readable number."""
    if not ref:
        return issues
    return [
        ImportIssue(issue.sheet, issue.row, issue.column, f"Risk {ref}: {issue.message}")
        for issue in issues
    ]


class RiskRegisterImporter:
    """Imports the risk register (see the module docstring for the layout and rules)."""

    kind = "risks"
    title = "Risk register"
    permission = "risks.add_risk"

    def read(
        self,
        data: bytes,
        *,
        filename: str,
        params: dict[str, Any],
        progress: Progress | None = None,
    ) -> ParsedRegister:
        sheet = read_sheet(
            data, filename=filename, columns=(*COLUMNS, STATUS_COLUMN), required=REQUIRED
        )
        parsed = ParsedRegister(filename=filename)
        issues: list[ImportIssue] = []
        seen: dict[str, int] = {}
        today = timezone.localdate()
        total = len(sheet.rows)
        for index, row in enumerate(sheet.rows, 1):
            if progress is not None:
                progress(index, total)
            if self._is_heading(row):
                heading = str(row.cells["Risk No"]).strip()
                parsed.notes.append(f"Row {row.number} ('{heading}') is a heading and was skipped.")
                continue
            found = self._row(sheet, row, today=today, seen=seen)
            if isinstance(found, RegisterRow):
                parsed.rows.append(found)
            else:
                issues.extend(found)
        if not issues and not parsed.rows:
            issues.append(
                sheet.issue(None, None, "The register has section headings but no risks.")
            )
        if issues:
            raise ImportRefused(issues)
        return parsed

    def _is_heading(self, row: SheetRow) -> bool:
        """A section heading such as "Corporate Risk": words in `Risk No` and nothing else."""
        heading = row.cells.get("Risk No")
        others = [value for column, value in row.cells.items() if column != "Risk No"]
        return (
            heading is not None
            and all(value is None for value in others)
            and not re.search(r"\d", str(heading))
        )

    def _row(
        self, sheet: Sheet, row: SheetRow, *, today: date, seen: dict[str, int]
    ) -> RegisterRow | list[ImportIssue]:
        issues: list[ImportIssue] = []
        cells = RowReader(sheet, row, issues)
        ref = _ref(cells, seen)
        category = _category(cells)
        date_raised = _date_raised(cells, today=today)
        owner = cells.text("Risk Owner", max_length=200)
        risk_type = cells.text("Risk Type", required=False, max_length=200)
        description = cells.text("Risk Description")
        narrative = {
            name: cells.text(column, required=False)
            for name, column in (
                ("event", "Event"),
                ("impact_description", "Impact"),
                ("mitigating_actions", "Mitigating Action"),
                ("current_position", "Current Position"),
                ("further_actions", "Further Management Actions"),
            )
        }
        scores = _assessments(cells)
        closure = _closure(cells, date_raised=date_raised, today=today)
        if issues:
            return _about_risk(ref, issues)
        assert ref and category and date_raised and owner is not None and description
        status = closure.status
        if not closure.named:
            status = None if closure.status_date is not None else RiskStatus.OPEN
        data = RiskFields(
            ref=ref,
            category=category,
            risk_type=risk_type or "",
            owner=owner,
            date_raised=date_raised,
            description=description,
            event=narrative["event"] or "",
            impact_description=narrative["impact_description"] or "",
            mitigating_actions=narrative["mitigating_actions"] or "",
            current_position=narrative["current_position"] or "",
            further_actions=narrative["further_actions"] or "",
            **{name: _known(value) for name, value in scores.items()},
            status=status or RiskStatus.CLOSED,
            status_date=closure.status_date,
        ).cleaned()
        return RegisterRow(number=row.number, data=data, status=status)

    def _resolve(self, row: RegisterRow, existing: Risk | None) -> RiskFields:
        """The row's fields, with the status a date alone implies (closed, or still transferred)."""
        if (
            row.status is None
            and existing is not None
            and existing.status == RiskStatus.TRANSFERRED
        ):
            return replace(row.data, status=RiskStatus.TRANSFERRED)
        return row.data

    def _existing(self, parsed: ParsedRegister) -> dict[str, Risk]:
        refs = [row.data.ref for row in parsed.rows]
        return {risk.ref: risk for risk in Risk.objects.select_for_update().filter(ref__in=refs)}

    def plan(self, parsed: ParsedRegister, *, params: dict[str, Any]) -> ImportPlan:
        plan = ImportPlan(notes=list(parsed.notes))
        existing = self._existing(parsed)
        for row in parsed.rows:
            risk = existing.get(row.data.ref)
            after = self._resolve(row, risk)
            label = f"{after.ref} {self._title(after)}"
            if risk is None:
                plan.add(
                    "create",
                    label,
                    [
                        Change("Category", "", str(RiskCategory(after.category).label)),
                        Change("Risk Owner", "", after.owner),
                        Change(
                            "Current score",
                            "",
                            str(after.current_probability * after.current_impact),
                        ),
                    ],
                )
                continue
            before = services.fields_of(risk)
            if before == after:
                plan.add("unchanged", label)
                continue
            plan.add(
                "change",
                label,
                changes_between(self._display(before), self._display(after), FIELD_LABELS),
            )
        untouched = Risk.objects.exclude(ref__in=[row.data.ref for row in parsed.rows]).count()
        if untouched:
            plan.notes.append(
                f"{untouched} risk{' is' if untouched == 1 else 's are'} on the register but not "
                "in this file, and will be left as "
                f"{'it is' if untouched == 1 else 'they are'}."
            )
        return plan

    def _display(self, data: RiskFields) -> dict[str, str]:
        shown = {name: _show(value) for name, value in asdict(data).items()}
        shown["category"] = str(RiskCategory(data.category).label)
        shown["status"] = str(RiskStatus(data.status).label)
        return shown

    def _title(self, data: RiskFields) -> str:
        return short_title(data.description)

    def write(
        self,
        parsed: ParsedRegister,
        *,
        params: dict[str, Any],
        user: Any,
        progress: Progress | None = None,
    ) -> None:
        existing = self._existing(parsed)
        total = len(parsed.rows)
        for index, row in enumerate(parsed.rows, 1):
            services.save_risk(
                data=self._resolve(row, existing.get(row.data.ref)),
                user=user,
                reason=f"Imported from {parsed.filename}",
            )
            if progress is not None:
                progress(index, total)

    def describe(self, params: dict[str, Any]) -> str:
        return "Risk register"

    def success_url(self, params: dict[str, Any]) -> str:
        return reverse("risks:risk_list")


importer = RiskRegisterImporter()


def register_importer() -> None:
    register(importer)
