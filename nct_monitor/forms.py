"""Forms rendered with GOV.UK Frontend markup, and the money field every app uses.

`GovukFormRenderer` is the project's FORM_RENDERER: every form, whatever app it is in, renders
with an error summary, labels, hints and error messages in GOV.UK style, and its widgets get
the GOV.UK classes from `GovukBoundField`.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting

from nct_monitor.concurrency import Stamp

WIDGET_CLASSES: dict[str, str] = {
    "select": "govuk-select",
    "selectmultiple": "govuk-select",
    "textarea": "govuk-textarea",
    "checkbox": "govuk-checkboxes__input",
    "clearablefile": "govuk-file-upload",
    "file": "govuk-file-upload",
    "radioselect": "govuk-radios__input",
    "checkboxselectmultiple": "govuk-checkboxes__input",
}
ERROR_CLASSES: dict[str, str] = {
    "govuk-input": "govuk-input--error",
    "govuk-select": "govuk-select--error",
    "govuk-textarea": "govuk-textarea--error",
    "govuk-file-upload": "govuk-file-upload--error",
}


class GovukBoundField(BoundField):
    """A bound field whose widget carries the GOV.UK class for its type, and its error class."""

    def build_widget_attrs(self, attrs: dict[str, Any], widget: Any = None) -> dict[str, Any]:
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        css = WIDGET_CLASSES.get(self.widget_type, "govuk-input")
        # The widget's own classes (a width, say) are kept: the attrs given here replace them.
        classes = [widget.attrs.get("class", ""), attrs.get("class", ""), css]
        if self.errors and css in ERROR_CLASSES:
            classes.append(ERROR_CLASSES[css])
        attrs["class"] = " ".join(c for c in classes if c)
        return attrs


class GovukFormRenderer(TemplatesSetting):
    form_template_name = "forms/govuk_form.html"
    formset_template_name = "forms/govuk_formset.html"
    field_template_name = "forms/govuk_field.html"
    bound_field_class = GovukBoundField


class MoneyField(forms.DecimalField):
    """An amount in pounds and pence, typed as text (GOV.UK advises against number inputs).

    Error messages name the field, so the error summary says which figure is wrong.
    """

    def __init__(self, *, allow_negative: bool = False, **kwargs: Any) -> None:
        kwargs.setdefault("max_digits", 14)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault(
            "widget",
            forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}),
        )
        if not allow_negative:
            kwargs.setdefault("min_value", Decimal(0))
        super().__init__(**kwargs)
        self.allow_negative = allow_negative

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        # Keep the text input free of the number input's min/max/step attributes.
        for name in ("min", "max", "step"):
            attrs.pop(name, None)
        attrs["class"] = "govuk-input--width-10"
        return attrs

    def set_messages(self, label: str) -> None:
        self.error_messages.update(
            {
                "required": f"Enter {label}",
                "invalid": f"{label} must be an amount in pounds, like 1247000.00",
                "max_decimal_places": f"{label} must be in pounds and pence, with at most 2 "
                "decimal places",
                "max_digits": f"{label} is too large",
                "max_whole_digits": f"{label} is too large",
                "min_value": f"{label} must be £0 or more",
            }
        )


class GovukFormMixin:
    """Names the field in every default error message, so each says what is wrong and where."""

    fields: dict[str, forms.Field]
    # An `EditConflict` that refused the save: shown with the errors, their figures beside
    # the ones typed.
    conflict: Any = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        for field in self.fields.values():
            label = str(field.label or "This field")
            if isinstance(field, StampField | StampsField):
                continue  # hidden: their messages say the page is out of date
            if isinstance(field, MoneyField):
                field.set_messages(label)
                continue
            field.error_messages["required"] = f"Enter {label.lower()}"
            if isinstance(field, forms.DecimalField | forms.IntegerField):
                field.error_messages["invalid"] = f"{label} must be a number"
            if isinstance(field, forms.DateField):
                field.error_messages["invalid"] = (
                    f"{label} must be a real date, with a day, month and year, like 6 3 2024"
                )
            if isinstance(field, forms.ChoiceField | forms.ModelChoiceField):
                field.error_messages["required"] = f"Select {label.lower()}"


class Form(GovukFormMixin, forms.Form):
    pass


class ModelForm(GovukFormMixin, forms.ModelForm):
    pass


class DateInput(forms.MultiWidget):
    """The GOV.UK date input: day, month and year in three boxes, as people write a date.

    The boxes post as `<name>_day`, `<name>_month` and `<name>_year` and are read back as one
    ISO date, so the field's own cleaning says when it is not a real date. A date posted whole
    under the field's name (an ISO date, as a script would send it) is read as it is.
    """

    template_name = "forms/widgets/date_input.html"
    parts = ("day", "month", "year")

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        text = {"inputmode": "numeric", "spellcheck": "false"}
        super().__init__(
            {part: forms.TextInput(attrs=text) for part in self.parts}, attrs=attrs or {}
        )

    def decompress(self, value: Any) -> list[str | None]:
        if isinstance(value, date):
            return [str(value.day), str(value.month), str(value.year)]
        if isinstance(value, str) and (parsed := _iso_date(value)) is not None:
            return self.decompress(parsed)
        if isinstance(value, str) and value.count("-") == 2:
            # What was typed, shown again as it was when it is not a real date.
            year, month, day = value.split("-")
            return [day or None, month or None, year or None]
        return [None, None, None]

    def value_from_datadict(self, data: Any, files: Any, name: str) -> str | None:
        if name in data:
            return data.get(name)
        day, month, year = (str(data.get(f"{name}_{part}", "")).strip() for part in self.parts)
        if not (day or month or year):
            return None
        return f"{year}-{month}-{day}"

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return name not in data and all(f"{name}_{part}" not in data for part in self.parts)

    def id_for_label(self, id_: str) -> str:
        return f"{id_}_0" if id_ else ""


def _iso_date(value: str) -> date | None:
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


OUT_OF_DATE = "This page is out of date: open it again, then make your change."


class StampField(forms.CharField):
    """The version of the record a form was filled in from (hidden); cleans to a `Stamp`."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", True)
        super().__init__(**kwargs)
        self.error_messages["required"] = OUT_OF_DATE

    def prepare_value(self, value: Any) -> Any:
        return str(value) if isinstance(value, Stamp) else value

    def to_python(self, value: Any) -> Stamp | None:  # type: ignore[override]
        if value in self.empty_values:
            return None
        try:
            return Stamp.parse(str(value))
        except ValueError:
            raise forms.ValidationError(OUT_OF_DATE, code="out_of_date") from None


class StampsField(forms.CharField):
    """The versions of several records a form was filled in from, each under a key (hidden):
    `key=stamp key=stamp`. Cleans to a dict of stamps; a record the form did not show has
    none, which is read as `NEW`."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, dict):
            return " ".join(f"{key}={stamp}" for key, stamp in value.items())
        return value

    def to_python(self, value: Any) -> dict[str, Stamp]:  # type: ignore[override]
        stamps: dict[str, Stamp] = {}
        for item in str(value or "").split():
            key, _, text = item.partition("=")
            try:
                stamps[key] = Stamp.parse(text)
            except ValueError:
                raise forms.ValidationError(OUT_OF_DATE, code="out_of_date") from None
        return stamps
