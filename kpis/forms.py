"""Forms for KPIs. A figure is checked with the same rules the importers use
(`kpis.rules.check_result`, `check_target`), so the page and the return agree."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from kpis import rules, services
from kpis.choices import Frequency, PlanStatus, Polarity, Unit
from kpis.models import KpiDefinition
from nct_monitor.forms import DateInput, Form, StampField
from nct_monitor.models import FinancialYear
from nct_monitor.periods import PeriodRef


class FigureField(forms.DecimalField):
    """A KPI figure typed as text (GOV.UK advises against number inputs), at most 2 decimals."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_digits", 14)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "widget",
            forms.TextInput(
                attrs={"inputmode": "decimal", "spellcheck": "false", "autocomplete": "off"}
            ),
        )
        super().__init__(**kwargs)

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        for name in ("min", "max", "step"):
            attrs.pop(name, None)
        attrs["class"] = "govuk-input--width-5"
        return attrs

    def name_in_messages(self, label: str) -> None:
        self.error_messages.update(
            {
                "invalid": f"{label} must be a number, like 68 or 68.5",
                "max_decimal_places": f"{label} must have at most 2 decimal places",
                "max_digits": f"{label} is too large",
                "max_whole_digits": f"{label} is too large",
            }
        )


def _errors_to_fields(form: forms.Form, error: ValidationError, fields: dict[str, str]) -> None:
    for name, messages in error.message_dict.items():
        target = fields.get(name)
        for message in messages:
            form.add_error(target, message)


STALE_PAGE = (
    "The KPIs on this page have changed since it was loaded: reload it and enter the figures again."
)


class ResultForm(Form):
    """One KPI's row on the period's results page."""

    kpi = forms.IntegerField(widget=forms.HiddenInput)
    # The result the row was filled in from: a save over a result changed since is refused.
    version = StampField()
    value = FigureField(label="Value")
    numerator = FigureField(label="Numerator")
    denominator = FigureField(label="Denominator")
    commentary = forms.CharField(
        label="Commentary",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, definition: KpiDefinition, period: PeriodRef, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.definition = definition
        self.period = period
        # A row missing from the post (a page older than the KPIs) must not read as "cleared".
        self.fields["kpi"].error_messages["required"] = STALE_PAGE
        for name in ("value", "numerator", "denominator", "commentary"):
            field = self.fields[name]
            field.label = f"{definition.code} {name}"
            if isinstance(field, FigureField):
                field.name_in_messages(field.label)
        self.fields["commentary"].error_messages["max_length"] = (
            f"{definition.code} commentary must be 4,000 characters or fewer"
        )
        if definition.unit == Unit.COUNT:
            for name in ("numerator", "denominator"):
                self.fields[name].disabled = True

    def clean_kpi(self) -> int:
        number = self.cleaned_data["kpi"]
        if number != self.definition.number:
            raise ValidationError(STALE_PAGE)
        return int(number)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assert data is not None
        if self.errors:
            return data
        value, numerator, denominator = (
            data.get("value"),
            data.get("numerator"),
            data.get("denominator"),
        )
        if value is None and numerator is None and denominator is None:
            if (data.get("commentary") or "").strip():
                self.add_error(
                    "value",
                    f"Enter {self.definition.code}'s value, or its numerator and denominator: "
                    "commentary needs a result.",
                )
            return data
        try:
            data["computed"] = rules.check_result(
                kpi=self.definition,
                period=self.period,
                value=value,
                numerator=numerator,
                denominator=denominator,
            )
        except ValidationError as error:
            _errors_to_fields(
                self,
                error,
                {"value": "value", "numerator": "numerator", "denominator": "denominator"},
            )
        return data

    def entry(self) -> services.ResultEntry:
        data = self.cleaned_data
        return services.ResultEntry(
            kpi=self.definition,
            value=data.get("value"),
            numerator=data.get("numerator"),
            denominator=data.get("denominator"),
            commentary=data.get("commentary") or "",
            version=data["version"],
        )


class KpiFormSet(forms.BaseFormSet):  # type: ignore[type-arg]
    """One form per KPI, in KPI order; each form knows its KPI."""

    def __init__(
        self,
        *args: Any,
        definitions: list[KpiDefinition],
        form_extra: dict[str, Any] | None = None,
        per_form: list[dict[str, Any]] | None = None,
        **kwargs: Any,
    ) -> None:
        self.definitions = definitions
        self.extra_kwargs = form_extra or {}
        self.per_form = per_form or [{} for _ in definitions]
        super().__init__(*args, **kwargs)

    def total_form_count(self) -> int:
        return len(self.definitions)

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        kwargs = super().get_form_kwargs(index)
        assert index is not None
        kwargs["definition"] = self.definitions[index]
        kwargs.update(self.extra_kwargs)
        kwargs.update(self.per_form[index])
        return kwargs


ResultFormSet = forms.formset_factory(ResultForm, formset=KpiFormSet, extra=0)


class TargetForm(Form):
    """One KPI's row on the year's targets page: both blank means no target."""

    kpi = forms.IntegerField(widget=forms.HiddenInput)
    target = FigureField(label="Target")
    tolerance = FigureField(label="Tolerance")

    def __init__(self, *args: Any, definition: KpiDefinition, locked: list[str], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.definition = definition
        self.locked = locked
        self.fields["kpi"].error_messages["required"] = STALE_PAGE
        for name in ("target", "tolerance"):
            field = self.fields[name]
            field.label = f"{definition.code} {name}"
            assert isinstance(field, FigureField)
            field.name_in_messages(field.label)
            if locked:
                field.disabled = True

    def clean_kpi(self) -> int:
        number = self.cleaned_data["kpi"]
        if number != self.definition.number:
            raise ValidationError(STALE_PAGE)
        return int(number)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assert data is not None
        if self.errors or self.locked:
            return data
        target, tolerance = data.get("target"), data.get("tolerance")
        if target is None and tolerance is None:
            return data
        try:
            rules.check_target(self.definition, target=target, tolerance=tolerance)
        except ValidationError as error:
            _errors_to_fields(self, error, {"target": "target", "tolerance": "tolerance"})
        return data

    def entry(self) -> services.TargetEntry:
        return services.TargetEntry(
            kpi=self.definition,
            target=self.cleaned_data.get("target"),
            tolerance=self.cleaned_data.get("tolerance"),
        )


TargetFormSet = forms.formset_factory(TargetForm, formset=KpiFormSet, extra=0)


class RectificationPlanForm(Form):
    owner = forms.CharField(
        label="Owner",
        max_length=200,
        help_text="Who at the Trust is accountable for the plan, e.g. Director of Children's "
        "Social Care.",
    )
    actions = forms.CharField(
        label="Actions",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="What will be done to bring the KPI back within tolerance.",
    )
    due_date = forms.DateField(label="Due date", widget=DateInput())
    status = forms.ChoiceField(label="Status", choices=PlanStatus.choices, widget=forms.RadioSelect)
    progress = forms.CharField(
        label="Progress update",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Optional. Each update is kept in the plan's history.",
    )


class KpiDefinitionForm(Form):
    title = forms.CharField(label="Title", max_length=300)
    unit = forms.ChoiceField(label="Unit", choices=Unit.choices, widget=forms.RadioSelect)
    polarity = forms.ChoiceField(
        label="Polarity", choices=Polarity.choices, widget=forms.RadioSelect
    )
    frequency = forms.ChoiceField(
        label="Frequency",
        choices=Frequency.choices,
        widget=forms.RadioSelect,
        help_text="A quarterly KPI is reported at periods 3, 6, 9 and 12.",
    )
    minimum = FigureField(label="Lowest result allowed", help_text="Blank for no limit.")
    maximum = FigureField(label="Highest result allowed", help_text="Blank for no limit.")
    baseline = FigureField(label="Baseline")
    baseline_year = forms.ModelChoiceField(
        label="Baseline year",
        queryset=FinancialYear.objects.all(),
        required=False,
        empty_label="None",
    )
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, FigureField):
                field.name_in_messages(str(field.label))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assert data is not None
        low: Decimal | None = data.get("minimum")
        high: Decimal | None = data.get("maximum")
        if low is not None and high is not None and low > high:
            self.add_error("maximum", "The highest result allowed cannot be below the lowest")
        return data
