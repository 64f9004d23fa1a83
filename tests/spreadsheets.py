"""Build .xlsx returns in memory for tests."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from typing import Any

from openpyxl import Workbook


def xlsx(rows: Iterable[Sequence[Any]], *, sheet: str = "Return", extra_sheets: int = 0) -> bytes:
    """A workbook whose first sheet holds `rows` (the first row is the header)."""
    workbook = Workbook()
    worksheet = workbook.active
    worksheet.title = sheet
    for row in rows:
        worksheet.append(list(row))
    for index in range(extra_sheets):
        workbook.create_sheet(f"Other {index + 1}").append(["ignored"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def read_xlsx(data: bytes) -> list[list[Any]]:
    """The first sheet's values, row by row."""
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(data), data_only=True)
    return [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]


def imported_row_counts() -> dict[str, int]:
    """Rows of every model (history included) the importers write, by model label: equal
    before and after means an import wrote nothing."""
    from django.apps import apps

    return {
        model._meta.label: model.objects.count()
        for app in ("savings", "kpis", "risks")
        for model in apps.get_app_config(app).get_models()
    }
