"""A KPI's definition rates and prints its results, so it cannot change once a signed-off
period holds one of them: the KPI status of that period stays as it was."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from kpis import services
from kpis.choices import Polarity
from kpis.models import KpiDefinition
from nct_monitor import services as period_services
from tests.factories import period
from tests.kpis.factories import KpiDefinitionFactory, result, target

pytestmark = pytest.mark.django_db


def status_json() -> str:
    out = io.StringIO()
    call_command("kpi_status", "--year", "2024/25", "--period", "6", "--json", stdout=out)
    return out.getvalue()


def definition(kpi: KpiDefinition, **changes):
    fields = {
        "number": kpi.number,
        "title": kpi.title,
        "unit": kpi.unit,
        "polarity": kpi.polarity,
        "frequency": kpi.frequency,
        "minimum": kpi.minimum,
        "maximum": kpi.maximum,
        "baseline": kpi.baseline,
        "baseline_year": kpi.baseline_year,
        "notes": kpi.notes,
        **changes,
    }
    return services.save_kpi_definition(user=None, **fields)


@pytest.fixture
def rated(officer):
    kpi = KpiDefinitionFactory(number=4)
    target(kpi, "2024/25", "60", "5")
    result(kpi, "2024/25 P6", "58", commentary="Slightly below")
    period_services.sign_off_period(
        period=period("2024/25 P6"), user=officer, exceptions_reason="Test period"
    )
    return kpi


@pytest.mark.parametrize(
    "changes",
    [
        {"polarity": Polarity.LOWER_IS_BETTER},
        {"title": "Another measure"},
        {"maximum": Decimal("50")},
        {"frequency": "quarterly"},
        {"baseline": Decimal("10")},
    ],
)
def test_a_definition_a_signed_off_result_depends_on_cannot_change(rated, changes):
    before = status_json()
    with pytest.raises(ValidationError) as error:
        definition(rated, **changes)
    message = " ".join(error.value.messages)
    assert "KPI 4" in message and "2024/25 P6" in message and "signed off" in message
    assert "administrator can reopen" in message
    assert status_json() == before


def test_notes_may_change_and_the_definition_changes_once_reopened(rated, admin_user):
    definition(rated, notes="Counted at month end")
    period_services.reopen_period(
        period=period("2024/25 P6"), user=admin_user, reason="Polarity was entered wrongly"
    )
    assert definition(rated, polarity=Polarity.LOWER_IS_BETTER).polarity == Polarity.LOWER_IS_BETTER


def test_a_kpi_with_results_only_in_open_periods_can_be_redefined():
    kpi = KpiDefinitionFactory(number=5)
    result(kpi, "2024/25 P7", "70")
    assert definition(kpi, polarity=Polarity.LOWER_IS_BETTER).polarity == Polarity.LOWER_IS_BETTER
