"""The two returns' upload pages and their blank templates."""

from __future__ import annotations

from django.contrib.auth.decorators import permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

from kpis import exports
from kpis.views.base import KPIS_CRUMB
from nct_monitor.importing.views import ImportUploadView


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
