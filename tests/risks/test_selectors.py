"""Each risk's position: movement, overdue reviews, as-at periods, heatmap and bands."""

from __future__ import annotations

from datetime import date

import pytest

from risks import selectors
from risks.choices import RiskStatus, ScoreKind
from risks.selectors import add_months, position, ref_sort_key
from tests.factories import period
from tests.risks.factories import RiskFactory
from tests.risks.helpers import review

pytestmark = pytest.mark.django_db


def _position(risk, **kwargs):
    return position(selectors.risk_queryset().get(pk=risk.pk), **kwargs)


def test_a_risk_never_reviewed_is_new(on_day):
    on_day(2024, 10, 15)
    risk = RiskFactory()

    assert _position(risk).movement == "new"


def test_a_first_review_that_raises_the_score_moves_up(on_day):
    on_day(2024, 10, 15)
    risk = RiskFactory(current_probability=3, current_impact=4)

    review(risk, "2024/25 P6", 4, 4, on=date(2024, 10, 1))

    found = _position(risk)
    assert (found.movement, found.previous.value, found.current.value) == ("up", 12, 16)


def test_movement_compares_the_latest_review_with_the_one_before(on_day):
    on_day(2024, 10, 15)
    risk = RiskFactory(current_probability=4, current_impact=4)
    review(risk, "2024/25 P3", 4, 4, on=date(2024, 7, 1))
    review(risk, "2024/25 P6", 2, 4, on=date(2024, 10, 1))

    assert _position(risk).movement == "down"


def test_a_review_that_keeps_the_score_is_the_same(on_day):
    on_day(2024, 10, 15)
    risk = RiskFactory(current_probability=3, current_impact=4)
    review(risk, "2024/25 P6", 4, 3, on=date(2024, 10, 1))

    assert _position(risk).movement == "same"


def test_add_months_keeps_the_day_or_takes_the_month_s_last():
    assert add_months(date(2024, 1, 15), 3) == date(2024, 4, 15)
    assert add_months(date(2023, 11, 30), 3) == date(2024, 2, 29)
    assert add_months(date(2024, 1, 31), -3) == date(2023, 10, 31)


def test_a_review_is_due_3_months_after_the_last_one(on_day):
    on_day(2024, 1, 20)
    risk = RiskFactory()
    review(risk, "2023/24 P10", 3, 4, on=date(2024, 1, 15))

    on_day(2024, 4, 15)
    assert _position(risk).review_overdue is False
    on_day(2024, 4, 16)
    assert _position(risk).review_overdue is True
    assert _position(risk).review_due == date(2024, 4, 15)


def test_a_risk_not_yet_reviewed_counts_from_the_day_it_was_added(on_day):
    on_day(2024, 6, 3)
    risk = RiskFactory(date_raised=date(2021, 4, 1))

    on_day(2024, 9, 3)
    assert _position(risk).review_overdue is False
    on_day(2024, 9, 4)
    assert _position(risk).review_overdue is True


def test_a_closed_risk_is_never_overdue(on_day):
    on_day(2024, 6, 3)
    risk = RiskFactory(status=RiskStatus.CLOSED, status_date=date(2024, 6, 1))

    on_day(2025, 6, 3)
    assert _position(risk).review_overdue is False


def test_as_at_a_period_the_current_score_is_that_period_s_review(on_day):
    on_day(2024, 10, 15)
    risk = RiskFactory(current_probability=3, current_impact=4)
    review(risk, "2024/25 P3", 3, 5, on=date(2024, 7, 1))
    review(risk, "2024/25 P6", 4, 4, on=date(2024, 10, 1))

    at_p4 = _position(risk, as_at=period("2024/25 P4"))
    at_p2 = _position(risk, as_at=period("2024/25 P2"))

    assert (at_p4.current.value, at_p4.movement) == (15, "up")
    assert (at_p2.current.value, at_p2.movement) == (12, "new")


def test_as_at_a_period_overdue_is_counted_from_the_period_s_last_day(on_day):
    on_day(2024, 10, 15)
    risk = RiskFactory()
    review(risk, "2024/25 P3", 3, 4, on=date(2024, 6, 30))

    assert _position(risk, as_at=period("2024/25 P6")).review_overdue is False  # 30 Sep
    assert _position(risk, as_at=period("2024/25 P7")).review_overdue is True  # 31 Oct


def test_as_at_a_period_a_risk_closed_later_is_open(on_day):
    on_day(2024, 10, 15)
    risk = RiskFactory(status=RiskStatus.CLOSED, status_date=date(2024, 9, 10))

    assert _position(risk, as_at=period("2024/25 P5")).status == "open"
    assert _position(risk, as_at=period("2024/25 P6")).status == "closed"


def test_as_at_a_period_risks_raised_later_are_not_on_the_register(on_day):
    on_day(2024, 10, 15)
    RiskFactory(ref="CR 01", date_raised=date(2021, 4, 1))
    RiskFactory(ref="CR 02", date_raised=date(2024, 10, 2))

    refs = [item.risk.ref for item in selectors.register(as_at=period("2024/25 P6"))]

    assert refs == ["CR 01"]


def test_the_register_is_in_category_then_number_order():
    RiskFactory(ref="FOR 010", category="finance_operational")
    RiskFactory(ref="FOR 05", category="finance_operational")
    RiskFactory(ref="SCR 01", category="social_care")
    RiskFactory(ref="CR 02", category="corporate")

    refs = [item.risk.ref for item in selectors.register()]

    assert refs == ["CR 02", "SCR 01", "FOR 05", "FOR 010"]
    assert sorted(refs, key=ref_sort_key) == ["CR 02", "FOR 05", "FOR 010", "SCR 01"]


def test_the_heatmap_counts_open_risks_by_current_score():
    RiskFactory(current_probability=4, current_impact=4)
    RiskFactory(current_probability=4, current_impact=4)
    RiskFactory(current_probability=2, current_impact=3)
    RiskFactory(
        current_probability=4, current_impact=4, status="closed", status_date=date(2024, 1, 1)
    )

    grid = selectors.heatmap(selectors.register())

    counts = {(cell.probability, cell.impact): cell.count for cell in grid.cells if cell.count}
    assert counts == {(4, 4): 2, (2, 3): 1}
    assert len(grid.cells) == 25
    assert [probability for probability, _ in grid.rows] == [5, 4, 3, 2, 1]
    assert grid.total == 3


def test_the_heatmap_can_show_initial_and_target_scores():
    RiskFactory(initial_probability=5, initial_impact=5, target_probability=1, target_impact=2)

    positions = selectors.register()

    initial = selectors.heatmap(positions, kind=ScoreKind.INITIAL)
    target = selectors.heatmap(positions, kind=ScoreKind.TARGET)
    assert [(c.probability, c.impact) for c in initial.cells if c.count] == [(5, 5)]
    assert [(c.probability, c.impact) for c in target.cells if c.count] == [(1, 2)]


def test_bands_count_open_risks_by_current_band():
    RiskFactory(current_probability=1, current_impact=1)
    RiskFactory(current_probability=4, current_impact=5)
    RiskFactory(current_probability=5, current_impact=5)

    assert selectors.band_counts(selectors.register()) == {
        "low": 1,
        "medium": 0,
        "high": 0,
        "very_high": 2,
    }


def test_review_history_compares_each_review_with_the_one_before(on_day):
    on_day(2024, 10, 15)
    risk = RiskFactory(current_probability=3, current_impact=4)
    review(risk, "2024/25 P3", 4, 4, on=date(2024, 7, 1))
    review(risk, "2024/25 P6", 4, 4, on=date(2024, 10, 1))
    review(risk, "2024/25 P7", 2, 4, on=date(2024, 10, 14))

    history = selectors.review_history(selectors.get_risk(risk.pk))

    assert [(e.review.period.label, e.score.value, e.movement) for e in history] == [
        ("2024/25 P3", 16, "up"),
        ("2024/25 P6", 16, "same"),
        ("2024/25 P7", 8, "down"),
    ]
