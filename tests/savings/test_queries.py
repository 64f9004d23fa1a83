"""The savings pages and exports run a fixed number of queries, whatever the number of rows."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from savings import services
from savings.figures import Figures
from savings.models import SavingsLine, SavingsPosition
from tests.savings.factories import SavingsLineFactory, position

pytestmark = pytest.mark.django_db

P9 = {"year": 2023, "period": 9}


def lines(count: int) -> list[SavingsLine]:
    """`count` lines, each with a P8 and a P9 position (so the tracker shows movement)."""
    made = []
    for number in range(count):
        line = SavingsLineFactory(title=f"Line {number}", group=f"Group {number % 2}")
        position(line, "2023/24 P8", target=100, red=20, amber=30)
        position(line, "2023/24 P9", target=100, red=10, amber=30, mitigations=5)
        made.append(line)
    return made


@pytest.mark.parametrize("count", [1, 3])
def test_the_tracker_runs_the_same_queries_for_one_line_or_many(
    officer_client, contract, django_assert_num_queries, count
):
    lines(count)

    with django_assert_num_queries(18):
        response = officer_client.get(reverse("savings:tracker", kwargs=P9))

    assert response.status_code == 200


@pytest.mark.parametrize("count", [1, 3])
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_the_tracker_export_runs_the_same_queries_for_one_line_or_many(
    officer_client, contract, django_assert_num_queries, count, fmt
):
    lines(count)

    with django_assert_num_queries(13):
        response = officer_client.get(reverse("savings:tracker_export", kwargs={**P9, "fmt": fmt}))

    assert response.status_code == 200


@pytest.mark.parametrize("count", [1, 3])
def test_a_line_page_runs_the_same_queries_for_one_period_or_many(
    officer_client, contract, django_assert_num_queries, count
):
    line = SavingsLineFactory(title="Review of Contracts")
    for number in range(count):
        position(line, f"2023/24 P{number + 1}", target=100, red=10, amber=30)

    with django_assert_num_queries(10):
        response = officer_client.get(reverse("savings:savingsline_detail", args=[line.pk]))

    assert response.status_code == 200


def _edited(count: int, officer) -> SavingsPosition:
    """A P9 position saved `count` times, so its history has `count` + 1 entries."""
    line = SavingsLineFactory(title="Review of Contracts")
    item = position(line, "2023/24 P9", target=100, amber=40)
    for number in range(count):
        item = services.update_position(
            position=item,
            figures=Figures(
                *(Decimal(value) * 1000 for value in (100, number, 40 - number, 60, 0))
            ),
            comment=f"Review {number}",
            user=officer,
        )
    return item


@pytest.mark.parametrize("count", [1, 3])
def test_a_position_history_runs_the_same_queries_for_one_change_or_many(
    officer_client, officer, contract, django_assert_num_queries, count
):
    item = _edited(count, officer)

    with django_assert_num_queries(10):
        response = officer_client.get(reverse("savings:savingsposition_history", args=[item.pk]))

    assert response.status_code == 200


@pytest.mark.parametrize("count", [1, 3])
def test_a_line_history_runs_the_same_queries_for_one_change_or_many(
    officer_client, officer, contract, django_assert_num_queries, count
):
    line = SavingsLineFactory(title="Review of Contracts", group="NCT savings proposals")
    for number in range(count):
        line = services.update_line(
            line=line,
            ref=f"S{number}",
            title=line.title,
            sro=f"SRO {number}",
            group=line.group,
            user=officer,
        )

    with django_assert_num_queries(7):
        response = officer_client.get(reverse("savings:savingsline_history", args=[line.pk]))

    assert response.status_code == 200
