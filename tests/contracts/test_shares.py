from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from contracts import selectors, services
from contracts.models import ShareSchedule

pytestmark = pytest.mark.django_db


def test_the_shares_in_force_for_a_year_are_those_from_its_start(contract):
    assert selectors.shares_for_year(2023) == {"NNC": Decimal("44.16"), "WNC": Decimal("55.84")}


def test_a_later_schedule_applies_from_its_date(contract):
    services.set_council_shares(
        contract=contract,
        effective_from=date(2025, 4, 1),
        shares={"NNC": Decimal("45.00"), "WNC": Decimal("55.00")},
    )
    assert selectors.shares_for_year(2024)["NNC"] == Decimal("44.16")
    assert selectors.shares_for_year(2025)["NNC"] == Decimal("45.00")


def test_shares_that_do_not_total_100_are_refused_and_nothing_is_saved(contract):
    with pytest.raises(ValidationError, match=r"NNC 44.16% \+ WNC 56.84% = 101.00%"):
        services.set_council_shares(
            contract=contract,
            effective_from=date(2024, 4, 1),
            shares={"NNC": Decimal("44.16"), "WNC": Decimal("56.84")},
        )
    assert ShareSchedule.objects.count() == 1


def test_a_share_for_a_council_outside_the_contract_is_refused(contract):
    with pytest.raises(ValidationError, match="XYZ is not a council of this contract"):
        services.set_council_shares(
            contract=contract,
            effective_from=date(2024, 4, 1),
            shares={"NNC": Decimal("44.16"), "WNC": Decimal("55.84"), "XYZ": Decimal("0")},
        )


def test_the_share_form_names_the_field_and_the_total(admin_client, contract):
    response = admin_client.post(
        reverse("contracts:shareschedule_add"),
        {"effective_from": "2024-04-01", "share_NNC": "44.16", "share_WNC": "56.84"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "The shares must total exactly 100.00%, but NNC 44.16% + WNC 56.84% = 101.00%." in html
    assert ShareSchedule.objects.count() == 1


def test_the_share_form_refuses_text_in_a_share(admin_client, contract):
    response = admin_client.post(
        reverse("contracts:shareschedule_add"),
        {"effective_from": "2024-04-01", "share_NNC": "lots", "share_WNC": "55.84"},
    )
    assert "NNC&#x27;s share must be a percentage, like 44.16" in response.content.decode()
    assert ShareSchedule.objects.count() == 1


def test_an_administrator_sets_new_shares(admin_client, contract):
    response = admin_client.post(
        reverse("contracts:shareschedule_add"),
        {"effective_from": "2025-04-01", "share_NNC": "45", "share_WNC": "55"},
    )
    assert response.status_code == 302
    assert selectors.shares_for_year(2025) == {"NNC": Decimal("45.00"), "WNC": Decimal("55.00")}


def test_an_officer_cannot_set_shares(officer_client, contract):
    response = officer_client.post(
        reverse("contracts:shareschedule_add"),
        {"effective_from": "2025-04-01", "share_NNC": "45", "share_WNC": "55"},
    )
    assert response.status_code == 403


def test_the_overview_shows_the_split(member_client, contract):
    html = member_client.get(reverse("contracts:overview")).content.decode()
    assert "NNC 44.16% / WNC 55.84%" in html
