"""Every xlsx export keeps text as text: a cell typed as `=…` never becomes a live formula."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from nct_monitor.exports import append_row
from nct_monitor.importing import check_return
from risks.exports import register_workbook
from risks.importers import importer as risks_importer
from risks.selectors import risk_queryset
from savings import exports as savings_exports
from savings.importers import savings_importer
from savings.selectors import savings_summary
from tests.factories import period
from tests.risks.factories import RiskFactory
from tests.savings.factories import SavingsLineFactory, position

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://example.invalid","Open")'


def cells_holding(data: bytes, text: str) -> list[str]:
    """The data types of the cells of the first sheet whose value is `text`."""
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    return [cell.data_type for row in sheet.iter_rows() for cell in row if cell.value == text]


def test_append_row_writes_a_string_that_starts_with_equals_as_text():
    workbook = Workbook()
    append_row(workbook.active, ["=1+1", 2, "plain"])
    buffer = io.BytesIO()
    workbook.save(buffer)

    assert cells_holding(buffer.getvalue(), "=1+1") == ["s"]


def test_a_savings_comment_that_looks_like_a_formula_is_exported_as_text_and_imports_back(
    contract,
):
    line = SavingsLineFactory(title="Fostering", group="NCT")
    position(line, "2023/24 P9", red=10, comment=FORMULA)

    exported = savings_exports.tracker_workbook(savings_summary(period("2023/24 P9")))

    assert cells_holding(exported, FORMULA) == ["s"]
    plan = check_return(
        savings_importer, exported, filename="export.xlsx", params={"year": "2023/24", "period": 9}
    )
    assert (plan.created, plan.changed, len(plan.unchanged)) == ([], [], 1)


def test_a_risk_description_that_looks_like_a_formula_is_exported_as_text_and_imports_back():
    RiskFactory(ref="FOR 05", description=FORMULA)

    exported = register_workbook(risk_queryset())

    assert cells_holding(exported, FORMULA) == ["s"]
    plan = check_return(risks_importer, exported, filename="export.xlsx", params={})
    assert (len(plan.created), len(plan.changed)) == (0, 0)


def test_a_list_page_exports_a_title_that_looks_like_a_formula_as_text(officer_client):
    RiskFactory(ref="FOR 05", description="=1+2")

    response = officer_client.get(reverse("risks:risk_list") + "?_export=xlsx")

    assert response.status_code == 200
    assert cells_holding(response.content, "=1+2") == ["s"]


def test_a_savings_comment_that_looks_like_a_formula_is_exported_to_csv_as_text_and_imports_back(
    contract,
):
    line = SavingsLineFactory(title="Fostering", group="NCT")
    position(line, "2023/24 P9", red=10, comment="=1+2|3")

    exported = savings_exports.tracker_csv(savings_summary(period("2023/24 P9")))

    assert "'=1+2\\|3" in exported
    plan = check_return(
        savings_importer,
        exported.encode(),
        filename="export.csv",
        params={"year": "2023/24", "period": 9},
    )
    assert (plan.created, plan.changed, len(plan.unchanged)) == ([], [], 1)
