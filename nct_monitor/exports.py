"""Spreadsheets the product writes: text stays text.

openpyxl stores any string that starts with `=` as a formula, so a savings comment or risk
title typed as `=HYPERLINK(…)` (or imported from a CSV) would come back out of an export as a
live formula in the reader's Excel. Every xlsx export writes its rows with `append_row`, which
keeps such a cell as the text it is, so exporting and importing again changes nothing.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from django_tables2.export import TableExport


def append_row(sheet: Any, values: Sequence[Any]) -> None:
    """Append `values` as the sheet's next row, every string as text, never as a formula."""
    sheet.append(list(values))
    for cell in sheet[sheet.max_row]:
        if cell.data_type == "f":
            cell.data_type = "s"


class TextTableExport(TableExport):
    """django-tables2's export, with the xlsx written by `append_row` (csv as it was)."""

    def export(self) -> Any:
        if self.format != self.XLSX:
            return super().export()
        # openpyxl is slow to import; only an xlsx export needs it.
        from openpyxl import Workbook
        from openpyxl.styles import Font

        workbook = Workbook()
        sheet = workbook.active
        sheet.title = (self.dataset.title or "Export")[:31]
        append_row(sheet, self.dataset.headers or [])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        for row in self.dataset:
            append_row(sheet, row)
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()
