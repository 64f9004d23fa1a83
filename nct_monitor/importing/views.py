"""Pages for returns uploaded through the web: upload, progress, preview, confirm, result.

An app gives its importer an upload page by subclassing `ImportUploadView` with its `kind`, a
form (the file and any parameters, such as the year and period) and `get_params`. The rest
(the run page with its progress bar, the preview, confirm and cancel) is shared.
"""

from __future__ import annotations

from typing import Any

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views import View
from django.views.generic import DetailView

from nct_monitor import services
from nct_monitor.filters import ImportRunFilterSet
from nct_monitor.forms import Form
from nct_monitor.generic import ObjectListView, PageMixin, ServiceFormView
from nct_monitor.importing.plan import ImportPlan
from nct_monitor.importing.registry import IMPORTERS
from nct_monitor.importing.workbook import MAX_FILE_BYTES
from nct_monitor.models import ImportRun
from nct_monitor.tables import ImportRunTable


class ImportUploadForm(Form):
    file = django_forms.FileField(
        label="Return file",
        help_text=f"An Excel workbook (.xlsx) laid out as the template; the first sheet is read. "
        f"At most {MAX_FILE_BYTES // (1024 * 1024)} MB.",
        widget=django_forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )


class ImportUploadView(ServiceFormView):
    """Upload a return of one kind; subclasses set `kind`, `form_class` and `get_params`."""

    kind: str
    form_class: type[BaseForm] = ImportUploadForm
    template_name = "nct_monitor/import_upload.html"
    submit_label = "Upload and check"
    template_url_name: str | None = None  # the blank template's download

    def get_permission_required(self) -> tuple[str, ...]:
        return (IMPORTERS[self.kind].permission,)

    def get_title(self) -> str:
        return f"Upload a {IMPORTERS[self.kind].title.lower()}"

    def get_params(self, form: BaseForm) -> dict[str, Any]:
        return {}

    def perform(self, form: BaseForm) -> ImportRun:
        return services.start_import(
            kind=self.kind,
            upload=form.cleaned_data["file"],
            params=self.get_params(form),
            user=self.request.user,
        )

    def get_success_url(self) -> str:
        return reverse("import_run", args=[self.result.pk])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["template_url"] = (
            reverse(self.template_url_name) if self.template_url_name else None
        )
        return context


class ImportRunMixin(PermissionRequiredMixin):
    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        self.run = get_object_or_404(
            ImportRun.objects.select_related("uploaded_by"), pk=kwargs["pk"]
        )
        if self.run.kind not in IMPORTERS:
            raise PermissionDenied("Unknown kind of return.")
        self.importer = IMPORTERS[self.run.kind]
        return super().dispatch(request, *args, **kwargs)

    def get_permission_required(self) -> tuple[str, ...]:
        return (self.importer.permission,)


class ImportRunView(ImportRunMixin, PageMixin, DetailView):
    """The run: progress while it is checked or applied, then the preview or the outcome."""

    template_name = "nct_monitor/import_run.html"
    partial_template_name = "nct_monitor/partials/import_run_body.html"

    def get_object(self, queryset: Any = None) -> ImportRun:
        return self.run

    def get_template_names(self) -> list[str]:
        if getattr(self.request, "htmx", False):
            return [self.partial_template_name]
        return [self.template_name]

    def get_title(self) -> str:
        return f"{self.importer.title}: {self.run.filename}"

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return [
            (self.importer.describe(self.run.params), self.importer.success_url(self.run.params)),
            ("Import", None),
        ]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        plan = ImportPlan.from_dict(self.run.plan) if self.run.plan else ImportPlan()
        # A run whose worker has stopped is shown failed, and the page stops polling it.
        stopped = self.run.stopped()
        context.update(
            run=self.run,
            stopped=stopped,
            running=self.run.is_running and not stopped,
            plan=plan,
            importer=self.importer,
            described=self.importer.describe(self.run.params),
            done_url=self.importer.success_url(self.run.params),
        )
        return context


class ImportConfirmView(ImportRunMixin, View):
    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            run = services.confirm_import(run=self.run, user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("import_run", self.run.pk)
        if run.status == "applied":
            messages.success(request, f"{self.importer.title} imported: {run.filename}.")
        return HttpResponseRedirect(reverse("import_run", args=[run.pk]))


class ImportCancelView(ImportRunMixin, View):
    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            services.cancel_import(run=self.run, user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("import_run", self.run.pk)
        messages.success(
            request, f"The upload of {self.run.filename} is cancelled; nothing was imported."
        )
        return HttpResponseRedirect(self.importer.success_url(self.run.params))


class ImportRunListView(ObjectListView):
    """Every return uploaded through the web, including the refused ones and why."""

    permission_required = "nct_monitor.view_importrun"
    queryset = ImportRun.objects.select_related("uploaded_by")
    filterset_class = ImportRunFilterSet
    table_class = ImportRunTable
    title = "Uploaded returns"
    export_name = "uploaded-returns"
