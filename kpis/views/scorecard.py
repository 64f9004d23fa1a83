"""The scorecard (every KPI as at a period) and a KPI's own page. Every status shown comes
from `kpis.selectors.scorecard`."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import permission_required
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView
from django_tables2 import SingleTableMixin

from kpis import selectors
from kpis.filters import ScorecardFilterSet
from kpis.models import KpiDefinition, RectificationPlan
from kpis.tables import ScorecardTable
from kpis.views.base import KPIS_CRUMB, KpiPeriodMixin, to_default_period
from nct_monitor.charts import Series, line_chart
from nct_monitor.exports import TableExportMixin
from nct_monitor.models import Period
from nct_monitor.periods import year_label


@require_safe
@permission_required("kpis.view_kpidefinition", raise_exception=True)
def index(request: HttpRequest) -> HttpResponse:
    """The scorecard for the latest signed-off period (or the latest with results)."""
    return to_default_period("kpis:scorecard")


class ScorecardView(
    PermissionRequiredMixin, KpiPeriodMixin, TableExportMixin, SingleTableMixin, TemplateView
):
    """Every KPI as at a period: value, target, rating, direction, trend, breaches."""

    permission_required = "kpis.view_kpidefinition"
    template_name = "kpis/scorecard.html"
    partial_template_name = "kpis/partials/scorecard_results.html"
    table_class = ScorecardTable
    table_pagination = False
    period_url_name = "kpis:scorecard"

    def get_title(self) -> str:
        return f"KPI scorecard: {self.period.label} ({self.period.month_label})"

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return [KPIS_CRUMB, (f"Scorecard {self.period.label}", None)]

    def get_template_names(self) -> list[str]:
        if getattr(self.request, "htmx", False) and not self.request.htmx.boosted:
            return [self.partial_template_name]
        return [self.template_name]

    def scorecard(self) -> selectors.Scorecard:
        if not hasattr(self, "_scorecard"):
            self._scorecard = selectors.scorecard(self.period)
        return self._scorecard

    def filterset(self) -> ScorecardFilterSet:
        if not hasattr(self, "_filterset"):
            card = self.scorecard()
            self._filterset = ScorecardFilterSet(
                self.request.GET or None,
                queryset=KpiDefinition.objects.all(),
                ratings={row.kpi.pk: row.rating for row in card.rows},
                breaches=[row.kpi.pk for row in card.breaches],
            )
        return self._filterset

    def get_table_data(self) -> list[selectors.KpiStatus]:
        filterset = self.filterset()
        rows = self.scorecard().rows
        if not filterset.is_bound:
            return rows
        wanted = set(filterset.qs.values_list("pk", flat=True)) if filterset.is_valid() else set()
        return [row for row in rows if row.kpi.pk in wanted]

    def get_table_kwargs(self) -> dict[str, Any]:
        return {
            "caption": f"KPIs as at {self.period.label}",
            "period": self.period.ref,
        }

    def get_export_filename(self, export_format: str) -> str:
        year = year_label(self.period.year.start_year).replace("/", "-")
        return f"kpi-scorecard-{year}-p{self.period.number}.{export_format}"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        card = self.scorecard()
        context.update(
            scorecard=card,
            filter=self.filterset(),
            export_formats=self.export_formats,
            shown=len(self.get_table_data()),
            illustrative=card.illustrative,
        )
        return context


class KpiDetailView(PermissionRequiredMixin, KpiPeriodMixin, TemplateView):
    """One KPI as at a period: status, trend chart, results, targets by year, definition."""

    permission_required = "kpis.view_kpidefinition"
    template_name = "kpis/kpi_detail.html"
    period_url_name = "kpis:kpi_detail"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.kpi = get_object_or_404(
            KpiDefinition.objects.select_related("baseline_year"), number=kwargs["number"]
        )
        return super().dispatch(request, *args, **kwargs)

    def period_url(self, start_year: int, number: int) -> str | None:
        if not Period.objects.filter(year__start_year=start_year, number=number).exists():
            return None
        return reverse(
            self.period_url_name,
            kwargs={"year": start_year, "period": number, "number": self.kpi.number},
        )

    def get_title(self) -> str:
        return f"{self.kpi.code}: {self.kpi.title}"

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return [*self.period_crumbs(), (self.kpi.code, None)]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        history = selectors.kpi_history(self.kpi, self.period)
        kpi = history.status.kpi
        points = history.points
        band = None
        if any(p.target for p in points):
            bands = [p.target.band(kpi.polarity) if p.target else (None, None) for p in points]
            band = ([low for low, _ in bands], [high for _, high in bands])
        first, last = points[0].label, points[-1].label
        note = " (includes illustrative figures)" if history.illustrative else ""
        chart = line_chart(
            title=f"{kpi.code} results, {first} to {last}{note}",
            description=(
                f"{kpi.code}'s result for each {'quarter' if kpi.is_quarterly else 'period'} "
                f"against each year's target (dashed) and tolerance band (shaded); "
                f"{kpi.get_polarity_display().lower()}."
            ),
            labels=[p.label for p in points],
            series=[Series("Result", [p.value for p in points])],
            target=[p.target.target if p.target else None for p in points],
            band=band,
            value_format=lambda v: "" if v is None else kpi.format(v),  # type: ignore[arg-type]
            y_label=kpi.get_unit_display(),
            empty=f"No results are recorded for {kpi.code} from {first} to {last}.",
        )
        context.update(
            kpi=kpi,
            history=history,
            status=history.status,
            chart=chart,
            illustrative=history.illustrative,
            plans=RectificationPlan.objects.filter(kpi=kpi).select_related(
                "breach_start__year", "breach_end__year"
            ),
        )
        return context
