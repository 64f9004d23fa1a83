"""The contract's pages: overview, the councils' shares, and the contract's finance.

Views are thin: lists read the selectors' figures, forms hand their data to the services.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from functools import cached_property
from typing import Any

from django.contrib.auth.mixins import PermissionRequiredMixin
from django.db.models import Model, QuerySet
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse, reverse_lazy
from django.views.generic import TemplateView

from contracts import selectors, services
from contracts.choices import ContractSumStatus, ForecastCategory
from contracts.filters import (
    BusinessCaseFilterSet,
    ContractSumFilterSet,
    ForecastFilterSet,
    FundingAllocationFilterSet,
    InvestToSaveFilterSet,
    MtfpFilterSet,
)
from contracts.forms import (
    BusinessCaseForm,
    BusinessCaseSavingForm,
    ContractSumForm,
    ForecastForm,
    FundingAllocationForm,
    InvestToSaveLineForm,
    MtfpBuildUpForm,
    ShareScheduleForm,
)
from contracts.models import (
    BusinessCase,
    BusinessCaseSaving,
    ContractSum,
    ForecastPressure,
    FundingAllocation,
    InvestToSaveLine,
    MtfpBuildUp,
    ShareSchedule,
)
from contracts.tables import (
    AllocationTable,
    BusinessCaseTable,
    ContractSumTable,
    ForecastTable,
    FundingBlockTable,
    InvestToSaveLineTable,
    InvestToSaveTable,
    MtfpTable,
)
from nct_monitor.charts import Chart, waterfall_chart
from nct_monitor.concurrency import NEW, Stamp
from nct_monitor.finance import MILLION, format_millions
from nct_monitor.forms import Form
from nct_monitor.generic import (
    ObjectHistoryView,
    ObjectListView,
    PageMixin,
    PeriodMixin,
    ServiceFormView,
)
from nct_monitor.models import Period
from nct_monitor.periods import PeriodRef

CONTRACT_CRUMB = ("Contract", reverse_lazy("contracts:overview"))


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


# --- The contract's finance -------------------------------------------------------------------


def _crumbs(*items: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return [CONTRACT_CRUMB, *items]


CONTRACT_SUMS_CRUMB = ("Contract sums", reverse_lazy("contracts:contractsum_list"))
MTFP_CRUMB = ("MTFP build-up", reverse_lazy("contracts:mtfpbuildup_list"))
BUSINESS_CASES_CRUMB = ("Business cases", reverse_lazy("contracts:businesscase_list"))
FUNDING_CRUMB = ("Funding blocks", reverse_lazy("contracts:fundingallocation_list"))
INVEST_TO_SAVE_CRUMB = ("Invest to save", reverse_lazy("contracts:investtosaveline_list"))
FORECAST_CRUMB = ("Finance forecast", reverse_lazy("contracts:forecastpressure_list"))


class FinanceListView(ObjectListView):
    """A list whose rows are a selector's figures for the filtered records."""

    template_name = "contracts/finance_list.html"

    def figures(self, queryset: QuerySet[Any]) -> list[Any]:
        raise NotImplementedError

    def get_table_data(self) -> list[Any]:
        return self.figures(self.object_list)

    def get_table_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_table_kwargs()
        kwargs["councils"] = self.councils
        return kwargs

    @cached_property
    def councils(self) -> list[str]:
        return selectors.council_names()


class ObjectMixin:
    """Loads `self.object` (of `model`, by `pk` in the URL) before anything else runs."""

    model: type[Model]
    queryset: QuerySet[Any] | None = None

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        source = self.queryset if self.queryset is not None else self.model._default_manager
        self.object = get_object_or_404(source, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc, no-any-return]


def _initial(instance: Model, names: list[str]) -> dict[str, Any]:
    return {name: getattr(instance, name) for name in names}


# Contract sums


class ContractSumListView(FinanceListView):
    permission_required = "contracts.view_contractsum"
    queryset = ContractSum.objects.select_related("year").order_by("year__start_year")
    filterset_class = ContractSumFilterSet
    table_class = ContractSumTable
    title = "Contract sums"
    export_name = "contract-sums"
    breadcrumbs = _crumbs(("Contract sums", None))
    intro = (
        "What the councils pay the Trust each year. The contract sum is Block 1 (core funding) "
        "plus Block 2 (transformation items); Block 3 is a transformation reserve held outside "
        "it and released to approved business cases. Each council's share is worked out with "
        "the split in force at the start of the year."
    )

    def get_actions(self) -> list[tuple[str, str, str]]:
        return [
            (
                "Add a contract sum",
                reverse("contracts:contractsum_add"),
                "contracts.add_contractsum",
            )
        ]

    def figures(self, queryset: QuerySet[Any]) -> list[Any]:
        return selectors.contract_sums(queryset)


CONTRACT_SUM_FIELDS = ["block1", "block2", "block2_non_recurring", "block3", "status", "notes"]


class ContractSumCreateView(ServiceFormView):
    permission_required = "contracts.add_contractsum"
    form_class = ContractSumForm
    title = "Add a contract sum"
    breadcrumbs = _crumbs(CONTRACT_SUMS_CRUMB, ("Add", None))
    submit_label = "Save contract sum"
    success_url = reverse_lazy("contracts:contractsum_list")
    cancel_url = reverse_lazy("contracts:contractsum_list")

    def get_initial(self) -> dict[str, Any]:
        return {"status": ContractSumStatus.PROVISIONAL}

    def perform(self, form: BaseForm) -> ContractSum:
        assert isinstance(form, ContractSumForm)
        data = form.cleaned_data
        return services.create_contract_sum(
            year=data["year"],
            status=data["status"],
            notes=data["notes"],
            source=data["source"],
            user=self.request.user,
            **form.amounts(),
        )

    def get_success_message(self, result: ContractSum) -> str:
        figures = selectors.contract_sum_for_year(result.year.start_year)
        assert figures is not None
        return (
            f"The {figures.year_label} contract sum is recorded: "
            f"{format_millions(figures.contract_sum)}."
        )


class ContractSumUpdateView(ObjectMixin, ServiceFormView):
    permission_required = "contracts.change_contractsum"
    model = ContractSum
    queryset = ContractSum.objects.select_related("year")
    form_class = ContractSumForm
    submit_label = "Save changes"
    success_url = reverse_lazy("contracts:contractsum_list")
    cancel_url = reverse_lazy("contracts:contractsum_list")

    def get_title(self) -> str:
        return f"Change the {self.object.year.label} contract sum"

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return _crumbs(CONTRACT_SUMS_CRUMB, (self.object.year.label, None))

    def get_form_kwargs(self) -> dict[str, Any]:
        return super().get_form_kwargs() | {"editing": True}

    def get_initial(self) -> dict[str, Any]:
        return _initial(self.object, [*CONTRACT_SUM_FIELDS, "source"])

    def perform(self, form: BaseForm) -> ContractSum:
        assert isinstance(form, ContractSumForm)
        data = form.cleaned_data
        return services.update_contract_sum(
            contract_sum=self.object,
            status=data["status"],
            notes=data["notes"],
            source=data["source"],
            user=self.request.user,
            **form.amounts(),
        )

    def get_success_message(self, result: ContractSum) -> str:
        return f"The {result.year.label} contract sum is saved."


class ContractSumHistoryView(ObjectHistoryView):
    permission_required = "contracts.view_contractsum"
    model = ContractSum

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return _crumbs(CONTRACT_SUMS_CRUMB, (str(self.object), None))


# MTFP build-up


def mtfp_chart(figures: selectors.MtfpFigures) -> Chart:
    """The build-up from the initial to the net contract sum as a waterfall, in £m."""

    def in_millions(amount: Decimal) -> Decimal:
        return amount / MILLION

    def as_millions(value: Decimal | float | None) -> str:
        return format_millions(None if value is None else Decimal(str(value)) * MILLION)

    return waterfall_chart(
        title=f"MTFP build-up {figures.year_label}",
        description=(
            f"From the initial contract sum of {format_millions(figures.initial_sum)}, "
            f"inflation adds {format_millions(figures.inflation_total)}, demand-led pressures "
            f"add {format_millions(figures.demand_total)} and savings take off "
            f"{format_millions(figures.savings)}, giving a net contract sum of "
            f"{format_millions(figures.net_sum)}."
        ),
        start=("Initial contract sum", in_millions(figures.initial_sum)),
        steps=[(label, in_millions(amount)) for label, amount in figures.steps()],
        end_label="Net contract sum",
        value_format=as_millions,
        y_label="£m",
    )


class MtfpListView(FinanceListView):
    permission_required = "contracts.view_mtfpbuildup"
    queryset = MtfpBuildUp.objects.select_related("year").order_by("year__start_year")
    filterset_class = MtfpFilterSet
    table_class = MtfpTable
    template_name = "contracts/mtfp_list.html"
    title = "MTFP build-up of the contract sum"
    export_name = "mtfp-build-up"
    breadcrumbs = _crumbs(("MTFP build-up", None))
    intro = (
        "How the medium-term financial plan builds each year's contract sum: the initial sum, "
        "plus inflation and demand-led pressures, less savings, gives the net contract sum. "
        "Each year's initial sum is checked against the previous year's net sum."
    )

    def get_actions(self) -> list[tuple[str, str, str]]:
        return [
            (
                "Add a year's build-up",
                reverse("contracts:mtfpbuildup_add"),
                "contracts.add_mtfpbuildup",
            )
        ]

    def figures(self, queryset: QuerySet[Any]) -> list[Any]:
        return selectors.mtfp_for_years(queryset=queryset)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        if not getattr(self.request, "htmx", False):
            years = self.figures(self.object_list)
            context["years"] = [(figures, mtfp_chart(figures)) for figures in years]
            context["councils"] = self.councils
        return context


MTFP_INITIAL_FIELDS = [
    "initial_sum",
    "inflation_staffing",
    "inflation_placements",
    "inflation_other",
    "demand_staffing",
    "demand_placements",
    "demand_other",
    "savings",
    "notes",
    "source",
]


class MtfpCreateView(ServiceFormView):
    permission_required = "contracts.add_mtfpbuildup"
    form_class = MtfpBuildUpForm
    title = "Add a year's MTFP build-up"
    breadcrumbs = _crumbs(MTFP_CRUMB, ("Add", None))
    submit_label = "Save build-up"
    success_url = reverse_lazy("contracts:mtfpbuildup_list")
    cancel_url = reverse_lazy("contracts:mtfpbuildup_list")

    def perform(self, form: BaseForm) -> MtfpBuildUp:
        assert isinstance(form, MtfpBuildUpForm)
        data = form.cleaned_data
        return services.create_mtfp_build_up(
            year=data["year"],
            notes=data["notes"],
            source=data["source"],
            stated_net=data["stated_net"],
            user=self.request.user,
            **form.figures(),
        )

    def get_success_message(self, result: MtfpBuildUp) -> str:
        return f"The {result.year.label} MTFP build-up is recorded."


class MtfpUpdateView(ObjectMixin, ServiceFormView):
    permission_required = "contracts.change_mtfpbuildup"
    model = MtfpBuildUp
    queryset = MtfpBuildUp.objects.select_related("year")
    form_class = MtfpBuildUpForm
    submit_label = "Save changes"
    success_url = reverse_lazy("contracts:mtfpbuildup_list")
    cancel_url = reverse_lazy("contracts:mtfpbuildup_list")

    def get_title(self) -> str:
        return f"Change the {self.object.year.label} MTFP build-up"

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return _crumbs(MTFP_CRUMB, (self.object.year.label, None))

    def get_form_kwargs(self) -> dict[str, Any]:
        return super().get_form_kwargs() | {"editing": True}

    def get_initial(self) -> dict[str, Any]:
        return _initial(self.object, MTFP_INITIAL_FIELDS)

    def perform(self, form: BaseForm) -> MtfpBuildUp:
        assert isinstance(form, MtfpBuildUpForm)
        data = form.cleaned_data
        return services.update_mtfp_build_up(
            build_up=self.object,
            figures=form.figures(),
            notes=data["notes"],
            source=data["source"],
            stated_net=data["stated_net"],
            user=self.request.user,
        )

    def get_success_message(self, result: MtfpBuildUp) -> str:
        return f"The {result.year.label} MTFP build-up is saved."


class MtfpHistoryView(ObjectHistoryView):
    permission_required = "contracts.view_mtfpbuildup"
    model = MtfpBuildUp

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return _crumbs(MTFP_CRUMB, (str(self.object), None))


# Business cases


class BusinessCaseListView(FinanceListView):
    permission_required = "contracts.view_businesscase"
    queryset = BusinessCase.objects.order_by("date_approved", "title")
    filterset_class = BusinessCaseFilterSet
    table_class = BusinessCaseTable
    title = "Business cases"
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


class ConfirmForm(Form):
    """Nothing to fill in: the button confirms."""


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


# Funding blocks and allocations


class FundingListView(FinanceListView):
    permission_required = "contracts.view_fundingallocation"
    queryset = FundingAllocation.objects.order_by(
        "year__start_year", "block", "business_case__date_approved", "business_case__title"
    )
    filterset_class = FundingAllocationFilterSet
    table_class = AllocationTable
    template_name = "contracts/funding_list.html"
    title = "Funding blocks"
    export_name = "funding-allocations"
    breadcrumbs = _crumbs(("Funding blocks", None))
    intro = (
        "Block 2 (transformation items in the contract sum) and Block 3 (the transformation "
        "reserve) of each year, with the funding agreed from them for approved business cases. "
        "Available comes from the year's contract sum; allocated and the balance outstanding "
        "are worked out from the allocations."
    )

    def get_actions(self) -> list[tuple[str, str, str]]:
        return [
            (
                "Allocate funding",
                reverse("contracts:fundingallocation_add"),
                "contracts.add_fundingallocation",
            )
        ]

    def figures(self, queryset: QuerySet[Any]) -> list[Any]:
        return selectors.allocations(queryset)

    def get_table_kwargs(self) -> dict[str, Any]:
        return super().get_table_kwargs() | {"caption": "Funding allocated to business cases"}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        # Every year's blocks, whatever the filter: it narrows the allocations listed below.
        context["blocks_table"] = FundingBlockTable(
            selectors.funding_blocks_for_years(),
            councils=self.councils,
            caption="Available, allocated and balance by block",
        )
        return context


class FundingAllocationFormMixin:
    request: HttpRequest

    def allocation_arguments(self, form: BaseForm) -> dict[str, Any]:
        data = form.cleaned_data
        return {
            "year": data["year"],
            "block": data["block"],
            "amount": data["amount"],
            "note": data["note"],
            "user": self.request.user,
        }


class FundingAllocationCreateView(FundingAllocationFormMixin, ServiceFormView):
    permission_required = "contracts.add_fundingallocation"
    form_class = FundingAllocationForm
    submit_label = "Allocate funding"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        # Opened from a business case's page, the case is fixed; else the form asks for it.
        case = request.GET.get("business_case")
        self.business_case = (
            get_object_or_404(BusinessCase, pk=case) if case and str(case).isdigit() else None
        )
        return super().dispatch(request, *args, **kwargs)

    def get_title(self) -> str:
        if self.business_case is not None:
            return f"Allocate funding to {self.business_case.title}"
        return "Allocate funding to a business case"

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        if self.business_case is not None:
            return _crumbs(
                BUSINESS_CASES_CRUMB,
                (self.business_case.title, self.case_url()),
                ("Allocate funding", None),
            )
        return _crumbs(FUNDING_CRUMB, ("Allocate funding", None))

    def case_url(self) -> str:
        assert self.business_case is not None
        return reverse("contracts:businesscase_detail", args=[self.business_case.pk])

    def get_form_kwargs(self) -> dict[str, Any]:
        return super().get_form_kwargs() | {"business_case": self.business_case}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["cancel_url"] = (
            self.case_url()
            if self.business_case is not None
            else reverse("contracts:fundingallocation_list")
        )
        return context

    def get_success_url(self) -> str:
        if self.business_case is not None:
            return self.case_url()
        return reverse("contracts:fundingallocation_list")

    def perform(self, form: BaseForm) -> FundingAllocation:
        assert isinstance(form, FundingAllocationForm)
        return services.allocate_funding(
            business_case=form.chosen_case(), **self.allocation_arguments(form)
        )

    def get_success_message(self, result: FundingAllocation) -> str:
        return (
            f"{format_millions(result.amount)} of {result.get_block_display()} "
            f"{result.year.label} funding is allocated to {result.business_case.title}."
        )


class FundingAllocationMixin(ObjectMixin):
    model = FundingAllocation
    queryset = FundingAllocation.objects.select_related("business_case", "year")

    def case_url(self) -> str:
        return reverse("contracts:businesscase_detail", args=[self.object.business_case_id])

    def get_success_url(self) -> str:
        return reverse("contracts:fundingallocation_list")

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return _crumbs(FUNDING_CRUMB, (str(self.object), None))


class FundingAllocationUpdateView(
    FundingAllocationMixin, FundingAllocationFormMixin, ServiceFormView
):
    permission_required = "contracts.change_fundingallocation"
    form_class = FundingAllocationForm
    submit_label = "Save changes"
    cancel_url = reverse_lazy("contracts:fundingallocation_list")

    def get_title(self) -> str:
        return f"Change funding for {self.object.business_case.title}"

    def get_form_kwargs(self) -> dict[str, Any]:
        return super().get_form_kwargs() | {"business_case": self.object.business_case}

    def get_initial(self) -> dict[str, Any]:
        return {
            "year": self.object.year.start_year,
            "block": self.object.block,
            "amount": self.object.amount,
            "note": self.object.note,
        }

    def perform(self, form: BaseForm) -> FundingAllocation:
        return services.update_funding_allocation(
            allocation=self.object, **self.allocation_arguments(form)
        )

    def get_success_message(self, result: FundingAllocation) -> str:
        return f"The funding for {result.business_case.title} is saved."


class FundingAllocationRemoveView(FundingAllocationMixin, ServiceFormView):
    permission_required = "contracts.delete_fundingallocation"
    form_class = ConfirmForm
    template_name = "contracts/confirm_remove.html"
    submit_label = "Remove funding"
    cancel_url = reverse_lazy("contracts:fundingallocation_list")

    def get_title(self) -> str:
        return f"Remove funding for {self.object.business_case.title}"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(**kwargs) | {
            "confirm_text": f"{format_millions(self.object.amount)} of "
            f"{self.object.get_block_display()} {self.object.year.label} funding will go back "
            "to the block's balance."
        }

    def perform(self, form: BaseForm) -> None:
        services.remove_funding_allocation(allocation=self.object, user=self.request.user)

    def get_success_message(self, result: None) -> str:
        return f"The funding for {self.object.business_case.title} is removed."


class FundingAllocationHistoryView(ObjectHistoryView):
    permission_required = "contracts.view_fundingallocation"
    model = FundingAllocation

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return _crumbs(FUNDING_CRUMB, (str(self.object), None))


# Invest to save


class InvestToSaveListView(FinanceListView):
    permission_required = "contracts.view_investtosaveline"
    queryset = InvestToSaveLine.objects.order_by("year__start_year", "programme", "kind", "pk")
    filterset_class = InvestToSaveFilterSet
    table_class = InvestToSaveLineTable
    template_name = "contracts/investtosave_list.html"
    title = "Invest-to-save funding"
    export_name = "invest-to-save"
    breadcrumbs = _crumbs(("Invest to save", None))
    intro = (
        "Funding the councils agreed for programmes such as Circle to Success, and grants that "
        "offset it. The net cost of each programme in a year is its funding less its grants, "
        "split between the councils."
    )

    def get_actions(self) -> list[tuple[str, str, str]]:
        return [
            (
                "Add funding or a grant",
                reverse("contracts:investtosaveline_add"),
                "contracts.add_investtosaveline",
            )
        ]

    def figures(self, queryset: QuerySet[Any]) -> list[Any]:
        return selectors.invest_to_save_lines(queryset)

    def get_table_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_table_kwargs()
        kwargs["councils"] = ()
        kwargs["caption"] = "Funding and grants"
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        # Every programme and year, whatever the filter: it narrows the lines listed below.
        context["summary_table"] = InvestToSaveTable(
            selectors.invest_to_save(),
            councils=self.councils,
            caption="Net invest to save by programme and year",
        )
        return context


INVEST_TO_SAVE_FIELDS = ["programme", "year", "kind", "title", "amount", "notes", "source"]


class InvestToSaveCreateView(ServiceFormView):
    permission_required = "contracts.add_investtosaveline"
    form_class = InvestToSaveLineForm
    title = "Add invest-to-save funding or a grant"
    breadcrumbs = _crumbs(INVEST_TO_SAVE_CRUMB, ("Add", None))
    submit_label = "Save"
    success_url = reverse_lazy("contracts:investtosaveline_list")
    cancel_url = reverse_lazy("contracts:investtosaveline_list")

    def perform(self, form: BaseForm) -> InvestToSaveLine:
        return services.create_invest_to_save_line(
            user=self.request.user,
            **{name: form.cleaned_data[name] for name in INVEST_TO_SAVE_FIELDS},
        )

    def get_success_message(self, result: InvestToSaveLine) -> str:
        return f"{result.get_kind_display()} for {result.programme} {result.year.label} is saved."


class InvestToSaveUpdateView(ObjectMixin, ServiceFormView):
    permission_required = "contracts.change_investtosaveline"
    model = InvestToSaveLine
    queryset = InvestToSaveLine.objects.select_related("year")
    form_class = InvestToSaveLineForm
    submit_label = "Save changes"
    success_url = reverse_lazy("contracts:investtosaveline_list")
    cancel_url = reverse_lazy("contracts:investtosaveline_list")

    def get_title(self) -> str:
        return f"Change {self.object.title}"

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return _crumbs(INVEST_TO_SAVE_CRUMB, (str(self.object), None))

    def get_initial(self) -> dict[str, Any]:
        initial = _initial(self.object, INVEST_TO_SAVE_FIELDS)
        initial["year"] = self.object.year.start_year
        return initial

    def perform(self, form: BaseForm) -> InvestToSaveLine:
        return services.update_invest_to_save_line(
            line=self.object,
            user=self.request.user,
            **{name: form.cleaned_data[name] for name in INVEST_TO_SAVE_FIELDS},
        )

    def get_success_message(self, result: InvestToSaveLine) -> str:
        return f"{result.title} is saved."


class InvestToSaveHistoryView(ObjectHistoryView):
    permission_required = "contracts.view_investtosaveline"
    model = InvestToSaveLine

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return _crumbs(INVEST_TO_SAVE_CRUMB, (str(self.object), None))


# Period finance forecast


def _forecast_url(name: str, ref: PeriodRef) -> str:
    return reverse(f"contracts:{name}", kwargs={"year": ref.start_year, "period": ref.number})


class ForecastListView(FinanceListView):
    permission_required = "contracts.view_forecastpressure"
    queryset = (
        Period.objects.filter(forecast_pressures__isnull=False)
        .distinct()
        .order_by("-year__start_year", "-number")
    )
    filterset_class = ForecastFilterSet
    table_class = ForecastTable
    title = "Finance forecast"
    export_name = "finance-forecast"
    breadcrumbs = _crumbs(("Finance forecast", None))
    intro = (
        "The Trust's forecast outturn pressure reported for each period, by category. The "
        "councils fund pressures in their shares unless the Trust finds mitigations."
    )

    def get_actions(self) -> list[tuple[str, str, str]]:
        return [
            (
                "Add a period's forecast",
                reverse("contracts:forecastpressure_add"),
                "contracts.add_forecastpressure",
            )
        ]

    def figures(self, queryset: QuerySet[Any]) -> list[Any]:
        return selectors.forecasts(queryset)


class ForecastDetailView(PermissionRequiredMixin, PeriodMixin, PageMixin, TemplateView):
    permission_required = "contracts.view_forecastpressure"
    template_name = "contracts/forecast_detail.html"
    period_url_name = "contracts:forecastpressure_detail"

    def get_title(self) -> str:
        return f"Finance forecast {self.period.label} ({self.period.month_label})"

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return _crumbs(FORECAST_CRUMB, (self.period.label, None))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["forecast"] = selectors.forecast_for_period(self.period)
        context["councils"] = selectors.council_names()
        context["shares"] = selectors.shares_for_period(self.period.ref)
        context["edit_url"] = _forecast_url("forecastpressure_edit", self.period.ref)
        return context


class ForecastFormMixin:
    request: HttpRequest

    def forecast_arguments(self, form: BaseForm) -> dict[str, Any]:
        assert isinstance(form, ForecastForm)
        return {
            "period": form.chosen_period(),
            "pressures": form.pressures(),
            "stated_total": form.cleaned_data["stated_total"],
            "source": form.cleaned_data["source"],
            "user": self.request.user,
        }

    def get_success_url(self) -> str:
        return _forecast_url("forecastpressure_detail", self.result_ref)

    def get_success_message(self, result: list[ForecastPressure]) -> str:
        figures = selectors.forecast_for_period(self.result_ref)
        total = figures.total if figures is not None else Decimal(0)
        return (
            f"The {self.result_ref.label} forecast is saved: total pressure "
            f"{format_millions(total)}."
        )


class ForecastCreateView(ForecastFormMixin, ServiceFormView):
    permission_required = "contracts.add_forecastpressure"
    form_class = ForecastForm
    title = "Add a period's finance forecast"
    breadcrumbs = _crumbs(FORECAST_CRUMB, ("Add", None))
    submit_label = "Save forecast"
    cancel_url = reverse_lazy("contracts:forecastpressure_list")

    def perform(self, form: BaseForm) -> list[ForecastPressure]:
        arguments = self.forecast_arguments(form)
        self.result_ref = arguments["period"]
        return services.create_period_forecast(**arguments)


class ForecastUpdateView(ForecastFormMixin, PeriodMixin, ServiceFormView):
    permission_required = "contracts.change_forecastpressure"
    form_class = ForecastForm
    template_name = "contracts/forecast_form.html"
    submit_label = "Save forecast"
    period_url_name = "contracts:forecastpressure_edit"

    def get_title(self) -> str:
        return f"Change the finance forecast for {self.period.label} ({self.period.month_label})"

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return _crumbs(
            FORECAST_CRUMB,
            (self.period.label, _forecast_url("forecastpressure_detail", self.period.ref)),
            ("Change", None),
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["cancel_url"] = _forecast_url("forecastpressure_detail", self.period.ref)
        return context

    def get_form_kwargs(self) -> dict[str, Any]:
        return super().get_form_kwargs() | {"period": self.period}

    def get_initial(self) -> dict[str, Any]:
        initial: dict[str, Any] = {
            f"{category.value}_version": NEW for category in ForecastCategory
        }
        for line in selectors.forecast_lines(self.period):
            initial[f"{line.category}_amount"] = line.amount
            initial[f"{line.category}_note"] = line.note
            initial[f"{line.category}_version"] = Stamp.of(line)
            initial["source"] = line.source
        return initial

    def saved_values(self, form: BaseForm) -> dict[str, Any]:
        # Every category as saved now, blank where the period has no line.
        values: dict[str, Any] = {"source": ""}
        for category in ForecastCategory:
            values[f"{category.value}_amount"] = None
            values[f"{category.value}_note"] = ""
        return values | self.get_initial()

    def perform(self, form: BaseForm) -> list[ForecastPressure]:
        assert isinstance(form, ForecastForm)
        arguments = self.forecast_arguments(form)
        self.result_ref = arguments["period"]
        return services.set_period_forecast(**arguments, expected=form.versions())


class ForecastHistoryView(ObjectHistoryView):
    permission_required = "contracts.view_forecastpressure"
    model = ForecastPressure

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        period = self.object.period
        return _crumbs(
            FORECAST_CRUMB,
            (period.label, _forecast_url("forecastpressure_detail", period.ref)),
            ("History", None),
        )
