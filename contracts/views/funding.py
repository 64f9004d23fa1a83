"""Funding block pages: the blocks' balances and the allocations to business cases."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse, reverse_lazy

from contracts import selectors, services
from contracts.filters import FundingAllocationFilterSet
from contracts.forms import FundingAllocationForm
from contracts.models import BusinessCase, FundingAllocation
from contracts.tables import AllocationTable, FundingBlockTable
from contracts.views.base import (
    BUSINESS_CASES_CRUMB,
    FUNDING_CRUMB,
    ConfirmForm,
    FinanceListView,
    ObjectMixin,
    _crumbs,
)
from nct_monitor.finance import format_millions
from nct_monitor.generic import ObjectHistoryView, ServiceFormView


class FundingListView(FinanceListView):
    permission_required = "contracts.view_fundingallocation"
    queryset = FundingAllocation.objects.order_by(
        "year__start_year", "block", "business_case__date_approved", "business_case__title"
    )
    filterset_class = FundingAllocationFilterSet
    table_class = AllocationTable
    template_name = "contracts/funding_list.html"
    title = "Funding blocks"
    export_name = "funding-allocations"
    breadcrumbs = _crumbs(("Funding blocks", None))
    intro = (
        "Block 2 (transformation items in the contract sum) and Block 3 (the transformation "
        "reserve) of each year, with the funding agreed from them for approved business cases. "
        "Available comes from the year's contract sum; allocated and the balance outstanding "
        "are worked out from the allocations."
    )

    def get_actions(self) -> list[tuple[str, str, str]]:
        return [
            (
                "Allocate funding",
                reverse("contracts:fundingallocation_add"),
                "contracts.add_fundingallocation",
            )
        ]

    def figures(self, queryset: QuerySet[Any]) -> list[Any]:
        return selectors.allocations(queryset)

    def get_table_kwargs(self) -> dict[str, Any]:
        return super().get_table_kwargs() | {"caption": "Funding allocated to business cases"}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        # Every year's blocks, whatever the filter: it narrows the allocations listed below.
        context["blocks_table"] = FundingBlockTable(
            selectors.funding_blocks_for_years(),
            councils=self.councils,
            caption="Available, allocated and balance by block",
        )
        return context


class FundingAllocationFormMixin:
    request: HttpRequest

    def allocation_arguments(self, form: BaseForm) -> dict[str, Any]:
        data = form.cleaned_data
        return {
            "year": data["year"],
            "block": data["block"],
            "amount": data["amount"],
            "note": data["note"],
            "user": self.request.user,
        }


class FundingAllocationCreateView(FundingAllocationFormMixin, ServiceFormView):
    permission_required = "contracts.add_fundingallocation"
    form_class = FundingAllocationForm
    submit_label = "Allocate funding"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        # Opened from a business case's page, the case is fixed; else the form asks for it.
        case = request.GET.get("business_case")
        self.business_case = (
            get_object_or_404(BusinessCase, pk=case) if case and str(case).isdigit() else None
        )
        return super().dispatch(request, *args, **kwargs)

    def get_title(self) -> str:
        if self.business_case is not None:
            return f"Allocate funding to {self.business_case.title}"
        return "Allocate funding to a business case"

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        if self.business_case is not None:
            return _crumbs(
                BUSINESS_CASES_CRUMB,
                (self.business_case.title, self.case_url()),
                ("Allocate funding", None),
            )
        return _crumbs(FUNDING_CRUMB, ("Allocate funding", None))

    def case_url(self) -> str:
        assert self.business_case is not None
        return reverse("contracts:businesscase_detail", args=[self.business_case.pk])

    def get_form_kwargs(self) -> dict[str, Any]:
        return super().get_form_kwargs() | {"business_case": self.business_case}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["cancel_url"] = (
            self.case_url()
            if self.business_case is not None
            else reverse("contracts:fundingallocation_list")
        )
        return context

    def get_success_url(self) -> str:
        if self.business_case is not None:
            return self.case_url()
        return reverse("contracts:fundingallocation_list")

    def perform(self, form: BaseForm) -> FundingAllocation:
        assert isinstance(form, FundingAllocationForm)
        return services.allocate_funding(
            business_case=form.chosen_case(), **self.allocation_arguments(form)
        )

    def get_success_message(self, result: FundingAllocation) -> str:
        return (
            f"{format_millions(result.amount)} of {result.get_block_display()} "
            f"{result.year.label} funding is allocated to {result.business_case.title}."
        )


class FundingAllocationMixin(ObjectMixin):
    model = FundingAllocation
    queryset = FundingAllocation.objects.select_related("business_case", "year")

    def case_url(self) -> str:
        return reverse("contracts:businesscase_detail", args=[self.object.business_case_id])

    def get_success_url(self) -> str:
        return reverse("contracts:fundingallocation_list")

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return _crumbs(FUNDING_CRUMB, (str(self.object), None))


class FundingAllocationUpdateView(
    FundingAllocationMixin, FundingAllocationFormMixin, ServiceFormView
):
    permission_required = "contracts.change_fundingallocation"
    form_class = FundingAllocationForm
    submit_label = "Save changes"
    cancel_url = reverse_lazy("contracts:fundingallocation_list")

    def get_title(self) -> str:
        return f"Change funding for {self.object.business_case.title}"

    def get_form_kwargs(self) -> dict[str, Any]:
        return super().get_form_kwargs() | {"business_case": self.object.business_case}

    def get_initial(self) -> dict[str, Any]:
        return {
            "year": self.object.year.start_year,
            "block": self.object.block,
            "amount": self.object.amount,
            "note": self.object.note,
        }

    def perform(self, form: BaseForm) -> FundingAllocation:
        return services.update_funding_allocation(
            allocation=self.object, **self.allocation_arguments(form)
        )

    def get_success_message(self, result: FundingAllocation) -> str:
        return f"The funding for {result.business_case.title} is saved."


class FundingAllocationRemoveView(FundingAllocationMixin, ServiceFormView):
    permission_required = "contracts.delete_fundingallocation"
    form_class = ConfirmForm
    template_name = "contracts/confirm_remove.html"
    submit_label = "Remove funding"
    cancel_url = reverse_lazy("contracts:fundingallocation_list")

    def get_title(self) -> str:
        return f"Remove funding for {self.object.business_case.title}"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(**kwargs) | {
            "confirm_text": f"{format_millions(self.object.amount)} of "
            f"{self.object.get_block_display()} {self.object.year.label} funding will go back "
            "to the block's balance."
        }

    def perform(self, form: BaseForm) -> None:
        services.remove_funding_allocation(allocation=self.object, user=self.request.user)

    def get_success_message(self, result: None) -> str:
        return f"The funding for {self.object.business_case.title} is removed."


class FundingAllocationHistoryView(ObjectHistoryView):
    permission_required = "contracts.view_fundingallocation"
    model = FundingAllocation

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return _crumbs(FUNDING_CRUMB, (str(self.object), None))
