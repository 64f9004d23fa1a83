"""Every change to a period's results and to a year's targets."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.mixins import PermissionRequiredMixin
from django.urls import reverse
from django.views.generic import TemplateView

from kpis import selectors
from kpis.models import KpiDefinition
from kpis.views.base import KPIS_CRUMB, KpiPeriodMixin, YearMixin
from nct_monitor.generic import PageMixin


class ResultChangesView(PermissionRequiredMixin, KpiPeriodMixin, TemplateView):
    """Every change to a period's KPI results, including removed ones."""

    permission_required = "kpis.view_kpiresult"
    template_name = "kpis/change_log.html"
    period_url_name = "kpis:result_changes"

    def get_title(self) -> str:
        return f"Changes to KPI results for {self.period.label}"

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return [*self.period_crumbs(), ("Changes to results", None)]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        kpi = None
        number = self.request.GET.get("kpi", "")
        if number.isdigit():
            kpi = KpiDefinition.objects.filter(number=int(number)).first()
        context["kpi"] = kpi
        context["entries"] = selectors.result_changes(self.period, kpi=kpi)
        return context


class TargetChangesView(YearMixin, PermissionRequiredMixin, PageMixin, TemplateView):
    permission_required = "kpis.view_kpitarget"
    template_name = "kpis/change_log.html"

    def get_title(self) -> str:
        return f"Changes to KPI targets for {self.year.label}"

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return [
            KPIS_CRUMB,
            (f"Targets {self.year.label}", reverse("kpis:targets", args=[self.year.start_year])),
            ("Changes", None),
        ]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["entries"] = selectors.target_changes(self.year)
        return context
