"""The core's lists run the same queries for one row as for three."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from nct_monitor import services
from nct_monitor.models import ImportRun
from nct_monitor.roles import OFFICER
from tests.factories import UserFactory, period

pytestmark = pytest.mark.django_db


def test_the_periods_list_runs_the_same_queries_for_one_signed_off_period_or_three(
    officer_client, make_user, django_assert_num_queries
):
    # Each signed-off period names who signed it off: a different officer for each.
    def sign_off(number: int) -> None:
        services.sign_off_period(
            period=period(f"2026/27 P{number}"),
            user=make_user(OFFICER, username=f"officer{number}"),
            exceptions_reason="Signed off for the test.",
        )

    url = reverse("period_list")
    sign_off(1)
    officer_client.get(url)  # the first page served fills the process's caches
    with django_assert_num_queries(9):
        assert officer_client.get(url).status_code == 200

    sign_off(2)
    sign_off(3)

    with django_assert_num_queries(9):
        assert officer_client.get(url).status_code == 200


def test_the_returns_list_runs_the_same_queries_for_one_upload_or_three(
    officer_client, django_assert_num_queries
):
    def upload(index: int, status: str) -> None:
        ImportRun.objects.create(
            kind=("risks", "savings", "kpi_results")[index],
            filename=f"return-{index}.xlsx",
            status=status,
            uploaded_by=UserFactory(username=f"uploader{index}"),
            heartbeat_at=timezone.now(),
            issues=[{"message": "A problem."}] if status == "refused" else [],
        )

    url = reverse("import_list")
    upload(0, "refused")
    officer_client.get(url)  # the first page served fills the process's caches
    with django_assert_num_queries(8):
        assert officer_client.get(url).status_code == 200

    upload(1, "checking")
    upload(2, "applied")

    with django_assert_num_queries(8):
        assert officer_client.get(url).status_code == 200
