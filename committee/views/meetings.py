"""Meeting pages: the list of meetings, a meeting's details and its page."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.mixins import PermissionRequiredMixin
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse, reverse_lazy
from django.views.generic import TemplateView

from committee import forms, selectors, services
from committee.filters import MeetingFilterSet
from committee.models import Committee, Meeting
from committee.tables import MeetingTable
from nct_monitor.generic import ObjectListView, PageMixin, ServiceFormView

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
