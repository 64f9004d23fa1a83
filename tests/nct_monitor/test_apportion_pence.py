"""`apportion` gives money as it is stored: pounds with exactly two decimal places."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from nct_monitor.finance import apportion

SPLIT = {"NNC": Decimal("44.16"), "WNC": Decimal("55.84")}


def written(parts: dict[str, Decimal]) -> dict[str, str]:
    return {council: str(part) for council, part in parts.items()}


def test_the_red_savings_split_is_written_in_pounds_and_pence():
    assert written(apportion(Decimal("1247000.00"), SPLIT)) == {
        "NNC": "550675.20",
        "WNC": "696324.80",
    }


def test_a_whole_pound_split_keeps_its_pence():
    assert written(apportion(Decimal("29670000.00"), SPLIT)) == {
        "NNC": "13102272.00",
        "WNC": "16567728.00",
    }


def test_nothing_is_split_into_zero_pounds_and_zero_pence():
    assert written(apportion(Decimal("0.00"), SPLIT)) == {"NNC": "0.00", "WNC": "0.00"}
    assert written(apportion(Decimal("0"), SPLIT)) == {"NNC": "0.00", "WNC": "0.00"}


def test_a_negative_amount_never_gives_a_negative_zero_part():
    assert written(apportion(Decimal("-0.01"), SPLIT)) == {"NNC": "0.00", "WNC": "-0.01"}
    assert written(apportion(Decimal("-0.00"), SPLIT)) == {"NNC": "0.00", "WNC": "0.00"}
    assert written(apportion(Decimal("-1247000.00"), SPLIT)) == {
        "NNC": "-550675.20",
        "WNC": "-696324.80",
    }


def test_a_council_with_no_share_gets_zero_pounds_and_zero_pence():
    shares = {"A": Decimal("100"), "B": Decimal("0")}
    assert written(apportion(Decimal("12.34"), shares)) == {"A": "12.34", "B": "0.00"}


@given(
    amount=st.decimals(
        min_value=Decimal("-1000000000.00"),
        max_value=Decimal("1000000000.00"),
        places=2,
        allow_nan=False,
        allow_infinity=False,
    )
)
def test_every_part_has_two_decimal_places_and_the_parts_add_up(amount):
    parts = apportion(amount, SPLIT)
    assert all(part.as_tuple().exponent == -2 for part in parts.values())
    assert not any(part.is_zero() and part.is_signed() for part in parts.values())
    assert sum(parts.values(), Decimal(0)) == amount
