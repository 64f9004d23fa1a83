"""`import_kpis` and `import_kpi_targets`: every bad input is refused with a message saying
what and where, and nothing is written; a good return imports once and then changes nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from kpis.importers import results_importer
from kpis.models import KpiResult, KpiTarget
from nct_monitor import services as period_services
from nct_monitor.importing import apply_return
from tests.factories import period
from tests.kpis.factories import result, target
from tests.spreadsheets import xlsx

pytestmark = pytest.mark.django_db

RESULTS_HEADER = ["KPI", "Year", "Period", "Value", "Numerator", "Denominator", "Commentary"]
TARGETS_HEADER = ["KPI", "Year", "Target", "Tolerance"]


def run(tmp_path, command, rows, *args):
    path = tmp_path / "return.xlsx"
    path.write_bytes(xlsx(rows))
    out, err = _Buffer(), _Buffer()
    try:
        call_command(command, str(path), *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exit_:
        code = exit_.code
    return code, out.text, err.lines


class _Buffer:
    def __init__(self):
        self.text = ""

    def write(self, text):
        self.text += text

    def flush(self):
        pass

    @property
    def lines(self):
        return self.text.strip().splitlines()


def import_results(tmp_path, *rows, dry_run=False):
    return run(
        tmp_path, "import_kpis", [RESULTS_HEADER, *rows], *(["--dry-run"] if dry_run else [])
    )


def import_targets(tmp_path, *rows):
    return run(tmp_path, "import_kpi_targets", [TARGETS_HEADER, *rows])


def refused_with(outcome, *expected):
    code, _, errors = outcome
    assert code == 1
    assert errors[:-1] == list(expected)
    assert errors[-1].endswith("nothing was imported.")
    assert not KpiResult.objects.exists()
    return True


# Results: good returns


def test_a_results_return_is_imported_and_a_second_import_changes_nothing(tmp_path, contract_kpis):
    rows = [
        ["KPI 1", "2024/25", 6, 68, None, None, "Steady"],
        ["KPI 2", "2024/25", 6, None, 29, 100, None],
        ["KPI 20", "2024/25", "Q2", 1, None, None, None],
    ]
    code, out, _ = import_results(tmp_path, *rows)
    assert code == 0
    assert "Imported return.xlsx: 3 created, 0 changed, 0 unchanged." in out
    stored = {(r.kpi.number, r.period.label): r.value for r in KpiResult.objects.all()}
    assert stored == {
        (1, "2024/25 P6"): Decimal("68.00"),
        (2, "2024/25 P6"): Decimal("29.00"),
        (20, "2024/25 P6"): Decimal("1.00"),
    }
    code, out, _ = import_results(tmp_path, *rows)
    assert code == 0
    assert "0 created, 0 changed, 3 unchanged" in out
    assert sum(r.history.count() for r in KpiResult.objects.all()) == 3


def test_a_changed_figure_is_shown_and_changed(tmp_path, contract_kpis):
    result(contract_kpis[1], "2024/25 P6", "68")
    code, out, _ = import_results(tmp_path, ["KPI 1", "2024/25", 6, 70, None, None, None])
    assert code == 0
    assert "change KPI 1 2024/25 P6: Value 68 → 70" in out
    assert KpiResult.objects.get().value == Decimal("70")


def test_a_dry_run_writes_nothing(tmp_path, contract_kpis):
    code, out, _ = import_results(
        tmp_path, ["KPI 1", "2024/25", 6, 68, None, None, None], dry_run=True
    )
    assert code == 0
    assert "Dry run, nothing written: 1 would be created" in out
    assert not KpiResult.objects.exists()


def test_kpi_17_at_120_percent_is_refused_as_a_percentage_is_0_to_100(tmp_path, contract_kpis):
    # The published papers report 120% for KPI 17; no share of posts can be more than all.
    assert refused_with(
        import_results(tmp_path, ["KPI 17", "2024/25", 6, 120, None, None, None]),
        "Sheet 'Return', row 2, column 'Value': KPI 17 allows 0% to 100%: 120% is outside that.",
    )
    code, _, _ = import_results(tmp_path, ["KPI 17", "2024/25", 6, 100, None, None, None])
    assert code == 0
    assert KpiResult.objects.get().value == Decimal("100")


def test_a_quarterly_kpi_may_be_given_at_its_quarter_end_period_number(tmp_path, contract_kpis):
    code, _, _ = import_results(tmp_path, ["20", "2024/25", 9, 0, None, None, None])
    assert code == 0
    assert KpiResult.objects.get().period.label == "2024/25 P9"


# Results: each bad input refused, with nothing written


def test_an_unknown_kpi_code_is_refused(tmp_path, contract_kpis):
    assert refused_with(
        import_results(tmp_path, ["KPI 22", "2024/25", 6, 50, None, None, None]),
        "Sheet 'Return', row 2, column 'KPI': 'KPI 22' is not a KPI code: the contract's KPIs "
        "are KPI 1 to KPI 21 (write KPI 1, or 1).",
    )


def test_a_percentage_above_100_is_refused_for_a_kpi_that_does_not_allow_it(
    tmp_path, contract_kpis
):
    assert refused_with(
        import_results(
            tmp_path,
            ["KPI 1", "2024/25", 6, 68, None, None, None],
            ["KPI 16", "2024/25", 6, 120, None, None, None],
        ),
        "Sheet 'Return', row 3, column 'Value': KPI 16 allows 0% to 100%: 120% is outside that.",
    )


def test_a_negative_percentage_is_refused(tmp_path, contract_kpis):
    assert refused_with(
        import_results(tmp_path, ["KPI 17", "2024/25", 6, -5, None, None, None]),
        "Sheet 'Return', row 2, column 'Value': KPI 17 allows 0% to 100%: -5% is outside that.",
    )


def test_a_negative_count_is_refused(tmp_path, contract_kpis):
    assert refused_with(
        import_results(tmp_path, ["KPI 20", "2024/25", "Q2", -1, None, None, None]),
        "Sheet 'Return', row 2, column 'Value': KPI 20 is a count, so it cannot be negative; "
        "-1 is not allowed.",
    )


def test_a_quarterly_kpi_at_a_month_that_is_not_a_quarter_end_is_refused(tmp_path, contract_kpis):
    assert refused_with(
        import_results(tmp_path, ["KPI 20", "2024/25", 5, 1, None, None, None]),
        "Sheet 'Return', row 2, column 'Period': KPI 20 is reported quarterly, at a quarter end "
        "(period 3, 6, 9 or 12, or Q1 to Q4); 2024/25 P5 is not a quarter end.",
    )


def test_a_quarter_for_a_monthly_kpi_is_refused(tmp_path, contract_kpis):
    assert refused_with(
        import_results(tmp_path, ["KPI 1", "2024/25", "Q2", 68, None, None, None]),
        "Sheet 'Return', row 2, column 'Period': KPI 1 is reported monthly: give a period 1 to "
        "12, not Q2.",
    )


def test_a_denominator_of_zero_is_refused(tmp_path, contract_kpis):
    assert refused_with(
        import_results(tmp_path, ["KPI 2", "2024/25", 6, None, 5, 0, None]),
        "Sheet 'Return', row 2, column 'Denominator': KPI 2's denominator is 0, so no value can "
        "be computed from it.",
    )


def test_numerator_and_denominator_that_disagree_with_the_stated_value_are_refused(
    tmp_path, contract_kpis
):
    assert refused_with(
        import_results(tmp_path, ["KPI 2", "2024/25", 6, 35, 29, 100, None]),
        "Sheet 'Return', row 2, column 'Value': KPI 2's stated value 35% does not agree with "
        "its numerator and denominator: 29 ÷ 100 gives 29%. Correct one of them, or leave the "
        "value blank to have it computed.",
    )


def test_a_duplicate_row_for_the_same_kpi_and_period_is_refused(tmp_path, contract_kpis):
    assert refused_with(
        import_results(
            tmp_path,
            ["KPI 20", "2024/25", "Q2", 1, None, None, None],
            ["KPI 1", "2024/25", 6, 68, None, None, None],
            ["KPI 20", "2024/25", 6, 2, None, None, None],
        ),
        "Sheet 'Return', row 4, column 'KPI': KPI 20 for 2024/25 P6 is given twice, in rows 2 "
        "and 4: give each KPI's result for a period once.",
    )


def test_text_in_a_number_cell_is_refused(tmp_path, contract_kpis):
    assert refused_with(
        import_results(tmp_path, ["KPI 1", "2024/25", 6, "sixty-eight", None, None, None]),
        "Sheet 'Return', row 2, column 'Value': 'sixty-eight' is not a number.",
    )


def test_a_year_that_does_not_exist_is_refused(tmp_path, contract_kpis):
    assert refused_with(
        import_results(tmp_path, ["KPI 1", "2031/32", 6, 68, None, None, None]),
        "Sheet 'Return', row 2, column 'Year': There is no financial year 2031/32: years run "
        "from 2020/21 to 2026/27.",
    )


def test_a_year_not_written_as_a_financial_year_is_refused(tmp_path, contract_kpis):
    assert refused_with(
        import_results(tmp_path, ["KPI 1", "2024/26", 6, 68, None, None, None]),
        "Sheet 'Return', row 2, column 'Year': '2024/26' is not a financial year: the two years "
        "must be consecutive, for example 2024/25.",
    )


def test_a_period_that_does_not_exist_is_refused(tmp_path, contract_kpis):
    assert refused_with(
        import_results(tmp_path, ["KPI 1", "2024/25", 13, 68, None, None, None]),
        "Sheet 'Return', row 2, column 'Period': '13' is not a period: periods are numbered 1 "
        "to 12.",
    )


def test_a_signed_off_period_is_refused(tmp_path, contract_kpis, admin_user):
    period_services.sign_off_period(
        period=period("2024/25 P6"),
        user=admin_user,
        exceptions_reason="Gaps accepted for this test",
    )
    assert refused_with(
        import_results(tmp_path, ["KPI 1", "2024/25", 6, 68, None, None, None]),
        "Sheet 'Return', row 2, column 'Period': 2024/25 P6 is signed off, so its data cannot be "
        "changed. An administrator can reopen it, giving a reason.",
    )


def test_every_problem_in_a_return_is_listed(tmp_path, contract_kpis):
    code, _, errors = import_results(
        tmp_path,
        ["KPI 99", "2024/25", 6, 50, None, None, None],
        ["KPI 1", "2024/25", 6, "n/a", None, None, None],
        ["KPI 2", "2024/25", 6, None, 1, 0, None],
    )
    assert code == 1
    assert [line.split(":")[0] for line in errors[:-1]] == [
        "Sheet 'Return', row 2, column 'KPI'",
        "Sheet 'Return', row 3, column 'Value'",
        "Sheet 'Return', row 4, column 'Denominator'",
    ]
    assert errors[-1] == "3 problems found; nothing was imported."


def test_a_return_with_one_bad_row_writes_none_of_the_good_ones(tmp_path, contract_kpis):
    code, _, _ = import_results(
        tmp_path,
        ["KPI 1", "2024/25", 6, 68, None, None, None],
        ["KPI 2", "2024/25", 6, 101, None, None, None],
    )
    assert code == 1
    assert not KpiResult.objects.exists()


# Targets


def test_a_targets_return_is_imported_and_a_second_import_changes_nothing(tmp_path, contract_kpis):
    rows = [["KPI 1", "2024/25", 80, 5], ["KPI 20", "2024/25", 0, 1]]
    code, out, _ = import_targets(tmp_path, *rows)
    assert code == 0
    assert "2 created" in out
    assert {(t.kpi.number, t.target, t.tolerance) for t in KpiTarget.objects.all()} == {
        (1, Decimal("80"), Decimal("5")),
        (20, Decimal("0"), Decimal("1")),
    }
    code, out, _ = import_targets(tmp_path, *rows)
    assert "0 created, 0 changed, 2 unchanged" in out


def targets_refused_with(outcome, *expected):
    code, _, errors = outcome
    assert code == 1
    assert errors[:-1] == list(expected)
    assert not KpiTarget.objects.exists()
    return True


def test_a_tolerance_below_zero_is_refused(tmp_path, contract_kpis):
    assert targets_refused_with(
        import_targets(tmp_path, ["KPI 1", "2024/25", 80, -1]),
        "Sheet 'Return', row 2, column 'Tolerance': KPI 1's tolerance cannot be below 0; it is -1.",
    )


def test_a_target_for_an_unknown_kpi_is_refused(tmp_path, contract_kpis):
    assert targets_refused_with(
        import_targets(tmp_path, ["KPI 0", "2024/25", 80, 5]),
        "Sheet 'Return', row 2, column 'KPI': 'KPI 0' is not a KPI code: the contract's KPIs "
        "are KPI 1 to KPI 21 (write KPI 1, or 1).",
    )


def test_a_target_for_a_year_that_does_not_exist_is_refused(tmp_path, contract_kpis):
    assert targets_refused_with(
        import_targets(tmp_path, ["KPI 1", "2019/20", 80, 5]),
        "Sheet 'Return', row 2, column 'Year': There is no financial year 2019/20: years run "
        "from 2020/21 to 2026/27.",
    )


def test_text_in_a_target_is_refused(tmp_path, contract_kpis):
    assert targets_refused_with(
        import_targets(tmp_path, ["KPI 1", "2024/25", "eighty", 5]),
        "Sheet 'Return', row 2, column 'Target': 'eighty' is not a number.",
    )


def test_a_percentage_target_above_100_is_refused(tmp_path, contract_kpis):
    assert targets_refused_with(
        import_targets(tmp_path, ["KPI 1", "2024/25", 101, 5]),
        "Sheet 'Return', row 2, column 'Target': KPI 1 allows 0% to 100%: 101% cannot be its "
        "target.",
    )


def test_a_duplicate_target_row_is_refused(tmp_path, contract_kpis):
    assert targets_refused_with(
        import_targets(tmp_path, ["KPI 1", "2024/25", 80, 5], ["1", "2024/25", 85, 5]),
        "Sheet 'Return', row 3, column 'KPI': KPI 1's target for 2024/25 is given twice, in "
        "rows 2 and 3: give it once.",
    )


def test_a_target_rating_a_signed_off_result_is_refused(tmp_path, contract_kpis, admin_user):
    result(contract_kpis[1], "2024/25 P1", "70")
    period_services.sign_off_period(
        period=period("2024/25 P1"),
        user=admin_user,
        exceptions_reason="Gaps accepted for this test",
    )
    assert targets_refused_with(
        import_targets(tmp_path, ["KPI 1", "2024/25", 80, 5]),
        "Sheet 'Return', row 2, column 'Year': KPI 1's 2024/25 target cannot change: it rates "
        "results in signed-off periods (2024/25 P1). An administrator can reopen those periods.",
    )


def test_the_same_target_again_is_accepted_after_sign_off(tmp_path, contract_kpis, admin_user):
    target(contract_kpis[1], "2024/25", "80", "5")
    result(contract_kpis[1], "2024/25 P1", "70")
    period_services.sign_off_period(
        period=period("2024/25 P1"),
        user=admin_user,
        exceptions_reason="Gaps accepted for this test",
    )
    code, out, _ = import_targets(tmp_path, ["KPI 1", "2024/25", 80, 5])
    assert code == 0 and "1 unchanged" in out


# The web upload uses the same importer


def test_an_officer_uploads_previews_and_confirms_a_results_return(officer_client, contract_kpis):
    upload = SimpleUploadedFile(
        "results.xlsx",
        xlsx([RESULTS_HEADER, ["KPI 1", "2024/25", 6, 68, None, None, "Steady"]]),
    )
    response = officer_client.post(reverse("kpis:results_upload"), {"file": upload})
    assert response.status_code == 302
    preview = officer_client.get(response["Location"]).content.decode()
    assert "KPI 1 2024/25 P6: 68%" in preview
    assert not KpiResult.objects.exists()
    run_id = int(response["Location"].rstrip("/").split("/")[-1])
    officer_client.post(reverse("import_confirm", args=[run_id]))
    assert KpiResult.objects.get().commentary == "Steady"


def test_a_refused_upload_shows_each_problem_by_row_and_column(officer_client, contract_kpis):
    upload = SimpleUploadedFile(
        "targets.xlsx", xlsx([TARGETS_HEADER, ["KPI 1", "2024/25", 80, -2]])
    )
    response = officer_client.post(reverse("kpis:targets_upload"), {"file": upload}, follow=True)
    page = response.content.decode()
    assert "The return was refused: nothing was imported" in page
    assert "KPI 1&#x27;s tolerance cannot be below 0; it is -2." in page


def test_the_blank_templates_have_the_columns_in_order(officer_client, contract_kpis):
    from tests.spreadsheets import read_xlsx

    for name, header in (
        ("kpis:results_template", RESULTS_HEADER),
        ("kpis:targets_template", TARGETS_HEADER),
    ):
        response = officer_client.get(reverse(name))
        assert response.status_code == 200
        assert read_xlsx(response.content)[0] == header


def test_a_member_cannot_upload_a_return(member_client, contract_kpis):
    assert member_client.get(reverse("kpis:results_upload")).status_code == 403


def test_an_imported_result_has_its_history_row_with_the_reason(contract_kpis):
    data = xlsx(
        [
            ["KPI", "Year", "Period", "Value", "Numerator", "Denominator", "Commentary"],
            ["KPI 1", "2024/25", 3, 72, None, None, "Better"],
            ["KPI 2", "2024/25", 3, None, 29, 100, ""],
        ]
    )
    apply_return(results_importer, data, filename="r.xlsx", params={}, user=None)
    for saved in KpiResult.objects.all():
        (record,) = saved.history.all()
        assert record.history_type == "+"
        assert record.value == saved.value
        assert record.history_change_reason == "Imported from a KPI results return"
