"""The overview: the contract's state as at a period, on one page."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.views.generic import TemplateView

from nct_monitor.generic import PageMixin
from nct_monitor.models import Period
from nct_monitor.selectors import default_period, get_period, period_choices
from overview.selectors import dashboard


class DashboardView(PermissionRequiredMixin, PageMixin, TemplateView):
    """The landing page: the contract's state as at a period (by default the latest signed
    off), every tile linking to its detail page."""

    permission_required = "nct_monitor.view_period"
    template_name = "overview/dashboard.html"
    period_url_name = "dashboard_period"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if "year" in kwargs:
            try:
                self.period = get_period(kwargs["year"], kwargs["period"])
            except (ValidationError, Period.DoesNotExist):
                raise Http404("NCT Monitor has no such period.") from None
        else:
            self.period = default_period()
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        ref = self.period.ref
        context.update(
            board=dashboard(self.period),
            title=f"Overview at {self.period.label}",
            period=self.period,
            period_value=f"{ref.start_year}:{ref.number}",
            period_choices=period_choices(),
            period_nav={
                "url_name": self.period_url_name,
                "previous": (ref.previous().label, self._url(ref.previous())),
                "next": (ref.next().label, self._url(ref.next())),
            },
        )
        return context

    def _url(self, ref: Any) -> str | None:
        if not Period.objects.filter(year__start_year=ref.start_year, number=ref.number).exists():
            return None
        return reverse(self.period_url_name, kwargs={"year": ref.start_year, "period": ref.number})
