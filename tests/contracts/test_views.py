from __future__ import annotations

import csv
import io
from decimal import Decimal

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from contracts import services
from contracts.models import (
    BusinessCase,
    BusinessCaseSaving,
    ContractSum,
    ForecastPressure,
    FundingAllocation,
    InvestToSaveLine,
    MtfpBuildUp,
)
from nct_monitor import services as period_services
from tests.contracts.factories import (
    BusinessCaseFactory,
    ContractSumFactory,
    InvestToSaveLineFactory,
    MtfpBuildUpFactory,
    forecast,
)
from tests.factories import period

pytestmark = pytest.mark.django_db

CONTRACT_SUM_POST = {
    "year": "2024",
    "block1": "£177.429m",
    "block2": "2,580,000",
    "block2_non_recurring": "2363000",
    "block3": "£3.291m",
    "status": "agreed",
    "notes": "",
    "source": "T&E Board update, paragraph 7.1.2",
}


def single_sum(year: str, amount: str) -> ContractSum:
    return ContractSumFactory(
        year=year,
        block1=Decimal(amount),
        block2=Decimal(0),
        block2_non_recurring=Decimal(0),
        block3=Decimal(0),
    )


def csv_rows(response) -> list[list[str]]:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


# Adding and changing


def test_an_officer_adds_a_contract_sum_in_pounds_or_millions(officer_client, contract):
    response = officer_client.post(reverse("contracts:contractsum_add"), CONTRACT_SUM_POST)

    assert response.status_code == 302
    saved = ContractSum.objects.get()
    assert (saved.block1, saved.block2, saved.block2_non_recurring, saved.block3) == (
        Decimal("177429000.00"),
        Decimal("2580000.00"),
        Decimal("2363000.00"),
        Decimal("3291000.00"),
    )


def test_the_add_page_says_what_was_saved(officer_client, contract):
    response = officer_client.post(
        reverse("contracts:contractsum_add"), CONTRACT_SUM_POST, follow=True
    )

    assert "The 2024/25 contract sum is recorded: £180.009m." in response.content.decode()


def test_an_officer_changes_a_contract_sum_and_the_history_shows_it(officer_client, contract):
    contract_sum = ContractSumFactory()

    response = officer_client.post(
        reverse("contracts:contractsum_edit", args=[contract_sum.pk]),
        {**CONTRACT_SUM_POST, "block1": "177500000", "status": "provisional"},
    )
    history = officer_client.get(
        reverse("contracts:contractsum_history", args=[contract_sum.pk])
    ).content.decode()

    assert response.status_code == 302
    assert "177,429,000.00" in history
    assert "177,500,000.00" in history
    assert "Provisional" in history
    assert "officer" in history


def test_non_numeric_money_is_refused_on_the_form_naming_the_field(officer_client, contract):
    response = officer_client.post(
        reverse("contracts:contractsum_add"), {**CONTRACT_SUM_POST, "block1": "lots"}
    )

    assert response.status_code == 200
    assert (
        "Block 1 (core) must be an amount in pounds, like 1247000, or in millions with an m, "
        "like £1.247m" in response.content.decode()
    )
    assert ContractSum.objects.count() == 0


def test_negative_money_is_refused_on_the_form_naming_the_field(officer_client, contract):
    response = officer_client.post(
        reverse("contracts:contractsum_add"), {**CONTRACT_SUM_POST, "block3": "-£3.291m"}
    )

    assert "Block 3 (transformation reserve) must be £0 or more" in response.content.decode()
    assert ContractSum.objects.count() == 0


def test_a_non_recurring_part_larger_than_block_2_is_refused_on_the_form(officer_client, contract):
    response = officer_client.post(
        reverse("contracts:contractsum_add"),
        {**CONTRACT_SUM_POST, "block2_non_recurring": "£2.6m"},
    )

    html = response.content.decode()
    assert "The Block 2 non-recurring part (£2,600,000.00) cannot be larger than Block 2" in html
    assert 'href="#id_block2_non_recurring"' in html
    assert ContractSum.objects.count() == 0


def test_a_year_that_does_not_exist_is_refused_on_the_form(officer_client, contract):
    response = officer_client.post(
        reverse("contracts:contractsum_add"), {**CONTRACT_SUM_POST, "year": "2031"}
    )

    assert (
        "Financial year must be one of the contract&#x27;s years, 2020/21 to 2026/27"
        in response.content.decode()
    )
    assert ContractSum.objects.count() == 0


def test_an_officer_adds_an_mtfp_year_checked_against_the_stated_net(officer_client, contract):
    data = {
        "year": "2024",
        "initial_sum": "150.938m",
        "inflation_staffing": "3.037m",
        "inflation_placements": "4.781m",
        "inflation_other": "1.903m",
        "demand_staffing": "1.924m",
        "demand_placements": "22.946m",
        "demand_other": "0.945m",
        "savings": "9.045m",
        "stated_net": "£177.430m",
    }

    refused = officer_client.post(reverse("contracts:mtfpbuildup_add"), data)
    accepted = officer_client.post(
        reverse("contracts:mtfpbuildup_add"), {**data, "stated_net": "£177.429m"}
    )

    assert "does not match the build-up, which gives £177,429,000.00" in refused.content.decode()
    assert accepted.status_code == 302
    assert MtfpBuildUp.objects.count() == 1


def test_an_officer_adds_a_business_case_with_a_saving_and_funding(officer_client, contract):
    ContractSumFactory()

    officer_client.post(
        reverse("contracts:businesscase_add"),
        {
            "theme": "operational_efficiency",
            "title": "Circle to Success",
            "date_approved": "2024-02-01",
            "additional_benefits": "£4.023m",
            "duration": "2024/25 – one off",
        },
    )
    case = BusinessCase.objects.get()
    officer_client.post(
        reverse("contracts:businesscasesaving_add", args=[case.pk]),
        {"year": "2024", "amount": "£4.049m"},
    )
    response = officer_client.post(
        f"{reverse('contracts:fundingallocation_add')}?business_case={case.pk}",
        {"year": "2024", "block": "3", "amount": "£0.410m"},
    )

    assert response.status_code == 302
    assert BusinessCaseSaving.objects.get().amount == Decimal("4049000.00")
    assert FundingAllocation.objects.get().amount == Decimal("410000.00")


def test_an_allocation_beyond_the_balance_is_refused_on_the_form(officer_client, contract):
    ContractSumFactory()
    case = BusinessCaseFactory(title="Exploitation Hub")

    response = officer_client.post(
        reverse("contracts:fundingallocation_add"),
        {"business_case": case.pk, "year": "2024", "block": "3", "amount": "£3.3m"},
    )

    assert (
        "Block 3 for 2024/25 has £3,291,000.00 available and £0.00 already allocated, so "
        "£3,291,000.00 is left: £3,300,000.00 for Exploitation Hub would take it below zero."
        in response.content.decode()
    )
    assert FundingAllocation.objects.count() == 0


def test_an_officer_removes_an_allocation(officer_client, contract):
    ContractSumFactory()
    allocation = services.allocate_funding(
        business_case=BusinessCaseFactory(), year="2024/25", block=2, amount=Decimal("85000")
    )

    response = officer_client.post(
        reverse("contracts:fundingallocation_remove", args=[allocation.pk])
    )

    assert response.status_code == 302
    assert FundingAllocation.objects.count() == 0


def test_an_officer_records_a_grant_against_invest_to_save_funding(officer_client, contract):
    InvestToSaveLineFactory(amount=Decimal("1816000"))

    response = officer_client.post(
        reverse("contracts:investtosaveline_add"),
        {
            "programme": "Circle to Success",
            "year": "2023",
            "kind": "grant",
            "title": "DfE grant",
            "amount": "£0.300m",
        },
    )
    page = officer_client.get(reverse("contracts:investtosaveline_list")).content.decode()

    assert response.status_code == 302
    assert InvestToSaveLine.objects.count() == 2
    assert "£1.516m" in page
    assert "£669,465.60" in page


def test_an_officer_enters_a_periods_forecast(officer_client, contract):
    response = officer_client.post(
        reverse("contracts:forecastpressure_add"),
        {
            "period": "2023:9",
            "placements_amount": "£23.307m",
            "placements_note": "Children in care",
            "staffing_amount": "1485000",
            "unachieved_savings_amount": "1.247m",
            "other_amount": "3.631m",
            "stated_total": "£29.670m",
        },
        follow=True,
    )

    html = response.content.decode()
    assert "The 2023/24 P9 forecast is saved: total pressure £29.670m." in html
    assert "£13,102,272.00" in html
    assert ForecastPressure.objects.count() == 4


def test_a_forecast_with_no_category_is_refused(officer_client, contract):
    response = officer_client.post(reverse("contracts:forecastpressure_add"), {"period": "2023:9"})

    assert "Enter the forecast pressure for at least one category." in response.content.decode()


def shown_versions(client, url) -> dict[str, str]:
    """The hidden versions of the forecast edit form, as the browser posts them back."""
    form = client.get(url).context["form"]
    return {name: str(form.initial[name]) for name in form.fields if name.endswith("_version")}


def test_a_forecast_change_to_a_signed_off_period_is_refused_on_the_page(
    officer_client, officer, contract
):
    forecast(period("2023/24 P9"))
    period_services.sign_off_period(period=period("2023/24 P9"), user=officer)
    url = reverse("contracts:forecastpressure_edit", kwargs={"year": 2023, "period": 9})

    response = officer_client.post(
        url,
        {"placements_amount": "1", "other_amount": "2", **shown_versions(officer_client, url)},
    )

    assert "2023/24 P9 is signed off, so its data cannot be changed." in response.content.decode()
    assert ForecastPressure.objects.get(category="placements").amount == Decimal("23307000.00")


def test_the_forecast_history_shows_each_change_of_a_line(officer_client, contract):
    forecast(period("2023/24 P9"))
    url = reverse("contracts:forecastpressure_edit", kwargs={"year": 2023, "period": 9})
    officer_client.post(
        url,
        {
            "placements_amount": "23307000",
            "staffing_amount": "3579000",
            "unachieved_savings_amount": "1247000",
            "other_amount": "3631000",
            **shown_versions(officer_client, url),
        },
    )
    line = ForecastPressure.objects.get(category="staffing")

    html = officer_client.get(
        reverse("contracts:forecastpressure_history", args=[line.pk])
    ).content.decode()

    assert "1,485,000.00" in html
    assert "3,579,000.00" in html


# Who can do what


@pytest.mark.parametrize(
    "url_name",
    [
        "contracts:contractsum_add",
        "contracts:mtfpbuildup_add",
        "contracts:businesscase_add",
        "contracts:fundingallocation_add",
        "contracts:investtosaveline_add",
        "contracts:forecastpressure_add",
    ],
)
def test_a_committee_member_cannot_add_anything(member_client, contract, url_name):
    assert member_client.get(reverse(url_name)).status_code == 403
    assert member_client.post(reverse(url_name), {}).status_code == 403


def test_a_committee_member_cannot_change_a_contract_sum(member_client, contract):
    contract_sum = ContractSumFactory()

    response = member_client.post(
        reverse("contracts:contractsum_edit", args=[contract_sum.pk]), CONTRACT_SUM_POST
    )

    assert response.status_code == 403


def test_a_committee_member_sees_the_figures_without_the_buttons(member_client, contract):
    ContractSumFactory()

    html = member_client.get(reverse("contracts:contractsum_list")).content.decode()

    assert "£180.009m" in html
    assert "Add a contract sum" not in html
    assert "Change<span" not in html


def test_an_administrator_can_add_a_contract_sum(admin_client, contract):
    response = admin_client.post(reverse("contracts:contractsum_add"), CONTRACT_SUM_POST)

    assert response.status_code == 302


# Exports


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_the_contract_sums_export_has_the_exact_figures_and_shares(
    officer_client, contract, export_format
):
    ContractSumFactory()

    response = officer_client.get(reverse("contracts:contractsum_list"), {"_export": export_format})

    if export_format == "csv":
        rows = csv_rows(response)
    else:
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        rows = [
            [f"{Decimal(str(cell)):.2f}" if isinstance(cell, int | float) else cell for cell in row]
            for row in sheet.iter_rows(values_only=True)
        ]
    header, row = rows
    values = dict(zip(header, row, strict=True))
    assert values["Contract sum"] == "180009000.00"
    assert values["NNC share"] == "79491974.40"
    assert values["WNC share"] == "100517025.60"
    assert values["Block 2 non-recurring"] == "2363000.00"


def test_the_mtfp_export_has_every_line_and_the_net(officer_client, contract):
    MtfpBuildUpFactory()

    header, row = csv_rows(
        officer_client.get(reverse("contracts:mtfpbuildup_list"), {"_export": "csv"})
    )

    values = dict(zip(header, row, strict=True))
    assert values["Demand: placements"] == "22946000.00"
    assert values["Less savings"] == "9045000.00"
    assert values["Net contract sum"] == "177429000.00"
    assert values["NNC share of net sum"] == "78352646.40"
    assert "Actions" not in header


def test_the_business_cases_export_has_a_column_per_saving_year(officer_client, contract):
    case = BusinessCaseFactory(title="Circle to Success")
    services.set_business_case_saving(business_case=case, year="2023/24", amount=Decimal("3.8e6"))

    header, row = csv_rows(
        officer_client.get(reverse("contracts:businesscase_list"), {"_export": "csv"})
    )

    values = dict(zip(header, row, strict=True))
    assert values["Project title"] == "Circle to Success"
    assert values["2023/24 contract sum savings"] == "3800000.00"
    assert values["Additional benefits"] == "TBC"


def test_the_funding_export_lists_allocations_with_the_councils_shares(officer_client, contract):
    ContractSumFactory()
    services.allocate_funding(
        business_case=BusinessCaseFactory(title="MASH Review"),
        year="2024/25",
        block=3,
        amount=Decimal("70000"),
    )

    header, row = csv_rows(
        officer_client.get(reverse("contracts:fundingallocation_list"), {"_export": "csv"})
    )

    values = dict(zip(header, row, strict=True))
    assert values["Business case"] == "MASH Review"
    assert (values["Funding agreed"], values["NNC share"], values["WNC share"]) == (
        "70000.00",
        "30912.00",
        "39088.00",
    )


def test_the_forecast_export_has_each_category_and_the_total(officer_client, contract):
    forecast(period("2023/24 P9"))

    header, row = csv_rows(
        officer_client.get(reverse("contracts:forecastpressure_list"), {"_export": "csv"})
    )

    values = dict(zip(header, row, strict=True))
    assert values["Period"] == "2023/24 P9"
    assert values["Total pressure"] == "29670000.00"
    assert values["NNC share"] == "13102272.00"


def test_the_invest_to_save_export_lists_funding_and_grants(officer_client, contract):
    InvestToSaveLineFactory(amount=Decimal("1300000"))
    InvestToSaveLineFactory(kind="grant", title="DfE grant", amount=Decimal("300000"))

    rows = csv_rows(
        officer_client.get(reverse("contracts:investtosaveline_list"), {"_export": "csv"})
    )

    assert [(row[2], row[4]) for row in rows[1:]] == [
        ("Funding", "1300000.00"),
        ("Offsetting grant", "300000.00"),
    ]


# Queries stay constant however much a page shows (the lists' counts: test_queries.py)


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def assert_same_queries(client, url, add_rows, django_assert_num_queries):
    one = count_queries(client, url)
    add_rows()
    with django_assert_num_queries(one):
        assert client.get(url).status_code == 200


def test_the_business_case_page_runs_the_same_queries_however_much_funding_it_has(
    officer_client, contract, django_assert_num_queries
):
    ContractSumFactory()
    case = BusinessCaseFactory()
    services.allocate_funding(business_case=case, year="2024/25", block=2, amount=Decimal(1))

    def more():
        services.allocate_funding(business_case=case, year="2024/25", block=3, amount=Decimal(1))
        for year in ("2023/24", "2024/25", "2025/26"):
            services.set_business_case_saving(business_case=case, year=year, amount=Decimal(1))

    assert_same_queries(
        officer_client,
        reverse("contracts:businesscase_detail", args=[case.pk]),
        more,
        django_assert_num_queries,
    )


def test_the_period_picker_opens_another_periods_forecast(member_client, contract):
    response = member_client.get(
        reverse("period_jump"), {"view": "contracts:forecastpressure_detail", "at": "2023:10"}
    )

    assert response.status_code == 302
    assert response["Location"] == "/contract/forecast/2023-24/p10/"


@pytest.mark.parametrize(
    ("typed", "pounds"),
    [
        ("177429000", Decimal("177429000.00")),
        ("£177,429,000.00", Decimal("177429000.00")),
        ("177.429m", Decimal("177429000.00")),
        ("£177.429M", Decimal("177429000.00")),
        ("£0.085m", Decimal("85000.00")),
        ("1.2345678m", Decimal("1234567.80")),
    ],
)
def test_amounts_are_typed_in_pounds_or_in_millions_with_an_m(typed, pounds):
    from contracts.forms import AmountField

    assert AmountField(label="Amount").clean(typed) == pounds


def test_an_amount_in_millions_finer_than_a_penny_is_refused():
    from django.core.exceptions import ValidationError as FormError

    from contracts.forms import AmountField

    field = AmountField(label="Block 1")
    field.set_messages("Block 1")
    with pytest.raises(FormError) as error:
        field.clean("1.2345678901m")

    assert error.value.messages == [
        "Block 1 must be in pounds and pence, with at most 2 decimal places"
    ]


def test_the_forecast_list_searches_the_notes(officer_client, contract):
    forecast(period("2023/24 P9"))
    forecast(period("2023/24 P6"), {"placements": Decimal("1")})
    services.set_period_forecast(
        period=period("2023/24 P6"),
        pressures={"placements": services.ForecastEntry(Decimal("1"), "Residential homes")},
    )

    response = officer_client.get(reverse("contracts:forecastpressure_list"), {"q": "resident"})

    assert [figures.label for figures in response.context["table"].data] == ["2023/24 P6"]


def test_the_funding_list_filters_by_block_and_searches_case_titles(officer_client, contract):
    ContractSumFactory()
    for title, block in (("MASH Review", 3), ("Practice Model", 2), ("Exploitation Hub", 3)):
        services.allocate_funding(
            business_case=BusinessCaseFactory(title=title),
            year="2024/25",
            block=block,
            amount=Decimal("1000"),
        )

    response = officer_client.get(
        reverse("contracts:fundingallocation_list"), {"block": "3", "q": "mash"}
    )

    assert [row.business_case_title for row in response.context["table"].data] == ["MASH Review"]


def test_the_business_case_list_filters_by_theme(officer_client, contract):
    BusinessCaseFactory(title="Managed Teams", theme="workforce")
    BusinessCaseFactory(title="MASH Review", theme="demand_management")

    response = officer_client.get(reverse("contracts:businesscase_list"), {"theme": "workforce"})

    assert [row.title for row in response.context["table"].data] == ["Managed Teams"]


def test_an_htmx_filter_returns_only_the_table(officer_client, contract):
    ContractSumFactory()

    response = officer_client.get(
        reverse("contracts:contractsum_list"), {"status": "agreed"}, HTTP_HX_REQUEST="true"
    )

    html = response.content.decode()
    assert "£180.009m" in html
    assert "<h1" not in html
