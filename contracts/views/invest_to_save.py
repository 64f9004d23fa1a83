"""Invest-to-save pages: funding and grant lines, and the net by programme and year."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.forms import BaseForm
from django.urls import reverse, reverse_lazy

from contracts import selectors, services
from contracts.filters import InvestToSaveFilterSet
from contracts.forms import InvestToSaveLineForm
from contracts.models import InvestToSaveLine
from contracts.tables import InvestToSaveLineTable, InvestToSaveTable
from contracts.views.base import (
    INVEST_TO_SAVE_CRUMB,
    FinanceListView,
    ObjectMixin,
    _crumbs,
    _initial,
)
from nct_monitor.generic import ObjectHistoryView, ServiceFormView


class InvestToSaveListView(FinanceListView):
    permission_required = "contracts.view_investtosaveline"
    queryset = InvestToSaveLine.objects.order_by("year__start_year", "programme", "kind", "pk")
    filterset_class = InvestToSaveFilterSet
    table_class = InvestToSaveLineTable
    template_name = "contracts/investtosave_list.html"
    title = "Invest-to-save funding"
    export_name = "invest-to-save"
    breadcrumbs = _crumbs(("Invest to save", None))
    intro = (
        "Funding the councils agreed for programmes such as Circle to Success, and grants that "
        "offset it. The net cost of each programme in a year is its funding less its grants, "
        "split between the councils."
    )

    def get_actions(self) -> list[tuple[str, str, str]]:
        return [
            (
                "Add funding or a grant",
                reverse("contracts:investtosaveline_add"),
                "contracts.add_investtosaveline",
            )
        ]

    def figures(self, queryset: QuerySet[Any]) -> list[Any]:
        return selectors.invest_to_save_lines(queryset)

    def get_table_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_table_kwargs()
        kwargs["councils"] = ()
        kwargs["caption"] = "Funding and grants"
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        # Every programme and year, whatever the filter: it narrows the lines listed below.
        context["summary_table"] = InvestToSaveTable(
            selectors.invest_to_save(),
            councils=self.councils,
            caption="Net invest to save by programme and year",
        )
        return context


INVEST_TO_SAVE_FIELDS = ["programme", "year", "kind", "title", "amount", "notes", "source"]


class InvestToSaveCreateView(ServiceFormView):
    permission_required = "contracts.add_investtosaveline"
    form_class = InvestToSaveLineForm
    title = "Add invest-to-save funding or a grant"
    breadcrumbs = _crumbs(INVEST_TO_SAVE_CRUMB, ("Add", None))
    submit_label = "Save"
    success_url = reverse_lazy("contracts:investtosaveline_list")
    cancel_url = reverse_lazy("contracts:investtosaveline_list")

    def perform(self, form: BaseForm) -> InvestToSaveLine:
        return services.create_invest_to_save_line(
            user=self.request.user,
            **{name: form.cleaned_data[name] for name in INVEST_TO_SAVE_FIELDS},
        )

    def get_success_message(self, result: InvestToSaveLine) -> str:
        return f"{result.get_kind_display()} for {result.programme} {result.year.label} is saved."


class InvestToSaveUpdateView(ObjectMixin, ServiceFormView):
    permission_required = "contracts.change_investtosaveline"
    model = InvestToSaveLine
    queryset = InvestToSaveLine.objects.select_related("year")
    form_class = InvestToSaveLineForm
    submit_label = "Save changes"
    success_url = reverse_lazy("contracts:investtosaveline_list")
    cancel_url = reverse_lazy("contracts:investtosaveline_list")

    def get_title(self) -> str:
        return f"Change {self.object.title}"

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return _crumbs(INVEST_TO_SAVE_CRUMB, (str(self.object), None))

    def get_initial(self) -> dict[str, Any]:
        initial = _initial(self.object, INVEST_TO_SAVE_FIELDS)
        initial["year"] = self.object.year.start_year
        return initial

    def perform(self, form: BaseForm) -> InvestToSaveLine:
        return services.update_invest_to_save_line(
            line=self.object,
            user=self.request.user,
            **{name: form.cleaned_data[name] for name in INVEST_TO_SAVE_FIELDS},
        )

    def get_success_message(self, result: InvestToSaveLine) -> str:
        return f"{result.title} is saved."


class InvestToSaveHistoryView(ObjectHistoryView):
    permission_required = "contracts.view_investtosaveline"
    model = InvestToSaveLine

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return _crumbs(INVEST_TO_SAVE_CRUMB, (str(self.object), None))
