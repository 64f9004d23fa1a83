"""A year's targets and tolerances for every KPI, on one form."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_safe

from kpis import selectors, services
from kpis.forms import TargetFormSet
from kpis.views.base import KPIS_CRUMB, YearMixin, error_list, shown
from nct_monitor.generic import FormsetServiceView
from nct_monitor.periods import year_label
from nct_monitor.selectors import default_period, get_year


@require_safe
@permission_required("kpis.view_kpitarget", raise_exception=True)
def targets_index(request: HttpRequest) -> HttpResponse:
    period = selectors.latest_result_period() or default_period()
    return redirect("kpis:targets", year=period.year.start_year)


class TargetsView(YearMixin, FormsetServiceView):
    """Every KPI's target and tolerance for a year: a form for officers, a table for others."""

    permission_required = "kpis.view_kpitarget"
    template_name = "kpis/targets.html"
    edit_permissions = ("kpis.add_kpitarget", "kpis.change_kpitarget", "kpis.delete_kpitarget")

    def get_title(self) -> str:
        return f"KPI targets and tolerances for {self.year.label}"

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return [KPIS_CRUMB, (f"Targets {self.year.label}", None)]

    def can_edit(self) -> bool:
        return self.request.user.has_perms(self.edit_permissions)

    def get_formset(self, data: Any = None) -> Any:
        targets = selectors.year_targets(self.year)
        locked = selectors.locked_targets(self.year)
        definitions = [kpi for kpi, _ in targets]
        initial = [
            {
                "kpi": kpi.number,
                "target": shown(target.target if target else None),
                "tolerance": shown(target.tolerance if target else None),
            }
            for kpi, target in targets
        ]
        return TargetFormSet(
            data,
            initial=initial,
            definitions=definitions,
            per_form=[{"locked": locked.get(kpi.pk, [])} for kpi in definitions],
        )

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not self.can_edit():
            raise PermissionDenied("Your role cannot set KPI targets.")
        return super().post(request, *args, **kwargs)

    def perform(self, formset: Any) -> services.Outcome:
        return services.save_year_targets(
            year=self.year,
            entries=[form.entry() for form in formset.forms if not form.locked],
            user=self.request.user,
        )

    def get_success_message(self, result: services.Outcome) -> str:
        return f"{self.year.label} KPI targets saved: {result.summary()}."

    def get_success_url(self) -> str:
        return reverse("kpis:targets", kwargs={"year": self.year.start_year})

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        formset = kwargs["formset"]
        context.update(
            year=self.year,
            formset=formset,
            can_edit=self.can_edit(),
            error_list=error_list(formset),
            previous_year=self._year_link(self.year.start_year - 1),
            next_year=self._year_link(self.year.start_year + 1),
            illustrative=selectors.year_is_illustrative(self.year),
        )
        return context

    def _year_link(self, start_year: int) -> tuple[str, str] | None:
        try:
            get_year(start_year)
        except ValidationError:
            return None
        return (year_label(start_year), reverse("kpis:targets", kwargs={"year": start_year}))
