from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms as django_forms
from django.core.exceptions import ValidationError

from contracts.models import Contract
from nct_monitor.finance import HUNDRED
from nct_monitor.forms import DateInput, Form


class ShareScheduleForm(Form):
    """The councils' shares from a date, one percentage field per council of the contract."""

    effective_from = django_forms.DateField(label="Shares apply from", widget=DateInput())
    note = django_forms.CharField(
        label="Note",
        required=False,
        max_length=300,
        help_text="For example, where the split was agreed.",
    )

    def __init__(self, *args: Any, contract: Contract, **kwargs: Any) -> None:
        self.councils = list(contract.councils.order_by("short_name"))
        super().__init__(*args, **kwargs)
        for council in self.councils:
            field = django_forms.DecimalField(
                label=f"{council.name} ({council.short_name}) share, %",
                max_digits=5,
                decimal_places=2,
                min_value=Decimal(0),
                max_value=HUNDRED,
                widget=django_forms.TextInput(
                    attrs={"inputmode": "decimal", "class": "govuk-input--width-5"}
                ),
            )
            label = f"{council.short_name}'s share"
            field.error_messages.update(
                {
                    "required": f"Enter {label}",
                    "invalid": f"{label} must be a percentage, like 44.16",
                    "max_decimal_places": f"{label} must have at most 2 decimal places",
                    "max_digits": f"{label} must be a percentage from 0 to 100",
                    "max_whole_digits": f"{label} must be a percentage from 0 to 100",
                    "min_value": f"{label} must be 0% or more",
                    "max_value": f"{label} must be 100% or less",
                }
            )
            self.fields[f"share_{council.short_name}"] = field

    def shares(self) -> dict[str, Decimal]:
        return {c.short_name: self.cleaned_data[f"share_{c.short_name}"] for c in self.councils}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        values = [cleaned.get(f"share_{c.short_name}") for c in self.councils]
        if all(value is not None for value in values):
            total = sum(values, Decimal(0))
            if total != HUNDRED:
                listed = " + ".join(
                    f"{c.short_name} {value}%"
                    for c, value in zip(self.councils, values, strict=True)
                )
                raise ValidationError(
                    f"The shares must total exactly 100.00%, but {listed} = {total}%."
                )
        return cleaned
