from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from nct_monitor import services
from nct_monitor.choices import PeriodStatus
from nct_monitor.models import FinancialYear, Period
from nct_monitor.periods import PeriodRef, parse_period_number, parse_year
from nct_monitor.selectors import get_period, latest_signed_off_period
from tests.factories import period


def test_year_labels_parse_to_their_start_year():
    assert parse_year("2023/24") == 2023
    assert parse_year(" 1999/00 ") == 1999


@pytest.mark.parametrize("text", ["2023/25", "2023-24", "23/24", "2023", "2023/2024", ""])
def test_a_year_not_written_yyyy_yy_with_consecutive_years_is_refused(text):
    with pytest.raises(ValueError, match="is not a financial year"):
        parse_year(text)


@pytest.mark.parametrize("value", [0, 13, "P0", "x", "-1"])
def test_a_period_outside_1_to_12_is_refused(value):
    with pytest.raises(ValueError, match="periods are numbered 1 to 12"):
        parse_period_number(value)


def test_period_labels_quarters_and_months():
    ref = PeriodRef(2024, 6)
    assert ref.label == "2024/25 P6"
    assert ref.quarter_label == "2024/25 Q2"
    assert ref.month_label == "September 2024"
    assert PeriodRef(2023, 9).month_label == "December 2023"
    assert PeriodRef(2023, 12).month_start == date(2024, 3, 1)


def test_period_labels_parse_back():
    assert PeriodRef.parse("2024/25 P6") == PeriodRef(2024, 6)
    assert PeriodRef.parse("2024/25 Q2") == PeriodRef(2024, 6)
    assert PeriodRef.parse("2024/25:6") == PeriodRef(2024, 6)


def test_the_period_after_march_is_april_of_the_next_year():
    assert PeriodRef(2023, 12).next() == PeriodRef(2024, 1)
    assert PeriodRef(2024, 1).previous() == PeriodRef(2023, 12)
    assert PeriodRef(2024, 3).previous_quarter_end() == PeriodRef(2023, 12)
    assert PeriodRef(2024, 5).latest_quarter_end() == PeriodRef(2024, 3)


def test_a_date_falls_in_its_period():
    assert PeriodRef.containing(date(2024, 3, 31)) == PeriodRef(2023, 12)
    assert PeriodRef.containing(date(2024, 4, 1)) == PeriodRef(2024, 1)


@pytest.mark.django_db
def test_every_year_from_2020_21_to_2026_27_exists_with_12_open_periods():
    years = list(FinancialYear.objects.values_list("start_year", flat=True))
    assert years == list(range(2020, 2027))
    assert Period.objects.count() == 7 * 12
    assert not Period.objects.exclude(status=PeriodStatus.OPEN).exists()


@pytest.mark.django_db
def test_a_year_outside_the_contract_is_refused_with_the_range():
    with pytest.raises(
        ValidationError, match=r"no financial year 2030/31: years run from 2020/21 to 2026/27"
    ):
        get_period("2030/31", 1)


@pytest.mark.django_db
def test_require_open_period_refuses_a_signed_off_period(officer):
    services.sign_off_period(period=period("2023/24 P9"), user=officer)
    with pytest.raises(ValidationError, match="2023/24 P9 is signed off"):
        services.require_open_period(year="2023/24", period=9)


@pytest.mark.django_db
def test_require_open_period_returns_an_open_period():
    assert services.require_open_period(year="2023/24", period="9").label == "2023/24 P9"


@pytest.mark.django_db
def test_signing_off_records_who_and_when(officer):
    signed = services.sign_off_period(period=period("2023/24 P9"), user=officer)
    assert signed.is_signed_off
    assert signed.status_changed_by == officer
    assert latest_signed_off_period() == signed


@pytest.mark.django_db
def test_a_member_cannot_sign_off_a_period(member):
    with pytest.raises(PermissionDenied):
        services.sign_off_period(period=period("2023/24 P9"), user=member)
    assert not period("2023/24 P9").is_signed_off


@pytest.mark.django_db
def test_an_officer_cannot_reopen_a_period(officer):
    services.sign_off_period(period=period("2023/24 P9"), user=officer)
    with pytest.raises(PermissionDenied):
        services.reopen_period(period=period("2023/24 P9"), user=officer, reason="Typo")
    assert period("2023/24 P9").is_signed_off


@pytest.mark.django_db
def test_reopening_needs_a_reason_which_the_history_keeps(officer, admin_user):
    services.sign_off_period(period=period("2023/24 P9"), user=officer)
    with pytest.raises(ValidationError, match="Give the reason"):
        services.reopen_period(period=period("2023/24 P9"), user=admin_user, reason="  ")
    assert period("2023/24 P9").is_signed_off

    services.reopen_period(
        period=period("2023/24 P9"), user=admin_user, reason="The Trust restated placements"
    )
    reopened = period("2023/24 P9")
    assert not reopened.is_signed_off
    latest = reopened.history.first()
    assert latest.history_change_reason == "Reopened: The Trust restated placements"
    assert latest.history_user == admin_user


@pytest.mark.django_db
def test_an_administrator_adds_the_next_year_with_its_periods(admin_user):
    year = services.add_next_financial_year(user=admin_user)
    assert year.label == "2027/28"
    assert year.periods.count() == 12
