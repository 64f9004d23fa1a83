"""Contract sum pages: the list, adding and changing a year's sum, its history."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.forms import BaseForm
from django.urls import reverse, reverse_lazy

from contracts import selectors, services
from contracts.choices import ContractSumStatus
from contracts.filters import ContractSumFilterSet
from contracts.forms import ContractSumForm
from contracts.models import ContractSum
from contracts.tables import ContractSumTable
from contracts.views.base import (
    CONTRACT_SUMS_CRUMB,
    FinanceListView,
    ObjectMixin,
    _crumbs,
    _initial,
)
from nct_monitor.finance import format_millions
from nct_monitor.generic import ObjectHistoryView, ServiceFormView


class ContractSumListView(FinanceListView):
    permission_required = "contracts.view_contractsum"
    queryset = ContractSum.objects.select_related("year").order_by("year__start_year")
    filterset_class = ContractSumFilterSet
    table_class = ContractSumTable
    title = "Contract sums"
    export_name = "contract-sums"
    breadcrumbs = _crumbs(("Contract sums", None))
    intro = (
        "What the councils pay the Trust each year. The contract sum is Block 1 (core funding) "
        "plus Block 2 (transformation items); Block 3 is a transformation reserve held outside "
        "it and released to approved business cases. Each council's share is worked out with "
        "the split in force at the start of the year."
    )

    def get_actions(self) -> list[tuple[str, str, str]]:
        return [
            (
                "Add a contract sum",
                reverse("contracts:contractsum_add"),
                "contracts.add_contractsum",
            )
        ]

    def figures(self, queryset: QuerySet[Any]) -> list[Any]:
        return selectors.contract_sums(queryset)


CONTRACT_SUM_FIELDS = ["block1", "block2", "block2_non_recurring", "block3", "status", "notes"]


class ContractSumCreateView(ServiceFormView):
    permission_required = "contracts.add_contractsum"
    form_class = ContractSumForm
    title = "Add a contract sum"
    breadcrumbs = _crumbs(CONTRACT_SUMS_CRUMB, ("Add", None))
    submit_label = "Save contract sum"
    success_url = reverse_lazy("contracts:contractsum_list")
    cancel_url = reverse_lazy("contracts:contractsum_list")

    def get_initial(self) -> dict[str, Any]:
        return {"status": ContractSumStatus.PROVISIONAL}

    def perform(self, form: BaseForm) -> ContractSum:
        assert isinstance(form, ContractSumForm)
        data = form.cleaned_data
        return services.create_contract_sum(
            year=data["year"],
            status=data["status"],
            notes=data["notes"],
            source=data["source"],
            user=self.request.user,
            **form.amounts(),
        )

    def get_success_message(self, result: ContractSum) -> str:
        figures = selectors.contract_sum_for_year(result.year.start_year)
        assert figures is not None
        return (
            f"The {figures.year_label} contract sum is recorded: "
            f"{format_millions(figures.contract_sum)}."
        )


class ContractSumUpdateView(ObjectMixin, ServiceFormView):
    permission_required = "contracts.change_contractsum"
    model = ContractSum
    queryset = ContractSum.objects.select_related("year")
    form_class = ContractSumForm
    submit_label = "Save changes"
    success_url = reverse_lazy("contracts:contractsum_list")
    cancel_url = reverse_lazy("contracts:contractsum_list")

    def get_title(self) -> str:
        return f"Change the {self.object.year.label} contract sum"

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return _crumbs(CONTRACT_SUMS_CRUMB, (self.object.year.label, None))

    def get_form_kwargs(self) -> dict[str, Any]:
        return super().get_form_kwargs() | {"editing": True}

    def get_initial(self) -> dict[str, Any]:
        return _initial(self.object, [*CONTRACT_SUM_FIELDS, "source"])

    def perform(self, form: BaseForm) -> ContractSum:
        assert isinstance(form, ContractSumForm)
        data = form.cleaned_data
        return services.update_contract_sum(
            contract_sum=self.object,
            status=data["status"],
            notes=data["notes"],
            source=data["source"],
            user=self.request.user,
            **form.amounts(),
        )

    def get_success_message(self, result: ContractSum) -> str:
        return f"The {result.year.label} contract sum is saved."


class ContractSumHistoryView(ObjectHistoryView):
    permission_required = "contracts.view_contractsum"
    model = ContractSum

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return _crumbs(CONTRACT_SUMS_CRUMB, (str(self.object), None))
