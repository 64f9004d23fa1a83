"""The tracker as a return-shaped spreadsheet, and the blank template."""

from __future__ import annotations

from decimal import Decimal

import pytest

from nct_monitor.importing import apply_return, check_return
from savings import demo, exports
from savings.importers import COLUMNS, savings_importer
from savings.selectors import savings_summary
from tests.factories import period
from tests.savings.factories import SavingsLineFactory, position
from tests.spreadsheets import read_xlsx

pytestmark = pytest.mark.django_db

P9 = {"year": "2023/24", "period": 9}


def test_the_export_is_laid_out_as_the_return_with_computed_total_rows(contract):
    fostering = SavingsLineFactory(title="Fostering", ref="S1", sro="Olivia Ives", group="NCT")
    valuing = SavingsLineFactory(title="Valuing care", group="Valuing care")
    position(fostering, "2023/24 P9", red=620, mitigations=20, comment="Behind")
    position(valuing, "2023/24 P9", amber=1070, green=2130.5)

    rows = read_xlsx(exports.tracker_workbook(savings_summary(period("2023/24 P9"))))

    assert rows[0] == [
        *COLUMNS,
        "Shortfall £'000",
        "NNC share of shortfall £",
        "WNC share of shortfall £",
    ]
    assert rows[1:] == [
        [
            "S1",
            "Fostering",
            "Olivia Ives",
            "NCT",
            620,
            620,
            0,
            0,
            20,
            "Behind",
            600,
            264960,
            335040,
        ],
        [None, "TOTAL NCT", None, "NCT", 620, 620, 0, 0, 20, None, 600, 264960, 335040],
        [
            None,
            "Valuing care",
            "Olivia Ives",
            "Valuing care",
            3200.5,
            0,
            1070,
            2130.5,
            0,
            None,
            0,
            0,
            0,
        ],
        [
            None,
            "TOTAL Valuing care",
            None,
            "Valuing care",
            3200.5,
            0,
            1070,
            2130.5,
            0,
            None,
            0,
            0,
            0,
        ],
        [
            None,
            "TOTAL SAVINGS",
            None,
            None,
            3820.5,
            620,
            1070,
            2130.5,
            20,
            None,
            600,
            264960,
            335040,
        ],
    ]


def test_exporting_then_importing_into_the_same_period_changes_nothing(contract):
    demo.load()
    exported = exports.tracker_workbook(savings_summary(period("2023/24 P9")))

    plan = check_return(savings_importer, exported, filename="export.xlsx", params=P9)

    assert (plan.created, plan.changed, len(plan.unchanged)) == ([], [], 15)


def test_the_csv_export_imports_back_unchanged_too(contract):
    fostering = SavingsLineFactory(title="Fostering", group="NCT")
    later = SavingsLineFactory(title="Later", group="Other")
    mixed = SavingsLineFactory(title="Back in NCT", group="NCT")  # groups interleaved by order
    position(fostering, "2023/24 P9", red=620.25, mitigations=0.125)
    position(later, "2023/24 P9", green=1)
    position(mixed, "2023/24 P9", amber=3, comment='Says "hello", twice\nover two lines')
    csv_text = exports.tracker_csv(savings_summary(period("2023/24 P9")))

    plan = check_return(savings_importer, csv_text.encode(), filename="export.csv", params=P9)

    assert (plan.created, plan.changed, len(plan.unchanged)) == ([], [], 3)


def test_an_export_imported_into_the_next_period_copies_the_positions(contract):
    demo.load()
    exported = exports.tracker_workbook(savings_summary(period("2023/24 P9")))

    apply_return(
        savings_importer,
        exported,
        filename="export.xlsx",
        params={"year": "2023/24", "period": 10},
        user=None,
    )

    p10 = savings_summary(period("2023/24 P10"))
    assert p10.totals == savings_summary(period("2023/24 P9")).totals
    assert p10.movement.red == Decimal(0)


def test_the_blank_template_has_the_return_columns_and_notes():
    rows = read_xlsx(exports.blank_template())

    assert rows == [COLUMNS]
