"""KPI pages: the scorecard, a KPI's page, results entry, targets, breaches and rectification
plans, definitions, and the two returns' upload pages. Every status shown comes from
`kpis.selectors.scorecard`."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse, reverse_lazy
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView
from django_tables2 import SingleTableMixin
from django_tables2.export import ExportMixin

from kpis import exports, selectors, services
from kpis.filters import (
    KpiDefinitionFilterSet,
    RectificationPlanFilterSet,
    ScorecardFilterSet,
)
from kpis.forms import (
    KpiDefinitionForm,
    RectificationPlanForm,
    ResultFormSet,
    TargetFormSet,
)
from kpis.models import KpiDefinition, RectificationPlan, plain_number
from kpis.tables import KpiDefinitionTable, RectificationPlanTable, ScorecardTable
from nct_monitor.charts import Series, line_chart
from nct_monitor.concurrency import EditConflict, Stamp
from nct_monitor.generic import (
    ObjectHistoryView,
    ObjectListView,
    PageMixin,
    PeriodMixin,
    ServiceFormView,
)
from nct_monitor.imports import ImportUploadView
from nct_monitor.models import Period
from nct_monitor.periods import year_label
from nct_monitor.selectors import default_period, get_year

KPIS_CRUMB = ("KPIs", reverse_lazy("kpis:index"))


def period_kwargs(period: Period) -> dict[str, int]:
    return {"year": period.year.start_year, "period": period.number}


def shown(value: Decimal | None) -> str | None:
    """A stored figure as a form shows it: 75, not 75.00."""
    return None if value is None else plain_number(value)


def _to_default_period(url_name: str) -> HttpResponse:
    return redirect(url_name, **period_kwargs(default_period()))


@require_safe
@permission_required("kpis.view_kpidefinition", raise_exception=True)
def index(request: HttpRequest) -> HttpResponse:
    """The scorecard for the latest signed-off period (or the latest with results)."""
    return _to_default_period("kpis:scorecard")


@require_safe
@permission_required("kpis.view_kpidefinition", raise_exception=True)
def breaches_index(request: HttpRequest) -> HttpResponse:
    return _to_default_period("kpis:breaches")


@require_safe
@permission_required("kpis.add_kpiresult", raise_exception=True)
def results_index(request: HttpRequest) -> HttpResponse:
    return _to_default_period("kpis:results")


@require_safe
@permission_required("kpis.view_kpitarget", raise_exception=True)
def targets_index(request: HttpRequest) -> HttpResponse:
    return redirect("kpis:targets", year=default_period().year.start_year)


class KpiPeriodMixin(PeriodMixin, PageMixin):
    """A KPI page about one period: crumbs, and links to the period's other KPI pages."""

    def period_crumbs(self) -> list[tuple[str, str | None]]:
        return [
            KPIS_CRUMB,
            (
                f"Scorecard {self.period.label}",
                reverse("kpis:scorecard", kwargs=period_kwargs(self.period)),
            ),
        ]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["period_kwargs"] = period_kwargs(self.period)
        return context


class ScorecardView(
    PermissionRequiredMixin, KpiPeriodMixin, ExportMixin, SingleTableMixin, TemplateView
):
    """Every KPI as at a period: value, target, rating, direction, trend, breaches."""

    permission_required = "kpis.view_kpidefinition"
    template_name = "kpis/scorecard.html"
    partial_template_name = "kpis/partials/scorecard_results.html"
    table_class = ScorecardTable
    table_pagination = False
    period_url_name = "kpis:scorecard"
    export_formats = ("xlsx", "csv")

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
        )
        return context


class ResultsEntryView(PermissionRequiredMixin, KpiPeriodMixin, TemplateView):
    """Every KPI due in a period, on one form; read-only once the period is signed off."""

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

    def formset(self, data: Any = None) -> Any:
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
        current = self.formset()
        data = self.request.POST.copy()
        for posted, now in zip(formset.forms, current.forms, strict=True):
            if posted.cleaned_data.get("version") == now.initial["version"]:
                continue
            for name in ("version", "value", "numerator", "denominator", "commentary"):
                value = now[name].value()
                data[now.add_prefix(name)] = "" if value is None else str(value)
        refreshed = self.formset(data)
        refreshed.is_valid()
        return refreshed

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.render_to_response(self.get_context_data(formset=self.formset()))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if self.period.is_signed_off:
            messages.error(request, services_message(self.period))
            return redirect("kpis:results", **period_kwargs(self.period))
        formset = self.formset(request.POST)
        if formset.is_valid():
            try:
                outcome = services.save_period_results(
                    period=self.period,
                    entries=[form.entry() for form in formset.forms],
                    user=request.user,
                )
            except EditConflict as conflict:
                formset = self.refreshed(formset)
                formset._non_form_errors = formset.error_class(
                    conflict.messages, renderer=formset.renderer
                )
                return self.render_to_response(
                    self.get_context_data(formset=formset, conflict=conflict)
                )
            except ValidationError as error:
                formset._non_form_errors = formset.error_class(
                    error.messages, renderer=formset.renderer
                )
            else:
                messages.success(
                    request, f"{self.period.label} KPI results saved: {outcome.summary()}."
                )
                return redirect("kpis:scorecard", **period_kwargs(self.period))
        return self.render_to_response(self.get_context_data(formset=formset), status=200)

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
        return context


def services_message(period: Period) -> str:
    from nct_monitor.services import signed_off_message

    return signed_off_message(period)


def error_list(formset: Any) -> list[tuple[str, str]]:
    """(message, anchor) for the error summary: each error links to its field."""
    found: list[tuple[str, str]] = [(message, "#results") for message in formset.non_form_errors()]
    if not formset.is_bound:
        return found
    for form in formset.forms:
        for message in form.non_field_errors():
            found.append((f"{form.definition.code}: {message}", f"#kpi-{form.definition.number}"))
        for field in form:
            for message in field.errors:
                found.append((message, f"#{field.auto_id}"))
    return found


class TargetsView(PermissionRequiredMixin, PageMixin, TemplateView):
    """Every KPI's target and tolerance for a year: a form for officers, a table for others."""

    permission_required = "kpis.view_kpitarget"
    template_name = "kpis/targets.html"
    edit_permissions = ("kpis.add_kpitarget", "kpis.change_kpitarget", "kpis.delete_kpitarget")

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            self.year = get_year(kwargs["year"])
        except ValidationError:
            raise Http404("NCT Monitor has no such year.") from None
        return super().dispatch(request, *args, **kwargs)

    def get_title(self) -> str:
        return f"KPI targets and tolerances for {self.year.label}"

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return [KPIS_CRUMB, (f"Targets {self.year.label}", None)]

    def can_edit(self) -> bool:
        return self.request.user.has_perms(self.edit_permissions)

    def formset(self, data: Any = None) -> Any:
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

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.render_to_response(self.get_context_data(formset=self.formset()))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not self.can_edit():
            raise PermissionDenied("Your role cannot set KPI targets.")
        formset = self.formset(request.POST)
        if formset.is_valid():
            try:
                outcome = services.save_year_targets(
                    year=self.year,
                    entries=[form.entry() for form in formset.forms if not form.locked],
                    user=request.user,
                )
            except EditConflict as conflict:
                formset = self.refreshed(formset)
                formset._non_form_errors = formset.error_class(
                    conflict.messages, renderer=formset.renderer
                )
                return self.render_to_response(
                    self.get_context_data(formset=formset, conflict=conflict)
                )
            except ValidationError as error:
                formset._non_form_errors = formset.error_class(
                    error.messages, renderer=formset.renderer
                )
            else:
                messages.success(
                    request, f"{self.year.label} KPI targets saved: {outcome.summary()}."
                )
                return redirect("kpis:targets", year=self.year.start_year)
        return self.render_to_response(self.get_context_data(formset=formset))

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
        )
        return context

    def _year_link(self, start_year: int) -> tuple[str, str] | None:
        try:
            get_year(start_year)
        except ValidationError:
            return None
        return (year_label(start_year), reverse("kpis:targets", kwargs={"year": start_year}))


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
        chart = line_chart(
            title=f"{kpi.code} results, {first} to {last}",
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
        )
        context.update(
            kpi=kpi,
            history=history,
            status=history.status,
            chart=chart,
            plans=RectificationPlan.objects.filter(kpi=kpi).select_related(
                "breach_start__year", "breach_end__year"
            ),
        )
        return context


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


class TargetsUploadView(ImportUploadView):
    kind = "kpi_targets"
    template_url_name = "kpis:targets_template"
    breadcrumbs = [KPIS_CRUMB, ("Upload targets", None)]

    def get_title(self) -> str:
        return "Upload a KPI targets return"


class ResultsUploadView(ImportUploadView):
    kind = "kpi_results"
    template_url_name = "kpis:results_template"
    breadcrumbs = [KPIS_CRUMB, ("Upload results", None)]

    def get_title(self) -> str:
        return "Upload a KPI results return"


@require_safe
@permission_required("kpis.view_kpidefinition", raise_exception=True)
def blank_template(request: HttpRequest, kind: str) -> HttpResponse:
    """The blank .xlsx for a return, with a guidance sheet."""
    if kind not in ("targets", "results"):
        raise Http404("No such template.")
    response = HttpResponse(
        exports.blank_template(kind),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="kpi-{kind}-template.xlsx"'
    return response
