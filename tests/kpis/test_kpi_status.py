"""`manage.py kpi_status --year Y --period N --json`, exactly as DESIGN.md specifies."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from tests.kpis.factories import result, series, target

pytestmark = pytest.mark.django_db

KEYS = [
    "code",
    "title",
    "unit",
    "polarity",
    "frequency",
    "as_of",
    "value",
    "target",
    "tolerance",
    "rating",
    "direction",
    "persistent_breach",
    "breach_periods",
    "illustrative",
]


def kpi_status(year, number):
    out = io.StringIO()
    call_command("kpi_status", "--year", year, "--period", str(number), "--json", stdout=out)
    return json.loads(out.getvalue())


def test_every_kpi_is_listed_with_exactly_the_documented_keys(contract_kpis):
    status = kpi_status("2024/25", 6)
    assert list(status) == ["year", "period", "kpis"]
    assert (status["year"], status["period"]) == ("2024/25", "2024/25 P6")
    assert [kpi["code"] for kpi in status["kpis"]] == [f"KPI {n}" for n in range(1, 22)]
    assert all(list(kpi) == KEYS for kpi in status["kpis"])


def test_without_targets_every_kpi_is_no_target(contract_kpis):
    kpis = kpi_status("2024/25", 6)["kpis"]
    assert {kpi["rating"] for kpi in kpis} == {"no_target"}
    assert kpis[0] == {
        "code": "KPI 1",
        "title": "Percentage of all referrals with a decision within 2 working days",
        "unit": "percent",
        "polarity": "higher_is_better",
        "frequency": "monthly",
        "as_of": "2024/25 P6",
        "value": None,
        "target": None,
        "tolerance": None,
        "rating": "no_target",
        "direction": None,
        "persistent_breach": False,
        "breach_periods": [],
        "illustrative": False,
    }


def test_a_breach_across_the_year_end_and_a_quarterly_kpi(contract_kpis):
    referrals, breaches = contract_kpis[1], contract_kpis[20]
    for year in ("2023/24", "2024/25"):
        target(referrals, year, "80", "5")
        target(breaches, year, "1", "1")
    series(referrals, "2023/24 P11", ["74.99", "70", "75"])  # red, red, amber
    series(referrals, "2024/25 P2", ["74", "73.5"])  # red, red: no breach yet
    series(breaches, "2023/24 Q4", ["3", "2"])  # red, amber
    result(breaches, "2024/25 Q2", "5")

    at_p1 = {k["code"]: k for k in kpi_status("2024/25", 1)["kpis"]}
    assert at_p1["KPI 1"]["rating"] == "amber"
    assert at_p1["KPI 1"]["persistent_breach"] is False

    at_p2 = {k["code"]: k for k in kpi_status("2024/25", 2)["kpis"]}
    assert at_p2["KPI 1"]["direction"] == "declining"

    status = {k["code"]: k for k in kpi_status("2024/25", 4)["kpis"]}
    assert status["KPI 1"]["value"] is None and status["KPI 1"]["rating"] == "no_data"
    assert status["KPI 20"]["as_of"] == "2024/25 Q1"
    assert status["KPI 20"]["value"] == "2"
    assert status["KPI 20"]["rating"] == "amber"
    assert status["KPI 20"]["direction"] == "improving"

    # P1 was amber, so the run at P3 is only P2 and P3: two red months are not a breach.
    status = {k["code"]: k for k in kpi_status("2024/25", 3)["kpis"]}
    assert (status["KPI 1"]["persistent_breach"], status["KPI 1"]["breach_periods"]) == (
        False,
        [],
    )


def test_three_red_months_from_one_year_into_the_next(contract_kpis):
    referrals = contract_kpis[2]  # lower is better
    target(referrals, "2023/24", "25", "3")
    target(referrals, "2024/25", "22", "2")
    series(referrals, "2023/24 P11", ["28.01", "30", "24.01"])
    kpi = kpi_status("2024/25", 1)["kpis"][1]
    assert kpi == {
        "code": "KPI 2",
        "title": "Percentage of referrals with a previous referral within 12 months",
        "unit": "percent",
        "polarity": "lower_is_better",
        "frequency": "monthly",
        "as_of": "2024/25 P1",
        "value": "24.01",
        "target": "22",
        "tolerance": "2",
        "rating": "red",
        "direction": "improving",
        "persistent_breach": True,
        "breach_periods": ["2023/24 P11", "2023/24 P12", "2024/25 P1"],
        "illustrative": False,
    }


def test_a_period_that_does_not_exist_is_an_error(contract_kpis):
    with pytest.raises(CommandError, match="There is no financial year 2040/41"):
        call_command("kpi_status", "--year", "2040/41", "--period", "1", "--json")
    with pytest.raises(CommandError, match="is not a period"):
        call_command("kpi_status", "--year", "2024/25", "--period", "13", "--json")


def test_two_red_quarters_across_the_year_end_are_a_breach_as_at_a_later_month(contract_kpis):
    breaches = contract_kpis[20]
    target(breaches, "2023/24", "0", "1")
    target(breaches, "2024/25", "0", "1")
    series(breaches, "2023/24 Q3", ["1", "2", "3"])  # amber, red, red
    kpi = kpi_status("2024/25", 5)["kpis"][19]
    assert (kpi["as_of"], kpi["value"], kpi["rating"], kpi["direction"]) == (
        "2024/25 Q1",
        "3",
        "red",
        "declining",
    )
    assert kpi["persistent_breach"] is True
    assert kpi["breach_periods"] == ["2023/24 Q4", "2024/25 Q1"]
