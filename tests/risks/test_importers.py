"""`import_risks` and the register upload: the layout, every refusal, and the round trip."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from django.core.management import call_command

from nct_monitor.importing import ImportRefused, apply_return, check_return
from risks.choices import RiskStatus
from risks.exports import EXPORT_COLUMNS, register_workbook
from risks.importers import COLUMNS, importer
from risks.models import Risk
from risks.selectors import risk_queryset
from tests.risks.factories import RiskFactory
from tests.spreadsheets import read_xlsx, xlsx

pytestmark = pytest.mark.django_db

GOOD = {
    "Risk No": "FOR 05",
    "Category": "Finance and Operational",
    "Date Raised": "01/04/2021",
    "Risk Owner": "Director of Finance and Resources",
    "Risk Type": "Finance / service delivery",
    "Risk Description": "Inability to deliver savings plans within contract sum",
    "Event": "Additional cost burdens",
    "Impact": "Failure to deliver savings",
    "Initial Probability": 3,
    "Initial Impact": 5,
    "Initial Score": 15,
    "Mitigating Action": "1. Review of individual project delivery",
    "Current Position": "1. Continued review of budgets",
    "Current Probability": 5,
    "Current Impact": 5,
    "Current Score": 25,
    "Further Management Actions": "1. Impact factored into the MTFP",
    "Target Probability": 2,
    "Target Impact": 5,
    "Target Score": 10,
    "Date Closed": None,
}


def sheet(*rows: dict, columns=COLUMNS) -> bytes:
    return xlsx([list(columns), *[[row.get(column) for column in columns] for row in rows]])


def row(**changes) -> dict:
    changed = dict(GOOD)
    for key, value in changes.items():
        changed[key.replace("_", " ")] = value
    return changed


def refused(data: bytes) -> list[str]:
    with pytest.raises(ImportRefused) as error:
        check_return(importer, data, filename="register.xlsx", params={})
    assert not Risk.objects.exists()
    return [str(issue) for issue in error.value.issues]


def apply(data: bytes, filename: str = "register.xlsx"):
    return apply_return(importer, data, filename=filename, params={}, user=None)


def test_the_appendix_register_imports_with_its_scores_computed(register_file):
    plan = apply(register_file, "risk_register.csv")

    assert len(plan.created) == 27
    scores = {
        risk.ref: (risk.initial_score.value, risk.current_score.value, risk.target_score.value)
        for risk in Risk.objects.all()
    }
    assert scores["FOR 05"] == (15, 25, 10)
    assert scores["FOR 06"] == (20, 16, 8)
    assert scores["FOR 010"] == (12, 16, 8)
    assert scores["FOR 014"] == (12, 1, 1)
    assert Risk.objects.get(ref="FOR 08").date_raised == date(2020, 11, 1)
    assert sorted({risk.get_category_display() for risk in Risk.objects.all()}) == [
        "Corporate",
        "Finance and Operational",
        "Social Care",
    ]


def test_importing_the_same_register_twice_changes_nothing_the_second_time(register_file):
    apply(register_file, "risk_register.csv")
    history = sum(risk.history.count() for risk in Risk.objects.all())

    plan = apply(register_file, "risk_register.csv")

    assert (len(plan.created), len(plan.changed), len(plan.unchanged)) == (0, 0, 27)
    assert sum(risk.history.count() for risk in Risk.objects.all()) == history


def test_export_then_import_changes_nothing(register_file):
    apply(register_file, "risk_register.csv")
    Risk.objects.filter(ref="FOR 014").update(
        status=RiskStatus.CLOSED, status_date=date(2023, 1, 19)
    )
    Risk.objects.filter(ref="SCR 06").update(
        status=RiskStatus.TRANSFERRED, status_date=date(2023, 3, 31)
    )
    before = list(risk_queryset().values())

    plan = apply(register_workbook(risk_queryset()), "export.xlsx")

    assert (len(plan.created), len(plan.changed)) == (0, 0)
    assert list(risk_queryset().values()) == before


def test_the_export_is_in_the_import_layout_with_scores_computed():
    RiskFactory(ref="FOR 05", current_probability=5, current_impact=5)

    rows = read_xlsx(register_workbook(risk_queryset()))

    assert rows[0] == list(EXPORT_COLUMNS)
    exported = dict(zip(rows[0], rows[1], strict=True))
    assert (exported["Current Probability"], exported["Current Score"]) == (5, 25)
    assert exported["Date Raised"] == datetime(2021, 4, 1)
    assert exported["Status"] == "Open"


def test_a_changed_row_is_planned_field_by_field():
    RiskFactory(
        ref="FOR 05", current_probability=3, current_impact=5, **{"category": "finance_operational"}
    )

    plan = check_return(importer, sheet(row()), filename="register.xlsx", params={})

    [item] = plan.changed
    changed = {change.field: (change.before, change.after) for change in item.changes}
    assert changed["Current Probability"] == ("3", "5")


def test_score_columns_may_be_left_out():
    columns = [c for c in COLUMNS if not c.endswith("Score")]

    apply(sheet(row(), columns=columns))

    assert Risk.objects.get().current_score.value == 25


def test_a_risk_with_a_date_closed_is_closed():
    apply(sheet(row(Date_Closed="19/01/2023")))

    risk = Risk.objects.get()
    assert (risk.status, risk.status_date) == (RiskStatus.CLOSED, date(2023, 1, 19))


def test_a_risk_transferred_to_the_operational_register_stays_transferred():
    RiskFactory(
        ref="FOR 05",
        category="finance_operational",
        status=RiskStatus.TRANSFERRED,
        status_date=date(2023, 1, 19),
    )

    apply(sheet(row(Date_Closed=datetime(2023, 1, 19))))

    assert Risk.objects.get().status == RiskStatus.TRANSFERRED


def test_the_optional_status_column_can_say_transferred():
    columns = (*COLUMNS, "Status")

    apply(sheet(row(Date_Closed="19/01/2023", Status="Transferred"), columns=columns))

    assert Risk.objects.get().status == RiskStatus.TRANSFERRED


def test_a_risk_without_a_date_closed_is_reopened():
    RiskFactory(ref="FOR 05", status=RiskStatus.CLOSED, status_date=date(2023, 1, 19))

    apply(sheet(row()))

    assert (Risk.objects.get().status, Risk.objects.get().status_date) == ("open", None)


def test_categories_are_matched_ignoring_case_and_the_word_risk():
    apply(sheet(row(Category="finance & operational risks")))

    assert Risk.objects.get().category == "finance_operational"


def test_a_section_heading_row_is_skipped_with_a_note():
    heading = {column: None for column in COLUMNS} | {"Risk No": "Corporate Risk"}

    plan = apply(sheet(heading, row()))

    assert plan.notes == ["Row 2 ('Corporate Risk') is a heading and was skipped."]
    assert Risk.objects.count() == 1


# Bad input: each refused with a clear message, and nothing written.


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (6, "6 is not a whole number 1 (very low) to 5 (almost certain)."),
        (0, "0 is not a whole number 1 (very low) to 5 (almost certain)."),
        (-1, "-1 is not a whole number 1 (very low) to 5 (almost certain)."),
    ],
)
def test_a_probability_outside_1_to_5_is_refused(value, message):
    assert refused(sheet(row(Current_Probability=value))) == [
        f"Sheet 'Return', row 2, column 'Current Probability': Risk FOR 05: {message}"
    ]


def test_an_impact_that_is_not_a_whole_number_is_refused():
    assert refused(sheet(row(Initial_Impact=2.5))) == [
        "Sheet 'Return', row 2, column 'Initial Impact': Risk FOR 05: 2.5 is not a whole "
        "number 1 (insignificant) to 5 (catastrophic)."
    ]


def test_an_impact_written_in_words_is_refused():
    assert refused(sheet(row(Target_Impact="Major"))) == [
        "Sheet 'Return', row 2, column 'Target Impact': Risk FOR 05: 'Major' is not a whole "
        "number 1 (insignificant) to 5 (catastrophic)."
    ]


def test_an_empty_probability_is_refused():
    assert refused(sheet(row(Initial_Probability=None))) == [
        "Sheet 'Return', row 2, column 'Initial Probability': Risk FOR 05: This cell is empty; "
        "give a whole number 1 (very low) to 5 (almost certain)."
    ]


def test_a_stated_score_that_is_not_probability_times_impact_is_refused():
    assert refused(sheet(row(Current_Score=15))) == [
        "Sheet 'Return', row 2, column 'Current Score': Risk FOR 05: The Current Score is "
        "stated as 15, but Current Probability 5 × Current Impact 5 = 25."
    ]


def test_every_wrong_score_in_the_published_register_is_reported():
    rows = [
        row(Risk_No="FOR 05", Current_Probability=5, Current_Impact=5, Current_Score=15),
        row(Risk_No="FOR 010", Current_Probability=4, Current_Impact=4, Current_Score=8),
        row(
            Risk_No="FOR 014",
            Current_Probability=1,
            Current_Impact=1,
            Current_Score=2,
            Target_Probability=1,
            Target_Impact=1,
            Target_Score=2,
        ),
    ]

    assert refused(sheet(*rows)) == [
        "Sheet 'Return', row 2, column 'Current Score': Risk FOR 05: The Current Score is "
        "stated as 15, but Current Probability 5 × Current Impact 5 = 25.",
        "Sheet 'Return', row 3, column 'Current Score': Risk FOR 010: The Current Score is "
        "stated as 8, but Current Probability 4 × Current Impact 4 = 16.",
        "Sheet 'Return', row 4, column 'Current Score': Risk FOR 014: The Current Score is "
        "stated as 2, but Current Probability 1 × Current Impact 1 = 1.",
        "Sheet 'Return', row 4, column 'Target Score': Risk FOR 014: The Target Score is "
        "stated as 2, but Target Probability 1 × Target Impact 1 = 1.",
    ]


def test_a_duplicate_risk_number_is_refused():
    assert refused(sheet(row(), row(Risk_No="for  05"))) == [
        "Sheet 'Return', row 3, column 'Risk No': Risk FOR 05: The risk number appears twice: "
        "it is also on row 2, and each risk may appear only once."
    ]


def test_a_closed_risk_without_a_date_is_refused():
    columns = (*COLUMNS, "Status")

    assert refused(sheet(row(Status="Closed"), columns=columns)) == [
        "Sheet 'Return', row 2, column 'Date Closed': Risk FOR 05: The risk is closed but has "
        "no date: enter the date it was closed as an Excel date or dd/mm/yyyy."
    ]


def test_a_date_closed_that_says_closed_instead_of_a_date_is_refused():
    assert refused(sheet(row(Date_Closed="Closed"))) == [
        "Sheet 'Return', row 2, column 'Date Closed': Risk FOR 05: The risk is closed but has "
        "no date: enter the date it was closed as an Excel date or dd/mm/yyyy."
    ]


def test_a_date_closed_before_the_date_raised_is_refused():
    assert refused(sheet(row(Date_Closed="31/03/2021"))) == [
        "Sheet 'Return', row 2, column 'Date Closed': Risk FOR 05: The Date Closed 31/03/2021 "
        "is before the Date Raised 01/04/2021."
    ]


def test_an_open_risk_with_a_date_closed_is_refused():
    columns = (*COLUMNS, "Status")

    assert refused(sheet(row(Status="Open", Date_Closed="19/01/2023"), columns=columns)) == [
        "Sheet 'Return', row 2, column 'Status': Risk FOR 05: The risk is open but has the Date "
        "Closed 19/01/2023: clear the date, or set the status to Closed or Transferred."
    ]


def test_an_unknown_category_is_refused():
    assert refused(sheet(row(Category="Strategic"))) == [
        "Sheet 'Return', row 2, column 'Category': Risk FOR 05: 'Strategic' is not a category "
        "of the register: use Corporate, Social Care, Finance and Operational."
    ]


def test_a_missing_required_column_is_refused():
    columns = [column for column in COLUMNS if column != "Risk Owner"]

    assert refused(sheet(row(), columns=columns)) == [
        "Sheet 'Return', row 1: The required column 'Risk Owner' is missing."
    ]


@pytest.mark.parametrize("written", ["2021-04-01", "01/04/21", "1st April 2021", "April 2021"])
def test_a_date_neither_excel_nor_dd_mm_yyyy_is_refused(written):
    assert refused(sheet(row(Date_Raised=written))) == [
        f"Sheet 'Return', row 2, column 'Date Raised': Risk FOR 05: '{written}' is not a date: "
        "use an Excel date or dd/mm/yyyy."
    ]


def test_a_date_that_does_not_exist_is_refused():
    assert refused(sheet(row(Date_Closed="31/02/2023"))) == [
        "Sheet 'Return', row 2, column 'Date Closed': Risk FOR 05: '31/02/2023' is not a real date."
    ]


def test_every_problem_in_the_file_is_listed_and_nothing_is_written():
    problems = refused(
        sheet(row(Category="Strategic", Current_Score=9), row(Risk_No="CR 01", Initial_Impact=7))
    )

    assert [problem.split(":")[0] for problem in problems] == [
        "Sheet 'Return', row 2, column 'Category'",
        "Sheet 'Return', row 2, column 'Current Score'",
        "Sheet 'Return', row 3, column 'Initial Impact'",
    ]


def test_one_bad_row_stops_the_good_rows_too(register_file):
    good = row(Risk_No="CR 09")
    bad = row(Risk_No="CR 10", Current_Probability=9)

    refused(sheet(good, bad))

    assert not Risk.objects.exists()


# The command.


def test_the_command_imports_and_says_what_it_did(tmp_path, capsys):
    path = tmp_path / "register.xlsx"
    path.write_bytes(sheet(row()))

    call_command("import_risks", str(path))

    assert "Imported register.xlsx: 1 created, 0 changed, 0 unchanged." in capsys.readouterr().out
    assert Risk.objects.get().ref == "FOR 05"


def test_the_command_dry_run_writes_nothing(tmp_path, capsys):
    path = tmp_path / "register.xlsx"
    path.write_bytes(sheet(row()))

    call_command("import_risks", str(path), "--dry-run")

    assert "Dry run, nothing written: 1 would be created" in capsys.readouterr().out
    assert not Risk.objects.exists()


def test_the_command_prints_every_problem_to_stderr_and_exits_1(tmp_path, capsys):
    path = tmp_path / "register.xlsx"
    path.write_bytes(sheet(row(Current_Score=15)))

    with pytest.raises(SystemExit) as exit_:
        call_command("import_risks", str(path))

    assert exit_.value.code == 1
    err = capsys.readouterr().err
    assert "column 'Current Score': Risk FOR 05: The Current Score is stated as 15" in err
    assert "1 problem found; nothing was imported." in err
    assert not Risk.objects.exists()
