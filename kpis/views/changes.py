"""Every change to a period's results and to a year's targets."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.views.generic import TemplateView

from kpis import selectors
from kpis.models import KpiDefinition
from kpis.views.base import KPIS_CRUMB, KpiPeriodMixin
from nct_monitor.generic import PageMixin
from nct_monitor.selectors import get_year


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


class TargetChangesView(PermissionRequiredMixin, PageMixin, TemplateView):
    permission_required = "kpis.view_kpitarget"
    template_name = "kpis/change_log.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            self.year = get_year(kwargs["year"])
        except ValidationError:
            raise Http404("NCT Monitor has no such year.") from None
        return super().dispatch(request, *args, **kwargs)

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
