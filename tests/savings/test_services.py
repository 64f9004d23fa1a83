"""Writes to savings lines and positions."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from nct_monitor import services as period_services
from savings import services
from savings.figures import Figures
from savings.models import SavingsLine, SavingsPosition
from tests.factories import period
from tests.savings.factories import SavingsLineFactory, position

pytestmark = pytest.mark.django_db


def figures(target, red=0, amber=0, green=None, mitigations=0):
    """Figures from £'000."""
    if green is None:
        green = target - red - amber
    return Figures(*(Decimal(value) * 1000 for value in (target, red, amber, green, mitigations)))


@pytest.fixture
def contracts_line(contract):
    line = SavingsLineFactory(title="Review of Contracts")
    return position(line, "2023/24 P9", amber=100)


def test_an_officer_updates_a_position_and_the_history_says_who(contracts_line, officer):
    saved = services.update_position(
        position=contracts_line,
        figures=figures(100, amber=40),
        comment="Half confirmed",
        user=officer,
    )

    assert (saved.amber, saved.green, saved.comment) == (
        Decimal("40000.00"),
        Decimal("60000.00"),
        "Half confirmed",
    )
    assert saved.version == 2
    latest = saved.history.latest()
    assert (latest.history_user, latest.history_change_reason) == (
        officer,
        "Edited on the 2023/24 P9 tracker",
    )


def test_rag_that_does_not_add_up_is_refused_naming_the_line(contracts_line, officer):
    with pytest.raises(ValidationError) as error:
        services.update_position(
            position=contracts_line, figures=figures(100, 0, 0, 90), comment="", user=officer
        )

    assert error.value.message_dict == {
        "target": [
            "Review of Contracts: Red + Amber + Green = 0 + 0 + 90 = 90, but the target is 100 "
            "(£'000). They must be equal."
        ]
    }
    assert SavingsPosition.objects.get().amber == Decimal("100000.00")


def test_mitigations_above_red_are_refused_naming_the_line(contracts_line, officer):
    with pytest.raises(ValidationError) as error:
        services.update_position(
            position=contracts_line,
            figures=figures(100, red=10, mitigations=11),
            comment="",
            user=officer,
        )

    assert error.value.message_dict == {
        "mitigations": [
            "Review of Contracts: Mitigations (11) are more than Red (10) (£'000): mitigations "
            "offset red savings and cannot exceed them."
        ]
    }


def test_amounts_must_be_to_the_pound(contracts_line, officer):
    odd = Figures(Decimal("100000.50"), Decimal(0), Decimal(0), Decimal("100000.50"), Decimal(0))

    with pytest.raises(ValidationError) as error:
        services.update_position(position=contracts_line, figures=odd, comment="", user=officer)

    assert error.value.message_dict["target"] == [
        "Review of Contracts: Target must be to the pound, at most 3 decimal places in £'000 "
        "(100.0005)."
    ]


def test_a_signed_off_period_cannot_be_changed(contracts_line, officer):
    period_services.sign_off_period(period=period("2023/24 P9"), user=officer)

    with pytest.raises(ValidationError) as error:
        services.update_position(
            position=contracts_line, figures=figures(100, red=100), comment="", user=officer
        )

    assert error.value.messages == [
        "2023/24 P9 is signed off, so its data cannot be changed. An administrator can reopen "
        "it, giving a reason."
    ]
    assert SavingsPosition.objects.get().red == 0


def test_the_database_refuses_figures_that_do_not_add_up(contracts_line):
    with pytest.raises(IntegrityError), transaction.atomic():
        SavingsPosition.objects.filter(pk=contracts_line.pk).update(green=Decimal(1))


def test_the_database_refuses_mitigations_above_red(contracts_line):
    with pytest.raises(IntegrityError), transaction.atomic():
        SavingsPosition.objects.filter(pk=contracts_line.pk).update(mitigations=Decimal(1))


def test_adding_a_line_creates_it_with_its_position(contract, officer):
    created = services.add_line(
        contract=contract,
        period=period("2023/24 P9"),
        ref=" S9 ",
        title="Review of  Contracts",
        sro="Louise De Chiara",
        group="NCT savings proposals",
        figures=figures(100, amber=100),
        comment="New this period",
        user=officer,
    )

    assert (created.line.ref, created.line.title, created.line.year.label) == (
        "S9",
        "Review of Contracts",
        "2023/24",
    )
    assert created.amber == Decimal("100000.00")


def test_a_second_line_with_the_same_title_is_refused(contracts_line, contract, officer):
    with pytest.raises(ValidationError) as error:
        services.add_line(
            contract=contract,
            period=period("2023/24 P9"),
            ref="",
            title="review of contracts",
            sro="",
            group="NCT",
            figures=figures(10),
            comment="",
            user=officer,
        )

    assert error.value.message_dict == {
        "title": ["Another savings line of this year is titled 'review of contracts'."]
    }


def test_starting_a_period_copies_the_previous_positions_for_review(contract, officer):
    fostering = SavingsLineFactory(title="Fostering")
    legal = SavingsLineFactory(title="Legal")
    retired = SavingsLineFactory(title="Old line", retired_on=date(2024, 1, 2))
    position(fostering, "2023/24 P8", red=620, comment="Behind")
    position(legal, "2023/24 P8", green=100)
    position(retired, "2023/24 P8", green=5)

    copies = services.start_period(period=period("2023/24 P10"), contract=contract, user=officer)

    assert sorted((c.line.title, c.red, c.comment, c.carried_forward) for c in copies) == [
        ("Fostering", Decimal("620000.00"), "Behind", True),
        ("Legal", Decimal("0.00"), "", True),
    ]
    assert SavingsPosition.objects.filter(period=period("2023/24 P10")).count() == 2
    assert copies[0].history.get().history_change_reason == "Carried forward from 2023/24 P8"


def test_starting_a_period_twice_copies_nothing_more(contract, officer):
    position(SavingsLineFactory(), "2023/24 P8", green=100)
    services.start_period(period=period("2023/24 P9"), contract=contract, user=officer)

    with pytest.raises(ValidationError) as error:
        services.start_period(period=period("2023/24 P9"), contract=contract, user=officer)

    assert error.value.messages == [
        "Every line of 2023/24 P8 already has a position for 2023/24 P9."
    ]


def test_starting_the_first_period_of_a_year_has_nothing_to_copy(contract, officer):
    with pytest.raises(ValidationError) as error:
        services.start_period(period=period("2024/25 P1"), contract=contract, user=officer)

    assert error.value.messages == [
        "No earlier period of 2024/25 has savings positions to copy forward. Upload a return or "
        "add the lines instead."
    ]


def test_saving_a_carried_forward_position_marks_it_reviewed(contract, officer):
    position(SavingsLineFactory(), "2023/24 P8", green=100)
    (copy,) = services.start_period(period=period("2023/24 P9"), contract=contract, user=officer)

    saved = services.update_position(position=copy, figures=figures(100), comment="", user=officer)

    assert saved.carried_forward is False


def test_a_retired_line_keeps_its_positions_and_can_be_reinstated(contracts_line, officer):
    line = contracts_line.line

    services.retire_line(line=line, retired_on=date(2024, 1, 31), reason="Merged", user=officer)

    retired = SavingsLine.objects.get()
    assert (retired.retired_on, retired.positions.count()) == (date(2024, 1, 31), 1)
    assert retired.history.latest().history_change_reason == "Retired: Merged"
    services.reinstate_line(line=retired, user=officer)
    assert SavingsLine.objects.get().is_retired is False
