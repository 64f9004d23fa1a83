"""Committee pages: meetings and agendas, reports, minutes, and building and publishing packs."""

from __future__ import annotations

import logging
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import content_disposition_header
from django.views import View
from django.views.generic import TemplateView

from committee import forms, packs, selectors, services
from committee.choices import PackStatus, PackVariant
from committee.filters import MeetingFilterSet
from committee.models import (
    AgendaItem,
    AgendaPack,
    Committee,
    CommitteeMember,
    Meeting,
    MinuteItem,
    OfficerReport,
    ReportAppendix,
    ReportSection,
)
from committee.tables import MeetingTable
from nct_monitor.generic import ObjectHistoryView, ObjectListView, PageMixin, ServiceFormView

logger = logging.getLogger(__name__)

MEETINGS_CRUMB = ("Committee meetings", reverse_lazy("committee:meeting_list"))


def meeting_crumbs(meeting: Meeting) -> list[tuple[str, str | None]]:
    return [MEETINGS_CRUMB, (str(meeting), reverse("committee:meeting_detail", args=[meeting.pk]))]


class MeetingListView(ObjectListView):
    permission_required = "committee.view_meeting"
    queryset = selectors.meetings_with_packs()
    filterset_class = MeetingFilterSet
    table_class = MeetingTable
    title = "Committee meetings"
    export_name = "meetings"

    def get_actions(self) -> list[tuple[str, str, str]]:
        committee = Committee.objects.order_by("pk").first()
        if committee is None:
            return []
        return [
            (
                "Add a meeting",
                reverse("committee:meeting_add", args=[committee.pk]),
                "committee.add_meeting",
            ),
            (
                "Members",
                reverse("committee:committee_detail", args=[committee.pk]),
                "committee.view_committeemember",
            ),
        ]


class CommitteeDetailView(PermissionRequiredMixin, PageMixin, TemplateView):
    permission_required = "committee.view_committee"
    template_name = "committee/committee_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        committee = get_object_or_404(Committee, pk=self.kwargs["pk"])
        context = super().get_context_data(**kwargs)
        context.update(
            committee=committee,
            members=committee.members.select_related("council"),
            title=committee.name,
            breadcrumbs=[MEETINGS_CRUMB, (committee.name, None)],
        )
        return context


class MemberFormView(ServiceFormView):
    permission_required = "committee.change_committeemember"
    form_class = forms.MemberForm

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.committee = get_object_or_404(Committee, pk=kwargs["committee"])
        self.member = (
            get_object_or_404(CommitteeMember, pk=kwargs["pk"], committee=self.committee)
            if "pk" in kwargs
            else None
        )
        return super().dispatch(request, *args, **kwargs)

    def get_title(self) -> str:
        return (
            f"Edit {self.member.name}" if self.member else f"Add a member of the {self.committee}"
        )

    def get_initial(self) -> dict[str, Any]:
        if self.member is None:
            return {"is_active": True, "order": self.committee.members.count() + 1}
        m = self.member
        return {
            "name": m.name,
            "council": m.council,
            "role": m.role,
            "order": m.order,
            "is_active": m.is_active,
        }

    def perform(self, form: BaseForm) -> CommitteeMember:
        return services.save_member(
            member=self.member,
            committee=self.committee,
            user=self.request.user,
            **form.cleaned_data,
        )

    def get_success_url(self) -> str:
        return reverse("committee:committee_detail", args=[self.committee.pk])


class MeetingFormView(ServiceFormView):
    permission_required = "committee.change_meeting"
    form_class = forms.MeetingForm

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.meeting = get_object_or_404(Meeting, pk=kwargs["pk"]) if "pk" in kwargs else None
        committee_pk = self.meeting.committee_id if self.meeting else kwargs["committee"]
        self.committee = get_object_or_404(Committee, pk=committee_pk)
        return super().dispatch(request, *args, **kwargs)

    def get_title(self) -> str:
        return (
            f"Edit the meeting of {self.meeting.date:%-d %B %Y}"
            if self.meeting
            else "Add a meeting"
        )

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return meeting_crumbs(self.meeting) if self.meeting else [MEETINGS_CRUMB]

    def get_initial(self) -> dict[str, Any]:
        if self.meeting is None:
            return {}
        m = self.meeting
        return {
            "date": m.date,
            "time": m.time,
            "venue": m.venue,
            "proper_officer": m.proper_officer,
        }

    def perform(self, form: BaseForm) -> Meeting:
        return services.save_meeting(
            meeting=self.meeting,
            committee=self.committee,
            user=self.request.user,
            **form.cleaned_data,
        )

    def get_success_url(self) -> str:
        return reverse("committee:meeting_detail", args=[self.result.pk])


class MeetingDetailView(PermissionRequiredMixin, PageMixin, TemplateView):
    """The meeting: its agenda, papers, minutes and packs, and for clerks the build buttons."""

    permission_required = "committee.view_meeting"
    template_name = "committee/meeting_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        meeting = get_object_or_404(
            Meeting.objects.select_related("committee"), pk=self.kwargs["pk"]
        )
        context = super().get_context_data(**kwargs)
        context.update(selectors.meeting_page(meeting, user=self.request.user))
        context["title"] = str(meeting)
        context["breadcrumbs"] = [MEETINGS_CRUMB, (str(meeting), None)]
        return context


class PackPanelView(PermissionRequiredMixin, TemplateView):
    """The packs panel of the meeting page, polled by htmx while a pack builds."""

    permission_required = "committee.view_meeting"
    template_name = "committee/partials/pack_panel.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        meeting = get_object_or_404(
            Meeting.objects.select_related("committee"), pk=self.kwargs["pk"]
        )
        context = super().get_context_data(**kwargs)
        context.update(selectors.meeting_page(meeting, user=self.request.user))
        return context


class AgendaItemFormView(ServiceFormView):
    permission_required = "committee.change_agendaitem"
    form_class = forms.AgendaItemForm

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.meeting = get_object_or_404(
            Meeting.objects.select_related("committee"), pk=kwargs["meeting"]
        )
        self.item = (
            get_object_or_404(AgendaItem, pk=kwargs["pk"], meeting=self.meeting)
            if "pk" in kwargs
            else None
        )
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["meeting"] = self.meeting
        return kwargs

    def get_title(self) -> str:
        return f"Edit item {self.item.label}" if self.item else "Add an agenda item"

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return meeting_crumbs(self.meeting)

    def get_initial(self) -> dict[str, Any]:
        if self.item:
            return forms.agenda_item_initial(self.item)
        last = self.meeting.items.order_by("-number").first()
        return {"number": (last.number + 1) if last else 1}

    def perform(self, form: BaseForm) -> AgendaItem:
        return services.save_agenda_item(
            item=self.item, meeting=self.meeting, user=self.request.user, **form.cleaned_data
        )

    def get_success_url(self) -> str:
        return reverse("committee:meeting_detail", args=[self.meeting.pk])


class AgendaItemDeleteView(PermissionRequiredMixin, View):
    permission_required = "committee.delete_agendaitem"

    def post(self, request: HttpRequest, meeting: int, pk: int) -> HttpResponse:
        item = get_object_or_404(AgendaItem, pk=pk, meeting_id=meeting)
        services.delete_agenda_item(item=item, user=request.user)
        messages.success(request, f"Item {item.label} {item.subject} is removed from the agenda.")
        return redirect("committee:meeting_detail", meeting)


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
        context = super().get_context_data(**kwargs)
        context.update(
            report=report,
            item=self.item,
            rendered=packs.rendered_report(report),
            problems=services.report_problems(report),
            financial_paragraph=selectors.financial_implications_paragraph(report),
            title=report.title,
            breadcrumbs=[*self.report_crumbs()[:-1], (report.title, None)],
        )
        return context


class ReportPdfView(PermissionRequiredMixin, View):
    permission_required = "committee.view_officerreport"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        report = get_object_or_404(OfficerReport, pk=pk)
        pdf, _ = packs.render_pdf(packs.report_html(report))
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
        return f"Edit section {self.section.number}" if self.section else "Add a section"

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return self.report_crumbs()

    def get_initial(self) -> dict[str, Any]:
        if self.section:
            s = self.section
            return {"number": s.number, "heading": s.heading, "kind": s.kind, "body": s.body}
        initial = {"number": self.report.sections.count() + 1}
        if self.request.GET.get("generated") == "financial":
            initial.update(
                kind="financial",
                heading="Financial implications",
                body=selectors.financial_implications_paragraph(self.report) or "",
            )
        return initial

    def perform(self, form: BaseForm) -> ReportSection:
        return services.save_section(
            section=self.section, report=self.report, user=self.request.user, **form.cleaned_data
        )

    def get_success_url(self) -> str:
        return reverse("committee:report_detail", args=[self.report.pk])


class SectionDeleteView(PermissionRequiredMixin, View):
    permission_required = "committee.delete_reportsection"

    def post(self, request: HttpRequest, report: int, pk: int) -> HttpResponse:
        section = get_object_or_404(ReportSection, pk=pk, report_id=report)
        services.delete_section(section=section, user=request.user)
        messages.success(request, f"Section {section.number} is removed.")
        return redirect("committee:report_detail", report)


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


class AppendixDeleteView(PermissionRequiredMixin, View):
    permission_required = "committee.delete_reportappendix"

    def post(self, request: HttpRequest, report: int, pk: int) -> HttpResponse:
        appendix = get_object_or_404(ReportAppendix, pk=pk, report_id=report)
        services.delete_appendix(appendix=appendix, user=request.user)
        messages.success(request, f"Appendix {appendix.letter} is removed.")
        return redirect("committee:report_detail", report)


class MinutesFormView(ServiceFormView):
    permission_required = "committee.change_minutes"
    form_class = forms.MinutesForm

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.meeting = get_object_or_404(
            Meeting.objects.select_related("committee"), pk=kwargs["meeting"]
        )
        return super().dispatch(request, *args, **kwargs)

    def get_title(self) -> str:
        return f"Attendance at the meeting of {self.meeting.date:%-d %B %Y}"

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return meeting_crumbs(self.meeting)

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["meeting"] = self.meeting
        return kwargs

    def get_initial(self) -> dict[str, Any]:
        minutes = getattr(self.meeting, "minutes", None)
        if minutes is None:
            return {}
        return {
            "members_present": list(minutes.members_present.all()),
            "officers_present": minutes.officers_present,
        }

    def perform(self, form: BaseForm) -> Any:
        return services.save_minutes(
            meeting=self.meeting,
            members_present=list(form.cleaned_data["members_present"]),
            officers_present=form.cleaned_data["officers_present"],
            user=self.request.user,
        )

    def get_success_url(self) -> str:
        return reverse("committee:meeting_detail", args=[self.meeting.pk]) + "#minutes"


class MinuteItemFormView(ServiceFormView):
    permission_required = "committee.change_minuteitem"
    form_class = forms.MinuteItemForm

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.meeting = get_object_or_404(
            Meeting.objects.select_related("committee"), pk=kwargs["meeting"]
        )
        self.minutes = getattr(self.meeting, "minutes", None)
        if self.minutes is None:
            messages.error(request, "Record the attendance first; then add the minuted items.")
            return redirect("committee:minutes_edit", self.meeting.pk)
        self.minute = (
            get_object_or_404(MinuteItem, pk=kwargs["pk"], minutes=self.minutes)
            if "pk" in kwargs
            else None
        )
        return super().dispatch(request, *args, **kwargs)

    def get_title(self) -> str:
        return f"Edit minute {self.minute.number}" if self.minute else "Add a minuted item"

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return meeting_crumbs(self.meeting)

    def get_initial(self) -> dict[str, Any]:
        if self.minute:
            return {
                "number": self.minute.number,
                "title": self.minute.title,
                "body": self.minute.body,
            }
        return {"number": self.minutes.items.count() + 1}

    def perform(self, form: BaseForm) -> MinuteItem:
        return services.save_minute_item(
            item=self.minute, minutes=self.minutes, user=self.request.user, **form.cleaned_data
        )

    def get_success_url(self) -> str:
        return reverse("committee:meeting_detail", args=[self.meeting.pk]) + "#minutes"


class PackBuildView(PermissionRequiredMixin, View):
    """Start building a new version of a meeting's pack; the packs panel shows its progress."""

    permission_required = "committee.add_agendapack"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        from committee.tasks import build_agenda_pack

        meeting = get_object_or_404(Meeting, pk=pk)
        variant = request.POST.get("variant", PackVariant.PUBLIC)
        if variant not in PackVariant.values:
            raise Http404("No such kind of pack.")
        try:
            pack = services.start_pack_build(meeting=meeting, variant=variant, user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("committee:meeting_detail", pk)
        result = build_agenda_pack.enqueue(pack.pk)
        services.attach_build_task(pack=pack, task_id=str(result.id))
        return HttpResponseRedirect(reverse("committee:meeting_detail", args=[pk]) + "#packs")


class PackPublishView(ServiceFormView):
    permission_required = "committee.change_agendapack"
    form_class = forms.PublishForm
    template_name = "committee/pack_publish.html"
    submit_label = "Publish"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.pack = get_object_or_404(
            AgendaPack.objects.select_related("meeting__committee"), pk=kwargs["pk"]
        )
        return super().dispatch(request, *args, **kwargs)

    def get_title(self) -> str:
        variant = self.pack.get_variant_display().lower()
        return f"Publish the {variant} pack, version {self.pack.version}"

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return meeting_crumbs(self.pack.meeting)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["pack"] = self.pack
        context["problems"] = services.publication_problems(self.pack.meeting)
        context["changes"] = services.pack_changes(self.pack)
        context["republishing"] = AgendaPack.objects.filter(
            meeting=self.pack.meeting, variant=self.pack.variant, status=PackStatus.PUBLISHED
        ).exists()
        return context

    def perform(self, form: BaseForm) -> AgendaPack:
        return services.publish_pack(
            pack=self.pack, user=self.request.user, reason=form.cleaned_data["reason"]
        )

    def get_success_message(self, result: AgendaPack) -> str:
        variant = result.get_variant_display().lower()
        return f"Version {result.version} of the {variant} pack is published."

    def get_success_url(self) -> str:
        return reverse("committee:meeting_detail", args=[self.pack.meeting_id]) + "#packs"


class PackDiscardView(PermissionRequiredMixin, View):
    permission_required = "committee.delete_agendapack"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        pack = get_object_or_404(AgendaPack, pk=pk)
        try:
            services.discard_pack(pack=pack, user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"Version {pack.version} is discarded.")
        return HttpResponseRedirect(
            reverse("committee:meeting_detail", args=[pack.meeting_id]) + "#packs"
        )


class PackDownloadView(PermissionRequiredMixin, View):
    """A pack's PDF. Published packs are for everyone who can read meetings; a built but
    unpublished pack only for those who can publish it (its preview)."""

    permission_required = "committee.view_agendapack"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        pack = get_object_or_404(AgendaPack.objects.select_related("meeting"), pk=pk)
        if not pack.file:
            raise Http404("This pack has no file yet.")
        if not pack.is_frozen and not request.user.has_perm("committee.change_agendapack"):
            raise PermissionDenied("This pack is not published.")
        try:
            pdf = selectors.stored_pack_pdf(pack)
        except selectors.PackFileUnavailable as problem:
            logger.error("Agenda pack %s cannot be served: %s", pack.pk, problem)
            return render(
                request,
                "committee/pack_unavailable.html",
                {"pack": pack, "problem": str(problem), "title": "This pack cannot be opened"},
                status=503,
            )
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = content_disposition_header(False, pack.filename)
        response["X-Content-SHA256"] = pack.sha256
        return response


class PackHistoryView(ObjectHistoryView):
    permission_required = "committee.view_agendapack"
    model = AgendaPack
