"""MTFP build-up pages: each year's build-up as a table and a waterfall chart."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.forms import BaseForm
from django.urls import reverse, reverse_lazy

from contracts import selectors, services
from contracts.choices import FootnoteTable
from contracts.filters import MtfpFilterSet
from contracts.forms import MtfpBuildUpForm
from contracts.models import MtfpBuildUp
from contracts.tables import MtfpTable
from contracts.views.base import MTFP_CRUMB, FinanceListView, ObjectMixin, _crumbs, _initial
from nct_monitor.charts import Chart, waterfall_chart
from nct_monitor.finance import format_millions
from nct_monitor.generic import ObjectHistoryView, ServiceFormView


def mtfp_chart(figures: selectors.MtfpFigures) -> Chart:
    """The build-up from the initial to the net contract sum as a waterfall, in £m."""

    return waterfall_chart(
        title=f"MTFP build-up {figures.year_label}",
        description=(
            f"From the initial contract sum of {format_millions(figures.initial_sum)}, "
            f"inflation adds {format_millions(figures.inflation_total)}, demand-led pressures "
            f"add {format_millions(figures.demand_total)} and savings take off "
            f"{format_millions(figures.savings)}, giving a net contract sum of "
            f"{format_millions(figures.net_sum)}."
        ),
        start=("Initial contract sum", figures.initial_sum),
        steps=figures.steps(),
        end_label="Net contract sum",
        value_format=format_millions,
        money=True,
        empty=f"No MTFP amounts are recorded for {figures.year_label}.",
    )


class MtfpListView(FinanceListView):
    permission_required = "contracts.view_mtfpbuildup"
    queryset = MtfpBuildUp.objects.select_related("year").order_by("year__start_year")
    filterset_class = MtfpFilterSet
    table_class = MtfpTable
    template_name = "contracts/mtfp_list.html"
    title = "MTFP build-up of the contract sum"
    export_name = "mtfp-build-up"
    breadcrumbs = _crumbs(("MTFP build-up", None))
    intro = (
        "How the medium-term financial plan builds each year's contract sum: the initial sum, "
        "plus inflation and demand-led pressures, less savings, gives the net contract sum. "
        "Each year's initial sum is checked against the previous year's net sum."
    )

    def get_actions(self) -> list[tuple[str, str, str]]:
        return [
            (
                "Add a year's build-up",
                reverse("contracts:mtfpbuildup_add"),
                "contracts.add_mtfpbuildup",
            )
        ]

    def figures(self, queryset: QuerySet[Any]) -> list[Any]:
        return selectors.mtfp_for_years(queryset=queryset)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        if not getattr(self.request, "htmx", False):
            years = self.figures(self.object_list)
            context["years"] = [(figures, mtfp_chart(figures)) for figures in years]
            context["councils"] = self.councils
            context["profit_and_loss"] = selectors.profit_and_loss(years)
            context["footnotes"] = selectors.footnotes(FootnoteTable.MTFP)
        return context


MTFP_INITIAL_FIELDS = [
    "initial_sum",
    "inflation_staffing",
    "inflation_placements",
    "inflation_other",
    "demand_staffing",
    "demand_placements",
    "demand_other",
    "savings",
    "notes",
    "source",
]


class MtfpCreateView(ServiceFormView):
    permission_required = "contracts.add_mtfpbuildup"
    form_class = MtfpBuildUpForm
    title = "Add a year's MTFP build-up"
    breadcrumbs = _crumbs(MTFP_CRUMB, ("Add", None))
    submit_label = "Save build-up"
    success_url = reverse_lazy("contracts:mtfpbuildup_list")
    cancel_url = reverse_lazy("contracts:mtfpbuildup_list")

    def perform(self, form: BaseForm) -> MtfpBuildUp:
        assert isinstance(form, MtfpBuildUpForm)
        data = form.cleaned_data
        return services.create_mtfp_build_up(
            year=data["year"],
            notes=data["notes"],
            source=data["source"],
            stated_net=data["stated_net"],
            user=self.request.user,
            **form.figures(),
        )

    def get_success_message(self, result: MtfpBuildUp) -> str:
        return f"The {result.year.label} MTFP build-up is recorded."


class MtfpUpdateView(ObjectMixin, ServiceFormView):
    permission_required = "contracts.change_mtfpbuildup"
    model = MtfpBuildUp
    queryset = MtfpBuildUp.objects.select_related("year")
    form_class = MtfpBuildUpForm
    submit_label = "Save changes"
    success_url = reverse_lazy("contracts:mtfpbuildup_list")
    cancel_url = reverse_lazy("contracts:mtfpbuildup_list")

    def get_title(self) -> str:
        return f"Change the {self.object.year.label} MTFP build-up"

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return _crumbs(MTFP_CRUMB, (self.object.year.label, None))

    def get_form_kwargs(self) -> dict[str, Any]:
        return super().get_form_kwargs() | {"editing": True}

    def get_initial(self) -> dict[str, Any]:
        return _initial(self.object, MTFP_INITIAL_FIELDS)

    def perform(self, form: BaseForm) -> MtfpBuildUp:
        assert isinstance(form, MtfpBuildUpForm)
        data = form.cleaned_data
        return services.update_mtfp_build_up(
            build_up=self.object,
            figures=form.figures(),
            notes=data["notes"],
            source=data["source"],
            stated_net=data["stated_net"],
            user=self.request.user,
        )

    def get_success_message(self, result: MtfpBuildUp) -> str:
        return f"The {result.year.label} MTFP build-up is saved."


class MtfpHistoryView(ObjectHistoryView):
    permission_required = "contracts.view_mtfpbuildup"
    model = MtfpBuildUp

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return _crumbs(MTFP_CRUMB, (str(self.object), None))
