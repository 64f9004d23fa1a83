"""The savings pages: the tracker for a period (read by everyone, edited in place by contract
officers), a line's history, the return upload, and the exports."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.views import View
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView
from django_htmx.http import reswap, retarget

from contracts.selectors import get_contract
from nct_monitor.charts import COLOURS, Series, stacked_bar_chart
from nct_monitor.concurrency import EditConflict
from nct_monitor.finance import format_millions
from nct_monitor.generic import (
    ObjectHistoryView,
    PageMixin,
    PeriodMixin,
    ServiceFormView,
    add_service_errors,
)
from nct_monitor.importing.views import ImportUploadView
from nct_monitor.models import Period
from nct_monitor.selectors import default_period
from savings import exports, selectors, services
from savings.forms import LineDetailsForm, LineForm, PositionForm, RetireForm, SavingsUploadForm
from savings.models import SavingsLine, SavingsPosition

if TYPE_CHECKING:
    from contracts.models import Contract

Crumbs = list[tuple[str, str | None]]


def tracker_url(period: Period, anchor: str = "") -> str:
    url = reverse(
        "savings:tracker", kwargs={"year": period.year.start_year, "period": period.number}
    )
    return f"{url}#{anchor}" if anchor else url


def _contract() -> Contract:
    contract = get_contract()
    if contract is None:
        raise Http404("No contract is set up.")
    return contract


@require_safe
@permission_required("savings.view_savingsposition", raise_exception=True)
def index(request: HttpRequest) -> HttpResponse:
    """The savings section opens at the latest period with positions."""
    return redirect(tracker_url(default_period()))


def tracker_context(
    request: HttpRequest, period: Period, contract: Contract | None
) -> dict[str, Any]:
    """What the tracker body shows, for the page and for the htmx refresh after an edit."""
    summary = selectors.savings_summary(period, contract=contract)
    user = request.user
    is_open = not period.is_signed_off
    can_edit = is_open and user.has_perm("savings.change_savingsposition")
    can_start = (
        is_open
        and user.has_perm("savings.add_savingsposition")
        and summary.previous_period is not None
        and (not summary.has_positions or bool(summary.missing_lines))
    )
    return {
        "period": period,
        "summary": summary,
        "can_edit": can_edit,
        "can_add": is_open and user.has_perm("savings.add_savingsline"),
        "can_import": is_open and user.has_perm("savings.add_savingsposition"),
        "can_start": can_start,
        "column_count": 9 + (1 if can_edit else 0),
    }


class TrackerView(PermissionRequiredMixin, PeriodMixin, PageMixin, TemplateView):
    """The savings table of a period with its totals, movement and council shares."""

    permission_required = "savings.view_savingsposition"
    template_name = "savings/tracker.html"
    period_url_name = "savings:tracker"

    def get_template_names(self) -> list[str]:
        if getattr(self.request, "htmx", False) and not self.request.htmx.boosted:
            return ["savings/partials/tracker_body.html"]
        return [self.template_name]

    def get_title(self) -> str:
        return f"Savings tracker: {self.period.label} ({self.period.month_label})"

    def get_breadcrumbs(self) -> Crumbs:
        return [("Savings", reverse("savings:index")), (self.period.label, None)]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(tracker_context(self.request, self.period, get_contract()))
        return context


class TrackerExportView(PermissionRequiredMixin, PeriodMixin, View):
    """The tracker as .xlsx or .csv, in the return's layout."""

    permission_required = "savings.view_savingsposition"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        summary = selectors.savings_summary(self.period, contract=_contract())
        name = f"savings-{slugify(self.period.label.replace('/', '-'))}"
        if kwargs["fmt"] == "xlsx":
            response = HttpResponse(
                exports.tracker_workbook(summary),
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
        elif kwargs["fmt"] == "csv":
            response = HttpResponse(exports.tracker_csv(summary), content_type="text/csv")
        else:
            raise Http404("Exports are .xlsx or .csv.")
        response["Content-Disposition"] = f'attachment; filename="{name}.{kwargs["fmt"]}"'
        return response


@require_safe
@permission_required("savings.view_savingsposition", raise_exception=True)
def blank_template(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(
        exports.blank_template(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="savings-return-template.xlsx"'
    return response


class PositionMixin:
    """A view of one position: `self.position`, with its line and period."""

    request: HttpRequest

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.position = get_object_or_404(
            SavingsPosition.objects.select_related("line", "period__year", "updated_by"),
            pk=kwargs["pk"],
        )
        self.period = self.position.period
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc, no-any-return]

    def row_context(self, **extra: Any) -> dict[str, Any]:
        context = tracker_context(self.request, self.period, self.position.line.contract)
        item = context["summary"].line(self.position.pk)
        if item is None:
            raise Http404("No such line in this period.")
        context["item"] = item
        context.update(extra)
        return context


class PositionRowView(PermissionRequiredMixin, PositionMixin, View):
    """One line's row of the tracker (what an edit row goes back to when cancelled)."""

    permission_required = "savings.view_savingsposition"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not getattr(request, "htmx", False):
            return redirect(tracker_url(self.period, f"line-{self.position.pk}"))
        return render(request, "savings/partials/line_row.html", self.row_context())


class PositionEditView(PermissionRequiredMixin, PositionMixin, PageMixin, TemplateView):
    """Edit a line's figures for a period: in place in the table (htmx), or as a page."""

    permission_required = "savings.change_savingsposition"
    template_name = "savings/position_form.html"

    def get_title(self) -> str:
        return f"Edit {self.position.line.title}"

    def get_breadcrumbs(self) -> Crumbs:
        return [
            ("Savings", reverse("savings:index")),
            (self.period.label, tracker_url(self.period)),
            (self.position.line.title, None),
        ]

    def _signed_off(self) -> HttpResponse | None:
        if not self.period.is_signed_off:
            return None
        message = (
            f"{self.period.label} is signed off, so its savings cannot be changed. "
            "An administrator can reopen it, giving a reason."
        )
        if getattr(self.request, "htmx", False):
            return render(
                self.request,
                "savings/partials/line_row.html",
                self.row_context(row_error=message),
            )
        messages.error(self.request, message)
        return redirect(tracker_url(self.period, f"line-{self.position.pk}"))

    def _form(self, data: Any = None) -> PositionForm:
        position = self.position
        initial = {
            "target": position.target,
            "red": position.red,
            "amber": position.amber,
            "green": position.green,
            "mitigations": position.mitigations,
            "comment": position.comment,
            "version": position.version,
        }
        return PositionForm(
            data, initial=initial, line_title=position.line.title, prefix=f"p{position.pk}"
        )

    def _current_data(self) -> dict[str, str]:
        form = self._form()
        return {
            form.add_prefix(name): str(form.fields[name].prepare_value(value))
            for name, value in form.initial.items()
        }

    def _respond(self, form: PositionForm, conflict: EditConflict | None = None) -> HttpResponse:
        if getattr(self.request, "htmx", False):
            return render(
                self.request,
                "savings/partials/line_edit_row.html",
                self.row_context(form=form, conflict=conflict),
            )
        return self.render_to_response(self.get_context_data(form=form, conflict=conflict))

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self._signed_off() or self._respond(self._form())

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        refused = self._signed_off()
        if refused is not None:
            return refused
        form = self._form(request.POST)
        if form.is_valid():
            try:
                services.update_position(
                    position=self.position,
                    figures=form.figures(),
                    comment=form.cleaned_data["comment"],
                    user=request.user,
                    expected_version=form.cleaned_data["version"],
                )
            except EditConflict as conflict:
                # The form shows the figures as they are now (and their version), so a save
                # from it is made on them; the refusal shows what the user had typed.
                self.position.refresh_from_db()
                form = self._form(self._current_data())
                form.is_valid()
                add_service_errors(form, conflict)
                form.conflict = conflict
                return self._respond(form, conflict)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                saved = f"{self.position.line.title}: {self.period.label} position saved."
                if getattr(request, "htmx", False):
                    context = tracker_context(request, self.period, self.position.line.contract)
                    context["saved_message"] = saved
                    response = render(request, "savings/partials/tracker_body.html", context)
                    return reswap(retarget(response, "#savings-tracker"), "outerHTML")
                messages.success(request, saved)
                return redirect(tracker_url(self.period, f"line-{self.position.pk}"))
        return self._respond(form)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            position=self.position,
            period=self.period,
            submit_label="Save",
            cancel_url=tracker_url(self.period, f"line-{self.position.pk}"),
        )
        return context


class PeriodPageMixin(PeriodMixin):
    def get_breadcrumbs(self) -> Crumbs:
        return [
            ("Savings", reverse("savings:index")),
            (self.period.label, tracker_url(self.period)),
        ]


class LineAddView(PeriodPageMixin, ServiceFormView):
    """A new line with its position in the period."""

    permission_required = "savings.add_savingsline"
    form_class = LineForm
    template_name = "savings/line_form.html"
    submit_label = "Add line"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.contract = _contract()
        return super().dispatch(request, *args, **kwargs)

    def get_title(self) -> str:
        return f"Add a savings line to {self.period.label}"

    def get_breadcrumbs(self) -> Crumbs:
        return [*super().get_breadcrumbs(), ("Add a line", None)]

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["groups"] = selectors.groups_of_year(self.period.year, contract=self.contract)
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["cancel_url"] = tracker_url(self.period)
        return context

    def perform(self, form: BaseForm) -> SavingsPosition:
        assert isinstance(form, LineForm)
        data = form.cleaned_data
        return services.add_line(
            contract=self.contract,
            period=self.period,
            ref=data["ref"],
            title=data["title"],
            sro=data["sro"],
            group=data["group"],
            figures=form.figures(),
            comment=data["comment"],
            user=self.request.user,
        )

    def get_success_message(self, result: SavingsPosition) -> str:
        return f"{result.line.title} is added to {self.period.label}."

    def get_success_url(self) -> str:
        return tracker_url(self.period, f"line-{self.result.pk}")


class StartPeriodView(PermissionRequiredMixin, PeriodMixin, View):
    """Copy the previous period's positions forward into this one, for review."""

    permission_required = "savings.add_savingsposition"

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            copies = services.start_period(
                period=self.period, contract=_contract(), user=request.user
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                f"{len(copies)} position{'s' if len(copies) != 1 else ''} carried forward into "
                f"{self.period.label}. Review each line and save it, or upload the period's "
                "return.",
            )
        return redirect(tracker_url(self.period))


class LineMixin:
    request: HttpRequest

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.line = get_object_or_404(
            SavingsLine.objects.select_related("year", "contract"), pk=kwargs["pk"]
        )
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc, no-any-return]

    def line_crumbs(self) -> Crumbs:
        return [
            ("Savings", reverse("savings:index")),
            (self.line.year.label, None),
            (self.line.title, reverse("savings:savingsline_detail", args=[self.line.pk])),
        ]


class LineDetailView(PermissionRequiredMixin, LineMixin, PageMixin, TemplateView):
    """A line through its year: each period's position as a table and a chart."""

    permission_required = "savings.view_savingsline"
    template_name = "savings/line_detail.html"

    def get_title(self) -> str:
        return self.line.title

    def get_breadcrumbs(self) -> Crumbs:
        return [*self.line_crumbs()[:-1], (self.line.title, None)]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        periods = selectors.line_positions(self.line)
        positions = [item.position for item in periods]
        context["line"] = self.line
        context["periods"] = periods
        if positions:
            labels = [f"P{p.period.number}" for p in positions]
            context["chart"] = stacked_bar_chart(
                title=f"{self.line.title}: red, amber and green by period",
                description=(
                    f"How the line's target of {format_millions(positions[-1].target)} (in "
                    f"{positions[-1].period.label}) splits into red, amber and green in each "
                    f"period of {self.line.year.label} with a position."
                ),
                labels=labels,
                stacks=[
                    Series("Red", [p.red for p in positions], COLOURS["red"]),
                    Series("Amber", [p.amber for p in positions], COLOURS["amber"]),
                    Series("Green", [p.green for p in positions], COLOURS["green"]),
                ],
                value_format=format_millions,
                money=True,
                empty=(
                    f"No red, amber or green amounts are recorded for {self.line.title} in "
                    f"{self.line.year.label}."
                ),
            )
        context["can_change"] = self.request.user.has_perm("savings.change_savingsline")
        return context


class LineEditView(LineMixin, ServiceFormView):
    permission_required = "savings.change_savingsline"
    form_class = LineDetailsForm
    submit_label = "Save"

    def get_title(self) -> str:
        return f"Edit the details of {self.line.title}"

    def get_breadcrumbs(self) -> Crumbs:
        return [*self.line_crumbs(), ("Edit", None)]

    def get_initial(self) -> dict[str, Any]:
        line = self.line
        return {"ref": line.ref, "title": line.title, "sro": line.sro, "group": line.group}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["cancel_url"] = reverse("savings:savingsline_detail", args=[self.line.pk])
        return context

    def perform(self, form: BaseForm) -> SavingsLine:
        data = form.cleaned_data
        return services.update_line(
            line=self.line,
            ref=data["ref"],
            title=data["title"],
            sro=data["sro"],
            group=data["group"],
            user=self.request.user,
        )

    def get_success_message(self, result: SavingsLine) -> str:
        return f"{result.title} is saved."

    def get_success_url(self) -> str:
        return reverse("savings:savingsline_detail", args=[self.line.pk])


class LineRetireView(LineMixin, ServiceFormView):
    permission_required = "savings.change_savingsline"
    form_class = RetireForm
    submit_label = "Retire line"

    def get_title(self) -> str:
        return f"Retire {self.line.title}"

    def get_breadcrumbs(self) -> Crumbs:
        return [*self.line_crumbs(), ("Retire", None)]

    def get_initial(self) -> dict[str, Any]:
        return {"retired_on": date.today()}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["cancel_url"] = reverse("savings:savingsline_detail", args=[self.line.pk])
        return context

    def perform(self, form: BaseForm) -> SavingsLine:
        return services.retire_line(
            line=self.line,
            retired_on=form.cleaned_data["retired_on"],
            reason=form.cleaned_data["reason"],
            user=self.request.user,
        )

    def get_success_message(self, result: SavingsLine) -> str:
        return f"{result.title} is retired. Its positions stay as they are; it takes no new ones."

    def get_success_url(self) -> str:
        return reverse("savings:savingsline_detail", args=[self.line.pk])


class LineReinstateView(PermissionRequiredMixin, LineMixin, View):
    permission_required = "savings.change_savingsline"

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            services.reinstate_line(line=self.line, user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"{self.line.title} is reinstated.")
        return redirect("savings:savingsline_detail", self.line.pk)


class LineHistoryView(ObjectHistoryView):
    permission_required = "savings.view_savingsline"
    model = SavingsLine

    def get_breadcrumbs(self) -> Crumbs:
        return [
            ("Savings", reverse("savings:index")),
            (str(self.object), reverse("savings:savingsline_detail", args=[self.object.pk])),
            ("History", None),
        ]


class PositionHistoryView(ObjectHistoryView):
    permission_required = "savings.view_savingsposition"
    model = SavingsPosition
    # Each entry already says who made the change and when.
    hidden_fields = ("id", "version", "updated_at", "updated_by")

    def get_breadcrumbs(self) -> Crumbs:
        position = self.object
        assert isinstance(position, SavingsPosition)
        return [
            ("Savings", reverse("savings:index")),
            (position.period.label, tracker_url(position.period)),
            (
                position.line.title,
                reverse("savings:savingsline_detail", args=[position.line_id]),
            ),
            ("History", None),
        ]


class SavingsUploadView(ImportUploadView):
    """Upload a period's savings return; the shared pages preview it for confirmation."""

    kind = "savings"
    form_class = SavingsUploadForm
    template_url_name = "savings:template"

    def get_initial(self) -> dict[str, Any]:
        initial = super().get_initial()
        # `?period=2023:10`, as the tracker links here: the start year and period number.
        start, _, number = self.request.GET.get("period", "").partition(":")
        if start.isdigit() and number.isdigit():
            initial["period"] = f"{int(start)}:{int(number)}"
        else:
            ref = default_period().ref
            initial["period"] = f"{ref.start_year}:{ref.number}"
        return initial

    def get_breadcrumbs(self) -> Crumbs:
        return [("Savings", reverse("savings:index")), ("Upload a return", None)]

    def get_params(self, form: BaseForm) -> dict[str, Any]:
        period = form.cleaned_data["period"]
        return {"year": period.year.label, "period": period.number}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["cancel_url"] = reverse("savings:index")
        return context
