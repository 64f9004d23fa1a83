"""The few generic views every app's pages are built from.

- `ObjectListView`: a filtered, sortable django-tables2 list with xlsx/csv export; an htmx
  request gets only the table back.
- `ServiceFormView`: a form whose valid data goes to a service function; a ValidationError from
  the service lands on the form, so a rule is enforced in one place and shown like any other.
  An `EditConflict` (someone else saved the record first) shows the form again with the figures
  as they are saved now, and their change beside what was typed.
- `ObjectHistoryView`: who changed a record, when, and each field before and after.
- `FormsetServiceView`: rows on one formset handed to a service; its errors shown above them.
- `ServiceDeleteView`: a POST that removes one record through a service, says so, and goes
  back to the page the record was shown on.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import get_object_or_404
from django.template.defaultfilters import pluralize
from django.urls import NoReverseMatch, reverse
from django.utils import dateformat
from django.utils.timezone import is_aware, localtime
from django.views import View
from django.views.generic import FormView, TemplateView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from nct_monitor.concurrency import EditConflict
from nct_monitor.exports import TableExportMixin

Crumbs = list[tuple[str, str | None]]


class PageMixin:
    """A page title and breadcrumbs for the base layout."""

    title: str = ""
    breadcrumbs: Crumbs = []

    def get_title(self) -> str:
        return self.title

    def get_breadcrumbs(self) -> Crumbs:
        return list(self.breadcrumbs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)  # type: ignore[misc]
        context.setdefault("title", self.get_title())
        context.setdefault("breadcrumbs", self.get_breadcrumbs())
        return context


class ObjectListView(
    PermissionRequiredMixin, PageMixin, TableExportMixin, SingleTableMixin, FilterView
):
    """A list page: `queryset`, `filterset_class`, `table_class`, `permission_required`."""

    template_name = "generic/object_list.html"
    partial_template_name = "generic/table_partial.html"
    paginate_by = 50
    # Links beside the title: (label, url, permission).
    actions: list[tuple[str, str, str]] = []
    intro: str = ""

    def get_export_filename(self, export_format: str) -> str:
        return f"{self.export_name}.{export_format}"

    def get_template_names(self) -> list[str]:
        if getattr(self.request, "htmx", False) and not self.request.htmx.boosted:
            return [self.partial_template_name]
        return [self.template_name]

    def get_table_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_table_kwargs()
        kwargs.setdefault("caption", self.get_title())
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["actions"] = [
            (label, url)
            for label, url, perm in self.get_actions()
            if self.request.user.has_perm(perm)
        ]
        context["export_formats"] = self.export_formats
        context["intro"] = self.intro
        return context

    def get_actions(self) -> list[tuple[str, str, str]]:
        return list(self.actions)


class ServiceFormView(PermissionRequiredMixin, PageMixin, FormView):
    """A form that hands its cleaned data to a service in `perform`.

    A ValidationError raised by the service is shown on the form (on its field when the
    error names one), nothing is saved, and the page is shown again with the error summary.
    """

    template_name = "generic/object_form.html"
    submit_label = "Save"
    success_message = ""
    cancel_url: str | None = None

    def perform(self, form: BaseForm) -> Any:
        raise NotImplementedError

    def get_success_message(self, result: Any) -> str:
        return self.success_message

    def form_valid(self, form: BaseForm) -> HttpResponse:
        try:
            result = self.perform(form)
        except EditConflict as conflict:
            return self.edit_conflict(form, conflict)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        self.result = result
        message = self.get_success_message(result)
        if message:
            messages.success(self.request, message)
        return HttpResponseRedirect(self.get_success_url())

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["submit_label"] = self.submit_label
        context["cancel_url"] = self.cancel_url
        return context

    def saved_values(self, form: BaseForm) -> dict[str, Any]:
        """After an `EditConflict`: the fields to show as they are saved now, as initial values
        by field name (their versions included), so a save from the page is made on them. The
        other fields keep what was typed. By default, every field `get_initial` fills in."""
        return self.get_initial()

    def edit_conflict(self, form: BaseForm, conflict: EditConflict) -> HttpResponse:
        """The form again after someone else saved first: nothing was saved, the fields hold
        the figures as saved now, and the page shows their change beside what was typed."""
        data = self.request.POST.copy()
        for key, values in posted_values(form, self.saved_values(form)).lists():
            data.setlist(key, values)
        refreshed = self.get_form_class()(**{**self.get_form_kwargs(), "data": data})
        refreshed.is_valid()
        add_service_errors(refreshed, conflict)
        refreshed.conflict = conflict  # type: ignore[attr-defined]
        return self.render_to_response(self.get_context_data(form=refreshed))


def posted_values(form: BaseForm, values: dict[str, Any]) -> QueryDict:
    """Values (by field name, as a form's initial values) as a browser would post them."""
    data = QueryDict(mutable=True)
    for name, value in values.items():
        if name not in form.fields:
            continue
        field = form.fields[name]
        shown = field.widget.format_value(field.prepare_value(value))
        key = form.add_prefix(name)
        if isinstance(shown, list | tuple):
            data.setlist(key, [str(item) for item in shown])
        else:
            data[key] = "" if shown is None else str(shown)
    return data


def add_service_errors(form: BaseForm, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: named fields on the field, the rest on top."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            target = field if field in form.fields else None
            for item in errors:
                form.add_error(target, item)
    else:
        for message in error.messages:
            form.add_error(None, message)


class ObjectHistoryView(PermissionRequiredMixin, PageMixin, TemplateView):
    """Every change to one record, newest first: when (local time), who (by name), what
    happened and why, and each field's old and new value as people read them.

    A subclass names the events of its record (`event`, such as "Signed off") and how a field
    reads (`display_<field>`); saves that changed nothing and give no reason are left out.
    """

    model: type[models.Model]
    template_name = "generic/object_history.html"
    # Fields whose change is not worth showing (bookkeeping).
    hidden_fields: tuple[str, ...] = ("id", "version")
    ACTIONS = {"+": "Created", "~": "Changed", "-": "Deleted"}

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = get_object_or_404(self.model, pk=kwargs["pk"])
        return super().get(request, *args, **kwargs)

    def get_title(self) -> str:
        return f"History of {self.object}"

    def event(self, record: Any, previous: Any | None) -> str | None:
        """A name for what `record` (a history row) did, when it is more than a change."""
        return None

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        records = list(
            self.object.history.select_related("history_user").order_by(  # type: ignore[attr-defined]
                "history_date", "history_id"
            )
        )
        entries = []
        previous = None
        for record in records:
            entry = self._entry(record, previous)
            if entry["changes"] or entry["reason"] or entry["action"] != "Changed":
                entries.append(entry)
            previous = record
        context["object"] = self.object
        context["entries"] = list(reversed(entries))
        return context

    def _entry(self, record: Any, previous: Any | None) -> dict[str, Any]:
        changes = []
        if previous is not None:
            for change in record.diff_against(previous).changes:
                if change.field in self.hidden_fields:
                    continue
                changes.append(
                    {
                        "field": self._label(change.field),
                        "old": self._display(change.field, change.old),
                        "new": self._display(change.field, change.new),
                    }
                )
        action = self.event(record, previous) or self.ACTIONS[record.history_type]
        reason = record.history_change_reason or ""
        user = record.history_user
        return {
            "record": record,
            "when": dateformat.format(localtime(record.history_date), "j M Y, H:i"),
            "who": (user.get_full_name() or user.get_username()) if user else "System",
            "action": action,
            # "Reopened: why" under the event "Reopened" reads as just "why".
            "reason": reason.removeprefix(f"{action}: "),
            "changes": changes,
        }

    def _label(self, name: str) -> str:
        try:
            return str(self.model._meta.get_field(name).verbose_name).capitalize()
        except Exception:  # a field since removed from the model
            return name.replace("_", " ").capitalize()

    def _display(self, name: str, value: Any) -> str:
        custom = getattr(self, f"display_{name}", None)
        if custom is not None:
            return str(custom(value))
        try:
            field = self.model._meta.get_field(name)
        except Exception:
            return "" if value is None else str(value)
        if value is None or value == "":
            return ""
        if getattr(field, "choices", None):
            return str(dict(field.flatchoices).get(value, value))  # type: ignore[arg-type]
        if field.is_relation and field.related_model is not None:
            related = field.related_model._default_manager.filter(pk=value).first()
            return str(related) if related is not None else f"#{value} (deleted)"
        return _readable(value)


def _readable(value: Any) -> str:
    """A stored value as a person reads it: 1,234.50, Yes/No, 6 Mar 2024, 6 Mar 2024, 14:05."""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, Decimal | int | float):
        return f"{value:,}"
    if isinstance(value, datetime):
        return dateformat.format(localtime(value) if is_aware(value) else value, "j M Y, H:i")
    if isinstance(value, date):
        return dateformat.format(value, "j M Y")
    if isinstance(value, list):
        return f"{len(value)} item{pluralize(len(value))}" if value else ""
    return str(value)


class PeriodMixin:
    """A page about one period: `<fy:year>/p<int:period>/` in its URL, `self.period` in the view.

    A year or period the contract does not have is a 404. The context gets the period and
    links to the previous and next periods (`period_url_name` names the URL to link).
    """

    period_url_name: str = ""
    request: HttpRequest
    kwargs: dict[str, Any]

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        from nct_monitor.models import Period
        from nct_monitor.selectors import get_period

        try:
            self.period = get_period(kwargs["year"], kwargs["period"])
        except (ValidationError, Period.DoesNotExist):
            raise Http404("NCT Monitor has no such period.") from None
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc, no-any-return]

    def period_url(self, start_year: int, number: int) -> str | None:
        from nct_monitor.models import Period

        if not Period.objects.filter(year__start_year=start_year, number=number).exists():
            return None
        try:
            return reverse(self.period_url_name, kwargs={"year": start_year, "period": number})
        except NoReverseMatch:
            return None

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)  # type: ignore[misc]
        ref = self.period.ref
        previous, following = ref.previous(), ref.next()
        from nct_monitor.selectors import period_choices

        context["period"] = self.period
        context["period_value"] = f"{ref.start_year}:{ref.number}"
        context["period_choices"] = period_choices()
        context["period_nav"] = {
            "url_name": self.period_url_name,
            "previous": (previous.label, self.period_url(previous.start_year, previous.number)),
            "next": (following.label, self.period_url(following.start_year, following.number)),
        }
        return context


class FormsetServiceView(PermissionRequiredMixin, PageMixin, TemplateView):
    """A page of rows on one formset whose valid rows go to a service in `perform`.

    A subclass builds the formset in `get_formset` (bound to `data` when posted). A
    ValidationError from the service is shown above the rows and nothing is saved. An
    `EditConflict` shows the rows again as `refreshed` gives them, with the conflict in the
    context beside what was typed.
    """

    def get_formset(self, data: Any = None) -> Any:
        raise NotImplementedError

    def perform(self, formset: Any) -> Any:
        raise NotImplementedError

    def get_success_message(self, result: Any) -> str:
        return ""

    def get_success_url(self) -> str:
        raise NotImplementedError

    def refreshed(self, formset: Any) -> Any:
        """After an `EditConflict`: the formset to show again. By default, as it was posted."""
        return formset

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.render_to_response(self.get_context_data(formset=self.get_formset()))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        formset = self.get_formset(request.POST)
        if formset.is_valid():
            try:
                result = self.perform(formset)
            except EditConflict as conflict:
                formset = self.refreshed(formset)
                set_formset_errors(formset, conflict)
                return self.render_to_response(
                    self.get_context_data(formset=formset, conflict=conflict)
                )
            except ValidationError as error:
                set_formset_errors(formset, error)
            else:
                message = self.get_success_message(result)
                if message:
                    messages.success(request, message)
                return HttpResponseRedirect(self.get_success_url())
        return self.render_to_response(self.get_context_data(formset=formset))


def set_formset_errors(formset: Any, error: ValidationError) -> None:
    """Show a service's ValidationError above a formset's rows, in place of any shown there."""
    formset._non_form_errors = formset.error_class(error.messages, renderer=formset.renderer)


class ServiceDeleteView(PermissionRequiredMixin, View):
    """POST only: remove one record through a service in `perform`, then go back.

    The record is `model` by the URL's `pk`; `parent_field` names its foreign key to the
    record in the URL (`meeting` in `meetings/<int:meeting>/items/<int:pk>/delete/`), so a
    record is only found under its own parent. The success message is said before the
    redirect to `get_success_url`.
    """

    model: type[models.Model]
    parent_field: str = ""

    def get_object(self) -> Any:
        lookup: dict[str, Any] = {"pk": self.kwargs["pk"]}
        if self.parent_field:
            lookup[f"{self.parent_field}_id"] = self.kwargs[self.parent_field]
        return get_object_or_404(self.model, **lookup)

    def perform(self, obj: Any) -> None:
        raise NotImplementedError

    def get_success_message(self, obj: Any) -> str:
        return ""

    def get_success_url(self, obj: Any) -> str:
        raise NotImplementedError

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        obj = self.get_object()
        self.perform(obj)
        message = self.get_success_message(obj)
        if message:
            messages.success(request, message)
        return HttpResponseRedirect(self.get_success_url(obj))
