"""What a signed-off period shows of the contract's finance cannot change: every write that
would change its dashboard, its appendices or its printed figures is refused, naming the
period; writes that only open periods show go ahead. Built on the demo data of the papers."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.urls import reverse

from committee.appendices import build_appendix
from committee.choices import AppendixKind
from contracts import demo, services
from contracts.models import (
    BusinessCase,
    BusinessCaseSaving,
    ContractSum,
    FundingAllocation,
    InvestToSaveLine,
    MtfpBuildUp,
    ShareSchedule,
)
from contracts.record import printed_figures, sign_off_checks
from contracts.selectors import get_contract, shares_on
from nct_monitor import services as period_services
from nct_monitor.records import period_figures, record_publication
from nct_monitor.selectors import get_year
from overview.selectors import dashboard
from savings.selectors import savings_summary
from tests.contracts.factories import BusinessCaseFactory, ContractSumFactory, forecast
from tests.factories import period
from tests.savings.factories import SavingsLineFactory, position

pytestmark = pytest.mark.django_db

HALVES = {"NNC": Decimal("50.00"), "WNC": Decimal("50.00")}
DEMO_SHARES = {"NNC": Decimal("44.16"), "WNC": Decimal("55.84")}


@pytest.fixture
def finance(db):
    """The demo contract and finance: sums for 2021/22, 2023/24 and 2024/25, the MTFP from
    2024/25 to 2026/27, the T&E Board's cases (approved 12 December 2023 and 1 February 2024)
    funded from 2024/25, invest to save in 2023/24 and 2024/25, and the 2023/24 P9 forecast."""
    demo.load()


def sign_off(label: str, user) -> None:
    period_services.sign_off_period(
        period=period(label), user=user, exceptions_reason="Agreed with the S151 officer"
    )


def shown(label: str) -> dict[str, object]:
    """Everything of the contract's finance that a period's dashboard and papers show."""
    found = period(label)
    board = dashboard(found, today=date(2024, 3, 6))
    appendices = {}
    for kind in (
        AppendixKind.CONTRACT_SUM_MTFP,
        AppendixKind.BUSINESS_CASES,
        AppendixKind.PERIOD_FORECAST,
    ):
        content = build_appendix(kind, found)
        appendices[kind] = (
            render_to_string(content.template, {"data": content.context, "printing": True})
            if content.has_data
            else content.empty_message
        )
    return {
        "shares": board.shares,
        "contract_sums": board.contract_sums,
        "funding_blocks": board.funding_blocks,
        "invest_to_save": board.invest_to_save,
        "forecast": board.forecast,
        "appendices": appendices,
        "shortfall_shares": savings_summary(found).shortfall_shares,
        "figures": period_figures(found),
    }


def refused(error: pytest.ExceptionInfo[ValidationError], *labels: str) -> str:
    message = " ".join(error.value.messages)
    for label in labels:
        assert label in message
    assert "signed off" in message and "administrator can reopen" in message
    return message


def case(title: str) -> BusinessCase:
    return BusinessCase.objects.get(title=title)


# Council shares


@pytest.fixture
def shortfall_in_p4(finance, officer):
    """A 2024/25 line with a red shortfall in P4, which is signed off."""
    line = SavingsLineFactory(title="Review of Contracts", year=get_year("2024/25"))
    position(line, "2024/25 P4", red=100)
    sign_off("2024/25 P4", officer)
    return line


def test_shares_from_before_a_signed_off_period_are_refused_and_its_split_is_kept(
    shortfall_in_p4,
):
    before = shown("2024/25 P4")
    with pytest.raises(ValidationError) as error:
        services.set_council_shares(
            contract=get_contract(), effective_from=date(2024, 4, 1), shares=HALVES
        )
    message = refused(error, "2024/25 P4")
    assert message.startswith("Setting the councils' shares from 1 April 2024")
    assert error.value.error_dict.keys() == {"effective_from"}
    assert ShareSchedule.objects.count() == 1
    assert shown("2024/25 P4") == before
    assert savings_summary(period("2024/25 P4")).shortfall_shares == {
        "NNC": Decimal("44160.00"),
        "WNC": Decimal("55840.00"),
    }


def test_shares_from_part_way_through_a_signed_off_month_are_refused(shortfall_in_p4):
    with pytest.raises(ValidationError) as error:
        services.set_council_shares(
            contract=get_contract(), effective_from=date(2024, 7, 15), shares=HALVES
        )
    refused(error, "2024/25 P4")


def test_shares_from_a_later_year_are_refused_while_a_signed_off_appendix_shows_its_mtfp(
    shortfall_in_p4,
):
    # 2024/25 P4's contract sum and MTFP appendix splits the 2025/26 and 2026/27 net sums.
    with pytest.raises(ValidationError) as error:
        services.set_council_shares(
            contract=get_contract(), effective_from=date(2025, 4, 1), shares=HALVES
        )
    refused(error, "2024/25 P4")


def test_shares_from_after_everything_a_signed_off_period_shows_are_allowed(shortfall_in_p4):
    before = shown("2024/25 P4")
    services.set_council_shares(
        contract=get_contract(), effective_from=date(2027, 4, 1), shares=HALVES
    )
    assert shares_on(date(2027, 4, 1)) == HALVES
    assert shown("2024/25 P4") == before


def test_shares_from_after_a_signed_off_period_are_allowed_when_it_shows_no_later_year(
    contract, officer
):
    sign_off("2024/25 P4", officer)
    services.set_council_shares(contract=contract, effective_from=date(2024, 8, 1), shares=HALVES)
    assert shares_on(date(2024, 8, 1)) == HALVES


def test_a_new_first_schedule_is_refused_for_the_signed_off_periods_before_it(contract, officer):
    # The earliest schedule also gives the split of every day before it.
    sign_off("2020/21 P6", officer)
    with pytest.raises(ValidationError) as error:
        services.set_council_shares(
            contract=contract, effective_from=date(2021, 1, 1), shares=HALVES
        )
    refused(error, "2020/21 P6")


def test_setting_the_same_shares_again_is_allowed_with_periods_signed_off(shortfall_in_p4):
    schedule = services.set_council_shares(
        contract=get_contract(),
        effective_from=date(2021, 4, 1),
        shares=DEMO_SHARES,
        note="Split confirmed",
    )
    assert schedule.note == "Split confirmed"


def test_the_share_form_shows_the_refusal_on_the_page(shortfall_in_p4, admin_client):
    response = admin_client.post(
        reverse("contracts:shareschedule_add"),
        {"effective_from": "2024-04-01", "share_NNC": "50", "share_WNC": "50"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "2024/25 P4 shows, and it is signed off" in html
    assert ShareSchedule.objects.count() == 1


# Contract sums


def test_a_contract_sum_the_previous_years_dashboard_shows_cannot_change(finance, officer):
    sign_off("2023/24 P9", officer)
    before = shown("2023/24 P9")
    contract_sum = ContractSum.objects.get(year__start_year=2024)
    with pytest.raises(ValidationError) as error:
        services.update_contract_sum(
            contract_sum=contract_sum,
            block1=Decimal("177500000.00"),
            block2=contract_sum.block2,
            block2_non_recurring=contract_sum.block2_non_recurring,
            block3=contract_sum.block3,
            status=contract_sum.status,
            notes=contract_sum.notes,
            source=contract_sum.source,
        )
    assert refused(error, "2023/24 P9").startswith("Changing the 2024/25 contract sum")
    assert ContractSum.objects.get(pk=contract_sum.pk).block1 == Decimal("177429000.00")
    assert shown("2023/24 P9") == before


def test_a_contract_sums_notes_and_source_change_when_no_signed_off_period_prints_them(
    finance, officer
):
    # 2023/24 P9 shows the 2024/25 blocks on its dashboard, but not their notes.
    sign_off("2023/24 P9", officer)
    contract_sum = ContractSum.objects.get(year__start_year=2024)
    saved = services.update_contract_sum(
        contract_sum=contract_sum,
        block1=contract_sum.block1,
        block2=contract_sum.block2,
        block2_non_recurring=contract_sum.block2_non_recurring,
        block3=contract_sum.block3,
        status=contract_sum.status,
        notes="Agreed by both councils.",
        source="Another paper",
    )
    assert saved.notes == "Agreed by both councils."


def test_the_notes_of_a_signed_off_years_contract_sum_cannot_change(finance, officer):
    sign_off("2024/25 P1", officer)
    contract_sum = ContractSum.objects.get(year__start_year=2024)
    with pytest.raises(ValidationError) as error:
        services.update_contract_sum(
            contract_sum=contract_sum,
            block1=contract_sum.block1,
            block2=contract_sum.block2,
            block2_non_recurring=contract_sum.block2_non_recurring,
            block3=contract_sum.block3,
            status=contract_sum.status,
            notes="Rewritten",
            source=contract_sum.source,
        )
    refused(error, "2024/25 P1")


def test_a_later_years_block_is_kept_while_an_earlier_appendix_shows_its_table(finance, officer):
    # Managed Teams (approved 12 December 2023) is funded from 2026/27 too, so 2023/24 P9's
    # business cases appendix has a table of Block 2 2026/27.
    ContractSumFactory(year="2026/27", block2=Decimal("2000000.00"), block2_non_recurring=0)
    services.allocate_funding(
        business_case=case("Managed Teams"), year="2026/27", block=2, amount=Decimal("500000")
    )
    sign_off("2023/24 P9", officer)
    before = shown("2023/24 P9")
    contract_sum = ContractSum.objects.get(year__start_year=2026)
    with pytest.raises(ValidationError) as error:
        services.update_contract_sum(
            contract_sum=contract_sum,
            block1=contract_sum.block1,
            block2=Decimal("2500000.00"),
            block2_non_recurring=Decimal(0),
            block3=contract_sum.block3,
            status=contract_sum.status,
        )
    refused(error, "2023/24 P9")
    assert shown("2023/24 P9") == before


def test_a_new_contract_sum_is_refused_for_a_year_a_signed_off_dashboard_shows(finance, officer):
    sign_off("2024/25 P12", officer)
    with pytest.raises(ValidationError) as error:
        ContractSumFactory(year="2025/26")
    assert refused(error, "2024/25 P12").startswith("Recording the 2025/26 contract sum")
    assert not ContractSum.objects.filter(year__start_year=2025).exists()


def test_a_new_contract_sum_for_a_year_no_signed_off_period_shows_is_allowed(finance, officer):
    sign_off("2023/24 P9", officer)
    before = shown("2023/24 P9")
    ContractSumFactory(year="2025/26")
    assert shown("2023/24 P9") == before


def test_the_contract_sum_form_shows_the_refusal_on_the_page(finance, officer, officer_client):
    sign_off("2023/24 P9", officer)
    contract_sum = ContractSum.objects.get(year__start_year=2024)
    response = officer_client.post(
        reverse("contracts:contractsum_edit", args=[contract_sum.pk]),
        {
            "year": "2024",
            "block1": "177500000",
            "block2": "2580000",
            "block2_non_recurring": "2363000",
            "block3": "3291000",
            "status": "agreed",
            "notes": contract_sum.notes,
            "source": contract_sum.source,
        },
    )
    assert response.status_code == 200
    assert "2023/24 P9 shows, and it is signed off" in response.content.decode()


# MTFP build-up


def mtfp_figures(build_up: MtfpBuildUp, **changes: Decimal) -> dict[str, Decimal]:
    return {name: getattr(build_up, name) for name in services.MTFP_FIELDS} | changes


def test_a_later_years_mtfp_is_kept_while_an_earlier_signed_off_appendix_shows_it(finance, officer):
    sign_off("2023/24 P9", officer)
    before = shown("2023/24 P9")
    build_up = MtfpBuildUp.objects.get(year__start_year=2025)
    with pytest.raises(ValidationError) as error:
        services.update_mtfp_build_up(
            build_up=build_up, figures=mtfp_figures(build_up, savings=Decimal("7000000"))
        )
    assert refused(error, "2023/24 P9").startswith("Changing the 2025/26 MTFP build-up")
    assert MtfpBuildUp.objects.get(pk=build_up.pk).savings == Decimal("6684000.00")
    assert shown("2023/24 P9") == before


def test_an_mtfp_notes_change_is_allowed_with_periods_signed_off(finance, officer):
    sign_off("2023/24 P9", officer)
    build_up = MtfpBuildUp.objects.get(year__start_year=2025)
    saved = services.update_mtfp_build_up(
        build_up=build_up, figures=mtfp_figures(build_up), notes="As the plan prints it."
    )
    assert saved.notes == "As the plan prints it."


def test_an_mtfp_year_before_every_signed_off_periods_year_is_allowed(finance, officer):
    sign_off("2026/27 P1", officer)
    build_up = MtfpBuildUp.objects.get(year__start_year=2024)
    services.update_mtfp_build_up(
        build_up=build_up, figures=mtfp_figures(build_up, savings=Decimal("9045001"))
    )
    services.create_mtfp_build_up(year="2023/24", initial_sum=Decimal("150938000"))


def test_a_new_mtfp_year_is_refused_while_an_earlier_signed_off_appendix_would_show_it(
    finance, officer
):
    sign_off("2023/24 P9", officer)
    with pytest.raises(ValidationError) as error:
        services.create_mtfp_build_up(year="2023/24", initial_sum=Decimal("150938000"))
    assert refused(error, "2023/24 P9").startswith("Recording the 2023/24 MTFP build-up")
    assert not MtfpBuildUp.objects.filter(year__start_year=2023).exists()


# Business cases and their savings


def test_a_case_approved_by_a_signed_off_periods_end_cannot_be_added(finance, officer):
    sign_off("2023/24 P9", officer)
    before = shown("2023/24 P9")
    with pytest.raises(ValidationError) as error:
        BusinessCaseFactory(title="Late entry", date_approved=date(2023, 11, 1))
    message = refused(error, "2023/24 P9")
    assert message.startswith("Recording the business case 'Late entry', approved on 1 November")
    assert not BusinessCase.objects.filter(title="Late entry").exists()
    assert shown("2023/24 P9") == before


def test_a_case_approved_after_the_signed_off_period_can_be_added(finance, officer):
    sign_off("2023/24 P9", officer)
    before = shown("2023/24 P9")
    BusinessCaseFactory(title="New case", date_approved=date(2024, 1, 15))
    assert shown("2023/24 P9") == before


def case_details(business_case: BusinessCase, **changes: object) -> dict[str, object]:
    details = {
        "theme": business_case.theme,
        "title": business_case.title,
        "date_approved": business_case.date_approved,
        "additional_benefits": business_case.additional_benefits,
        "additional_benefits_tbc": business_case.additional_benefits_tbc,
        "duration": business_case.duration,
        "notes": business_case.notes,
        "source": business_case.source,
    }
    return details | changes


def test_a_case_a_signed_off_appendix_lists_cannot_be_renamed(finance, officer):
    sign_off("2023/24 P9", officer)
    before = shown("2023/24 P9")
    managed = case("Managed Teams")
    with pytest.raises(ValidationError) as error:
        services.update_business_case(
            business_case=managed, **case_details(managed, title="Managed Social Work Teams")
        )
    assert refused(error, "2023/24 P9").startswith("Changing the business case 'Managed Teams'")
    assert case("Managed Teams").pk == managed.pk
    assert shown("2023/24 P9") == before


def test_a_later_case_named_in_a_signed_off_appendixs_block_table_cannot_be_renamed(
    finance, officer
):
    # MASH Review was approved in February 2024, after P9, but its Block 3 2024/25 funding is
    # in the table 2023/24 P9's appendix prints.
    sign_off("2023/24 P9", officer)
    mash = case("MASH Review")
    with pytest.raises(ValidationError) as error:
        services.update_business_case(
            business_case=mash, **case_details(mash, title="MASH Review 2024")
        )
    refused(error, "2023/24 P9")


def test_a_cases_notes_change_with_periods_signed_off(finance, officer):
    sign_off("2023/24 P9", officer)
    managed = case("Managed Teams")
    saved = services.update_business_case(
        business_case=managed, **case_details(managed, notes="Two teams.", source="Minutes")
    )
    assert saved.notes == "Two teams."


def test_an_unfunded_later_case_can_change_and_cannot_move_into_a_signed_off_period(
    finance, officer
):
    later = BusinessCaseFactory(title="Later case", date_approved=date(2024, 2, 1))
    sign_off("2023/24 P9", officer)
    services.update_business_case(business_case=later, **case_details(later, duration="1 year"))
    with pytest.raises(ValidationError) as error:
        services.update_business_case(
            business_case=later, **case_details(later, date_approved=date(2023, 12, 1))
        )
    refused(error, "2023/24 P9")
    assert case("Later case").date_approved == date(2024, 2, 1)


def test_the_savings_of_a_case_a_signed_off_appendix_lists_are_kept(finance, officer):
    managed = case("Managed Teams")
    saving = services.set_business_case_saving(
        business_case=managed, year="2024/25", amount=Decimal("500000")
    )
    sign_off("2023/24 P9", officer)
    before = shown("2023/24 P9")
    with pytest.raises(ValidationError) as error:
        services.set_business_case_saving(
            business_case=managed, year="2025/26", amount=Decimal("100000")
        )
    assert refused(error, "2023/24 P9").startswith("Recording the 2025/26 saving")
    with pytest.raises(ValidationError):
        services.update_business_case_saving(
            saving=saving, year="2024/25", amount=Decimal("600000")
        )
    with pytest.raises(ValidationError) as error:
        services.remove_business_case_saving(saving=saving)
    assert refused(error, "2023/24 P9").startswith("Removing the 2024/25 saving")
    assert list(BusinessCaseSaving.objects.filter(business_case=managed)) == [saving]
    assert BusinessCaseSaving.objects.get(pk=saving.pk).amount == Decimal("500000.00")
    assert shown("2023/24 P9") == before


def test_the_savings_of_a_case_approved_after_the_signed_off_period_change(finance, officer):
    circle = case("Circle to Success")  # approved 1 February 2024
    sign_off("2023/24 P9", officer)
    saving = services.set_business_case_saving(
        business_case=circle, year="2025/26", amount=Decimal("1000000")
    )
    services.update_business_case_saving(saving=saving, year="2025/26", amount=Decimal("900000"))
    services.remove_business_case_saving(saving=saving)


# Funding allocations


def test_funding_from_a_block_a_signed_off_period_shows_cannot_be_allocated(finance, officer):
    later = BusinessCaseFactory(title="Later case", date_approved=date(2024, 2, 1))
    sign_off("2023/24 P9", officer)
    before = shown("2023/24 P9")
    with pytest.raises(ValidationError) as error:
        services.allocate_funding(
            business_case=later, year="2024/25", block=3, amount=Decimal("10000")
        )
    message = refused(error, "2023/24 P9")
    assert message.startswith("Allocating Block 3 2024/25 funding to 'Later case'")
    assert not FundingAllocation.objects.filter(business_case=later).exists()
    assert shown("2023/24 P9") == before


def test_funding_from_a_year_no_signed_off_period_shows_can_be_allocated(finance, officer):
    ContractSumFactory(year="2026/27")
    later = BusinessCaseFactory(title="Later case", date_approved=date(2024, 2, 1))
    sign_off("2023/24 P9", officer)
    before = shown("2023/24 P9")
    services.allocate_funding(business_case=later, year="2026/27", block=3, amount=Decimal("1"))
    assert shown("2023/24 P9") == before


def test_an_allocation_a_signed_off_period_shows_is_kept_but_its_note_can_change(finance, officer):
    sign_off("2023/24 P9", officer)
    before = shown("2023/24 P9")
    mash = FundingAllocation.objects.get(business_case__title="MASH Review")
    with pytest.raises(ValidationError) as error:
        services.update_funding_allocation(
            allocation=mash, year="2024/25", block=3, amount=Decimal("700000")
        )
    assert refused(error, "2023/24 P9").startswith("Changing the Block 3 2024/25 funding")
    with pytest.raises(ValidationError) as error:
        services.remove_funding_allocation(allocation=mash)
    assert refused(error, "2023/24 P9").startswith("Withdrawing the Block 3 2024/25 funding")
    assert FundingAllocation.objects.get(pk=mash.pk).amount == Decimal("70000.00")
    assert shown("2023/24 P9") == before

    saved = services.update_funding_allocation(
        allocation=mash, year="2024/25", block=3, amount=mash.amount, note="£0.070m"
    )
    assert saved.note == "£0.070m"


def test_removing_an_allocation_is_refused_on_the_page(finance, officer, officer_client):
    sign_off("2023/24 P9", officer)
    mash = FundingAllocation.objects.get(business_case__title="MASH Review")
    response = officer_client.post(reverse("contracts:fundingallocation_remove", args=[mash.pk]))
    assert response.status_code == 200
    assert "2023/24 P9 shows, and it is signed off" in response.content.decode()
    assert FundingAllocation.objects.filter(pk=mash.pk).exists()


# Invest to save


def test_invest_to_save_for_a_year_a_signed_off_dashboard_shows_is_kept(finance, officer):
    sign_off("2023/24 P9", officer)
    before = shown("2023/24 P9")
    with pytest.raises(ValidationError) as error:
        services.create_invest_to_save_line(
            programme="Circle to Success",
            year="2024/25",
            kind="grant",
            title="DfE grant",
            amount=Decimal("100000"),
        )
    assert refused(error, "2023/24 P9").startswith(
        "Recording invest-to-save grant for Circle to Success 2024/25"
    )
    line = InvestToSaveLine.objects.get(title="IMPOWER second phase, agreed June 2023")
    with pytest.raises(ValidationError):
        services.update_invest_to_save_line(
            line=line,
            programme=line.programme,
            year="2023/24",
            kind=line.kind,
            title=line.title,
            amount=Decimal("600000"),
        )
    assert InvestToSaveLine.objects.get(pk=line.pk).amount == Decimal("516000.00")
    assert shown("2023/24 P9") == before


def test_invest_to_save_that_no_signed_off_dashboard_shows_can_change(finance, officer):
    sign_off("2023/24 P9", officer)
    services.create_invest_to_save_line(
        programme="Circle to Success",
        year="2025/26",
        kind="funding",
        title="Third year",
        amount=Decimal("100000"),
    )
    line = InvestToSaveLine.objects.get(title="IMPOWER second phase, agreed June 2023")
    saved = services.update_invest_to_save_line(
        line=line,
        programme=line.programme,
        year="2023/24",
        kind=line.kind,
        title="IMPOWER second phase",
        amount=line.amount,
        notes="The dashboard shows only the programme's totals.",
    )
    assert saved.title == "IMPOWER second phase"


# Period forecast


def test_a_signed_off_periods_forecast_is_kept_and_an_open_ones_can_change(finance, officer):
    sign_off("2023/24 P9", officer)
    before = shown("2023/24 P9")
    with pytest.raises(ValidationError) as error:
        forecast(period("2023/24 P9"), {"other": Decimal("1000000")})
    assert "2023/24 P9 is signed off" in " ".join(error.value.messages)
    with pytest.raises(ValidationError):
        services.create_period_forecast(
            period=period("2023/24 P9"), pressures={"other": services.ForecastEntry(Decimal(1))}
        )
    forecast(period("2023/24 P10"))
    assert shown("2023/24 P9") == before


# Sign-off checks


def test_a_period_without_a_forecast_has_a_gap_linking_to_its_forecast_form(
    finance, officer_client
):
    gaps = sign_off_checks(period("2024/25 P4"))
    url = reverse("contracts:forecastpressure_edit", args=[2024, 4])
    assert [gap.as_dict() for gap in gaps] == [
        {"area": "Forecast", "message": "No forecast outturn for 2024/25 P4.", "url": url}
    ]
    assert officer_client.get(url).status_code == 200


def test_a_period_with_a_forecast_or_before_forecasts_were_kept_has_no_gap(finance):
    assert sign_off_checks(period("2023/24 P9")) == []
    assert sign_off_checks(period("2023/24 P8")) == []


def test_signing_off_without_a_forecast_needs_a_reason(finance, officer):
    with pytest.raises(period_services.SignOffIncomplete) as error:
        period_services.sign_off_period(period=period("2023/24 P10"), user=officer)
    assert [gap.area for gap in error.value.gaps] == ["Forecast"]


def test_the_sign_off_check_is_cheap(finance, django_assert_max_num_queries):
    p4 = period("2024/25 P4")
    with django_assert_max_num_queries(2):
        sign_off_checks(p4)


# Printed figures


def test_period_9_prints_the_block_3_total_its_lines_add_up_to(finance):
    figures = printed_figures(period("2023/24 P9"))

    assert figures["Block 3 funding, 2024/25, total (£m)"] == "1.456"
    assert figures["Block 3 funding, 2024/25, available (£m)"] == "3.291"
    assert figures["Block 3 funding, 2024/25, balance outstanding (£m)"] == "1.835"
    assert figures["Block 3 funding, 2024/25, MASH Review (£m)"] == "0.070"
    assert figures["Block 2 funding, 2024/25, total (£m)"] == "2.580"
    assert figures["Forecast outturn pressure, Total pressure (£m)"] == "29.670"
    assert figures["Forecast outturn pressure, Total pressure, NNC share (£)"] == "13,102,272.00"
    assert figures["Forecast outturn pressure, Unachieved savings (£m)"] == "1.247"
    assert figures["Contract sum, 2023/24, total (£m)"] == "150.938"
    assert figures["Contract sum, 2024/25, total (£m)"] == "180.009"
    assert figures["MTFP, 2026/27, net contract sum (£m)"] == "185.964"


def test_the_figures_are_those_the_period_record_keeps(finance):
    assert (
        printed_figures(period("2023/24 P9")).items()
        <= period_figures(period("2023/24 P9")).items()
    )


def test_a_published_block_3_total_that_differs_becomes_a_correction(finance, officer):
    label = "Block 3 funding, 2024/25, total (£m)"
    publication = record_publication(
        period=period("2023/24 P9"), title="Public Document Pack", published_on=date(2024, 3, 6)
    )
    publication.figures = publication.figures | {label: "1.659"}
    publication.save()

    sign_off("2023/24 P9", officer)

    correction = publication.corrections.get(figure=label)
    assert (correction.old_value, correction.new_value) == ("1.659", "1.456")
