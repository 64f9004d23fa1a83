"""A savings return's TOTAL rows are checked in the same run as its lines, so one run reports
every problem: a wrong line does not hide a wrong total."""

from __future__ import annotations

import pytest

from nct_monitor.importing import ImportRefused, apply_return
from savings.importers import COLUMNS, savings_importer
from savings.models import SavingsLine, SavingsPosition
from tests.spreadsheets import xlsx

pytestmark = pytest.mark.django_db

P9 = {"year": "2023/24", "period": 9}
PUBLISHED = "savings-2023-24-p9-as-published"


def line(title, target, red=0, amber=0, green=None, *, group="NCT"):
    if green is None:
        green = target - red - amber
    return ["", title, "A SRO", group, target, red, amber, green, 0, ""]


def total(title, target, red, amber, green, mitigations=0):
    return ["", title, "", "", target, red, amber, green, mitigations, ""]


def refused(data, filename="return.xlsx"):
    """The messages of a refused return, and that nothing was written."""
    with pytest.raises(ImportRefused) as error:
        apply_return(savings_importer, data, filename=filename, params=P9, user=None)
    assert SavingsLine.objects.count() == 0
    assert SavingsPosition.objects.count() == 0
    return [str(issue) for issue in error.value.issues]


def test_the_published_table_reports_both_totals_and_the_wrong_line_in_one_run(contract, settings):
    data = (settings.BASE_DIR / "fixtures" / f"{PUBLISHED}.csv").read_bytes()

    messages = refused(data, filename=f"{PUBLISHED}.csv")

    assert [message.split(":")[0] for message in messages] == [
        f"Sheet '{PUBLISHED}', row 15, column 'Amber £'000'",
        f"Sheet '{PUBLISHED}', row 15, column 'Green £'000'",
        f"Sheet '{PUBLISHED}', row 16, column 'Target £'000'",
        f"Sheet '{PUBLISHED}', row 18, column 'Green £'000'",
    ]
    assert messages[-1] == (
        f"Sheet '{PUBLISHED}', row 18, column 'Green £'000': The TOTAL SAVINGS row states 5,550, "
        "but all 15 lines of the return add up to 5,125 as written (row 16 is itself wrong)."
    )


def test_a_wrong_subtotal_is_reported_beside_a_wrong_line_it_covers(contract):
    messages = refused(
        xlsx(
            [
                COLUMNS,
                line("A", 100, amber=30, green=80),  # 110, not 100
                line("B", 50),
                total("TOTAL", 150, 0, 30, 120),
            ]
        )
    )

    assert messages == [
        "Sheet 'Return', row 2, column 'Target £'000': Red + Amber + Green = 0 + 30 + 80 = 110, "
        "but the target is 100 (£'000). They must be equal.",
        "Sheet 'Return', row 4, column 'Green £'000': The TOTAL row states 120, but the lines in "
        "rows 2 to 3 add up to 130 as written (row 2 is itself wrong).",
    ]


def test_a_total_that_agrees_with_its_lines_as_written_adds_no_problem(contract):
    messages = refused(
        xlsx([COLUMNS, line("A", 100, amber=30, green=80), total("TOTAL SAVINGS", 100, 0, 30, 80)])
    )

    assert [message.split(":")[0] for message in messages] == [
        "Sheet 'Return', row 2, column 'Target £'000'"
    ]


def test_every_wrong_line_a_total_covers_is_named(contract):
    messages = refused(
        xlsx(
            [
                COLUMNS,
                line("A", 100, amber=30, green=80),
                line("B", 10, red=5, green=10),
                line("C", 10, group="Valuing care"),
                total("TOTAL SAVINGS", 120, 5, 30, 80),
            ]
        )
    )

    assert messages[-1] == (
        "Sheet 'Return', row 5, column 'Green £'000': The TOTAL SAVINGS row states 80, but all 3 "
        "lines of the return add up to 100 as written (rows 2 and 3 are themselves wrong)."
    )


def test_a_figure_a_line_does_not_give_as_a_number_is_not_totalled_but_the_others_are(contract):
    messages = refused(
        xlsx(
            [
                COLUMNS,
                line("A", 100, amber=40, green="sixty"),
                line("B", 50),
                total("TOTAL", 150, 0, 45, 999),
            ]
        )
    )

    assert messages == [
        "Sheet 'Return', row 2, column 'Green £'000': 'sixty' is not a number.",
        "Sheet 'Return', row 4, column 'Amber £'000': The TOTAL row states 45, but the lines in "
        "rows 2 to 3 add up to 40 as written (row 2 is itself wrong).",
    ]
