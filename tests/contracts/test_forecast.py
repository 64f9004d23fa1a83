from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from contracts import selectors, services
from contracts.models import ForecastPressure
from nct_monitor import services as period_services
from nct_monitor.periods import PeriodRef
from tests.contracts.factories import forecast
from tests.factories import period

pytestmark = pytest.mark.django_db


def test_the_total_pressure_is_computed_from_the_categories(contract):
    forecast(period("2023/24 P9"))

    figures = selectors.forecast_for_period(PeriodRef(2023, 9))

    assert figures.total == Decimal("29670000.00")
    assert [line.category for line in figures.lines] == [
        "placements",
        "staffing",
        "unachieved_savings",
        "other",
    ]


def test_the_total_is_split_between_the_councils_as_the_design_says(contract):
    forecast(period("2023/24 P9"))

    figures = selectors.forecast_for_period(period("2023/24 P9"))

    assert figures.total_shares == {"NNC": Decimal("13102272.00"), "WNC": Decimal("16567728.00")}
    unachieved = next(line for line in figures.lines if line.category == "unachieved_savings")
    assert unachieved.amount_shares == {"NNC": Decimal("550675.20"), "WNC": Decimal("696324.80")}


def test_an_underspend_offsets_the_other_categories(contract):
    forecast(
        period("2024/25 P3"),
        {"placements": Decimal("1000000"), "other": Decimal("-250000")},
    )

    assert selectors.forecast_for_period(PeriodRef(2024, 3)).total == Decimal("750000.00")


def test_a_forecast_write_to_a_signed_off_period_is_refused_and_nothing_is_saved(contract, officer):
    target = period("2023/24 P9")
    period_services.sign_off_period(period=target, user=officer)

    with pytest.raises(ValidationError) as error:
        forecast(target)

    assert error.value.messages == [
        "2023/24 P9 is signed off, so its data cannot be changed. An administrator can reopen "
        "it, giving a reason."
    ]
    assert ForecastPressure.objects.count() == 0


def test_a_stated_total_that_the_categories_do_not_make_is_refused(contract):
    with pytest.raises(ValidationError) as error:
        forecast(period("2023/24 P9"), stated_total=Decimal("29600000.00"))

    assert error.value.message_dict == {
        "stated_total": [
            "The total stated for 2023/24 P9 (£29,600,000.00) does not match the categories, "
            "which add up to £29,670,000.00."
        ]
    }
    assert ForecastPressure.objects.count() == 0


def test_a_category_left_blank_removes_its_line(contract):
    forecast(period("2023/24 P9"))

    services.set_period_forecast(
        period=period("2023/24 P9"),
        pressures={"other": services.ForecastEntry(None)},
    )

    figures = selectors.forecast_for_period(PeriodRef(2023, 9))
    assert figures.other is None
    assert figures.total == Decimal("26039000.00")


def test_a_non_numeric_pressure_is_refused_naming_the_category(contract):
    with pytest.raises(ValidationError) as error:
        services.set_period_forecast(
            period=period("2023/24 P9"),
            pressures={"staffing": services.ForecastEntry("a lot")},  # type: ignore[arg-type]
        )

    assert error.value.message_dict == {
        "staffing_amount": ["Staffing pressure must be an amount in pounds, not 'a lot'."]
    }


def test_a_second_forecast_for_the_same_period_is_refused(contract):
    forecast(period("2023/24 P9"))

    with pytest.raises(ValidationError) as error:
        services.create_period_forecast(
            period=period("2023/24 P9"),
            pressures={"other": services.ForecastEntry(Decimal(1))},
        )

    assert error.value.message_dict == {
        "period": ["2023/24 P9 already has a finance forecast: change that one."]
    }


def test_the_latest_forecast_is_the_latest_period_with_one(contract):
    forecast(period("2023/24 P9"))
    forecast(period("2023/24 P6"), {"placements": Decimal("1")})

    assert selectors.latest_forecast().label == "2023/24 P9"
