"""Two officers editing the same savings position: the second save, made on figures the first
has since changed, is refused and shows the first one's change; nothing of it is written."""

from __future__ import annotations

import re
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from nct_monitor.concurrency import NOTHING_SAVED, EditConflict
from nct_monitor.forms import OUT_OF_DATE
from nct_monitor.importing import apply_return
from nct_monitor.roles import OFFICER
from savings import services
from savings.figures import Figures
from savings.importers import COLUMNS, savings_importer
from savings.models import SavingsPosition
from tests.savings.factories import SavingsLineFactory, position
from tests.spreadsheets import xlsx

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
HTMX = {"HTTP_HX_REQUEST": "true"}


def figures(target, red=0, amber=0, green=None, mitigations=0):
    """Figures from £'000."""
    if green is None:
        green = target - red - amber
    return Figures(*(Decimal(value) * 1000 for value in (target, red, amber, green, mitigations)))


@pytest.fixture
def alex(make_user):
    return make_user(OFFICER, username="alex", first_name="Alex", last_name="Morgan")


@pytest.fixture
def at_two_past_two(time_machine):
    time_machine.move_to(datetime(2024, 1, 15, 14, 2, tzinfo=LONDON), tick=False)


@pytest.fixture
def contracts_line(contract):
    line = SavingsLineFactory(title="Review of Contracts")
    return position(line, "2023/24 P9", amber=100, comment="On track")


def edit_data(item: SavingsPosition, version: int, **figures: str) -> dict[str, str]:
    """The edit form as posted, from the version it was shown at; figures in £'000."""
    values = {
        "target": "100",
        "red": "0",
        "amber": "100",
        "green": "0",
        "mitigations": "0",
        "comment": "On track",
        "version": str(version),
    }
    values.update(figures)
    return {f"p{item.pk}-{name}": value for name, value in values.items()}


def test_a_save_from_an_older_version_is_refused_naming_the_other_change(
    contracts_line, alex, officer, at_two_past_two
):
    shown = contracts_line.version
    services.update_position(
        position=contracts_line,
        figures=figures(100, red=60, amber=40),
        comment="Slipping",
        user=alex,
        expected_version=shown,
    )
    history = SavingsPosition.history.count()

    with pytest.raises(EditConflict) as refused:
        services.update_position(
            position=contracts_line,
            figures=figures(100, green=100),
            comment="Delivered",
            user=officer,
            expected_version=shown,
        )

    assert refused.value.messages == [
        "Alex Morgan changed Review of Contracts (2023/24 P9) at 14:02 on 15 January 2024, "
        "after you opened it: Red £'000 60 (you entered 0); Amber £'000 40 (you entered 0); "
        "Green £'000 0 (you entered 100); different text in Comments.",
        NOTHING_SAVED,
    ]
    saved = SavingsPosition.objects.get()
    assert (saved.red, saved.amber, saved.green, saved.comment, saved.version) == (
        Decimal("60000.00"),
        Decimal("40000.00"),
        Decimal("0.00"),
        "Slipping",
        shown + 1,
    )
    assert SavingsPosition.history.count() == history


def test_the_conflict_holds_both_sets_of_figures_for_the_page(contracts_line, alex, officer):
    shown = contracts_line.version
    services.update_position(
        position=contracts_line,
        figures=figures(100, red=60, amber=40),
        comment="Slipping",
        user=alex,
        expected_version=shown,
    )

    with pytest.raises(EditConflict) as refused:
        services.update_position(
            position=contracts_line,
            figures=figures(100, green=100),
            comment="Delivered",
            user=officer,
            expected_version=shown,
        )

    [change] = refused.value.changes
    assert (change.who, change.action, change.reason) == (
        "Alex Morgan",
        "changed",
        "Edited on the 2023/24 P9 tracker",
    )
    assert [(d.label, d.theirs, d.yours) for d in change.differences] == [
        ("Target £'000", "100", "100"),
        ("Red £'000", "60", "0"),
        ("Amber £'000", "40", "0"),
        ("Green £'000", "0", "100"),
        ("Mitigations £'000", "0", "0"),
        ("Comments", "Slipping", "Delivered"),
    ]


def test_each_save_adds_one_to_the_version(contracts_line, officer):
    first = services.update_position(
        position=contracts_line,
        figures=figures(100, amber=50),
        comment="",
        user=officer,
        expected_version=1,
    )
    second = services.update_position(
        position=contracts_line,
        figures=figures(100, amber=20),
        comment="",
        user=officer,
        expected_version=2,
    )

    assert (first.version, second.version) == (2, 3)


def test_a_save_after_an_import_changed_the_line_is_refused_naming_the_import(
    contracts_line, alex, officer, at_two_past_two
):
    shown = contracts_line.version
    row = ["", "Review of Contracts", "Olivia Ives", "NCT savings proposals", 100, 0, 30, 70, 0]
    apply_return(
        savings_importer,
        xlsx([list(COLUMNS), [*row, "From the return"]]),
        filename="return.xlsx",
        params={"year": "2023/24", "period": 9},
        user=alex,
    )

    with pytest.raises(EditConflict) as refused:
        services.update_position(
            position=contracts_line,
            figures=figures(100, red=100),
            comment="",
            user=officer,
            expected_version=shown,
        )

    assert refused.value.messages[0].startswith(
        "Alex Morgan changed Review of Contracts (2023/24 P9) at 14:02 on 15 January 2024"
    )
    assert refused.value.changes[0].reason == "Savings return for 2023/24 P9 imported"
    assert SavingsPosition.objects.get().green == Decimal("70000.00")


def test_the_edit_page_shows_the_current_figures_and_the_other_change(
    officer_client, contracts_line, alex, at_two_past_two
):
    url = reverse("savings:savingsposition_edit", args=[contracts_line.pk])
    opened = officer_client.get(url).context["form"]
    assert opened["version"].value() == 1
    services.update_position(
        position=contracts_line,
        figures=figures(100, red=60, amber=40),
        comment="Slipping",
        user=alex,
        expected_version=1,
    )

    response = officer_client.post(
        url, edit_data(contracts_line, 1, amber="0", green="100", comment="Delivered")
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Error: Edit Review of Contracts" in html
    assert (
        "Alex Morgan changed Review of Contracts (2023/24 P9) at 14:02 on 15 January 2024" in html
    )
    assert "Saved by Alex Morgan" in html
    assert "You entered (not saved)" in html
    assert "Delivered" in html  # what was typed, beside theirs
    form = response.context["form"]
    # The inputs hold the figures as saved now, at their version, to make the change again.
    shown = {name: form[name].value() for name in ("red", "amber", "green", "comment", "version")}
    assert shown == {
        "red": "60",
        "amber": "40",
        "green": "0",
        "comment": "Slipping",
        "version": "2",
    }
    saved = SavingsPosition.objects.get()
    assert (saved.green, saved.comment, saved.version) == (Decimal("0.00"), "Slipping", 2)


def test_saving_again_from_the_refreshed_page_succeeds(
    officer_client, contracts_line, alex, officer
):
    url = reverse("savings:savingsposition_edit", args=[contracts_line.pk])
    services.update_position(
        position=contracts_line,
        figures=figures(100, red=60, amber=40),
        comment="Slipping",
        user=alex,
        expected_version=1,
    )
    officer_client.post(url, edit_data(contracts_line, 1, amber="0", green="100"))

    response = officer_client.post(
        url, edit_data(contracts_line, 2, red="60", amber="0", green="40", comment="Better")
    )

    assert response.status_code == 302
    saved = SavingsPosition.objects.get()
    assert (saved.red, saved.green, saved.comment, saved.version) == (
        Decimal("60000.00"),
        Decimal("40000.00"),
        "Better",
        3,
    )
    assert saved.history.first().history_user == officer


def test_the_row_edited_in_the_tracker_shows_the_other_change(
    officer_client, contracts_line, alex, at_two_past_two
):
    url = reverse("savings:savingsposition_edit", args=[contracts_line.pk])
    services.update_position(
        position=contracts_line,
        figures=figures(100, red=60, amber=40),
        comment="Slipping",
        user=alex,
        expected_version=1,
    )

    html = officer_client.post(
        url, edit_data(contracts_line, 1, amber="0", green="100", comment="Delivered"), **HTMX
    ).content.decode()

    assert "Alex Morgan changed Review of Contracts (2023/24 P9) at 14:02" in html
    assert "Green £&#x27;000 0 (you entered 100)" in html
    assert "Comments you entered (not saved): Delivered" in html
    assert re.search(r'name="p\d+-version" value="2"', html)
    assert SavingsPosition.objects.get().comment == "Slipping"


def test_a_post_without_the_version_is_refused_as_out_of_date(officer_client, contracts_line):
    url = reverse("savings:savingsposition_edit", args=[contracts_line.pk])
    data = edit_data(contracts_line, 1, amber="0", green="100")
    del data[f"p{contracts_line.pk}-version"]

    response = officer_client.post(url, data)

    assert OUT_OF_DATE in response.content.decode()
    assert SavingsPosition.objects.get().version == 1
    assert SavingsPosition.objects.get().amber == Decimal("100000.00")
