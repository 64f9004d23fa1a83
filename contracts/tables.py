"""Tables of the contract's finance, built from the selectors' figures.

Each row is a figures dataclass from `contracts.selectors`, so a table prints, sorts and exports
exactly the totals and council parts every other page and report uses. The councils' columns
read the parts the selector computed with `apportion` for the row's own year or period.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

from nct_monitor.finance import format_pounds
from nct_monitor.periods import year_label
from nct_monitor.tables import BaseTable, CouncilPartsTable, MillionsColumn


def _actions_column() -> tables.Column:
    return tables.Column(
        verbose_name="Actions",
        accessor="pk",
        orderable=False,
        exclude_from_export=True,
        empty_values=(),
    )


class ContractSumTable(CouncilPartsTable):
    parts_of = "contract_sum_shares"
    parts_label = "share"

    year_label = tables.Column(verbose_name="Year", order_by="start_year")
    status_label = tables.Column(verbose_name="Status", order_by="status")
    block1 = MillionsColumn(verbose_name="Block 1 (core)")
    block2 = MillionsColumn(verbose_name="Block 2")
    block2_non_recurring = MillionsColumn(verbose_name="Block 2 non-recurring")
    contract_sum = MillionsColumn(verbose_name="Contract sum")
    block3 = MillionsColumn(verbose_name="Block 3 reserve")
    notes = tables.Column(verbose_name="Notes", orderable=False, visible=False)
    source = tables.Column(verbose_name="Source", orderable=False, visible=False)
    actions = _actions_column()

    class Meta(BaseTable.Meta):
        fields = ()
        empty_text = "No contract sums are recorded."

    def render_actions(self, record: Any) -> SafeString:
        return self.action_links(
            (
                "Change",
                reverse("contracts:contractsum_edit", args=[record.pk]),
                "contracts.change_contractsum",
                f"the {record.year_label} contract sum",
            ),
            (
                "History",
                reverse("contracts:contractsum_history", args=[record.pk]),
                "contracts.view_contractsum",
                f"of the {record.year_label} contract sum",
            ),
        )


class MtfpTable(CouncilPartsTable):
    parts_of = "net_shares"
    parts_label = "share of net sum"
    parts_visible = False  # the build-up by year below the table shows them

    year_label = tables.Column(verbose_name="Year", order_by="start_year")
    initial_sum = MillionsColumn(verbose_name="Initial contract sum")
    inflation_staffing = MillionsColumn(verbose_name="Inflation: staffing", visible=False)
    inflation_placements = MillionsColumn(verbose_name="Inflation: placements", visible=False)
    inflation_other = MillionsColumn(verbose_name="Inflation: other", visible=False)
    inflation_total = MillionsColumn(verbose_name="Total inflation")
    demand_staffing = MillionsColumn(verbose_name="Demand: staffing", visible=False)
    demand_placements = MillionsColumn(verbose_name="Demand: placements", visible=False)
    demand_other = MillionsColumn(verbose_name="Demand: other", visible=False)
    demand_total = MillionsColumn(verbose_name="Total demand-led pressures")
    savings = MillionsColumn(verbose_name="Less savings")
    net_sum = MillionsColumn(verbose_name="Net contract sum")
    check = tables.Column(verbose_name="Check", accessor="pk", orderable=False, empty_values=())
    actions = _actions_column()

    class Meta(BaseTable.Meta):
        fields = ()
        empty_text = "No MTFP build-up is recorded."

    def render_savings(self, value: Decimal) -> str:
        return f"({MillionsColumn().render(value)})" if value else MillionsColumn().render(value)

    def value_savings(self, value: Decimal) -> Decimal:
        return value

    def render_check(self, record: Any) -> SafeString:
        return format_html("{}", self.value_check(record))

    def value_check(self, record: Any) -> str:
        if record.initial_differs:
            return (
                f"Differs from the {record.previous_net_label} by "
                f"{format_pounds(record.initial_difference)}"
            )
        if record.previous_net is not None:
            return f"Carries forward the {record.previous_net_label}"
        return "No previous year"

    def render_actions(self, record: Any) -> SafeString:
        return self.action_links(
            (
                "Change",
                reverse("contracts:mtfpbuildup_edit", args=[record.pk]),
                "contracts.change_mtfpbuildup",
                f"the {record.year_label} MTFP build-up",
            ),
            (
                "History",
                reverse("contracts:mtfpbuildup_history", args=[record.pk]),
                "contracts.view_mtfpbuildup",
                f"of the {record.year_label} MTFP build-up",
            ),
        )


class SavingColumn(MillionsColumn):
    """A business case's contract sum saving in one year."""

    def __init__(self, start_year: int, **kwargs: Any) -> None:
        kwargs.setdefault("orderable", False)
        kwargs.setdefault("empty_values", ())
        super().__init__(**kwargs)
        self.start_year = start_year

    def saving(self, record: Any) -> Decimal | None:
        return record.savings_by_year.get(self.start_year)  # type: ignore[no-any-return]

    def render(self, record: Any) -> str:  # type: ignore[override]
        amount = self.saving(record)
        return "–" if amount is None else super().render(amount)

    def value(self, record: Any) -> Decimal | None:  # type: ignore[override]
        return self.saving(record)


class BusinessCaseTable(BaseTable):
    sequence: Any
    theme_label = tables.Column(verbose_name="Theme", order_by="theme")
    title = tables.Column(verbose_name="Project title")
    date_approved = tables.DateColumn(verbose_name="Date approved", format="j M Y")
    benefits = tables.Column(
        verbose_name="Additional benefits", accessor="benefits_label", orderable=False
    )
    funding = tables.Column(
        verbose_name="Funding agreed", accessor="funding_label", orderable=False
    )
    funding_total = MillionsColumn(verbose_name="Total funding")
    duration = tables.Column(verbose_name="Duration", orderable=False)
    notes = tables.Column(verbose_name="Notes", orderable=False, visible=False)
    source = tables.Column(verbose_name="Source", orderable=False, visible=False)

    class Meta(BaseTable.Meta):
        fields = ()
        empty_text = "No business cases are recorded."

    def __init__(self, *args: Any, saving_years: Sequence[int] = (), **kwargs: Any) -> None:
        extra = [
            (
                f"saving_{year}",
                SavingColumn(year, verbose_name=f"{year_label(year)} contract sum savings"),
            )
            for year in saving_years
        ]
        super().__init__(*args, extra_columns=extra, **kwargs)
        names = [f"saving_{year}" for year in saving_years]
        rest = [name for name in self.sequence if name not in names]
        at = rest.index("benefits")
        self.sequence = rest[:at] + names + rest[at:]

    def render_title(self, record: Any, value: str) -> SafeString:
        return format_html(
            '<a class="govuk-link" href="{}">{}</a>',
            reverse("contracts:businesscase_detail", args=[record.pk]),
            value,
        )

    def value_title(self, value: str) -> str:
        return value

    def value_benefits(self, record: Any) -> Decimal | str:
        if record.additional_benefits is not None:
            return record.additional_benefits  # type: ignore[no-any-return]
        return "TBC" if record.additional_benefits_tbc else ""

    def render_funding(self, value: str) -> str:
        return value or "None"


class AllocationTable(CouncilPartsTable):
    parts_of = "amount_shares"
    parts_label = "share"

    year_label = tables.Column(verbose_name="Year", order_by="start_year")
    block_label = tables.Column(verbose_name="Block", order_by="block")
    business_case_title = tables.Column(verbose_name="Business case")
    amount = MillionsColumn(verbose_name="Funding agreed")
    note = tables.Column(verbose_name="Note", orderable=False)
    actions = _actions_column()

    class Meta(BaseTable.Meta):
        fields = ()
        empty_text = "No funding is allocated."

    def render_business_case_title(self, record: Any, value: str) -> SafeString:
        return format_html(
            '<a class="govuk-link" href="{}">{}</a>',
            reverse("contracts:businesscase_detail", args=[record.business_case_pk]),
            value,
        )

    def value_business_case_title(self, value: str) -> str:
        return value

    def render_actions(self, record: Any) -> SafeString:
        about = (
            f"of {record.block_label} {record.year_label} funding for {record.business_case_title}"
        )
        return self.action_links(
            (
                "Change",
                reverse("contracts:fundingallocation_edit", args=[record.pk]),
                "contracts.change_fundingallocation",
                about,
            ),
            (
                "Remove",
                reverse("contracts:fundingallocation_remove", args=[record.pk]),
                "contracts.delete_fundingallocation",
                about,
            ),
            (
                "History",
                reverse("contracts:fundingallocation_history", args=[record.pk]),
                "contracts.view_fundingallocation",
                about,
            ),
        )


class FundingBlockTable(CouncilPartsTable):
    parts_of = "balance_shares"
    parts_label = "share of balance"

    year_label = tables.Column(verbose_name="Year", orderable=False)
    block_label = tables.Column(verbose_name="Block", orderable=False)
    available = MillionsColumn(verbose_name="Available", orderable=False)
    allocated = MillionsColumn(verbose_name="Allocated", orderable=False)
    balance = MillionsColumn(verbose_name="Balance outstanding", orderable=False)

    class Meta(BaseTable.Meta):
        fields = ()
        empty_text = "No year has Block 2 or Block 3 funding."


class InvestToSaveTable(CouncilPartsTable):
    """Invest-to-save by programme and year: funding, grants, net, and the councils' parts."""

    parts_of = "net_shares"
    parts_label = "share of net"

    programme = tables.Column(verbose_name="Programme", orderable=False)
    year_label = tables.Column(verbose_name="Year", orderable=False)
    funding_total = MillionsColumn(verbose_name="Funding", orderable=False)
    grants_total = MillionsColumn(verbose_name="Offsetting grants", orderable=False)
    net = MillionsColumn(verbose_name="Net invest to save", orderable=False)

    class Meta(BaseTable.Meta):
        fields = ()
        empty_text = "No invest-to-save funding is recorded."


class InvestToSaveLineTable(CouncilPartsTable):
    programme = tables.Column(verbose_name="Programme")
    year_label = tables.Column(verbose_name="Year", order_by="start_year")
    kind_label = tables.Column(verbose_name="Kind", order_by="kind")
    title = tables.Column(verbose_name="Description", orderable=False)
    amount = MillionsColumn(verbose_name="Amount")
    notes = tables.Column(verbose_name="Notes", orderable=False)
    source = tables.Column(verbose_name="Source", orderable=False, visible=False)
    actions = _actions_column()

    class Meta(BaseTable.Meta):
        fields = ()
        empty_text = "No invest-to-save funding is recorded."

    def render_amount(self, record: Any, value: Decimal) -> str:
        text = MillionsColumn().render(value)
        return f"less {text}" if record.is_grant else text

    def value_amount(self, value: Decimal) -> Decimal:
        return value

    def render_actions(self, record: Any) -> SafeString:
        about = f"of {record.title}"
        return self.action_links(
            (
                "Change",
                reverse("contracts:investtosaveline_edit", args=[record.pk]),
                "contracts.change_investtosaveline",
                about,
            ),
            (
                "History",
                reverse("contracts:investtosaveline_history", args=[record.pk]),
                "contracts.view_investtosaveline",
                about,
            ),
        )


class ForecastTable(CouncilPartsTable):
    parts_of = "total_shares"
    parts_label = "share"

    label = tables.Column(verbose_name="Period", order_by="ref")
    month_label = tables.Column(verbose_name="Month", orderable=False)
    placements = MillionsColumn(verbose_name="Placements", orderable=False, empty_values=())
    staffing = MillionsColumn(verbose_name="Staffing", orderable=False, empty_values=())
    unachieved_savings = MillionsColumn(
        verbose_name="Unachieved savings", orderable=False, empty_values=()
    )
    other = MillionsColumn(verbose_name="Other", orderable=False, empty_values=())
    total = MillionsColumn(verbose_name="Total pressure")
    status = tables.Column(verbose_name="Period status", accessor="is_signed_off", orderable=False)

    class Meta(BaseTable.Meta):
        fields = ()
        empty_text = "No finance forecast is recorded."

    def render_label(self, record: Any, value: str) -> SafeString:
        return format_html(
            '<a class="govuk-link" href="{}">{}</a>',
            reverse(
                "contracts:forecastpressure_detail",
                kwargs={"year": record.ref.start_year, "period": record.ref.number},
            ),
            value,
        )

    def value_label(self, value: str) -> str:
        return value

    def render_status(self, value: bool) -> str:
        return "Signed off" if value else "Open"

    def value_status(self, value: bool) -> str:
        return self.render_status(value)


class PlanYearColumn(MillionsColumn):
    """One year of the business plan's invest-to-save table: £m, TBC, or blank."""

    def __init__(self, start_year: int, **kwargs: Any) -> None:
        kwargs.setdefault("orderable", False)
        kwargs.setdefault("empty_values", ())
        super().__init__(**kwargs)
        self.start_year = start_year

    def render(self, record: Any) -> str | SafeString:  # type: ignore[override]
        if not record.has_year(self.start_year):
            return ""
        amount = record.amount(self.start_year)
        if amount is None:
            return "TBC"
        excluded = record.tbc_lines.get(self.start_year, 0)
        text = super().render(amount)
        if not excluded:
            return text
        return format_html(
            '{}<br><span class="govuk-body-s">excluding {} TBC</span>', text, excluded
        )

    def value(self, record: Any) -> Decimal | str | None:  # type: ignore[override]
        if not record.has_year(self.start_year):
            return None
        amount = record.amount(self.start_year)
        return "TBC" if amount is None else amount


class PlanInvestmentTable(BaseTable):
    """The business plan's invest-to-save table: a row per line and total, a column per year."""

    sequence: Any
    section = tables.Column(verbose_name="Revenue or capital", orderable=False)
    title = tables.Column(verbose_name="Invest to save / transformation", orderable=False)
    kind_label = tables.Column(verbose_name="Appendix 7 row", orderable=False, default="")
    notes = tables.Column(verbose_name="Notes", orderable=False, visible=False)
    source = tables.Column(verbose_name="Source", orderable=False, visible=False)

    class Meta(BaseTable.Meta):
        fields = ()
        empty_text = "No business plan invest-to-save lines are recorded."
        # A total row is marked so it reads as one; django-tables2 calls the value per row.
        row_attrs = {
            "class": lambda record: (  # type: ignore[dict-item]
                "govuk-table__row" + (" nct-table-total" if record.is_total else "")
            )
        }

    def __init__(self, *args: Any, years: Sequence[int] = (), **kwargs: Any) -> None:
        extra = [
            (f"year_{year}", PlanYearColumn(year, verbose_name=f"{year_label(year)} £m"))
            for year in years
        ]
        super().__init__(*args, extra_columns=extra, **kwargs)
        names = [f"year_{year}" for year in years]
        rest = [name for name in self.sequence if name not in names]
        at = rest.index("kind_label")
        self.sequence = rest[:at] + names + rest[at:]

    def render_title(self, record: Any, value: str) -> SafeString:
        if record.is_total:
            return format_html("<strong>{}</strong>", value)
        return format_html("{}", value)

    def value_title(self, value: str) -> str:
        return value

    def render_kind_label(self, record: Any, value: str) -> str:
        return value.removeprefix("Revenue: ").capitalize() if value else ""
