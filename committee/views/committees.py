"""The committee and its members."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.mixins import PermissionRequiredMixin
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.generic import TemplateView

from committee import forms, services
from committee.models import Committee, CommitteeMember
from committee.views.meetings import MEETINGS_CRUMB
from nct_monitor.generic import PageMixin, ServiceFormView


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


class CommitteeFormView(ServiceFormView):
    """The committee's name, administrator and the contacts its packs print."""

    permission_required = "committee.change_committee"
    form_class = forms.CommitteeForm
    success_message = "The committee's details are saved."

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.committee = get_object_or_404(Committee, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_title(self) -> str:
        return f"Edit the details of the {self.committee}"

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        detail = reverse("committee:committee_detail", args=[self.committee.pk])
        return [MEETINGS_CRUMB, (self.committee.name, detail), ("Edit details", None)]

    def get_initial(self) -> dict[str, Any]:
        return {
            "name": self.committee.name,
            **{name: getattr(self.committee, name) for name in services.COMMITTEE_CONTACTS},
        }

    def perform(self, form: BaseForm) -> Committee:
        return services.save_committee(
            committee=self.committee, user=self.request.user, **form.cleaned_data
        )

    def get_success_url(self) -> str:
        return reverse("committee:committee_detail", args=[self.committee.pk])


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
