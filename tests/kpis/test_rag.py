"""The contract's KPI rules, table by table: ratings at every boundary, direction of travel,
and persistent breaches (including one that runs across a financial-year end)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from kpis import rag
from kpis.choices import Direction, Frequency, Polarity, Rating
from nct_monitor.periods import PeriodRef

HIGHER = Polarity.HIGHER_IS_BETTER
LOWER = Polarity.LOWER_IS_BETTER
TODAY = date(2030, 1, 1)


def D(text: str) -> Decimal:
    return Decimal(text)


def P(label: str) -> PeriodRef:
    return PeriodRef.parse(label)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("90", Rating.GREEN),  # well above target
        ("80.01", Rating.GREEN),
        ("80", Rating.GREEN),  # exactly at target
        ("79.99", Rating.AMBER),  # just below target
        ("75.01", Rating.AMBER),
        ("75", Rating.AMBER),  # exactly at target - tolerance: the boundary is amber
        ("74.99", Rating.RED),  # just beyond the tolerance
        ("0", Rating.RED),
    ],
)
def test_higher_is_better_ratings_at_every_boundary(value, expected):
    assert rag.rate(D(value), rag.Target(D("80"), D("5")), HIGHER) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("10", Rating.GREEN),
        ("19.99", Rating.GREEN),
        ("20", Rating.GREEN),  # exactly at target
        ("20.01", Rating.AMBER),  # just above target
        ("24.99", Rating.AMBER),
        ("25", Rating.AMBER),  # exactly at target + tolerance: the boundary is amber
        ("25.01", Rating.RED),  # just beyond the tolerance
        ("100", Rating.RED),
    ],
)
def test_lower_is_better_ratings_at_every_boundary(value, expected):
    assert rag.rate(D(value), rag.Target(D("20"), D("5")), LOWER) == expected


@pytest.mark.parametrize(
    ("polarity", "value", "expected"),
    [
        (HIGHER, "80", Rating.GREEN),
        (HIGHER, "79.99", Rating.RED),
        (LOWER, "80", Rating.GREEN),
        (LOWER, "80.01", Rating.RED),
    ],
)
def test_a_zero_tolerance_has_no_amber(polarity, value, expected):
    assert rag.rate(D(value), rag.Target(D("80"), D("0")), polarity) == expected


@pytest.mark.parametrize(
    ("value", "target", "expected"),
    [
        (None, rag.Target(D("80"), D("5")), Rating.NO_DATA),
        (D("90"), None, Rating.NO_TARGET),
        (None, None, Rating.NO_TARGET),
    ],
)
def test_no_target_and_no_data(value, target, expected):
    assert rag.rate(value, target, HIGHER) == expected


@pytest.mark.parametrize(
    ("polarity", "current", "previous", "expected"),
    [
        (HIGHER, "70", "68", Direction.IMPROVING),
        (HIGHER, "66", "68", Direction.DECLINING),
        (HIGHER, "68", "68", Direction.UNCHANGED),
        (LOWER, "27", "29", Direction.IMPROVING),
        (LOWER, "31", "29", Direction.DECLINING),
        (LOWER, "29.00", "29", Direction.UNCHANGED),
    ],
)
def test_direction_of_travel_respects_polarity(polarity, current, previous, expected):
    assert rag.direction(D(current), D(previous), polarity) == expected


def test_no_direction_without_a_previous_result():
    assert rag.direction(D("70"), None, HIGHER) is None
    assert rag.direction(None, D("70"), HIGHER) is None


def assess(results, targets, at, *, frequency=Frequency.MONTHLY, polarity=HIGHER):
    return rag.assess(
        frequency=frequency,
        polarity=polarity,
        results={P(label): D(value) for label, value in results.items()},
        targets={int(year[:4]): rag.Target(D(t), D(tol)) for year, (t, tol) in targets.items()},
        period=P(at),
        today=TODAY,
    )


TARGETS = {"2023/24": ("80", "5"), "2024/25": ("80", "5")}


def test_three_red_months_across_the_year_end_are_a_persistent_breach():
    results = {"2023/24 P10": "85", "2023/24 P11": "70", "2023/24 P12": "72", "2024/25 P1": "60"}
    status = assess(results, TARGETS, "2024/25 P1")
    assert status.rating == Rating.RED
    assert status.persistent_breach is True
    assert status.breach_periods == ["2023/24 P11", "2023/24 P12", "2024/25 P1"]


def test_two_red_months_are_not_yet_a_breach():
    results = {"2023/24 P11": "85", "2023/24 P12": "70", "2024/25 P1": "60"}
    status = assess(results, TARGETS, "2024/25 P1")
    assert status.persistent_breach is False
    assert status.breach_periods == []


def test_the_breach_lists_the_whole_run_of_red_months():
    results = {f"2023/24 P{n}": "50" for n in range(1, 13)} | {"2024/25 P1": "50"}
    status = assess(results, TARGETS, "2024/25 P1")
    assert len(status.breach_periods) == 13
    assert status.breach_periods[0] == "2023/24 P1"


def test_an_amber_month_breaks_the_run():
    results = {"2023/24 P10": "70", "2023/24 P11": "75", "2023/24 P12": "70", "2024/25 P1": "70"}
    status = assess(results, TARGETS, "2024/25 P1")
    assert status.persistent_breach is False
    assert [p.label for p in status.red_run] == ["2023/24 P12", "2024/25 P1"]


def test_a_missing_result_breaks_the_run_and_is_overdue():
    results = {"2023/24 P10": "70", "2023/24 P12": "70", "2024/25 P1": "70", "2024/25 P2": "70"}
    status = assess(results, TARGETS, "2024/25 P1")
    assert status.persistent_breach is False
    assert "2023/24 P11" in status.overdue_periods
    assert status.overdue is False


def test_a_missing_result_at_the_period_is_overdue_and_no_data():
    results = {"2023/24 P10": "70", "2023/24 P11": "70"}
    status = assess(results, TARGETS, "2023/24 P12")
    assert (status.rating, status.overdue, status.persistent_breach) == (
        Rating.NO_DATA,
        True,
        False,
    )
    assert status.value is None and status.direction is None


def test_a_period_not_yet_ended_is_not_overdue():
    status = rag.assess(
        frequency=Frequency.MONTHLY,
        polarity=HIGHER,
        results={},
        targets={},
        period=P("2029/30 P10"),
        today=TODAY,  # 1 January 2030, during P10
    )
    assert status.overdue is False


def test_each_result_is_rated_with_its_own_years_target():
    # 70 is red against 2023/24's target of 80 but green against 2024/25's target of 70.
    targets = {"2023/24": ("80", "5"), "2024/25": ("70", "5")}
    results = {"2023/24 P11": "70", "2023/24 P12": "70", "2024/25 P1": "70"}
    status = assess(results, targets, "2024/25 P1")
    assert status.rating == Rating.GREEN
    assert status.persistent_breach is False
    assert [p.rating for p in status.trend[-3:]] == [Rating.RED, Rating.RED, Rating.GREEN]


def test_a_year_without_a_target_breaks_the_run():
    targets = {"2023/24": ("80", "5")}
    results = {"2023/24 P11": "50", "2023/24 P12": "50", "2024/25 P1": "50"}
    status = assess(results, targets, "2024/25 P1")
    assert status.rating == Rating.NO_TARGET
    assert status.persistent_breach is False


def test_a_lower_is_better_breach_across_the_year_end():
    targets = {"2023/24": ("20", "5"), "2024/25": ("18", "2")}
    # 25 is amber in 2023/24 (≤ 25); 26 is red; 20.01 is red in 2024/25 (> 18 + 2).
    results = {"2023/24 P11": "25", "2023/24 P12": "26", "2024/25 P1": "20.01", "2024/25 P2": "21"}
    status = assess(results, targets, "2024/25 P2", polarity=LOWER)
    assert status.breach_periods == ["2023/24 P12", "2024/25 P1", "2024/25 P2"]
    assert status.direction == Direction.DECLINING


def test_two_red_quarters_across_the_year_end_are_a_persistent_breach():
    results = {"2023/24 P9": "3", "2023/24 P12": "4", "2024/25 P3": "5"}
    targets = {"2023/24": ("1", "1"), "2024/25": ("1", "1")}
    status = assess(results, targets, "2024/25 P5", frequency=Frequency.QUARTERLY, polarity=LOWER)
    assert status.as_of_label == "2024/25 Q1"
    assert status.breach_periods == ["2023/24 Q3", "2023/24 Q4", "2024/25 Q1"]
    assert status.direction == Direction.DECLINING


def test_one_red_quarter_is_not_a_breach():
    results = {"2023/24 P12": "1", "2024/25 P3": "5"}
    targets = {"2023/24": ("1", "1"), "2024/25": ("1", "1")}
    status = assess(results, targets, "2024/25 P3", frequency=Frequency.QUARTERLY, polarity=LOWER)
    assert status.persistent_breach is False
    assert status.rating == Rating.RED


def test_a_quarterly_kpi_shows_the_latest_quarter_ending_at_or_before_the_period():
    results = {"2024/25 P3": "2", "2024/25 P6": "1"}
    targets = {"2024/25": ("1", "0")}
    at_p8 = assess(results, targets, "2024/25 P8", frequency=Frequency.QUARTERLY, polarity=LOWER)
    at_p6 = assess(results, targets, "2024/25 P6", frequency=Frequency.QUARTERLY, polarity=LOWER)
    assert (at_p8.as_of_label, at_p8.value, at_p8.direction) == (
        "2024/25 Q2",
        D("1"),
        Direction.IMPROVING,
    )
    assert at_p6.as_of_label == "2024/25 Q2"


def test_direction_compares_with_the_previous_result_across_a_gap_and_a_year_end():
    results = {"2023/24 P11": "60", "2024/25 P1": "65"}
    status = assess(results, TARGETS, "2024/25 P1")
    assert status.previous.label == "2023/24 P11"
    assert status.direction == Direction.IMPROVING


def test_the_trend_is_the_last_twelve_due_periods():
    status = assess({"2024/25 P1": "70"}, TARGETS, "2024/25 P1")
    assert len(status.trend) == 12
    assert status.trend[0].label == "2023/24 P2"
    assert status.trend[-1].value == D("70")


def test_a_missing_result_in_a_year_without_a_target_is_not_overdue():
    # The business plan's KPIs have no 2023/24 target, so no 2023/24 result is expected.
    results = {"2024/25 P1": "70"}
    status = assess(results, {"2024/25": TARGETS["2024/25"]}, "2023/24 P12")
    assert (status.rating, status.overdue, status.overdue_periods) == (Rating.NO_TARGET, False, [])
