"""KPI outputs beyond the scorecard table: the `kpi_status --json` summary and the blank
spreadsheet templates for the two returns."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from kpis.importers import RESULT_COLUMNS, TARGET_COLUMNS
from kpis.models import KpiDefinition, plain_number
from kpis.selectors import scorecard
from nct_monitor.models import Period


def decimal_json(value: Decimal | None) -> str | None:
    """A figure for JSON: a string as a person writes it (`68.5`, `120`), or null."""
    return None if value is None else plain_number(value)


def kpi_status(period: Period) -> dict[str, Any]:
    """`kpi_status --json`: every KPI as at the period, from the one scorecard selector."""
    card = scorecard(period)
    return {
        "year": period.year.label,
        "period": period.label,
        "kpis": [
            {
                "code": row.kpi.code,
                "title": row.kpi.title,
                "unit": row.kpi.unit,
                "polarity": row.kpi.polarity,
                "frequency": row.kpi.frequency,
                "as_of": row.as_of_label,
                "value": decimal_json(row.value),
                "target": decimal_json(row.target),
                "tolerance": decimal_json(row.tolerance),
                "rating": str(row.rating),
                "direction": None if row.direction is None else str(row.direction),
                "persistent_breach": row.persistent_breach,
                "breach_periods": list(row.breach_periods),
                "illustrative": row.illustrative,
            }
            for row in card.rows
        ],
    }


GUIDANCE = {
    "targets": [
        ("KPI", "The KPI's code, e.g. KPI 1 (or just 1)."),
        ("Year", "The financial year, written 2024/25."),
        ("Target", "In the KPI's unit: a percentage as 85 for 85%, days, or a count."),
        (
            "Tolerance",
            "How far from the target is still amber, in the KPI's unit "
            "(percentage points for a percentage); 0 for none.",
        ),
    ],
    "results": [
        ("KPI", "The KPI's code, e.g. KPI 1 (or just 1)."),
        ("Year", "The financial year, written 2024/25."),
        ("Period", "1 (April) to 12 (March); for a quarterly KPI Q1 to Q4, or 3, 6, 9 or 12."),
        (
            "Value",
            "The result in the KPI's unit: 68 for 68%. Leave blank to have it computed "
            "from the numerator and denominator.",
        ),
        (
            "Numerator",
            "Optional: with the denominator, the value is computed (as a percentage "
            "for a percentage KPI). A stated value must agree to 1 decimal place.",
        ),
        ("Denominator", "Optional, above 0, given with the numerator."),
        ("Commentary", "Optional: what explains the result."),
    ],
}


def blank_template(kind: str) -> bytes:
    """The blank return (header row only) and a guidance sheet listing the columns and KPIs."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    columns = TARGET_COLUMNS if kind == "targets" else RESULT_COLUMNS
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "KPI targets" if kind == "targets" else "KPI results"
    sheet.append(list(columns))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for letter in "ABCDEFG":
        sheet.column_dimensions[letter].width = 16
    guide = workbook.create_sheet("Guidance")
    guide.append(["Column", "What to enter"])
    for column, text in GUIDANCE[kind]:
        guide.append([column, text])
    guide.append([])
    guide.append(["KPI", "Title", "Unit", "Polarity", "Frequency", "Allowed results"])
    for kpi in KpiDefinition.objects.order_by("number"):
        guide.append(
            [
                kpi.code,
                kpi.title,
                kpi.get_unit_display(),
                kpi.get_polarity_display(),
                kpi.get_frequency_display(),
                kpi.range_text,
            ]
        )
    guide.column_dimensions["A"].width = 14
    guide.column_dimensions["B"].width = 80
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
