"""Officers' reports: their cover details, sections and generated appendices."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from committee import forms, packs, report_template, selectors, services
from committee.models import AgendaItem, OfficerReport, ReportAppendix, ReportSection
from committee.views.meetings import MEETINGS_CRUMB, meeting_crumbs
from nct_monitor.generic import PageMixin, ServiceDeleteView, ServiceFormView


class ReportFormView(ServiceFormView):
    """Write a report's cover details. Adding one from an agenda item attaches it there."""

    permission_required = "committee.change_officerreport"
    form_class = forms.ReportForm

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.report = get_object_or_404(OfficerReport, pk=kwargs["pk"]) if "pk" in kwargs else None
        self.item = None
        if "item" in kwargs:
            self.item = get_object_or_404(
                AgendaItem.objects.select_related("meeting"), pk=kwargs["item"]
            )
            if self.item.report_id or self.item.minutes_of_id:
                messages.error(request, f"Item {self.item.label} already has its papers.")
                return redirect("committee:meeting_detail", self.item.meeting_id)
        return super().dispatch(request, *args, **kwargs)

    def get_title(self) -> str:
        return (
            f"Edit “{self.report.title}”"
            if self.report
            else f"Add a report for item {self.item.label}"
        )

    def get_initial(self) -> dict[str, Any]:
        if self.report:
            return forms.ReportForm.initial_for(self.report)
        return {"title": self.item.subject if self.item else ""}

    def perform(self, form: BaseForm) -> OfficerReport:
        return services.save_report_for_item(
            report=self.report, item=self.item, user=self.request.user, fields=form.cleaned_data
        )

    def get_success_url(self) -> str:
        return reverse("committee:report_detail", args=[self.result.pk])


class ReportMixin(PageMixin):
    def load_report(self, pk: int) -> OfficerReport:
        self.report = get_object_or_404(packs.report_queryset(), pk=pk)
        if not selectors.can_read_report(self.report, self.request.user):
            raise Http404("There is no such report.")
        self.item = (
            AgendaItem.objects.select_related("meeting__committee")
            .filter(report=self.report)
            .first()
        )
        return self.report

    def report_crumbs(self) -> list[tuple[str, str | None]]:
        crumbs = meeting_crumbs(self.item.meeting) if self.item else [MEETINGS_CRUMB]
        return [
            *crumbs,
            (self.report.title, reverse("committee:report_detail", args=[self.report.pk])),
        ]


class ReportDetailView(PermissionRequiredMixin, ReportMixin, TemplateView):
    """A report as HTML: the same content as its pages in the pack."""

    permission_required = "committee.view_officerreport"
    template_name = "committee/report_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        report = self.load_report(self.kwargs["pk"])
        sections = list(report.sections.all())
        numbers = report_template.printed_numbers(sections)
        context = super().get_context_data(**kwargs)
        context.update(
            report=report,
            item=self.item,
            rendered=packs.rendered_report(report),
            problems=services.report_problems(report),
            template_sections=report_template.template_status(sections),
            numbered_sections=[(numbers[section.pk], section) for section in sections],
            title=report.title,
            breadcrumbs=[*self.report_crumbs()[:-1], (report.title, None)],
        )
        return context


class ReportPdfView(PermissionRequiredMixin, View):
    permission_required = "committee.view_officerreport"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        report = get_object_or_404(OfficerReport, pk=pk)
        if not selectors.can_read_report(report, request.user):
            raise Http404("There is no such report.")
        pdf = selectors.report_pdf_bytes(report)
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="report-{report.pk}.pdf"'
        return response


class ReportFinalView(PermissionRequiredMixin, View):
    permission_required = "committee.change_officerreport"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        report = get_object_or_404(OfficerReport, pk=pk)
        try:
            services.mark_report_final(report=report, user=request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, f"“{report.title}” is marked final.")
        return redirect("committee:report_detail", pk)


class SectionFormView(ReportMixin, ServiceFormView):
    permission_required = "committee.change_reportsection"
    form_class = forms.SectionForm

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.load_report(kwargs["report"])
        self.section = (
            get_object_or_404(ReportSection, pk=kwargs["pk"], report=self.report)
            if "pk" in kwargs
            else None
        )
        return super().dispatch(request, *args, **kwargs)

    def get_title(self) -> str:
        return f"Edit “{self.section.heading}”" if self.section else "Add a section"

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return self.report_crumbs()

    def get_initial(self) -> dict[str, Any]:
        if self.section:
            s = self.section
            return {"number": s.number, "heading": s.heading, "kind": s.kind, "body": s.body}
        sections = list(self.report.sections.all())
        kind = self.request.GET.get("kind", "")
        template = report_template.BY_KIND.get(kind)
        if template is None:
            return {"number": report_template.place_for("", sections)}
        # A missing section of the template, offered at the place the template puts it.
        return {
            "number": report_template.place_for(kind, sections),
            "kind": kind,
            "heading": template.heading,
        }

    def perform(self, form: BaseForm) -> ReportSection:
        return services.save_section(
            section=self.section, report=self.report, user=self.request.user, **form.cleaned_data
        )

    def get_success_url(self) -> str:
        return reverse("committee:report_detail", args=[self.report.pk])


class SectionDeleteView(ServiceDeleteView):
    permission_required = "committee.delete_reportsection"
    model = ReportSection
    parent_field = "report"

    def perform(self, obj: ReportSection) -> None:
        services.delete_section(section=obj, user=self.request.user)

    def get_success_message(self, obj: ReportSection) -> str:
        return f"Section {obj.number} is removed."

    def get_success_url(self, obj: ReportSection) -> str:
        return reverse("committee:report_detail", args=[obj.report_id])


class AppendixFormView(ReportMixin, ServiceFormView):
    permission_required = "committee.add_reportappendix"
    form_class = forms.AppendixForm
    title = "Add a generated appendix"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.load_report(kwargs["report"])
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return self.report_crumbs()

    def get_initial(self) -> dict[str, Any]:
        letters = {appendix.letter for appendix in self.report.appendices.all()}
        return {"letter": next(c for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ" if c not in letters)}

    def perform(self, form: BaseForm) -> ReportAppendix:
        return services.save_appendix(
            report=self.report, user=self.request.user, **form.cleaned_data
        )

    def get_success_url(self) -> str:
        return reverse("committee:report_detail", args=[self.report.pk])


class AppendixDeleteView(ServiceDeleteView):
    permission_required = "committee.delete_reportappendix"
    model = ReportAppendix
    parent_field = "report"

    def perform(self, obj: ReportAppendix) -> None:
        services.delete_appendix(appendix=obj, user=self.request.user)

    def get_success_message(self, obj: ReportAppendix) -> str:
        return f"Appendix {obj.letter} is removed."

    def get_success_url(self, obj: ReportAppendix) -> str:
        return reverse("committee:report_detail", args=[obj.report_id])
