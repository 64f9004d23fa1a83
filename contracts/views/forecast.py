"""Finance forecast pages: each period's forecast, adding and changing it."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib.auth.mixins import PermissionRequiredMixin
from django.db.models import QuerySet
from django.forms import BaseForm
from django.http import HttpRequest
from django.urls import reverse, reverse_lazy
from django.views.generic import TemplateView

from contracts import selectors, services
from contracts.choices import ForecastCategory
from contracts.filters import ForecastFilterSet
from contracts.forms import ForecastForm
from contracts.models import ForecastPressure
from contracts.tables import ForecastTable
from contracts.views.base import FORECAST_CRUMB, FinanceListView, _crumbs
from nct_monitor.concurrency import NEW, Stamp
from nct_monitor.finance import format_millions
from nct_monitor.generic import ObjectHistoryView, PageMixin, PeriodMixin, ServiceFormView
from nct_monitor.models import Period
from nct_monitor.periods import PeriodRef


def _forecast_url(name: str, ref: PeriodRef) -> str:
    return reverse(f"contracts:{name}", kwargs={"year": ref.start_year, "period": ref.number})


class ForecastListView(FinanceListView):
    permission_required = "contracts.view_forecastpressure"
    queryset = (
        Period.objects.filter(forecast_pressures__isnull=False)
        .distinct()
        .order_by("-year__start_year", "-number")
    )
    filterset_class = ForecastFilterSet
    table_class = ForecastTable
    title = "Finance forecast"
    export_name = "finance-forecast"
    breadcrumbs = _crumbs(("Finance forecast", None))
    intro = (
        "The Trust's forecast outturn pressure reported for each period, by category. The "
        "councils fund pressures in their shares unless the Trust finds mitigations."
    )

    def get_actions(self) -> list[tuple[str, str, str]]:
        return [
            (
                "Add a period's forecast",
                reverse("contracts:forecastpressure_add"),
                "contracts.add_forecastpressure",
            )
        ]

    def figures(self, queryset: QuerySet[Any]) -> list[Any]:
        return selectors.forecasts(queryset)


class ForecastDetailView(PermissionRequiredMixin, PeriodMixin, PageMixin, TemplateView):
    permission_required = "contracts.view_forecastpressure"
    template_name = "contracts/forecast_detail.html"
    period_url_name = "contracts:forecastpressure_detail"

    def get_title(self) -> str:
        return f"Finance forecast {self.period.label} ({self.period.month_label})"

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return _crumbs(FORECAST_CRUMB, (self.period.label, None))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["forecast"] = selectors.forecast_for_period(self.period)
        context["councils"] = selectors.council_names()
        context["shares"] = selectors.shares_for_period(self.period.ref)
        context["edit_url"] = _forecast_url("forecastpressure_edit", self.period.ref)
        return context


class ForecastFormMixin:
    request: HttpRequest

    def forecast_arguments(self, form: BaseForm) -> dict[str, Any]:
        assert isinstance(form, ForecastForm)
        return {
            "period": form.chosen_period(),
            "pressures": form.pressures(),
            "stated_total": form.cleaned_data["stated_total"],
            "source": form.cleaned_data["source"],
            "user": self.request.user,
        }

    def get_success_url(self) -> str:
        return _forecast_url("forecastpressure_detail", self.result_ref)

    def get_success_message(self, result: list[ForecastPressure]) -> str:
        figures = selectors.forecast_for_period(self.result_ref)
        total = figures.total if figures is not None else Decimal(0)
        return (
            f"The {self.result_ref.label} forecast is saved: total pressure "
            f"{format_millions(total)}."
        )


class ForecastCreateView(ForecastFormMixin, ServiceFormView):
    permission_required = "contracts.add_forecastpressure"
    form_class = ForecastForm
    title = "Add a period's finance forecast"
    breadcrumbs = _crumbs(FORECAST_CRUMB, ("Add", None))
    submit_label = "Save forecast"
    cancel_url = reverse_lazy("contracts:forecastpressure_list")

    def perform(self, form: BaseForm) -> list[ForecastPressure]:
        arguments = self.forecast_arguments(form)
        self.result_ref = arguments["period"]
        return services.create_period_forecast(**arguments)


class ForecastUpdateView(ForecastFormMixin, PeriodMixin, ServiceFormView):
    permission_required = "contracts.change_forecastpressure"
    form_class = ForecastForm
    template_name = "contracts/forecast_form.html"
    submit_label = "Save forecast"
    period_url_name = "contracts:forecastpressure_edit"

    def get_title(self) -> str:
        return f"Change the finance forecast for {self.period.label} ({self.period.month_label})"

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return _crumbs(
            FORECAST_CRUMB,
            (self.period.label, _forecast_url("forecastpressure_detail", self.period.ref)),
            ("Change", None),
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["cancel_url"] = _forecast_url("forecastpressure_detail", self.period.ref)
        return context

    def get_form_kwargs(self) -> dict[str, Any]:
        return super().get_form_kwargs() | {"period": self.period}

    def get_initial(self) -> dict[str, Any]:
        initial: dict[str, Any] = {
            f"{category.value}_version": NEW for category in ForecastCategory
        }
        for line in selectors.forecast_lines(self.period):
            initial[f"{line.category}_amount"] = line.amount
            initial[f"{line.category}_note"] = line.note
            initial[f"{line.category}_version"] = Stamp.of(line)
            initial["source"] = line.source
        return initial

    def saved_values(self, form: BaseForm) -> dict[str, Any]:
        # Every category as saved now, blank where the period has no line.
        values: dict[str, Any] = {"source": ""}
        for category in ForecastCategory:
            values[f"{category.value}_amount"] = None
            values[f"{category.value}_note"] = ""
        return values | self.get_initial()

    def perform(self, form: BaseForm) -> list[ForecastPressure]:
        assert isinstance(form, ForecastForm)
        arguments = self.forecast_arguments(form)
        self.result_ref = arguments["period"]
        return services.set_period_forecast(**arguments, expected=form.versions())


class ForecastHistoryView(ObjectHistoryView):
    permission_required = "contracts.view_forecastpressure"
    model = ForecastPressure

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        period = self.object.period
        return _crumbs(
            FORECAST_CRUMB,
            (period.label, _forecast_url("forecastpressure_detail", period.ref)),
            ("History", None),
        )
