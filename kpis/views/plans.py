"""Persistent breaches and their rectification plans."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import permission_required
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView

from kpis import selectors, services
from kpis.filters import RectificationPlanFilterSet
from kpis.forms import RectificationPlanForm
from kpis.models import KpiDefinition, RectificationPlan
from kpis.tables import RectificationPlanTable
from kpis.views.base import KPIS_CRUMB, KpiPeriodMixin, period_kwargs, to_default_period
from nct_monitor.generic import ObjectHistoryView, ObjectListView, ServiceFormView


@require_safe
@permission_required("kpis.view_kpidefinition", raise_exception=True)
def breaches_index(request: HttpRequest) -> HttpResponse:
    return to_default_period("kpis:breaches")


class BreachesView(PermissionRequiredMixin, KpiPeriodMixin, TemplateView):
    """Persistent breaches as at a period, each with its rectification plan or flagged."""

    permission_required = "kpis.view_kpidefinition"
    template_name = "kpis/breaches.html"
    period_url_name = "kpis:breaches"

    def get_title(self) -> str:
        return f"Persistent KPI breaches as at {self.period.label}"

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return [*self.period_crumbs(), ("Breaches", None)]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        card = selectors.scorecard(self.period)
        context.update(
            scorecard=card,
            breaches=card.breaches,
            overdue=card.overdue,
            plans_due=[row for row in card.breaches if row.plan_due],
            illustrative=any(row.illustrative for row in [*card.breaches, *card.overdue]),
        )
        return context


class PlanCreateView(KpiPeriodMixin, ServiceFormView):
    """Record the rectification plan for a KPI's persistent breach."""

    permission_required = "kpis.add_rectificationplan"
    form_class = RectificationPlanForm
    period_url_name = "kpis:breaches"
    submit_label = "Save plan"
    template_name = "kpis/plan_form.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.kpi = get_object_or_404(KpiDefinition, number=kwargs["number"])
        return super().dispatch(request, *args, **kwargs)

    def get_title(self) -> str:
        return f"Record a rectification plan for {self.kpi.code}"

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return [
            *self.period_crumbs(),
            ("Breaches", reverse("kpis:breaches", kwargs=period_kwargs(self.period))),
            ("Rectification plan", None),
        ]

    def get_initial(self) -> dict[str, Any]:
        return {"status": "not_started"}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        row = selectors.scorecard(
            self.period, kpis=KpiDefinition.objects.filter(pk=self.kpi.pk)
        ).rows[0]
        context["status"] = row
        context["kpi"] = self.kpi
        context["cancel_url"] = reverse("kpis:breaches", kwargs=period_kwargs(self.period))
        return context

    def perform(self, form: BaseForm) -> RectificationPlan:
        data = form.cleaned_data
        return services.record_rectification_plan(
            kpi=self.kpi,
            period=self.period,
            owner=data["owner"],
            actions=data["actions"],
            due_date=data["due_date"],
            status=data["status"],
            progress=data["progress"],
            user=self.request.user,
        )

    def get_success_message(self, result: RectificationPlan) -> str:
        return f"Rectification plan for {result.kpi.code} recorded."

    def get_success_url(self) -> str:
        return reverse("kpis:breaches", kwargs=period_kwargs(self.period))


class PlanUpdateView(ServiceFormView):
    permission_required = "kpis.change_rectificationplan"
    form_class = RectificationPlanForm
    submit_label = "Save plan"
    template_name = "kpis/plan_form.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.plan = get_object_or_404(selectors.rectification_plans(), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_title(self) -> str:
        return f"Update the rectification plan for {self.plan.kpi.code}"

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return [KPIS_CRUMB, ("Rectification plans", reverse("kpis:plan_list")), ("Update", None)]

    def get_initial(self) -> dict[str, Any]:
        plan = self.plan
        return {
            "owner": plan.owner,
            "actions": plan.actions,
            "due_date": plan.due_date,
            "status": plan.status,
            "progress": plan.progress,
        }

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["plan"] = self.plan
        context["kpi"] = self.plan.kpi
        context["cancel_url"] = reverse("kpis:plan_list")
        return context

    def perform(self, form: BaseForm) -> RectificationPlan:
        data = form.cleaned_data
        return services.update_rectification_plan(
            plan=self.plan,
            owner=data["owner"],
            actions=data["actions"],
            due_date=data["due_date"],
            status=data["status"],
            progress=data["progress"],
            user=self.request.user,
        )

    def get_success_message(self, result: RectificationPlan) -> str:
        return f"Rectification plan for {result.kpi.code} updated."

    def get_success_url(self) -> str:
        return reverse("kpis:plan_list")


class PlanListView(ObjectListView):
    permission_required = "kpis.view_rectificationplan"
    queryset = selectors.rectification_plans()
    filterset_class = RectificationPlanFilterSet
    table_class = RectificationPlanTable
    title = "Rectification plans"
    intro = (
        "A KPI in persistent breach (red for 3 consecutive months, or 2 consecutive quarters) "
        "needs a rectification plan. Each plan is linked to its breach; every update is kept "
        "in its history."
    )
    export_name = "kpi-rectification-plans"
    breadcrumbs = [KPIS_CRUMB, ("Rectification plans", None)]

    def get_actions(self) -> list[tuple[str, str, str]]:
        return [("Persistent breaches", reverse("kpis:breaches_index"), "kpis.view_kpidefinition")]


class PlanHistoryView(ObjectHistoryView):
    permission_required = "kpis.view_rectificationplan"
    model = RectificationPlan

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return [KPIS_CRUMB, ("Rectification plans", reverse("kpis:plan_list")), ("History", None)]
