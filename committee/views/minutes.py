"""A meeting's minutes: attendance and the minuted items."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse

from committee import forms, services
from committee.models import Meeting, MinuteItem
from committee.views.meetings import meeting_crumbs
from nct_monitor.generic import ServiceFormView


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
