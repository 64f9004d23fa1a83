"""The pieces every KPI page shares: crumbs, period links, figures as forms show them and
the error summary of a page of rows."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse, reverse_lazy

from kpis import selectors
from kpis.models import plain_number
from nct_monitor.generic import PageMixin, PeriodMixin
from nct_monitor.models import Period
from nct_monitor.selectors import default_period, get_year

KPIS_CRUMB = ("KPIs", reverse_lazy("kpis:index"))


def period_kwargs(period: Period) -> dict[str, int]:
    return {"year": period.year.start_year, "period": period.number}


def shown(value: Decimal | None) -> str | None:
    """A stored figure as a form shows it: 75, not 75.00."""
    return None if value is None else plain_number(value)


def to_default_period(url_name: str) -> HttpResponse:
    return redirect(url_name, **period_kwargs(selectors.latest_result_period() or default_period()))


class YearMixin:
    """The financial year the URL names (`<fy:year>`) as `self.year`; 404 for a year the
    product does not have."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            self.year = get_year(kwargs["year"])
        except ValidationError:
            raise Http404("NCT Monitor has no such year.") from None
        return super().dispatch(request, *args, **kwargs)


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
