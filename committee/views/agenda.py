"""A meeting's agenda items."""

from __future__ import annotations

from typing import Any

from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse

from committee import forms, services
from committee.models import AgendaItem, Meeting
from committee.views.meetings import meeting_crumbs
from nct_monitor.generic import ServiceDeleteView, ServiceFormView


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


class AgendaItemDeleteView(ServiceDeleteView):
    permission_required = "committee.delete_agendaitem"
    model = AgendaItem
    parent_field = "meeting"

    def perform(self, obj: AgendaItem) -> None:
        services.delete_agenda_item(item=obj, user=self.request.user)

    def get_success_message(self, obj: AgendaItem) -> str:
        return f"Item {obj.label} {obj.subject} is removed from the agenda."

    def get_success_url(self, obj: AgendaItem) -> str:
        return reverse("committee:meeting_detail", args=[obj.meeting_id])
