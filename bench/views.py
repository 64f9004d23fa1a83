"""Pages for the benchmarks only: a bare template, and 50 rows as a django-tables2 table and as
a plain template loop."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django_tables2 import RequestConfig

from nct_monitor.models import Period
from nct_monitor.tables import PeriodTable

ROWS = 50


def _rows() -> list[Period]:
    return list(
        Period.objects.select_related("year", "status_changed_by").order_by(
            "-year__start_year", "number"
        )[:ROWS]
    )


def hello(request: HttpRequest) -> HttpResponse:
    return render(request, "bench/hello.html", {"title": "Hello"})


def table(request: HttpRequest) -> HttpResponse:
    periods = PeriodTable(_rows(), caption="Periods")
    RequestConfig(request, paginate=False).configure(periods)
    return render(request, "bench/table.html", {"table": periods, "title": "Periods"})


def loop(request: HttpRequest) -> HttpResponse:
    return render(request, "bench/loop.html", {"periods": _rows(), "title": "Periods"})
