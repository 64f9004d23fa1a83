"""The contract overview and the councils' shares."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.auth.mixins import PermissionRequiredMixin
from django.forms import BaseForm
from django.http import Http404
from django.urls import reverse_lazy
from django.views.generic import TemplateView

from contracts import selectors, services
from contracts.forms import ShareScheduleForm
from contracts.models import ShareSchedule
from contracts.views.base import CONTRACT_CRUMB
from nct_monitor.generic import ObjectHistoryView, PageMixin, ServiceFormView


class ContractOverviewView(PermissionRequiredMixin, PageMixin, TemplateView):
    permission_required = "contracts.view_contract"
    template_name = "contracts/contract_overview.html"
    title = "Contract overview"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        contract = selectors.get_contract()
        context["contract"] = contract
        if contract is not None:
            context["schedules"] = selectors.share_schedules(contract)
            context["shares_now"] = selectors.shares_on(date.today(), contract=contract)
            context["title"] = contract.name
            context["finance"] = selectors.finance_overview()
        return context


class ShareScheduleCreateView(ServiceFormView):
    permission_required = "contracts.add_shareschedule"
    form_class = ShareScheduleForm
    title = "Set the councils' shares"
    breadcrumbs = [CONTRACT_CRUMB, ("Set shares", None)]
    submit_label = "Save shares"
    success_url = reverse_lazy("contracts:overview")
    cancel_url = reverse_lazy("contracts:overview")

    def dispatch(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        self.contract = selectors.get_contract()
        if self.contract is None:
            raise Http404("No contract is set up.")
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["contract"] = self.contract
        return kwargs

    def perform(self, form: BaseForm) -> ShareSchedule:
        assert isinstance(form, ShareScheduleForm)
        return services.set_council_shares(
            contract=self.contract,
            effective_from=form.cleaned_data["effective_from"],
            shares=form.shares(),
            note=form.cleaned_data["note"],
        )

    def get_success_message(self, result: ShareSchedule) -> str:
        shares = ", ".join(f"{k} {v}%" for k, v in result.as_mapping().items())
        return f"Shares from {result.effective_from:%-d %B %Y} saved: {shares}."


class ShareScheduleHistoryView(ObjectHistoryView):
    permission_required = "contracts.view_shareschedule"
    model = ShareSchedule

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return [CONTRACT_CRUMB, (str(self.object), None)]
