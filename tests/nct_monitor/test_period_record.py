"""Signing off lists what is incomplete and needs a reason to go ahead without it; figures a
published document printed that later change become corrections, with who and why."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from nct_monitor import services
from nct_monitor.models import Correction, Period
from nct_monitor.records import period_figures, record_publication
from savings import services as savings_services
from savings.models import SavingsPosition
from tests.factories import period
from tests.savings.factories import SavingsLineFactory, position

pytestmark = pytest.mark.django_db

GREEN = "Savings, TOTAL SAVINGS, Green (£'000)"


@pytest.fixture
def carried(contract):
    """P9 with one line reviewed and one still carried forward from P8."""
    reviewed = SavingsLineFactory(title="Review of Contracts")
    waiting = SavingsLineFactory(title="Valuing care")
    for line in (reviewed, waiting):
        position(line, "2023/24 P8", amber=100)
    position(reviewed, "2023/24 P9", amber=50)
    copy = position(waiting, "2023/24 P9", amber=100)
    SavingsPosition.objects.filter(pk=copy.pk).update(carried_forward=True)
    return period("2023/24 P9")


def test_sign_off_with_gaps_needs_a_reason_and_keeps_the_exceptions(carried, officer):
    with pytest.raises(services.SignOffIncomplete) as refused:
        services.sign_off_period(period=carried, user=officer)
    assert [gap.area for gap in refused.value.gaps] == ["Savings"]
    assert "'Valuing care'" in refused.value.gaps[0].message
    assert refused.value.gaps[0].url == reverse("savings:tracker", args=[2023, 9])
    assert not Period.objects.get(pk=carried.pk).is_signed_off

    signed = services.sign_off_period(
        period=carried, user=officer, exceptions_reason="The SRO is on leave; agreed with S151"
    )
    assert signed.is_signed_off
    assert signed.sign_off_reason == "The SRO is on leave; agreed with S151"
    assert signed.sign_off_exceptions[0]["area"] == "Savings"
    latest = signed.history.latest()
    assert latest.history_change_reason.startswith("Signed off with 1 exception: The SRO")


def test_sign_off_is_refused_when_the_list_changed_since_it_was_shown(carried, officer):
    seen = services.gaps_fingerprint([])
    with pytest.raises(ValidationError) as error:
        services.sign_off_period(
            period=carried, user=officer, exceptions_reason="Agreed", gaps_seen=seen
        )
    assert "changed while this page was open" in " ".join(error.value.messages)


def test_the_sign_off_page_lists_each_gap_with_a_link_and_needs_the_reason(carried, officer_client):
    url = reverse("period_sign_off", args=[carried.pk])
    page = officer_client.get(url).content.decode()
    assert "sign-off-gaps" in page and "Valuing care" in page
    assert reverse("savings:tracker", args=[2023, 9]) in page
    assert "Sign off with these exceptions" in page

    refused = officer_client.post(url, {"exceptions_reason": ""})
    assert refused.status_code == 200
    assert "give the reason for signing off" in refused.content.decode()
    assert not Period.objects.get(pk=carried.pk).is_signed_off

    done = officer_client.post(url, {"exceptions_reason": "Agreed with the S151 officer"})
    assert done.status_code == 302
    assert Period.objects.get(pk=carried.pk).is_signed_off


def test_the_overview_shows_what_a_period_was_signed_off_without(carried, officer, member_client):
    services.sign_off_period(period=carried, user=officer, exceptions_reason="Agreed by S151")
    page = member_client.get(reverse("dashboard_period", args=[2023, 9])).content.decode()
    assert "signed off with 1 exception" in page
    assert "Agreed by S151" in page and "Valuing care" in page


def test_a_complete_period_signs_off_without_a_reason(contract, officer):
    line = SavingsLineFactory(title="Review of Contracts")
    position(line, "2023/24 P9", amber=50)
    signed = services.sign_off_period(period=period("2023/24 P9"), user=officer)
    assert signed.sign_off_exceptions == [] and signed.sign_off_reason == ""


def test_a_figure_changed_after_publication_becomes_a_correction(contract, officer, admin_user):
    line = SavingsLineFactory(title="Review of Contracts")
    held = position(line, "2023/24 P9", target=100, amber=50)
    p9 = services.sign_off_period(period=period("2023/24 P9"), user=officer)
    record_publication(
        period=p9, title="Public Document Pack, 6 March 2024", published_on=date(2024, 3, 6)
    )
    assert period_figures(p9)[GREEN] == "50"

    services.reopen_period(period=p9, user=admin_user, reason="Green was misread from the return")
    savings_services.update_position(
        position=SavingsPosition.objects.get(pk=held.pk),
        figures=savings_services.PositionFigures(*(Decimal(v) * 1000 for v in (100, 0, 40, 60, 0))),
        comment="",
        user=officer,
    )
    services.sign_off_period(period=period("2023/24 P9"), user=officer)

    corrections = {c.figure: c for c in Correction.objects.all()}
    green = corrections[GREEN]
    assert (green.old_value, green.new_value) == ("50", "60")
    assert green.reason == "Green was misread from the return"
    assert green.corrected_by == officer
    assert "Public Document Pack" in green.publication.title
    # Signing off again with nothing changed records nothing more.
    services.reopen_period(period=period("2023/24 P9"), user=admin_user, reason="Check")
    services.sign_off_period(period=period("2023/24 P9"), user=officer)
    assert Correction.objects.filter(figure=GREEN).count() == 1


def test_corrections_show_on_the_tracker_and_the_overview(
    contract, officer, admin_user, member_client
):
    line = SavingsLineFactory(title="Review of Contracts")
    held = position(line, "2023/24 P9", target=100, amber=50)
    p9 = services.sign_off_period(period=period("2023/24 P9"), user=officer)
    record_publication(
        period=p9, title="Public Document Pack, 6 March 2024", published_on=date(2024, 3, 6)
    )
    services.reopen_period(period=p9, user=admin_user, reason="Misread")
    SavingsPosition.objects.filter(pk=held.pk).update(amber=40000, green=60000)
    services.sign_off_period(period=period("2023/24 P9"), user=officer)
    for url in (
        reverse("savings:tracker", args=[2023, 9]),
        reverse("dashboard_period", args=[2023, 9]),
    ):
        page = member_client.get(url).content.decode()
        assert "Corrections to published figures, 2023/24 P9" in page, url
        assert GREEN.replace("'", "&#x27;") in page and "Misread" in page


def test_each_page_lists_the_corrections_to_the_figures_it_shows(contract, member_client):
    p9 = period("2023/24 P9")
    publication = record_publication(
        period=p9, title="Public Document Pack, 6 March 2024", published_on=date(2024, 3, 6)
    )
    for figure in (GREEN, "Block 3 funding, 2024/25, total (£m)"):
        Correction.objects.create(
            publication=publication,
            period=p9,
            figure=figure,
            old_value="1",
            new_value="2",
            reason="Misprinted",
            corrected_at=publication.recorded_at,
        )

    tracker = member_client.get(reverse("savings:tracker", args=[2023, 9])).content.decode()
    overview = member_client.get(reverse("dashboard_period", args=[2023, 9])).content.decode()

    assert "Block 3 funding" not in tracker
    assert "1 figure published for 2023/24 P9 has been corrected." in tracker
    assert "Block 3 funding, 2024/25, total (£m)" in overview
    assert "2 figures published for 2023/24 P9 have been corrected." in overview


def test_a_period_still_running_is_not_offered_for_sign_off_and_is_refused(
    contract, officer, officer_client, monkeypatch
):
    monkeypatch.setattr("nct_monitor.models.timezone.localdate", lambda: date(2024, 1, 15))
    running, ended = period("2023/24 P10"), period("2023/24 P9")  # January 2024, December 2023
    assert not running.has_ended and ended.has_ended

    listing = officer_client.get(reverse("period_list"), {"year": running.year_id}).content.decode()
    assert reverse("period_sign_off", args=[ended.pk]) in listing
    assert reverse("period_sign_off", args=[running.pk]) not in listing

    page = officer_client.get(reverse("period_sign_off", args=[running.pk])).content.decode()
    assert f"{running.label} (January 2024) has not ended" in page
    assert "It can be signed off from 1 February 2024." in page
    assert ">Sign off" not in page.split('id="sign-off-not-ended"')[1]

    response = officer_client.post(reverse("period_sign_off", args=[running.pk]), {})
    assert response.status_code == 200
    with pytest.raises(ValidationError, match="has not ended, so it cannot be signed off yet"):
        services.sign_off_period(period=running, user=officer)
    assert not Period.objects.get(pk=running.pk).is_signed_off
