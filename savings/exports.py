"""The savings table as a spreadsheet: the tracker in the return's own layout, and the blank
return template.

The export is a valid return: its TOTAL rows are computed by `savings_summary`, so importing
an export into the same period changes nothing. After the template's columns it adds the
shortfall and each council's share of it, which an import ignores.
"""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from nct_monitor.exports import append_row, csv_text
from savings.figures import Figures
from savings.importers import AMOUNT_COLUMNS, COLUMNS, GRAND_TOTAL_PATTERN
from savings.rules import FIGURES, PENNY, thousands_value
from savings.selectors import SavingsSummary

SHORTFALL = "Shortfall £'000"
WIDTHS = {"Ref": 10, "Savings proposal": 55, "SRO": 22, "Group": 24, "Comments": 70}


def _share_column(council: str) -> str:
    return f"{council} share of shortfall £"


def _figures(figures: Figures) -> list[Decimal]:
    return [thousands_value(getattr(figures, name)) for name in FIGURES]


def _shares(shares: dict[str, Decimal], councils: list[str]) -> list[Decimal | None]:
    return [
        None if council not in shares else shares[council].quantize(PENNY) for council in councils
    ]


def subtotal_title(group: str) -> str:
    """`TOTAL <group>`, unless that would read as the grand total."""
    title = f"TOTAL {group}"
    return f"TOTAL of {group}" if GRAND_TOTAL_PATTERN.match(title) else title


def tracker_rows(summary: SavingsSummary) -> list[list[Any]]:
    """The header and every row: lines by group, a TOTAL row after each group, TOTAL SAVINGS."""
    councils = list(summary.shares)
    header = [*COLUMNS, SHORTFALL, *[_share_column(c) for c in councils]]
    rows: list[list[Any]] = [header]
    for group in summary.groups:
        for item in group.lines:
            line = item.line
            rows.append(
                [
                    line.ref,
                    line.title,
                    line.sro,
                    line.group,
                    *_figures(item.figures),
                    item.position.comment,
                    thousands_value(item.figures.shortfall),
                    *_shares(item.shortfall_shares, councils),
                ]
            )
        rows.append(
            [
                "",
                subtotal_title(group.name),
                "",
                group.name,
                *_figures(group.figures),
                "",
                thousands_value(group.figures.shortfall),
                *_shares(group.shortfall_shares, councils),
            ]
        )
    rows.append(
        [
            "",
            "TOTAL SAVINGS",
            "",
            "",
            *_figures(summary.totals),
            "",
            thousands_value(summary.totals.shortfall),
            *_shares(summary.shortfall_shares, councils),
        ]
    )
    return rows


def tracker_workbook(summary: SavingsSummary) -> bytes:
    """The tracker as an .xlsx return for its period."""
    # openpyxl is slow to import, and only a download needs it.
    from openpyxl import Workbook
    from openpyxl.styles import Font

    rows = tracker_rows(summary)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = f"Savings {summary.period.label.replace('/', '-')}"
    for row in rows:
        append_row(sheet, row)
    amount_columns = {
        index + 1
        for index, name in enumerate(rows[0])
        if name in AMOUNT_COLUMNS.values() or name == SHORTFALL
    }
    share_columns = {
        index + 1 for index, name in enumerate(rows[0]) if name.endswith("share of shortfall £")
    }
    for row_cells in sheet.iter_rows(min_row=2):
        is_total = str(row_cells[1].value or "").upper().startswith("TOTAL")
        for cell in row_cells:
            if cell.column in amount_columns and isinstance(cell.value, Decimal):
                whole = cell.value == cell.value.to_integral_value()
                cell.number_format = "#,##0" if whole else "#,##0.000"
            elif cell.column in share_columns:
                cell.number_format = "#,##0.00"
            if is_total:
                cell.font = Font(bold=True)
    _format_header(sheet, rows[0])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def tracker_csv(summary: SavingsSummary) -> str:
    """The same rows as the workbook, as CSV (amounts as plain numbers)."""
    return csv_text(tracker_rows(summary))


def _format_header(sheet: Any, header: list[str]) -> None:
    # openpyxl is slow to import, and only a download needs it.
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    for index, name in enumerate(header, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.column_dimensions[get_column_letter(index)].width = WIDTHS.get(name, 14)
    sheet.freeze_panes = "C2"


TEMPLATE_NOTES = [
    ["How to fill in the savings return"],
    [
        "One row per savings line, on the first sheet, under the header row. Columns other than "
        "these are ignored."
    ],
    [
        "Amounts are in £'000, to the pound (up to 3 decimal places). Red + Amber + Green must "
        "equal the Target; Mitigations cannot be more than Red. Blank Red, Amber, Green or "
        "Mitigations count as 0."
    ],
    [
        "Ref is optional: a line is matched by its Ref, else by its title, within the year. A "
        "line that matches none is created."
    ],
    ["A blank Group means the group of the line above; the first line must name its group."],
    [
        "A row whose Savings proposal starts with TOTAL states the subtotal of the lines since "
        "the previous TOTAL row; TOTAL SAVINGS states the total of every line. They are checked "
        "against the lines and never stored."
    ],
    ["The year and period are chosen when the return is uploaded."],
]


def blank_template() -> bytes:
    """The empty return: the header row, with notes on a second sheet."""
    # openpyxl is slow to import, and only a download needs it.
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Savings return"
    sheet.append(COLUMNS)
    _format_header(sheet, COLUMNS)
    notes = workbook.create_sheet("Notes")
    for row in TEMPLATE_NOTES:
        notes.append(row)
    notes["A1"].font = Font(bold=True)
    notes.column_dimensions["A"].width = 120
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
