"""A signed-off period's savings cannot change through a line's details, its retirement or a
return: each write that would change what it shows is refused, naming the period."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from nct_monitor import services as period_services
from nct_monitor.selectors import get_period
from savings import services
from savings.figures import Figures
from savings.models import SavingsLine
from savings.returns import ReturnLine
from tests.factories import period
from tests.savings.factories import SavingsLineFactory, position

pytestmark = pytest.mark.django_db


def summary_json(label: str) -> str:
    year, number = label.split(" P")
    out = io.StringIO()
    call_command("savings_summary", "--year", year, "--period", number, "--json", stdout=out)
    return out.getvalue()


@pytest.fixture
def signed_off_p8(contract, officer):
    """A line with positions in P8 (signed off) and P9 (open)."""
    line = SavingsLineFactory(title="Review of Contracts", sro="Olivia Ives")
    position(line, "2023/24 P8", amber=100)
    position(line, "2023/24 P9", amber=50)
    period_services.sign_off_period(period=period("2023/24 P8"), user=officer)
    return line


def test_changing_a_lines_details_is_refused_while_a_period_it_shows_in_is_signed_off(
    signed_off_p8, officer
):
    before = summary_json("2023/24 P8")
    for change in (
        {"title": "Review of all contracts"},
        {"group": "Valuing care"},
        {"sro": "Someone else"},
        {"ref": "NCT 9"},
    ):
        details = {"ref": "", "title": "Review of Contracts", "sro": "Olivia Ives"}
        details["group"] = "NCT savings proposals"
        details.update(change)
        with pytest.raises(ValidationError) as error:
            services.update_line(line=signed_off_p8, user=officer, **details)
        message = " ".join(error.value.messages)
        assert "2023/24 P8" in message and "signed off" in message, change
        assert "administrator can reopen" in message
    assert summary_json("2023/24 P8") == before
    assert SavingsLine.objects.get(pk=signed_off_p8.pk).title == "Review of Contracts"


def test_line_details_change_once_the_period_is_reopened(signed_off_p8, officer, admin_user):
    period_services.reopen_period(period=period("2023/24 P8"), user=admin_user, reason="Typo")
    saved = services.update_line(
        line=signed_off_p8,
        ref="",
        title="Review of all contracts",
        sro="Olivia Ives",
        group="NCT savings proposals",
        user=officer,
    )
    assert saved.title == "Review of all contracts"


def test_saving_unchanged_details_is_allowed(signed_off_p8, officer):
    services.update_line(
        line=signed_off_p8,
        ref="",
        title="Review of Contracts",
        sro="Olivia Ives",
        group="NCT savings proposals",
        user=officer,
    )


def test_a_line_only_in_open_periods_can_be_renamed(contract, officer):
    line = SavingsLineFactory(title="New idea")
    position(line, "2023/24 P9")
    period_services.sign_off_period(period=period("2023/24 P8"), user=officer)
    services.update_line(
        line=line, ref="", title="Better idea", sro="", group="NCT savings proposals", user=officer
    )


def test_retiring_a_line_from_a_date_in_a_signed_off_period_is_refused(signed_off_p8, officer):
    with pytest.raises(ValidationError) as error:
        services.retire_line(
            line=signed_off_p8, retired_on=date(2023, 11, 15), reason="Merged", user=officer
        )
    assert "2023/24 P8" in " ".join(error.value.messages)
    retired = services.retire_line(
        line=signed_off_p8, retired_on=date(2023, 12, 1), reason="Merged", user=officer
    )
    assert retired.is_retired


def test_a_return_that_renames_a_line_a_signed_off_period_shows_is_refused(
    signed_off_p8, contract, officer
):
    before = summary_json("2023/24 P8")
    entry = ReturnLine(
        row=5,
        ref="",
        title="Review of Contracts",
        sro="Another SRO",
        group="NCT savings proposals",
        figures=Figures(
            Decimal("100000"), Decimal(0), Decimal("50000"), Decimal("50000"), Decimal(0)
        ),
        comment="",
    )
    comparison = services.compare_return(
        contract=contract, period=get_period("2023/24", 9), lines=[entry]
    )
    assert [c.row for c in comparison.conflicts] == [5]
    assert "2023/24 P8" in comparison.conflicts[0].message
    with pytest.raises(ValidationError):
        services.record_return(
            contract=contract,
            period=get_period("2023/24", 9),
            lines=[entry],
            user=officer,
            reason="Return",
        )
    assert summary_json("2023/24 P8") == before
