"""The business plan's invest-to-save table and capital programme."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from contracts import selectors
from contracts.choices import FootnoteTable
from contracts.filters import PlanInvestmentFilterSet
from contracts.models import PlanInvestment
from contracts.tables import PlanInvestmentTable
from contracts.views.base import FinanceListView, _crumbs


class PlanInvestmentListView(FinanceListView):
    permission_required = "contracts.view_planinvestment"
    queryset = PlanInvestment.objects.order_by("position", "title", "year__start_year")
    filterset_class = PlanInvestmentFilterSet
    table_class = PlanInvestmentTable
    template_name = "contracts/planinvestment_list.html"
    title = "Business plan invest to save and capital programme"
    export_name = "business-plan-invest-to-save"
    breadcrumbs = _crumbs(("Business plan invest to save", None))
    intro = (
        "The invest-to-save and transformation funding and the capital programme the business "
        "plan sets out beside the contract sum, by line and year. Each total is computed from "
        "its lines; a line to be confirmed adds nothing to it."
    )

    def figures(self, queryset: QuerySet[Any]) -> list[Any]:
        return self.plan(queryset).rows()

    def plan(self, queryset: QuerySet[Any]) -> selectors.PlanInvestmentFigures:
        if not hasattr(self, "_plan"):
            self._plan = selectors.plan_investment(queryset)
        return self._plan

    def get_table_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_table_kwargs()
        del kwargs["councils"]
        kwargs["years"] = self.plan(self.object_list).years
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["footnotes"] = selectors.footnotes(FootnoteTable.PLAN_INVESTMENT)
        return context
