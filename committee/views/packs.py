"""Agenda packs: the packs panel, building, publishing, discarding and downloading."""

from __future__ import annotations

import logging
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views import View
from django.views.generic import TemplateView

from committee import forms, selectors, services
from committee.choices import PackStatus, PackVariant
from committee.models import AgendaPack, Meeting
from committee.tasks import build_agenda_pack
from committee.views.meetings import meeting_crumbs
from nct_monitor.generic import ObjectHistoryView, ServiceFormView

logger = logging.getLogger(__name__)


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


class PackBuildView(PermissionRequiredMixin, View):
    """Start building a new version of a meeting's pack; the packs panel shows its progress."""

    permission_required = "committee.add_agendapack"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:

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
        problems = services.publication_problems(self.pack.meeting)
        changes = services.pack_changes(self.pack)
        # Every reason it cannot be published, said once; with any, no Publish button.
        unbuilt = services.not_built(self.pack)
        refusals = [*([unbuilt] if unbuilt else []), *problems, *changes]
        context.update(problems=problems, changes=changes, refusals=refusals)
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
