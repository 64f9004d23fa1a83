"""`risk_summary [--period] --json`, exactly as DESIGN.md specifies it."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.core.management import call_command

from nct_monitor.importing import apply_return
from risks.choices import RiskStatus
from risks.importers import importer
from tests.risks.factories import RiskFactory
from tests.risks.helpers import review

pytestmark = pytest.mark.django_db


def summary(capsys, *args: str) -> dict:
    call_command("risk_summary", *args, "--json")
    return json.loads(capsys.readouterr().out)


def test_the_summary_has_exactly_the_documented_keys(capsys, on_day):
    on_day(2024, 10, 15)
    risk = RiskFactory(
        ref="FOR 05",
        category="finance_operational",
        description="Inability to deliver savings plans within contract sum",
        owner="Director of Finance and Resources",
        initial_probability=3,
        initial_impact=5,
        current_probability=3,
        current_impact=4,
        target_probability=2,
        target_impact=5,
    )
    review(risk, "2024/25 P6", 5, 5, on=date(2024, 10, 1))

    data = summary(capsys)

    assert list(data) == ["as_at", "risks", "heatmap", "bands"]
    assert data["as_at"] == "2024-10-15"
    assert data["risks"] == [
        {
            "ref": "FOR 05",
            "title": "Inability to deliver savings plans within contract sum",
            "category": "Finance and Operational",
            "owner": "Director of Finance and Resources",
            "status": "open",
            "initial_score": 15,
            "current_score": 25,
            "target_score": 10,
            "band": "very_high",
            "movement": "up",
            "review_overdue": False,
        }
    ]
    assert len(data["heatmap"]) == 25
    assert data["heatmap"][0] == {"probability": 1, "impact": 1, "count": 0}
    assert [cell for cell in data["heatmap"] if cell["count"]] == [
        {"probability": 5, "impact": 5, "count": 1}
    ]
    assert data["bands"] == {"low": 0, "medium": 0, "high": 0, "very_high": 1}


def test_the_heatmap_and_bands_count_only_open_risks(capsys):
    RiskFactory(current_probability=2, current_impact=2)
    RiskFactory(
        current_probability=2,
        current_impact=2,
        status=RiskStatus.TRANSFERRED,
        status_date=date(2023, 3, 31),
    )

    data = summary(capsys)

    assert [risk["status"] for risk in data["risks"]] == ["open", "transferred"]
    assert sum(cell["count"] for cell in data["heatmap"]) == 1
    assert data["bands"] == {"low": 0, "medium": 1, "high": 0, "very_high": 0}


def test_as_at_a_period_the_summary_is_that_period_s(capsys, on_day):
    on_day(2024, 10, 15)
    risk = RiskFactory(current_probability=3, current_impact=4)
    review(risk, "2024/25 P3", 4, 4, on=date(2024, 7, 1))
    review(risk, "2024/25 P7", 2, 4, on=date(2024, 10, 14))

    data = summary(capsys, "--period", "2024/25:6")

    assert data["as_at"] == "2024/25 P6"
    [found] = data["risks"]
    assert (found["current_score"], found["band"], found["movement"]) == (16, "very_high", "up")
    assert found["review_overdue"] is False


def test_the_appendix_register_summary_counts_every_risk(capsys, register_file, on_day):
    on_day(2024, 10, 15)
    apply_return(importer, register_file, filename="risk_register.csv", params={}, user=None)

    data = summary(capsys)

    assert len(data["risks"]) == 27
    assert data["risks"][0]["ref"] == "CR 01" and data["risks"][-1]["ref"] == "FOR 017"
    assert data["bands"] == {"low": 1, "medium": 3, "high": 13, "very_high": 10}
    assert sum(cell["count"] for cell in data["heatmap"]) == 27


def test_a_period_that_does_not_exist_is_refused(capsys):
    with pytest.raises(SystemExit) as exit_:
        call_command("risk_summary", "--period", "2040/41:6", "--json")

    assert exit_.value.code == 1
    assert "There is no financial year 2040/41" in capsys.readouterr().err


def test_a_period_written_wrongly_is_refused(capsys):
    with pytest.raises(SystemExit):
        call_command("risk_summary", "--period", "2024-25 P6", "--json")

    assert "is not a period" in capsys.readouterr().err
