"""Data for the benchmarks and the load test: years of generated monitoring data, and a large
KPI results return. Nothing here is demo data: the figures are made up, in bulk.

Imported only once Django is set up (the benchmark scripts call `django.setup()` first)."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

from openpyxl import Workbook

from contracts.models import Contract
from kpis.models import KpiDefinition, KpiResult, KpiTarget
from nct_monitor.models import FinancialYear, Period
from nct_monitor.periods import year_label
from nct_monitor.services import create_financial_year
from risks.models import Risk, RiskReview
from savings.models import SavingsLine, SavingsPosition

FIRST_YEAR = 2021  # the first year with the councils' shares in force


def generate_years(years: int) -> None:
    """`years` years of savings positions, KPI results and targets, and risk reviews, from
    2021/22, every period left open (so the dashboard computes rather than reads the cache)."""
    contract = Contract.objects.get()
    kpis = list(KpiDefinition.objects.filter(frequency="monthly"))
    risks = list(Risk.objects.order_by("pk")[:10])
    for start in range(FIRST_YEAR, FIRST_YEAR + years):
        create_financial_year(start_year=start)
        year = FinancialYear.objects.get(start_year=start)
        lines = [
            SavingsLine.objects.create(
                contract=contract, year=year, title=f"Saving {n} of {year.label}", group="Generated"
            )
            for n in range(1, 16)
        ]
        positions, results, reviews = [], [], []
        for number in range(1, 13):
            period = Period.objects.get(year=year, number=number)
            positions += [
                SavingsPosition(
                    line=line,
                    period=period,
                    target=Decimal(100000),
                    red=Decimal(10000),
                    amber=Decimal(20000),
                    green=Decimal(70000),
                )
                for line in lines
            ]
            results += [
                KpiResult(
                    kpi=kpi, period=period, value=Decimal(40 + (number * 3 + kpi.number) % 50)
                )
                for kpi in kpis
            ]
            reviews += [
                RiskReview(
                    risk=risk,
                    period=period,
                    probability=3,
                    impact=4,
                    position="Reviewed",
                    reviewer="Risk owner",
                    reviewed_on=date(start, 4, 1),
                )
                for risk in risks
            ]
        SavingsPosition.objects.bulk_create(positions)
        KpiResult.objects.bulk_create(results)
        RiskReview.objects.bulk_create(reviews)
        KpiTarget.objects.bulk_create(
            [
                KpiTarget(kpi=kpi, year=year, target=Decimal(60), tolerance=Decimal(5))
                for kpi in kpis
            ]
        )
    Period.objects.filter(year__start_year__gte=FIRST_YEAR).update(status="open")


def kpi_results_return(rows: int) -> bytes:
    """A KPI results return of `rows` rows (monthly KPIs, one row per KPI and period), from the
    first open period on, adding the years it needs."""
    kpis = list(KpiDefinition.objects.filter(frequency="monthly").order_by("number"))
    first_open = (
        Period.objects.select_related("year")
        .filter(status="open")
        .order_by("year__start_year", "number")
        .first()
    )
    assert first_open is not None
    periods_needed = -(-rows // len(kpis))
    first = first_open.year.start_year
    for start in range(first, first + periods_needed // 12 + 2):
        create_financial_year(start_year=start)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("KPI results")
    sheet.append(["KPI", "Year", "Period", "Value", "Numerator", "Denominator", "Commentary"])
    ref = first_open.ref
    written = 0
    while written < rows:
        for kpi in kpis:
            if written == rows:
                break
            value = 40 + (written % 50)
            sheet.append([kpi.code, year_label(ref.start_year), ref.number, value, None, None, ""])
            written += 1
        ref = ref.next()
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
