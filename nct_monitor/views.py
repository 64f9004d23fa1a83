"""Sign-in, health, and the financial years and periods pages."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.db import connection
from django.forms import BaseForm
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponsePermanentRedirect,
    JsonResponse,
)
from django.shortcuts import get_object_or_404, redirect
from django.template.defaultfilters import pluralize
from django.templatetags.static import static
from django.urls import NoReverseMatch, reverse, reverse_lazy
from django.views.decorators.http import require_GET, require_safe
from django.views.generic import TemplateView

from nct_monitor import services
from nct_monitor.choices import PeriodStatus
from nct_monitor.filters import PeriodFilterSet
from nct_monitor.forms import Form
from nct_monitor.generic import ObjectHistoryView, ObjectListView, PageMixin, ServiceFormView
from nct_monitor.models import FinancialYear, Period
from nct_monitor.periods import PeriodRef
from nct_monitor.records import Gap, completeness
from nct_monitor.tables import PeriodTable

PERIODS_CRUMB = ("Periods", reverse_lazy("period_list"))


@login_not_required
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """For load balancers and monitoring: 200 when the database answers, else 503."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@require_safe
def period_jump(request: HttpRequest) -> HttpResponse:
    """The period picker's target: `?view=savings:tracker&at=2023:9` → that view's URL."""
    try:
        ref = PeriodRef.parse(request.GET.get("at", ""))
        url = reverse(
            request.GET.get("view", ""), kwargs={"year": ref.start_year, "period": ref.number}
        )
    except (ValueError, NoReverseMatch):
        raise Http404("No such period page.") from None
    return redirect(url)


class PeriodListView(ObjectListView):
    permission_required = "nct_monitor.view_period"
    queryset = Period.objects.select_related("year", "status_changed_by").order_by(
        "-year__start_year", "number"
    )
    filterset_class = PeriodFilterSet
    table_class = PeriodTable
    paginate_by = 12
    title = "Financial years and periods"
    intro = (
        "Data can be entered for a period while it is open. Signing a period off makes it "
        "read-only; only an administrator can reopen it, giving a reason."
    )
    export_name = "periods"

    def get_actions(self) -> list[tuple[str, str, str]]:
        return [
            ("Add the next financial year", reverse("year_add"), "nct_monitor.add_financialyear")
        ]


class PeriodActionMixin(PermissionRequiredMixin, PageMixin):
    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.period = get_object_or_404(Period.objects.select_related("year"), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return [PERIODS_CRUMB, (self.period.label, None)]

    def get_success_url(self) -> str:
        return f"{reverse('period_list')}?year={self.period.year_id}"


class SignOffForm(Form):
    exceptions_reason = django_forms.CharField(
        label="Reason for signing off with these exceptions",
        required=False,
        widget=django_forms.Textarea(attrs={"rows": 4}),
        help_text="Say why the period is signed off before they are complete, and who agreed. "
        "The exceptions and the reason are kept in the period's history and shown on the "
        "overview.",
    )
    gaps_seen = django_forms.CharField(widget=django_forms.HiddenInput, required=False)


class PeriodSignOffView(PeriodActionMixin, ServiceFormView):
    """Sign-off with the period's completeness list: each gap links to where it is fixed, and
    a period with gaps needs a reason to be signed off with them."""

    permission_required = "nct_monitor.sign_off_period"
    form_class = SignOffForm
    template_name = "nct_monitor/period_sign_off.html"

    @cached_property
    def gaps(self) -> list[Gap]:
        return completeness(self.period)

    @property
    def submit_label(self) -> str:  # type: ignore[override]
        return "Sign off with these exceptions" if self.gaps else "Sign off"

    def get_initial(self) -> dict[str, Any]:
        return {"gaps_seen": services.gaps_fingerprint(self.gaps)}

    def get_form(self, form_class: Any = None) -> BaseForm:
        form = super().get_form(form_class)
        if not self.gaps:
            del form.fields["exceptions_reason"]
        return form

    def get_title(self) -> str:
        return f"Sign off {self.period.label} ({self.period.month_label})"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["gaps"] = self.gaps
        return context

    def perform(self, form: BaseForm) -> Period:
        return services.sign_off_period(
            period=self.period,
            user=self.request.user,
            exceptions_reason=form.cleaned_data.get("exceptions_reason", ""),
            gaps_seen=form.cleaned_data.get("gaps_seen") or None,
        )

    def get_success_message(self, result: Period) -> str:
        if result.sign_off_exceptions:
            count = len(result.sign_off_exceptions)
            return (
                f"{result.label} is signed off with {count} exception{'s' if count != 1 else ''}. "
                "Its data is now read-only."
            )
        return f"{result.label} is signed off. Its data is now read-only."


class ReopenForm(Form):
    reason = django_forms.CharField(
        label="Reason for reopening",
        widget=django_forms.Textarea(attrs={"rows": 4}),
        help_text="Say what needs to change and who asked for it. The reason is kept in the "
        "period's history.",
    )


class PeriodReopenView(PeriodActionMixin, ServiceFormView):
    permission_required = "nct_monitor.reopen_period"
    form_class = ReopenForm
    submit_label = "Reopen period"

    def get_title(self) -> str:
        return f"Reopen {self.period.label} ({self.period.month_label})"

    def perform(self, form: BaseForm) -> Period:
        return services.reopen_period(
            period=self.period, user=self.request.user, reason=form.cleaned_data["reason"]
        )

    def get_success_message(self, result: Period) -> str:
        return f"{result.label} is open again."


class PeriodHistoryView(ObjectHistoryView):
    """A period's sign-offs and reopenings as events, each with its reason."""

    permission_required = "nct_monitor.view_period"
    model = Period
    # Who changed the status, and when, is the row's own Who and When.
    hidden_fields = ("id", "version", "status_changed_at", "status_changed_by")

    def event(self, record: Any, previous: Any | None) -> str | None:
        # Periods are made in bulk, with no history row: the first row may be a sign-off.
        was = previous.status if previous is not None else PeriodStatus.OPEN
        if record.history_type != "~" or record.status == was:
            return None
        return "Signed off" if record.status == PeriodStatus.SIGNED_OFF else "Reopened"

    def display_sign_off_exceptions(self, value: list[dict[str, str]] | None) -> str:
        if not value:
            return "none"
        return f"{len(value)} accepted gap{pluralize(len(value))}"

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return [PERIODS_CRUMB, (str(self.object), None)]


class YearAddView(PermissionRequiredMixin, PageMixin, TemplateView):
    permission_required = "nct_monitor.add_financialyear"
    template_name = "nct_monitor/year_add.html"
    title = "Add the next financial year"
    breadcrumbs = [PERIODS_CRUMB, ("Add a year", None)]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        last = FinancialYear.objects.order_by("-start_year").first()
        context["next_label"] = (
            FinancialYear(start_year=last.start_year + 1).label if last else None
        )
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            year = services.add_next_financial_year(user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("period_list")
        messages.success(request, f"{year.label} is added with its 12 periods, all open.")
        return redirect(f"{reverse('period_list')}?year={year.pk}")


@login_not_required
@require_safe
def favicon(request: HttpRequest) -> HttpResponse:
    """/favicon.ico, which browsers ask for whatever a page's icon link says: the product's icon."""
    return HttpResponsePermanentRedirect(static("nct_monitor/favicon.svg"))
