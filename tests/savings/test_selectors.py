"""The period summary every savings page, export and command prints."""

from __future__ import annotations

import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command

from savings import demo
from savings.choices import Rating
from savings.figures import Figures
from savings.selectors import savings_summary
from tests.factories import period
from tests.savings.factories import SavingsLineFactory, position

pytestmark = pytest.mark.django_db


def test_totals_groups_and_shares_are_computed_from_the_lines(contract):
    fostering = SavingsLineFactory(title="Fostering", group="NCT savings proposals")
    contracts = SavingsLineFactory(title="Contracts", group="NCT savings proposals")
    valuing = SavingsLineFactory(title="Valuing care", group="Valuing care")
    position(fostering, "2023/24 P9", red=620, mitigations=20)
    position(contracts, "2023/24 P9", amber=40, green=60)
    position(valuing, "2023/24 P9", amber=1070, green=2130)

    summary = savings_summary(period("2023/24 P9"))

    assert [(g.name, g.figures.target, g.figures.shortfall) for g in summary.groups] == [
        ("NCT savings proposals", Decimal("720000.00"), Decimal("600000.00")),
        ("Valuing care", Decimal("3200000.00"), Decimal("0.00")),
    ]
    assert summary.totals == Figures(
        Decimal("3920000.00"),
        Decimal("620000.00"),
        Decimal("1110000.00"),
        Decimal("2190000.00"),
        Decimal("20000.00"),
    )
    assert summary.totals.shortfall == Decimal("600000.00")
    assert summary.shortfall_shares == {"NNC": Decimal("264960.00"), "WNC": Decimal("335040.00")}
    assert summary.totals.green_percent == Decimal("55.9")


def test_movement_is_since_the_previous_period_of_the_year_with_positions(contract):
    line = SavingsLineFactory(title="Fostering")
    position(line, "2023/24 P7", amber=620)
    position(line, "2023/24 P9", red=500, amber=120)  # nothing was recorded for P8

    summary = savings_summary(period("2023/24 P9"))

    assert summary.previous_period == period("2023/24 P7")
    assert summary.movement == Figures(
        Decimal(0), Decimal("500000.00"), Decimal("-500000.00"), Decimal(0), Decimal(0)
    )
    assert summary.lines[0].movement == summary.movement


def test_there_is_no_movement_without_an_earlier_period_of_the_same_year(contract):
    last_year = SavingsLineFactory(title="Fostering 2022/23", year=period("2022/23 P12").year)
    position(last_year, "2022/23 P12", red=100)
    line = SavingsLineFactory(title="Fostering")
    position(line, "2023/24 P1", red=100)

    summary = savings_summary(period("2023/24 P1"))

    assert summary.previous_period is None
    assert summary.movement is None
    assert summary.as_json()["movement"] is None


def test_a_new_line_has_no_movement_of_its_own_but_moves_the_totals(contract):
    existing = SavingsLineFactory(title="Contracts")
    added = SavingsLineFactory(title="Legal costs")
    position(existing, "2023/24 P8", green=100)
    position(existing, "2023/24 P9", green=100)
    position(added, "2023/24 P9", green=50)

    summary = savings_summary(period("2023/24 P9"))

    assert [line.movement for line in summary.lines] == [Figures(), None]
    assert summary.movement.target == Decimal("50000.00")


def test_lines_whose_rating_moved_are_listed_worse_first(contract):
    worse = SavingsLineFactory(title="Fostering")
    better = SavingsLineFactory(title="Contracts")
    same = SavingsLineFactory(title="Legal")
    position(worse, "2023/24 P8", amber=100, comment="")
    position(worse, "2023/24 P9", red=100, comment="Carers not recruited")
    position(better, "2023/24 P8", amber=50, green=50)
    position(better, "2023/24 P9", green=100)
    position(same, "2023/24 P8", green=10)
    position(same, "2023/24 P9", green=10)

    changes = savings_summary(period("2023/24 P9")).rating_changes

    assert [(c.line.title, c.previous_rating, c.rating) for c in changes] == [
        ("Fostering", Rating.AMBER, Rating.RED),
        ("Contracts", Rating.AMBER, Rating.GREEN),
    ]
    assert changes[0].position.comment == "Carers not recruited"


def test_a_lines_rating_is_the_worst_colour_holding_any_amount():
    assert Figures(Decimal(100), Decimal(1), Decimal(0), Decimal(99), Decimal(1)).rating == (
        Rating.RED
    )
    assert Figures(Decimal(100), Decimal(0), Decimal(1), Decimal(99), Decimal(0)).rating == (
        Rating.AMBER
    )
    assert Figures(Decimal(0), Decimal(0), Decimal(0), Decimal(0), Decimal(0)).rating == (
        Rating.GREEN
    )


def test_the_summary_json_is_laid_out_as_the_design_says(contract):
    line = SavingsLineFactory(title="Fostering", ref="S1", sro="Olivia Ives", group="NCT")
    position(line, "2023/24 P8", red=600, green=20)
    position(line, "2023/24 P9", red=620, comment="Behind plan")

    document = savings_summary(period("2023/24 P9")).as_json()

    figures = {
        "target": "620000.00",
        "red": "620000.00",
        "amber": "0.00",
        "green": "0.00",
        "mitigations": "0.00",
        "shortfall": "620000.00",
    }
    assert document == {
        "year": "2023/24",
        "period": "2023/24 P9",
        "totals": figures,
        "shortfall_shares": {"NNC": "273792.00", "WNC": "346208.00"},
        "groups": [{"name": "NCT", **figures}],
        "lines": [
            {
                "ref": "S1",
                "title": "Fostering",
                "sro": "Olivia Ives",
                "group": "NCT",
                **figures,
                "comment": "Behind plan",
            }
        ],
        "movement": {
            "target": "0.00",
            "red": "20000.00",
            "amber": "0.00",
            "green": "-20000.00",
            "mitigations": "0.00",
            "shortfall": "20000.00",
        },
    }


def test_the_savings_summary_command_prints_the_demo_period_as_json(contract):
    demo.load()
    out = io.StringIO()

    call_command("savings_summary", "--year", "2023/24", "--period", "9", "--json", stdout=out)

    document = json.loads(out.getvalue())
    assert document["totals"] == {
        "target": "7672000.00",
        "red": "1247000.00",
        "amber": "1370000.00",
        "green": "5055000.00",
        "mitigations": "0.00",
        "shortfall": "1247000.00",
    }
    assert document["shortfall_shares"] == {"NNC": "550675.20", "WNC": "696324.80"}
    assert [g["name"] for g in document["groups"]] == ["NCT savings proposals", "Valuing care"]
    assert [g["target"] for g in document["groups"]] == ["3872000.00", "3800000.00"]
    assert len(document["lines"]) == 15
    assert document["movement"] is None


def test_the_savings_summary_command_refuses_a_period_that_does_not_exist(contract):
    err = io.StringIO()

    with pytest.raises(SystemExit) as exit:
        call_command("savings_summary", "--year", "2031/32", "--period", "9", stderr=err)

    assert exit.value.code == 1
    assert err.getvalue().strip() == (
        "There is no financial year 2031/32: years run from 2020/21 to 2026/27."
    )


def test_a_period_without_positions_sums_to_nothing_with_no_movement(contract):
    position(SavingsLineFactory(), "2023/24 P8", red=10)

    document = savings_summary(period("2023/24 P9")).as_json()

    assert document["totals"]["target"] == "0.00"
    assert (document["groups"], document["lines"], document["movement"]) == ([], [], None)


def test_the_savings_summary_command_prints_a_table_without_json(contract):
    demo.load()
    out = io.StringIO()

    call_command("savings_summary", "--year", "2023/24", "--period", "9", stdout=out)

    lines = out.getvalue().splitlines()
    assert lines[0] == "Savings 2023/24 P9 (December 2023), £'000"
    assert lines[-2].split() == [
        "TOTAL",
        "SAVINGS",
        "7,672",
        "1,247",
        "1,370",
        "5,055",
        "0",
        "1,247",
    ]
    assert lines[-1] == "Shortfall shares: NNC £550,675.20, WNC £696,324.80"
