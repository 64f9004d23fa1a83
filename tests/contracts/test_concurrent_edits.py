"""Two officers changing the same period's finance forecast: the second save, made on lines
the first has since changed, is refused and shows that change; nothing of it is written."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from contracts import services
from contracts.choices import ForecastCategory
from contracts.models import ForecastPressure
from nct_monitor.concurrency import NEW, NOTHING_SAVED, EditConflict, Stamp
from nct_monitor.roles import OFFICER
from tests.contracts.factories import forecast
from tests.factories import period

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
EDIT = reverse("contracts:forecastpressure_edit", kwargs={"year": 2023, "period": 9})


@pytest.fixture(autouse=True)
def _at_two_past_two(time_machine):
    time_machine.move_to(datetime(2024, 1, 15, 14, 2, tzinfo=LONDON), tick=False)


@pytest.fixture
def alex(make_user):
    return make_user(OFFICER, username="alex", first_name="Alex", last_name="Morgan")


def versions() -> dict[str, Stamp]:
    shown = {category.value: NEW for category in ForecastCategory}
    for line in ForecastPressure.objects.all():
        shown[line.category] = Stamp.of(line)
    return shown


def change(amounts, *, user, expected):
    return services.set_period_forecast(
        period=period("2023/24 P9"),
        pressures={c: services.ForecastEntry(Decimal(a)) for c, a in amounts.items()},
        user=user,
        expected=expected,
    )


def amounts() -> dict[str, Decimal]:
    return dict(ForecastPressure.objects.values_list("category", "amount"))


def test_a_forecast_saved_over_a_line_someone_else_changed_is_refused(contract, alex, officer):
    forecast(period("2023/24 P9"))
    shown = versions()
    change({"placements": "23500000"}, user=alex, expected=shown)
    before = amounts()

    with pytest.raises(EditConflict) as refused:
        change({"placements": "23307000", "staffing": "1600000"}, user=officer, expected=shown)

    assert refused.value.messages == [
        "Alex Morgan changed the placements pressure of 2023/24 P9 at 14:02 on 15 January 2024, "
        "after you opened it: Pressure £23,500,000.00 (you entered £23,307,000.00).",
        NOTHING_SAVED,
    ]
    assert amounts() == before  # staffing was not written either


def test_a_line_someone_else_added_or_removed_refuses_the_save(contract, alex, officer):
    forecast(period("2023/24 P9"), {"placements": Decimal("1000")})
    shown = versions()
    services.set_period_forecast(
        period=period("2023/24 P9"),
        pressures={
            "placements": services.ForecastEntry(None),
            "other": services.ForecastEntry(Decimal("5")),
        },
        user=alex,
        expected=shown,
    )

    with pytest.raises(EditConflict) as refused:
        change({"placements": "2000"}, user=officer, expected=shown)

    assert [(c.record, c.action) for c in refused.value.changes] == [
        ("the placements pressure of 2023/24 P9", "removed"),
        ("the other pressure of 2023/24 P9", "added"),
    ]
    assert amounts() == {"other": Decimal("5.00")}


def test_each_change_of_a_line_adds_one_to_its_version(contract, officer):
    forecast(period("2023/24 P9"))
    change({"staffing": "1"}, user=officer, expected=versions())
    change({"staffing": "2"}, user=officer, expected=versions())

    assert dict(ForecastPressure.objects.values_list("category", "version")) == {
        "placements": 1,
        "staffing": 3,
        "unachieved_savings": 1,
        "other": 1,
    }


def form_data(**values):
    data = {
        "placements_amount": "23307000",
        "staffing_amount": "1485000",
        "unachieved_savings_amount": "1247000",
        "other_amount": "3631000",
    }
    data.update(values)
    return data


def test_the_forecast_page_shows_the_current_figures_and_the_other_change(
    officer_client, contract, alex
):
    forecast(period("2023/24 P9"))
    form = officer_client.get(EDIT).context["form"]
    shown = {name: form[name].value() for name in form.fields if name.endswith("_version")}
    change({"placements": "23500000"}, user=alex, expected=versions())

    response = officer_client.post(EDIT, form_data(staffing_amount="1600000", **shown))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Alex Morgan changed the placements pressure of 2023/24 P9 at 14:02" in html
    assert "Saved by Alex Morgan" in html
    refreshed = response.context["form"]
    placements = ForecastPressure.objects.get(category="placements")
    assert refreshed["placements_version"].value() == f"{placements.pk}:2"
    assert refreshed["staffing_amount"].value() in ("1485000.00", Decimal("1485000.00"))
    assert amounts()["staffing"] == Decimal("1485000.00")


def test_saving_again_from_the_refreshed_forecast_page_succeeds(officer_client, contract, alex):
    forecast(period("2023/24 P9"))
    change({"placements": "23500000"}, user=alex, expected=versions())

    response = officer_client.post(
        EDIT,
        form_data(
            placements_amount="23500000",
            staffing_amount="1600000",
            **{f"{c}_version": str(s) for c, s in versions().items()},
        ),
    )

    assert response.status_code == 302
    assert amounts()["staffing"] == Decimal("1600000.00")
