"""A period's results, entered for every KPI due on one form."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_safe

from kpis import selectors, services
from kpis.forms import ResultFormSet
from kpis.models import KpiDefinition
from kpis.views.base import KpiPeriodMixin, error_list, period_kwargs, shown, to_default_period
from nct_monitor.concurrency import Stamp
from nct_monitor.generic import FormsetServiceView
from nct_monitor.services import signed_off_message


@require_safe
@permission_required("kpis.add_kpiresult", raise_exception=True)
def results_index(request: HttpRequest) -> HttpResponse:
    return to_default_period("kpis:results")


class ResultsEntryView(FormsetServiceView, KpiPeriodMixin):
    """Every KPI due in a period, on one form; read-only once the period is signed off."""

    # FormsetServiceView comes first so that, as on the other pages, the permission is checked
    # before the period is looked up.
    permission_required = ("kpis.add_kpiresult", "kpis.change_kpiresult")
    template_name = "kpis/results_entry.html"
    period_url_name = "kpis:results"

    def get_title(self) -> str:
        return f"KPI results for {self.period.label} ({self.period.month_label})"

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return [*self.period_crumbs(), ("Results", None)]

    def definitions(self) -> list[KpiDefinition]:
        if not hasattr(self, "_definitions"):
            self._definitions = selectors.due_kpis(self.period)
        return self._definitions

    def get_formset(self, data: Any = None) -> Any:
        existing = selectors.period_results(self.period)
        initial = []
        for kpi in self.definitions():
            result = existing.get(kpi.pk)
            initial.append(
                {
                    "kpi": kpi.number,
                    "version": Stamp.of(result),
                    "value": shown(result.value if result and result.numerator is None else None),
                    "numerator": shown(result.numerator if result else None),
                    "denominator": shown(result.denominator if result else None),
                    "commentary": result.commentary if result else "",
                }
            )
        return ResultFormSet(
            data,
            initial=initial,
            definitions=self.definitions(),
            form_extra={"period": self.period.ref},
        )

    def refreshed(self, formset: Any) -> Any:
        """After a refused save: the rows whose result someone else changed show it as it is
        now (with its version); the other rows keep what was typed."""
        current = self.get_formset()
        data = self.request.POST.copy()
        for posted, now in zip(formset.forms, current.forms, strict=True):
            if posted.cleaned_data.get("version") == now.initial["version"]:
                continue
            for name in ("version", "value", "numerator", "denominator", "commentary"):
                value = now[name].value()
                data[now.add_prefix(name)] = "" if value is None else str(value)
        refreshed = self.get_formset(data)
        refreshed.is_valid()
        return refreshed

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if self.period.is_signed_off:
            messages.error(request, signed_off_message(self.period))
            return redirect("kpis:results", **period_kwargs(self.period))
        return super().post(request, *args, **kwargs)

    def perform(self, formset: Any) -> services.Outcome:
        return services.save_period_results(
            period=self.period,
            entries=[form.entry() for form in formset.forms],
            user=self.request.user,
        )

    def get_success_message(self, result: services.Outcome) -> str:
        return f"{self.period.label} KPI results saved: {result.summary()}."

    def get_success_url(self) -> str:
        return reverse("kpis:scorecard", kwargs=period_kwargs(self.period))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        formset = kwargs["formset"]
        card = selectors.scorecard(
            self.period,
            kpis=KpiDefinition.objects.filter(pk__in=[kpi.pk for kpi in self.definitions()]),
        )
        statuses = {row.kpi.pk: row for row in card.rows}
        context["rows"] = [
            {"form": form, "kpi": form.definition, "status": statuses[form.definition.pk]}
            for form in formset.forms
        ]
        context["error_list"] = error_list(formset)
        context["signed_off"] = self.period.is_signed_off
        context["quarter_end"] = self.period.ref.is_quarter_end
        context["illustrative"] = selectors.period_is_illustrative(self.period)
        return context
