"""The savings return: `import_savings` and the importer behind the upload page."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from nct_monitor import services as period_services
from nct_monitor.importing import ImportRefused, apply_return, check_return
from savings import services
from savings.importers import COLUMNS, savings_importer
from savings.models import SavingsLine, SavingsPosition
from tests.factories import period
from tests.savings.factories import SavingsLineFactory, position
from tests.spreadsheets import xlsx

pytestmark = pytest.mark.django_db

P9 = {"year": "2023/24", "period": 9}


def line(
    title,
    target,
    red=0,
    amber=0,
    green=None,
    mitigations=0,
    *,
    ref="",
    group="NCT",
    sro="A SRO",
    comment="",
):
    if green is None:
        green = target - red - amber
    return [ref, title, sro, group, target, red, amber, green, mitigations, comment]


def total(title, target, red, amber, green, mitigations=0):
    return ["", title, "", "", target, red, amber, green, mitigations, ""]


def workbook(*rows, header=COLUMNS):
    return xlsx([list(header), *rows])


def refused(data, params=P9, filename="return.xlsx"):
    """The messages of a refused return, and that nothing was written."""
    with pytest.raises(ImportRefused) as error:
        apply_return(savings_importer, data, filename=filename, params=params, user=None)
    assert SavingsLine.objects.count() == 0
    assert SavingsPosition.objects.count() == 0
    return [str(issue) for issue in error.value.issues]


def imported(data, params=P9, user=None):
    return apply_return(savings_importer, data, filename="return.xlsx", params=params, user=user)


def test_a_return_creates_its_lines_and_positions(contract, officer):
    data = workbook(
        line("Review of Contracts", 100, ref="S1", comment="On track"),
        line("Increase in In house Fostering", 620, red=620, ref="S2"),
        total("TOTAL", 720, 620, 0, 100),
        line("Additional Valuing care", 3200, amber=1070, group="Valuing care"),
        total("TOTAL SAVINGS", 3920, 620, 1070, 2230),
    )

    plan = imported(data, user=officer)

    assert len(plan.created) == 3
    contracts_line = SavingsLine.objects.get(ref="S1")
    assert (contracts_line.title, contracts_line.group, contracts_line.sro) == (
        "Review of Contracts",
        "NCT",
        "A SRO",
    )
    fostering = SavingsPosition.objects.get(line__ref="S2", period=period("2023/24 P9"))
    assert (fostering.target, fostering.red, fostering.green) == (
        Decimal("620000.00"),
        Decimal("620000.00"),
        Decimal("0.00"),
    )
    assert fostering.history.get().history_user == officer
    assert list(
        SavingsPosition.objects.order_by("order").values_list("line__title", flat=True)
    ) == [
        "Review of Contracts",
        "Increase in In house Fostering",
        "Additional Valuing care",
    ]


def test_importing_the_same_return_twice_changes_nothing_the_second_time(contract):
    data = workbook(line("Review of Contracts", 100), line("Legal costs", 100, amber=40))
    imported(data)
    history_rows = SavingsPosition.history.count()

    second = imported(data)

    assert (second.created, second.changed, len(second.unchanged)) == ([], [], 2)
    assert SavingsPosition.history.count() == history_rows


def test_a_changed_figure_is_previewed_before_and_after(contract):
    imported(workbook(line("Review of Contracts", 100, amber=100)))

    plan = check_return(
        savings_importer,
        workbook(line("Review of Contracts", 100, amber=40, comment="Half agreed")),
        filename="return.xlsx",
        params=P9,
    )

    (item,) = plan.changed
    assert item.label == "Review of Contracts"
    assert [(c.field, c.before, c.after) for c in item.changes] == [
        ("Amber £'000", "100", "40"),
        ("Green £'000", "0", "60"),
        ("Comments", "(blank)", "Half agreed"),
    ]
    assert SavingsPosition.objects.get().amber == Decimal("100000.00")  # a preview writes nothing


def test_a_line_is_matched_by_ref_before_title(contract):
    imported(workbook(line("Review of Contracts", 100, ref="S1")))

    plan = imported(workbook(line("Review of contracts and commissioning", 100, ref="S1")))

    assert [c.field for c in plan.changed[0].changes] == ["Savings proposal"]
    assert SavingsLine.objects.get().title == "Review of contracts and commissioning"


def test_a_line_without_ref_is_matched_by_title_ignoring_case_and_spacing(contract):
    imported(workbook(line("Review of Contracts", 100)))

    plan = imported(workbook(line("review of  CONTRACTS", 100, ref="S7")))

    assert SavingsLine.objects.count() == 1
    assert [(c.field, c.after) for c in plan.changed[0].changes] == [
        ("Ref", "S7"),
        ("Savings proposal", "review of CONTRACTS"),
    ]


def test_a_target_changed_by_a_return_is_shown_in_the_preview(contract):
    existing = SavingsLineFactory(title="Review of Contracts")
    position(existing, "2023/24 P8", green=100)

    plan = check_return(
        savings_importer,
        workbook(line("Review of Contracts", 120)),
        filename="return.xlsx",
        params=P9,
    )

    assert plan.created[0].label == "Review of Contracts (2023/24 P9 position)"
    assert (
        "The target of 'Review of Contracts' changes from 100 in 2023/24 P8 to 120 (£'000)."
        in plan.notes
    )


def test_a_later_return_in_another_order_leaves_the_earlier_table_as_it_was(contract):
    imported(workbook(line("A", 10), line("B", 10)))

    plan = imported(
        workbook(line("B", 10), line("A", 10)), params={"year": "2023/24", "period": 10}
    )

    assert [item.label for item in plan.created] == [
        "B (2023/24 P10 position)",
        "A (2023/24 P10 position)",
    ]

    def titles(at):
        return list(
            SavingsPosition.objects.filter(period=period(at))
            .order_by("order")
            .values_list("line__title", flat=True)
        )

    assert (titles("2023/24 P9"), titles("2023/24 P10")) == (["A", "B"], ["B", "A"])


def test_a_return_that_reorders_the_lines_shows_their_new_places(contract):
    imported(workbook(line("A", 10), line("B", 10)))

    plan = imported(workbook(line("B", 10), line("A", 10)))

    assert [
        (item.label, [(c.field, c.before, c.after) for c in item.changes]) for item in plan.changed
    ] == [
        ("B", [("Place in the table", "2", "1")]),
        ("A", [("Place in the table", "1", "2")]),
    ]


def test_a_blank_group_takes_the_group_of_the_line_above(contract):
    imported(
        workbook(
            line("First", 10, group="Valuing care"),
            line("Second", 10, group=None),
        )
    )

    assert SavingsLine.objects.get(title="Second").group == "Valuing care"


def test_blank_red_amber_and_mitigations_count_as_zero(contract):
    imported(workbook(["", "Review of Contracts", "", "NCT", 100, None, None, 100, None, ""]))

    saved = SavingsPosition.objects.get()
    assert (saved.red, saved.amber, saved.mitigations) == (Decimal(0), Decimal(0), Decimal(0))


def test_amounts_to_the_pound_are_kept_exactly(contract):
    imported(
        workbook(line("Review of Contracts", 100.5, red=0.001, amber=0.499, mitigations=0.001))
    )

    saved = SavingsPosition.objects.get()
    assert (saved.target, saved.red, saved.amber, saved.green) == (
        Decimal("100500.00"),
        Decimal("1.00"),
        Decimal("499.00"),
        Decimal("100000.00"),
    )


def test_stated_totals_that_agree_are_not_stored(contract):
    imported(
        workbook(
            line("A", 100, red=50),
            total("TOTAL", 100, 50, 0, 50),
            line("B", 10),
            total("TOTAL SAVINGS", 110, 50, 0, 60),
        )
    )

    assert sorted(SavingsLine.objects.values_list("title", flat=True)) == ["A", "B"]


# Bad input: each refused with a clear message, and nothing written.


def test_import_refuses_a_line_whose_rag_does_not_add_up_to_its_target(contract):
    messages = refused(workbook(line("Additional Valuing care", 3200, 0, 1070, 2200)))

    assert messages == [
        "Sheet 'Return', row 2, column 'Target £'000': Red + Amber + Green = 0 + 1,070 + 2,200 "
        "= 3,270, but the target is 3,200 (£'000). They must be equal."
    ]


def test_import_refuses_mitigations_above_red(contract):
    messages = refused(workbook(line("Review of Contracts", 100, red=20, mitigations=30)))

    assert messages == [
        "Sheet 'Return', row 2, column 'Mitigations £'000': Mitigations (30) are more than Red "
        "(20) (£'000): mitigations offset red savings and cannot exceed them."
    ]


def test_import_refuses_a_negative_amount(contract):
    messages = refused(workbook(line("Review of Contracts", 100, red=-5, amber=5)))

    assert messages == ["Sheet 'Return', row 2, column 'Red £'000': -5 is below the minimum of 0."]


def test_import_refuses_text_in_an_amount_cell(contract):
    messages = refused(workbook(line("Review of Contracts", "one hundred", green=100)))

    assert messages == [
        "Sheet 'Return', row 2, column 'Target £'000': 'one hundred' is not a number."
    ]


def test_import_refuses_an_amount_with_more_than_three_decimals(contract):
    messages = refused(workbook(line("Review of Contracts", 100, amber=0.0005, green=99.9995)))

    assert messages == [
        "Sheet 'Return', row 2, column 'Amber £'000': 0.0005 has more than 3 decimal places "
        "(£'000, to the pound).",
        "Sheet 'Return', row 2, column 'Green £'000': 99.9995 has more than 3 decimal places "
        "(£'000, to the pound).",
    ]


def test_import_refuses_a_stated_total_that_disagrees_with_its_lines(contract):
    messages = refused(
        workbook(
            line("Review of Contracts", 100, amber=100),
            line("Review of Care provision", 200),
            total("TOTAL", 300, 0, 70, 230),
        )
    )

    assert messages == [
        "Sheet 'Return', row 4, column 'Amber £'000': The TOTAL row states 70, but the lines in "
        "rows 2 to 3 add up to 100.",
        "Sheet 'Return', row 4, column 'Green £'000': The TOTAL row states 230, but the lines in "
        "rows 2 to 3 add up to 200.",
    ]


def test_import_refuses_a_grand_total_that_disagrees_with_every_line(contract):
    messages = refused(
        workbook(
            line("A", 100),
            total("TOTAL", 100, 0, 0, 100),
            line("B", 50, group="Valuing care"),
            total("TOTAL SAVINGS", 100, 0, 0, 150),
        )
    )

    assert messages == [
        "Sheet 'Return', row 5, column 'Target £'000': The TOTAL SAVINGS row states 100, but "
        "all 2 lines of the return add up to 150."
    ]


def test_a_total_row_checks_only_the_lines_since_the_previous_total_row(contract):
    messages = refused(
        workbook(
            line("A", 100),
            total("TOTAL NCT", 100, 0, 0, 100),
            line("B", 50, group="Valuing care"),
            total("TOTAL Valuing care", 150, 0, 0, 150),
        )
    )

    assert messages == [
        "Sheet 'Return', row 5, column 'Target £'000': The TOTAL row 'TOTAL Valuing care' "
        "states 150, but the line in row 4 adds up to 50.",
        "Sheet 'Return', row 5, column 'Green £'000': The TOTAL row 'TOTAL Valuing care' "
        "states 150, but the line in row 4 adds up to 50.",
    ]


def test_import_refuses_duplicate_refs(contract):
    messages = refused(workbook(line("A", 10, ref="S1"), line("B", 10, ref="S1")))

    assert messages == [
        "Sheet 'Return', row 3, column 'Ref': The Ref S1 is also on row 2; each line appears "
        "once in a return."
    ]


def test_import_refuses_the_same_title_twice(contract):
    messages = refused(workbook(line("Review of Contracts", 10), line("Review of contracts", 10)))

    assert messages == [
        "Sheet 'Return', row 3, column 'Savings proposal': 'Review of contracts' is also on "
        "row 2; each line appears once in a return."
    ]


def test_import_refuses_a_missing_required_column(contract):
    header = [column for column in COLUMNS if column != "Mitigations £'000"]

    messages = refused(xlsx([header, ["", "A", "", "NCT", 10, 0, 0, 10, ""]]))

    assert messages == [
        "Sheet 'Return', row 1: The required column 'Mitigations £'000' is missing."
    ]


def test_import_refuses_an_empty_sheet(contract):
    messages = refused(xlsx([]))

    assert messages == [
        "Sheet 'Return', row 1: The sheet is empty: row 1 must hold the column headers."
    ]


def test_import_refuses_a_file_that_is_not_xlsx(contract):
    messages = refused(b"%PDF-1.7 a committee report", filename="return.pdf")

    assert messages == [
        "Sheet 'return.pdf': The file is not an Excel workbook (.xlsx) or a CSV file."
    ]


def test_import_refuses_a_formula_cell_without_a_saved_value(contract):
    messages = refused(workbook(line("Review of Contracts", "=60+40", green=100)))

    assert messages == [
        "Sheet 'Return', row 2, column 'Target £'000': The cell holds the formula =60+40 but no "
        "saved value. Open the file in Excel and save it, or paste the values in place of the "
        "formulas."
    ]


def test_import_refuses_a_first_line_without_a_group(contract):
    messages = refused(workbook(line("Review of Contracts", 10, group=None)))

    assert messages == [
        "Sheet 'Return', row 2, column 'Group': The Group is empty and there is no line above "
        "to take it from: give the first line its group."
    ]


def test_import_refuses_a_year_that_does_not_exist(contract):
    with pytest.raises(ValidationError) as error:
        apply_return(
            savings_importer,
            workbook(line("A", 10)),
            filename="return.xlsx",
            params={"year": "2030/31", "period": 9},
            user=None,
        )

    assert error.value.messages == [
        "There is no financial year 2030/31: years run from 2020/21 to 2026/27."
    ]
    assert SavingsLine.objects.count() == 0


def test_import_refuses_a_period_that_does_not_exist(contract):
    with pytest.raises(ValidationError) as error:
        apply_return(
            savings_importer,
            workbook(line("A", 10)),
            filename="return.xlsx",
            params={"year": "2023/24", "period": 13},
            user=None,
        )

    assert error.value.messages == ["13 is not a period: periods are numbered 1 to 12."]
    assert SavingsLine.objects.count() == 0


def test_import_refuses_a_signed_off_period(contract, officer):
    period_services.sign_off_period(period=period("2023/24 P9"), user=officer)

    with pytest.raises(ValidationError) as error:
        apply_return(
            savings_importer, workbook(line("A", 10)), filename="r.xlsx", params=P9, user=None
        )

    assert error.value.messages == [
        "2023/24 P9 is signed off, so its data cannot be changed. An administrator can reopen "
        "it, giving a reason."
    ]
    assert SavingsLine.objects.count() == 0


def test_import_refuses_a_ref_that_belongs_to_a_line_with_another_title(contract):
    imported(workbook(line("Review of Contracts", 10, ref="S1")))

    with pytest.raises(ImportRefused) as error:
        imported(workbook(line("Review of Contracts", 10, ref="S2")))

    assert [str(i) for i in error.value.issues] == [
        "Sheet 'Return', row 2, column 'Ref': The line 'Review of Contracts' has the Ref S1, "
        "not S2. Give it its Ref, or give this line another title."
    ]


def test_import_refuses_a_position_for_a_retired_line(contract, officer):
    imported(workbook(line("Review of Contracts", 10)))
    services.retire_line(
        line=SavingsLine.objects.get(),
        retired_on=date(2024, 1, 5),
        reason="Merged into another line",
        user=officer,
    )

    with pytest.raises(ImportRefused) as error:
        imported(
            workbook(line("Review of Contracts", 10)), params={"year": "2023/24", "period": 10}
        )

    assert [str(i) for i in error.value.issues] == [
        "Sheet 'Return', row 2, column 'Savings proposal': 'Review of Contracts' was retired on "
        "5 January 2024; reinstate it on its page before a return gives it a position."
    ]
    assert not SavingsPosition.objects.filter(period=period("2023/24 P10")).exists()


def test_a_retired_lines_existing_position_can_still_be_corrected(contract, officer):
    imported(workbook(line("Review of Contracts", 10)))
    services.retire_line(
        line=SavingsLine.objects.get(), retired_on=date(2024, 1, 5), reason="Merged", user=officer
    )

    plan = imported(workbook(line("Review of Contracts", 10, amber=10)))

    assert [item.label for item in plan.changed] == ["Review of Contracts"]


def test_every_problem_in_a_return_is_reported_at_once(contract):
    messages = refused(
        workbook(
            line("A", 10, red=20, green=0),
            line("B", "ten", green=10),
            line("C", 10, ref="X"),
            line("D", 10, ref="X"),
        )
    )

    assert [m.split(":")[0] for m in messages] == [
        "Sheet 'Return', row 2, column 'Target £'000'",
        "Sheet 'Return', row 3, column 'Target £'000'",
        "Sheet 'Return', row 5, column 'Ref'",
    ]


def test_the_published_period_9_table_is_refused_with_each_discrepancy(contract, settings):
    data = (settings.BASE_DIR / "fixtures" / "savings-2023-24-p9-as-published.csv").read_bytes()

    messages = refused(data, filename="savings-2023-24-p9-as-published.csv")

    assert messages == [
        "Sheet 'savings-2023-24-p9-as-published', row 15, column 'Amber £'000': The TOTAL row "
        "states 770, but the lines in rows 2 to 14 add up to 300.",
        "Sheet 'savings-2023-24-p9-as-published', row 15, column 'Green £'000': The TOTAL row "
        "states 1,855, but the lines in rows 2 to 14 add up to 2,325.",
        "Sheet 'savings-2023-24-p9-as-published', row 16, column 'Target £'000': Red + Amber + "
        "Green = 0 + 1,070 + 2,200 = 3,270, but the target is 3,200 (£'000). They must be equal.",
        "Sheet 'savings-2023-24-p9-as-published', row 18, column 'Green £'000': The TOTAL SAVINGS "
        "row states 5,550, but all 15 lines of the return add up to 5,125 as written (row 16 is "
        "itself wrong).",
    ]


# The command.


def run_command(*args):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_savings", *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exit:
        code = exit.code
    return code, out.getvalue(), err.getvalue()


def test_the_command_imports_and_reports_what_it_created(contract, tmp_path):
    path = tmp_path / "p9.xlsx"
    path.write_bytes(workbook(line("Review of Contracts", 100)))

    code, out, err = run_command(str(path), "--year", "2023/24", "--period", "9")

    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "create Review of Contracts (new line)",
        "The return's line adds up to a target of 100: red 0, amber 0, green 100, mitigations "
        "0 (£'000). Every TOTAL row it states agrees.",
        "Imported p9.xlsx: 1 created, 0 changed, 0 unchanged.",
    ]
    assert SavingsPosition.objects.count() == 1


def test_the_command_dry_run_writes_nothing(contract, tmp_path):
    path = tmp_path / "p9.xlsx"
    path.write_bytes(workbook(line("Review of Contracts", 100)))

    code, out, _ = run_command(str(path), "--year", "2023/24", "--period", "9", "--dry-run")

    assert code == 0
    assert out.splitlines()[-1] == (
        "Dry run, nothing written: 1 would be created, 0 changed, 0 unchanged."
    )
    assert SavingsLine.objects.count() == 0


def test_the_command_prints_every_problem_to_stderr_and_exits_1(contract, tmp_path):
    path = tmp_path / "p9.xlsx"
    path.write_bytes(workbook(line("A", 10, red=-1, green=11), line("B", "x", green=1)))

    code, out, err = run_command(str(path), "--year", "2023/24", "--period", "9")

    assert (code, out) == (1, "")
    assert err.splitlines() == [
        "Sheet 'Return', row 2, column 'Red £'000': -1 is below the minimum of 0.",
        "Sheet 'Return', row 3, column 'Target £'000': 'x' is not a number.",
        "2 problems found; nothing was imported.",
    ]


def test_the_command_refuses_a_year_written_wrongly(contract, tmp_path):
    path = tmp_path / "p9.xlsx"
    path.write_bytes(workbook(line("A", 10)))

    code, _, err = run_command(str(path), "--year", "2023/25", "--period", "9")

    assert code == 1
    assert err.splitlines() == [
        "'2023/25' is not a financial year: the two years must be consecutive, for example "
        "2023/24.",
        "Nothing was imported.",
    ]


def test_the_command_needs_a_year_and_period(contract, tmp_path):
    with pytest.raises(CommandError):
        call_command("import_savings", str(tmp_path / "x.xlsx"))
