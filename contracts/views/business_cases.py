"""Business case pages, and the savings of each case."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.mixins import PermissionRequiredMixin
from django.db.models import QuerySet
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse, reverse_lazy
from django.views.generic import TemplateView

from contracts import selectors, services
from contracts.choices import FootnoteTable
from contracts.filters import BusinessCaseFilterSet
from contracts.forms import BusinessCaseForm, BusinessCaseSavingForm
from contracts.models import BusinessCase, BusinessCaseSaving
from contracts.tables import BusinessCaseTable
from contracts.views.base import (
    BUSINESS_CASES_CRUMB,
    ConfirmForm,
    FinanceListView,
    ObjectMixin,
    _crumbs,
    _initial,
)
from nct_monitor.finance import format_millions
from nct_monitor.generic import ObjectHistoryView, PageMixin, ServiceFormView


class BusinessCaseListView(FinanceListView):
    permission_required = "contracts.view_businesscase"
    queryset = BusinessCase.objects.order_by("date_approved", "title")
    filterset_class = BusinessCaseFilterSet
    table_class = BusinessCaseTable
    title = "Business cases"
    template_name = "contracts/businesscase_list.html"
    export_name = "business-cases"
    breadcrumbs = _crumbs(("Business cases", None))
    intro = (
        "Business cases approved by the Transformation & Efficiency Board, with the savings "
        "each is to make to the contract sum and the Block 2 and Block 3 funding agreed for it."
    )

    def get_actions(self) -> list[tuple[str, str, str]]:
        return [
            (
                "Add a business case",
                reverse("contracts:businesscase_add"),
                "contracts.add_businesscase",
            ),
            (
                "Funding blocks",
                reverse("contracts:fundingallocation_list"),
                "contracts.view_fundingallocation",
            ),
        ]

    def figures(self, queryset: QuerySet[Any]) -> list[Any]:
        return selectors.business_cases(queryset)

    def get_table_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_table_kwargs()
        del kwargs["councils"]
        kwargs["saving_years"] = selectors.saving_years(self.get_table_data())
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["footnotes"] = selectors.footnotes(FootnoteTable.BUSINESS_CASES)
        return context

    def get_table_data(self) -> list[Any]:
        # Read once per request: the table and its saving-year columns share it.
        if not hasattr(self, "_figures"):
            self._figures = self.figures(self.object_list)
        return self._figures


class BusinessCaseDetailView(PermissionRequiredMixin, PageMixin, TemplateView):
    permission_required = "contracts.view_businesscase"
    template_name = "contracts/businesscase_detail.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        figures = selectors.business_case(kwargs["pk"])
        if figures is None:
            raise Http404("No such business case.")
        self.figures = figures
        return super().dispatch(request, *args, **kwargs)

    def get_title(self) -> str:
        return self.figures.title

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return _crumbs(BUSINESS_CASES_CRUMB, (self.figures.title, None))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["case"] = self.figures
        context["councils"] = selectors.council_names()
        context["footnotes"] = selectors.footnotes(
            FootnoteTable.BUSINESS_CASES, marked_in=self.figures.duration
        )
        return context


BUSINESS_CASE_FIELDS = [
    "theme",
    "title",
    "date_approved",
    "additional_benefits",
    "additional_benefits_tbc",
    "duration",
    "notes",
    "source",
]


def _business_case_arguments(form: BaseForm) -> dict[str, Any]:
    return {name: form.cleaned_data[name] for name in BUSINESS_CASE_FIELDS}


class BusinessCaseCreateView(ServiceFormView):
    permission_required = "contracts.add_businesscase"
    form_class = BusinessCaseForm
    title = "Add a business case"
    breadcrumbs = _crumbs(BUSINESS_CASES_CRUMB, ("Add", None))
    submit_label = "Save business case"
    cancel_url = reverse_lazy("contracts:businesscase_list")

    def perform(self, form: BaseForm) -> BusinessCase:
        return services.create_business_case(
            user=self.request.user, **_business_case_arguments(form)
        )

    def get_success_url(self) -> str:
        return reverse("contracts:businesscase_detail", args=[self.result.pk])

    def get_success_message(self, result: BusinessCase) -> str:
        return f"{result.title} is recorded. Add its savings and funding below."


class BusinessCaseUpdateView(ObjectMixin, ServiceFormView):
    permission_required = "contracts.change_businesscase"
    model = BusinessCase
    form_class = BusinessCaseForm
    submit_label = "Save changes"

    def get_title(self) -> str:
        return f"Change {self.object.title}"

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return _crumbs(BUSINESS_CASES_CRUMB, (self.object.title, self.detail_url), ("Change", None))

    @property
    def detail_url(self) -> str:
        return reverse("contracts:businesscase_detail", args=[self.object.pk])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(**kwargs) | {"cancel_url": self.detail_url}

    def get_initial(self) -> dict[str, Any]:
        return _initial(self.object, BUSINESS_CASE_FIELDS)

    def perform(self, form: BaseForm) -> BusinessCase:
        return services.update_business_case(
            business_case=self.object, user=self.request.user, **_business_case_arguments(form)
        )

    def get_success_url(self) -> str:
        return self.detail_url

    def get_success_message(self, result: BusinessCase) -> str:
        return f"{result.title} is saved."


class BusinessCaseHistoryView(ObjectHistoryView):
    permission_required = "contracts.view_businesscase"
    model = BusinessCase

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return _crumbs(
            BUSINESS_CASES_CRUMB,
            (self.object.title, reverse("contracts:businesscase_detail", args=[self.object.pk])),
            ("History", None),
        )


class BusinessCaseChildMixin:
    """A page about a business case's saving or allocation: back to the case afterwards."""

    business_case: BusinessCase

    def case_url(self) -> str:
        return reverse("contracts:businesscase_detail", args=[self.business_case.pk])

    def get_success_url(self) -> str:
        return self.case_url()

    def case_crumbs(self, last: str) -> list[tuple[str, str | None]]:
        return _crumbs(
            BUSINESS_CASES_CRUMB, (self.business_case.title, self.case_url()), (last, None)
        )


class BusinessCaseSavingCreateView(BusinessCaseChildMixin, ServiceFormView):
    permission_required = "contracts.add_businesscasesaving"
    form_class = BusinessCaseSavingForm
    submit_label = "Save saving"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.business_case = get_object_or_404(BusinessCase, pk=kwargs["case"])
        return super().dispatch(request, *args, **kwargs)

    def get_title(self) -> str:
        return f"Add a contract sum saving for {self.business_case.title}"

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return self.case_crumbs("Add a saving")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(**kwargs) | {"cancel_url": self.case_url()}

    def perform(self, form: BaseForm) -> BusinessCaseSaving:
        return services.set_business_case_saving(
            business_case=self.business_case,
            year=form.cleaned_data["year"],
            amount=form.cleaned_data["amount"],
            user=self.request.user,
        )

    def get_success_message(self, result: BusinessCaseSaving) -> str:
        return f"The {result.year.label} saving for {self.business_case.title} is saved."


class BusinessCaseSavingMixin(BusinessCaseChildMixin, ObjectMixin):
    model = BusinessCaseSaving
    queryset = BusinessCaseSaving.objects.select_related("business_case", "year")

    @property
    def business_case(self) -> BusinessCase:  # type: ignore[override]
        return self.object.business_case  # type: ignore[no-any-return]


class BusinessCaseSavingUpdateView(BusinessCaseSavingMixin, ServiceFormView):
    permission_required = "contracts.change_businesscasesaving"
    form_class = BusinessCaseSavingForm
    submit_label = "Save changes"

    def get_title(self) -> str:
        return f"Change the {self.object.year.label} saving for {self.business_case.title}"

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return self.case_crumbs(f"{self.object.year.label} saving")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(**kwargs) | {"cancel_url": self.case_url()}

    def get_initial(self) -> dict[str, Any]:
        return {"year": self.object.year.start_year, "amount": self.object.amount}

    def perform(self, form: BaseForm) -> BusinessCaseSaving:
        return services.update_business_case_saving(
            saving=self.object,
            year=form.cleaned_data["year"],
            amount=form.cleaned_data["amount"],
            user=self.request.user,
        )

    def get_success_message(self, result: BusinessCaseSaving) -> str:
        return f"The {result.year.label} saving for {self.business_case.title} is saved."


class BusinessCaseSavingRemoveView(BusinessCaseSavingMixin, ServiceFormView):
    permission_required = "contracts.delete_businesscasesaving"
    form_class = ConfirmForm
    template_name = "contracts/confirm_remove.html"
    submit_label = "Remove saving"

    def get_title(self) -> str:
        return f"Remove the {self.object.year.label} saving from {self.business_case.title}"

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return self.case_crumbs("Remove a saving")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(**kwargs) | {
            "cancel_url": self.case_url(),
            "confirm_text": f"The {format_millions(self.object.amount)} saving in "
            f"{self.object.year.label} will no longer count for this business case.",
        }

    def perform(self, form: BaseForm) -> None:
        services.remove_business_case_saving(saving=self.object, user=self.request.user)

    def get_success_message(self, result: None) -> str:
        return f"The {self.object.year.label} saving is removed from {self.business_case.title}."


class BusinessCaseSavingHistoryView(ObjectHistoryView):
    permission_required = "contracts.view_businesscasesaving"
    model = BusinessCaseSaving

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        case = self.object.business_case
        return _crumbs(
            BUSINESS_CASES_CRUMB,
            (case.title, reverse("contracts:businesscase_detail", args=[case.pk])),
            ("History", None),
        )
