"""What the contract's pages share: breadcrumbs, the finance list, loading the object."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse_lazy

from contracts import selectors
from nct_monitor.forms import Form
from nct_monitor.generic import ObjectListView

CONTRACT_CRUMB = ("Contract", reverse_lazy("contracts:overview"))


def _crumbs(*items: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return [CONTRACT_CRUMB, *items]


CONTRACT_SUMS_CRUMB = ("Contract sums", reverse_lazy("contracts:contractsum_list"))
MTFP_CRUMB = ("MTFP build-up", reverse_lazy("contracts:mtfpbuildup_list"))
BUSINESS_CASES_CRUMB = ("Business cases", reverse_lazy("contracts:businesscase_list"))
FUNDING_CRUMB = ("Funding blocks", reverse_lazy("contracts:fundingallocation_list"))
INVEST_TO_SAVE_CRUMB = ("Invest to save", reverse_lazy("contracts:investtosaveline_list"))
FORECAST_CRUMB = ("Finance forecast", reverse_lazy("contracts:forecastpressure_list"))


class FinanceListView(ObjectListView):
    """A list whose rows are a selector's figures for the filtered records."""

    template_name = "contracts/finance_list.html"

    def figures(self, queryset: QuerySet[Any]) -> list[Any]:
        raise NotImplementedError

    def get_table_data(self) -> list[Any]:
        return self.figures(self.object_list)

    def get_table_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_table_kwargs()
        kwargs["councils"] = self.councils
        return kwargs

    @cached_property
    def councils(self) -> list[str]:
        return selectors.council_names()


class ObjectMixin:
    """Loads `self.object` (of `model`, by `pk` in the URL) before anything else runs."""

    model: type[Model]
    queryset: QuerySet[Any] | None = None

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        source = self.queryset if self.queryset is not None else self.model._default_manager
        self.object = get_object_or_404(source, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc, no-any-return]


def _initial(instance: Model, names: list[str]) -> dict[str, Any]:
    return {name: getattr(instance, name) for name in names}


class ConfirmForm(Form):
    """Nothing to fill in: the button confirms."""
