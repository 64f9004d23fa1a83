"""The KPIs' definitions: the list, an administrator's edit, and their history."""

from __future__ import annotations

from typing import Any

from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse

from kpis import services
from kpis.filters import KpiDefinitionFilterSet
from kpis.forms import KpiDefinitionForm
from kpis.models import KpiDefinition
from kpis.tables import KpiDefinitionTable
from kpis.views.base import KPIS_CRUMB
from nct_monitor.generic import ObjectHistoryView, ObjectListView, ServiceFormView


class DefinitionListView(ObjectListView):
    permission_required = "kpis.view_kpidefinition"
    queryset = KpiDefinition.objects.select_related("baseline_year")
    filterset_class = KpiDefinitionFilterSet
    table_class = KpiDefinitionTable
    title = "KPI definitions"
    intro = (
        "The contract's KPIs as the business plan lists them, with their 2022/23 year-end "
        "results as baselines. Administrators edit definitions; contract officers set each "
        "year's targets and enter results."
    )
    export_name = "kpi-definitions"
    breadcrumbs = [KPIS_CRUMB, ("Definitions", None)]


class DefinitionEditView(ServiceFormView):
    permission_required = "kpis.change_kpidefinition"
    form_class = KpiDefinitionForm
    submit_label = "Save definition"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.kpi = get_object_or_404(KpiDefinition, number=kwargs["number"])
        return super().dispatch(request, *args, **kwargs)

    def get_title(self) -> str:
        return f"Edit the definition of {self.kpi.code}"

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return [KPIS_CRUMB, ("Definitions", reverse("kpis:definition_list")), (self.kpi.code, None)]

    def get_initial(self) -> dict[str, Any]:
        kpi = self.kpi
        return {
            name: getattr(kpi, name)
            for name in (
                "title",
                "unit",
                "polarity",
                "frequency",
                "minimum",
                "maximum",
                "baseline",
                "baseline_year",
                "notes",
            )
        }

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["cancel_url"] = reverse("kpis:definition_list")
        return context

    def perform(self, form: BaseForm) -> KpiDefinition:
        data = form.cleaned_data
        return services.save_kpi_definition(
            number=self.kpi.number,
            title=data["title"],
            unit=data["unit"],
            polarity=data["polarity"],
            frequency=data["frequency"],
            minimum=data["minimum"],
            maximum=data["maximum"],
            baseline=data["baseline"],
            baseline_year=data["baseline_year"],
            notes=data["notes"],
            user=self.request.user,
        )

    def get_success_message(self, result: KpiDefinition) -> str:
        return f"{result.code}'s definition saved."

    def get_success_url(self) -> str:
        return reverse("kpis:definition_list")


class DefinitionHistoryView(ObjectHistoryView):
    permission_required = "kpis.view_kpidefinition"
    model = KpiDefinition

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return [KPIS_CRUMB, ("Definitions", reverse("kpis:definition_list")), ("History", None)]
