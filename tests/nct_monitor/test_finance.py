from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nct_monitor.finance import (
    apportion,
    format_millions,
    format_pounds,
    format_thousands,
    money_json,
    to_decimal,
)

SPLIT = {"NNC": Decimal("44.16"), "WNC": Decimal("55.84")}


def test_apportion_splits_the_2023_24_forecast_pressure_as_the_design_says():
    assert apportion(Decimal("29670000.00"), SPLIT) == {
        "NNC": Decimal("13102272.00"),
        "WNC": Decimal("16567728.00"),
    }


def test_apportion_splits_the_red_savings_as_the_design_says():
    assert apportion(Decimal("1247000.00"), SPLIT) == {
        "NNC": Decimal("550675.20"),
        "WNC": Decimal("696324.80"),
    }


def test_apportion_gives_the_odd_penny_to_the_largest_remainder():
    # 0.01 × 44.16% = 0.004416, × 55.84% = 0.005584: WNC has the larger remainder.
    assert apportion(Decimal("0.01"), SPLIT) == {"NNC": Decimal("0.00"), "WNC": Decimal("0.01")}


def test_apportion_breaks_an_exact_tie_by_the_larger_share_then_the_order_given():
    shares = {"A": Decimal("50"), "B": Decimal("50")}
    assert apportion(Decimal("0.01"), shares) == {"A": Decimal("0.01"), "B": Decimal("0.00")}


def test_apportion_keeps_the_sign_of_a_negative_amount():
    assert apportion(Decimal("-1247000.00"), SPLIT) == {
        "NNC": Decimal("-550675.20"),
        "WNC": Decimal("-696324.80"),
    }


def test_apportion_refuses_the_misprinted_split_that_totals_101_percent():
    with pytest.raises(
        ValueError, match=r"total exactly 100.00%, but NNC 44.16% \+ WNC 56.84% = 101.00%"
    ):
        apportion(Decimal("100.00"), {"NNC": Decimal("44.16"), "WNC": Decimal("56.84")})


def test_apportion_refuses_a_negative_share():
    with pytest.raises(ValueError, match="share for WNC must be a percentage of 0 or more"):
        apportion(Decimal("100.00"), {"NNC": Decimal("110"), "WNC": Decimal("-10")})


def test_apportion_refuses_no_shares():
    with pytest.raises(ValueError, match="No council shares"):
        apportion(Decimal("1.00"), {})


def test_apportion_refuses_an_amount_below_the_penny():
    with pytest.raises(ValueError, match="to the penny"):
        apportion(Decimal("1.005"), SPLIT)


def test_apportion_refuses_a_float():
    with pytest.raises(ValueError, match="finite Decimal"):
        apportion(1.5, SPLIT)  # type: ignore[arg-type]


@st.composite
def share_sets(draw):
    """2 to 5 councils whose shares, to 2 decimals, total exactly 100."""
    count = draw(st.integers(min_value=2, max_value=5))
    cuts = sorted(draw(st.lists(st.integers(0, 10_000), min_size=count - 1, max_size=count - 1)))
    bounds = [0, *cuts, 10_000]
    return {f"C{i}": Decimal(bounds[i + 1] - bounds[i]) / 100 for i in range(count)}


amounts = st.decimals(
    min_value=Decimal("-1000000000.00"),
    max_value=Decimal("1000000000.00"),
    places=2,
    allow_nan=False,
    allow_infinity=False,
)


@given(amount=amounts, shares=share_sets())
def test_apportioned_parts_always_add_up_to_the_amount(amount, shares):
    parts = apportion(amount, shares)
    assert sum(parts.values(), Decimal(0)) == amount
    assert list(parts) == list(shares)


@given(amount=amounts, shares=share_sets())
def test_each_part_is_within_a_penny_of_its_exact_share(amount, shares):
    parts = apportion(amount, shares)
    for council, share in shares.items():
        exact = amount * share / 100
        assert abs(parts[council] - exact) < Decimal("0.01")
        assert parts[council] == parts[council].quantize(Decimal("0.01"))


@given(amount=amounts.filter(lambda a: a >= 0), shares=share_sets())
def test_no_part_of_a_positive_amount_is_negative(amount, shares):
    assert all(part >= 0 for part in apportion(amount, shares).values())


def test_money_is_written_as_the_papers_write_it():
    assert format_millions(Decimal("29670000")) == "£29.670m"
    assert format_millions(Decimal("-1247000")) == "−£1.247m"
    assert format_thousands(Decimal("1247000")) == "1,247"
    assert format_thousands(Decimal("-300000"), sign=True) == "−300"
    assert format_thousands(Decimal("300000"), sign=True) == "+300"
    assert format_pounds(Decimal("13102272")) == "£13,102,272.00"
    assert money_json(Decimal("1247000")) == "1247000.00"


def test_thousands_are_whole_thousands_as_the_committee_pack_prints_them():
    assert format_thousands(Decimal("1247500")) == "1,248"
    assert format_thousands(Decimal("1247499.99")) == "1,247"
    assert format_thousands(Decimal("-1247500")) == "−1,248"
    assert format_thousands(Decimal("-400")) == "0"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1247, Decimal("1247")),
        ("1,247.5", Decimal("1247.5")),
        (0.1, Decimal("0.1")),
        (" £3 ", Decimal("3")),
    ],
)
def test_to_decimal_reads_numbers_as_typed(value, expected):
    assert to_decimal(value) == expected


@pytest.mark.parametrize("value", ["abc", "", None, True, float("nan"), "inf"])
def test_to_decimal_refuses_what_is_not_a_number(value):
    with pytest.raises(ValueError, match="not"):
        to_decimal(value)
