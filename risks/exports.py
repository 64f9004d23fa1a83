"""The risk register as a workbook in the import layout, and its blank template.

The export writes exactly the columns the import reads, with the scores computed, so a
downloaded register can be edited and imported again; importing it unchanged changes nothing.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from datetime import date
from typing import Any

from nct_monitor.exports import append_row
from risks.choices import RiskCategory, RiskStatus
from risks.importers import COLUMNS, STATUS_COLUMN
from risks.matrix import IMPACT, LIKELIHOOD, bands
from risks.models import Risk

EXPORT_COLUMNS = (*COLUMNS, STATUS_COLUMN)
STATUS_WORDS: dict[str, str] = {
    RiskStatus.OPEN: "Open",
    RiskStatus.CLOSED: "Closed",
    RiskStatus.TRANSFERRED: "Transferred",
}
WIDE_COLUMNS = {
    "Risk Description",
    "Event",
    "Impact",
    "Mitigating Action",
    "Current Position",
    "Further Management Actions",
}


def risk_row(risk: Risk) -> list[Any]:
    """One risk as a row of the register, in `EXPORT_COLUMNS` order."""
    initial, current, target = risk.initial_score, risk.current_score, risk.target_score
    return [
        risk.ref,
        str(RiskCategory(risk.category).label),
        risk.date_raised,
        risk.owner,
        risk.risk_type,
        risk.description,
        risk.event,
        risk.impact_description,
        initial.probability,
        initial.impact,
        initial.value,
        risk.mitigating_actions,
        risk.current_position,
        current.probability,
        current.impact,
        current.value,
        risk.further_actions,
        target.probability,
        target.impact,
        target.value,
        risk.status_date,
        STATUS_WORDS[risk.status],
    ]


def _workbook(rows: Iterable[list[Any]]) -> Any:
    # openpyxl is slow to import (over half a second); only this export needs it.
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Risk register"
    sheet.append(list(EXPORT_COLUMNS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        append_row(sheet, row)
    for column_cells in sheet.iter_cols(min_row=1):
        header = column_cells[0].value
        letter = column_cells[0].column_letter
        sheet.column_dimensions[letter].width = 50 if header in WIDE_COLUMNS else 14
        for cell in column_cells[1:]:
            if isinstance(cell.value, date):
                cell.number_format = "dd/mm/yyyy"
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "B2"
    return workbook


def _save(workbook: Any) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def register_workbook(risks: Iterable[Risk]) -> bytes:
    """The register in the import layout, one row per risk."""
    return _save(_workbook(risk_row(risk) for risk in risks))


def template_workbook() -> bytes:
    """The blank register, with a second sheet explaining the columns and the scales."""
    workbook = _workbook([])
    guide = workbook.create_sheet("Guidance")
    guide.append(["Column", "What to enter"])
    categories = ", ".join(str(label) for label in RiskCategory.labels)
    for column, text in (
        ("Risk No", "The risk's number, for example CR 01, SCR 05 or FOR 013. Each appears once."),
        ("Category", f"One of: {categories}."),
        ("Date Raised", "An Excel date or dd/mm/yyyy."),
        ("… Probability", "A whole number 1 to 5 (see the likelihood scale below)."),
        ("… Impact", "A whole number 1 to 5 (see the impact scale below)."),
        ("… Score", "Optional. If given, it must equal probability × impact."),
        ("Date Closed", "Leave blank while the risk is open. An Excel date or dd/mm/yyyy."),
        ("Status", "Optional: Open, Closed or Transferred (to the operational register)."),
    ):
        guide.append([column, text])
    guide.append([])
    guide.append(["Likelihood", "Definition"])
    for level in LIKELIHOOD.values():
        guide.append([level.label, level.definition])
    guide.append([])
    guide.append(["Impact", "Definition"])
    for level in IMPACT.values():
        guide.append([level.label, level.definition])
    guide.append([])
    guide.append(["Band", "Scores"])
    for band in bands():
        guide.append([band.name, band.range_label])
    guide.column_dimensions["A"].width = 24
    guide.column_dimensions["B"].width = 100
    return _save(workbook)
