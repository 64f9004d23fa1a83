"""Forms for the savings tracker. Figures are typed in £'000, as the papers and returns write
them, to the pound; every message names the line and the figure."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms as django_forms
from django.core.exceptions import ValidationError

from nct_monitor.forms import OUT_OF_DATE, DateInput, Form
from nct_monitor.importing.views import ImportUploadForm
from nct_monitor.models import Period
from nct_monitor.selectors import period_choices
from nct_monitor.services import signed_off_message
from savings.figures import Figures
from savings.rules import FIGURE_LABELS, FIGURES, pounds_from_thousands, thousands_value


class ThousandsField(django_forms.Field):
    """An amount in £'000 with up to 3 decimals (to the pound), 0 or more; `1,247` and `£1,247.5`
    are read as typed. Cleans to the amount in pounds."""

    widget = django_forms.TextInput

    def __init__(self, *, figure: str, **kwargs: Any) -> None:
        kwargs.setdefault("label", f"{FIGURE_LABELS[figure]} £'000")
        super().__init__(**kwargs)
        self.figure = figure
        self.line_title = ""

    def widget_attrs(self, widget: django_forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        attrs.update(
            {"inputmode": "decimal", "spellcheck": "false", "class": "govuk-input--width-5"}
        )
        return attrs

    def _name(self) -> str:
        name = FIGURE_LABELS[self.figure]
        return f"{self.line_title}: {name}" if self.line_title else name

    def to_python(self, value: Any) -> Decimal | None:
        text = str(value or "").strip().replace(",", "").replace("£", "")
        if not text:
            if self.required:
                raise ValidationError(f"{self._name()}: enter an amount in £'000, such as 1,247.")
            return Decimal(0)
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValidationError(
                f"{self._name()} must be an amount in £'000, such as 1,247 or 0.5, not "
                f"'{str(value).strip()[:20]}'."
            ) from None
        if not number.is_finite():
            raise ValidationError(f"{self._name()} must be an amount in £'000, such as 1,247.")
        if number < 0:
            raise ValidationError(f"{self._name()} cannot be negative ({text}).")
        # Before rounding: 1e50 has too many digits to round to the pound.
        if number >= Decimal("100000000"):
            raise ValidationError(f"{self._name()} is too large ({text}).")
        if number != number.quantize(Decimal("0.001")):
            raise ValidationError(
                f"{self._name()} must be to the pound: at most 3 decimal places in £'000 ({text})."
            )
        return pounds_from_thousands(number)

    def prepare_value(self, value: Any) -> Any:
        # Initial values are pounds; what was typed is shown back as typed.
        if isinstance(value, Decimal):
            return f"{thousands_value(value):f}"
        return value


class FiguresMixin:
    """The five figures and the comment, with messages naming the line."""

    fields: dict[str, django_forms.Field]
    cleaned_data: dict[str, Any]

    def name_line(self, title: str) -> None:
        for name in FIGURES:
            field = self.fields[name]
            assert isinstance(field, ThousandsField)
            field.line_title = title

    def figures(self) -> Figures:
        return Figures(**{name: self.cleaned_data[name] for name in FIGURES})


COMMENT_FIELD_KWARGS: dict[str, Any] = {
    "label": "Comments",
    "required": False,
    "max_length": 5000,
}


class PositionForm(FiguresMixin, Form):
    """A line's figures and comment for one period."""

    target = ThousandsField(figure="target")
    red = ThousandsField(figure="red", required=False)
    amber = ThousandsField(figure="amber", required=False)
    green = ThousandsField(figure="green", required=False)
    mitigations = ThousandsField(
        figure="mitigations",
        required=False,
        help_text="Alternative savings that offset red; they cannot be more than red.",
    )
    comment = django_forms.CharField(
        widget=django_forms.Textarea(attrs={"rows": 3}), **COMMENT_FIELD_KWARGS
    )
    # The version the figures were shown at: a save made on older figures is refused.
    version = django_forms.IntegerField(widget=django_forms.HiddenInput, min_value=1)

    def __init__(self, *args: Any, line_title: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.name_line(line_title)
        for message in ("required", "invalid", "min_value"):
            self.fields["version"].error_messages[message] = OUT_OF_DATE


class LineForm(FiguresMixin, Form):
    """A new savings line and its first position."""

    ref = django_forms.CharField(
        label="Ref",
        required=False,
        max_length=40,
        help_text="The Trust's reference, if it has one.",
    )
    title = django_forms.CharField(label="Savings proposal", max_length=300)
    sro = django_forms.CharField(label="SRO", required=False, max_length=200)
    group = django_forms.CharField(
        label="Group",
        max_length=200,
        help_text="For example NCT savings proposals or Valuing care.",
    )
    target = ThousandsField(figure="target")
    red = ThousandsField(figure="red", required=False)
    amber = ThousandsField(figure="amber", required=False)
    green = ThousandsField(figure="green", required=False)
    mitigations = ThousandsField(
        figure="mitigations",
        required=False,
        help_text="Alternative savings that offset red; they cannot be more than red.",
    )
    comment = django_forms.CharField(
        widget=django_forms.Textarea(attrs={"rows": 3}), **COMMENT_FIELD_KWARGS
    )

    def __init__(self, *args: Any, groups: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["group"].widget.attrs["list"] = "savings-groups"
        self.groups = groups or []
        title = str(self.data.get("title", "")).strip() if self.is_bound else ""
        self.name_line(title)

    def clean_title(self) -> str:
        return " ".join(self.cleaned_data["title"].split())


class LineDetailsForm(Form):
    """What describes a line: its Ref, title, SRO and group."""

    ref = django_forms.CharField(label="Ref", required=False, max_length=40)
    title = django_forms.CharField(label="Savings proposal", max_length=300)
    sro = django_forms.CharField(label="SRO", required=False, max_length=200)
    group = django_forms.CharField(label="Group", max_length=200)


class RetireForm(Form):
    retired_on = django_forms.DateField(label="Retired on", widget=DateInput())
    reason = django_forms.CharField(
        label="Reason",
        max_length=500,
        widget=django_forms.Textarea(attrs={"rows": 3}),
        help_text="For example: replaced by another line, or withdrawn by the Trust's board.",
    )


class SavingsUploadForm(ImportUploadForm):
    """The return file and the period it is for."""

    period = django_forms.ChoiceField(label="Period the return is for")

    field_order = ["period", "file"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["period"]
        assert isinstance(field, django_forms.ChoiceField)
        field.choices = period_choices()

    def clean_period(self) -> Period:
        value = self.cleaned_data["period"]
        start, _, number = value.partition(":")
        period = Period.objects.select_related("year").get(
            year__start_year=int(start), number=int(number)
        )
        if period.is_signed_off:
            raise ValidationError(signed_off_message(period))
        return period
