"""What the KPIs register with the period record: their sign-off checks and the figures a
period's scorecard prints."""

from __future__ import annotations

from django.urls import reverse

from kpis.choices import Rating
from kpis.models import KpiDefinition
from kpis.selectors import due_kpis, period_results, scorecard
from nct_monitor.models import Period
from nct_monitor.records import Gap


def results_url(period: Period, kpi: KpiDefinition | None = None) -> str:
    """The results entry page of `period`, at `kpi`'s row when given."""
    url = reverse("kpis:results", kwargs={"year": period.year.start_year, "period": period.number})
    return f"{url}#kpi-{kpi.number}" if kpi is not None else url


def sign_off_checks(period: Period) -> list[Gap]:
    """Every KPI due in the period (as the results entry page lists them: monthly KPIs, and
    quarterly ones at a quarter end) with no result, and each red result with no commentary
    saying why."""
    results = period_results(period)
    gaps = []
    for kpi in due_kpis(period):
        if kpi.pk not in results:
            gaps.append(
                Gap(
                    "KPIs",
                    f"{kpi.code} has no result for {period.label}.",
                    results_url(period, kpi),
                )
            )
    for row in scorecard(period).rows:
        if row.assessment.as_of != period.ref or row.rating != Rating.RED:
            continue
        if not row.commentary.strip():
            gaps.append(
                Gap(
                    "KPIs",
                    f"{row.code} is red for {period.label} and has no commentary.",
                    results_url(period, row.kpi),
                )
            )
    return gaps


def printed_figures(period: Period) -> dict[str, str]:
    """Each KPI's result and rating as the period's scorecard prints them (a quarterly KPI
    shows its latest quarter ending at or before the period). "–" is a result not recorded."""
    printed: dict[str, str] = {}
    for row in scorecard(period).rows:
        prefix = f"{row.code}, {row.kpi.title}"
        printed[f"{prefix}, result"] = row.kpi.format(row.value) if row.value is not None else "–"
        printed[f"{prefix}, rating"] = str(Rating(row.rating).label)
    return printed
