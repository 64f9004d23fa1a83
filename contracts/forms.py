from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms as django_forms
from django.core.exceptions import ValidationError

from contracts.choices import (
    BusinessCaseTheme,
    ContractSumStatus,
    ForecastCategory,
    FundingBlock,
    InvestToSaveKind,
)
from contracts.models import BusinessCase, Contract
from contracts.services import MTFP_FIELDS, ForecastEntry
from nct_monitor.choices import PeriodStatus
from nct_monitor.concurrency import Stamp
from nct_monitor.finance import HUNDRED, MILLION, PENNY
from nct_monitor.forms import DateInput, Form, MoneyField, StampField
from nct_monitor.models import FinancialYear, Period
from nct_monitor.periods import PeriodRef


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


# --- The contract's finance -------------------------------------------------------------------


class AmountField(MoneyField):
    """An amount in pounds, or in millions with an `m` as the papers write money.

    `177429000`, `£177,429,000.00`, `177.429m` and `£177.429m` are the same amount. A bare
    number is always pounds: only the explicit `m` means millions, so nothing is guessed.
    """

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault(
            "help_text", "In pounds, like 1247000, or in millions with an m, like £1.247m."
        )
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> Decimal | None:
        if isinstance(value, str):
            text = value.strip().replace(",", "").replace("£", "").replace(" ", "")
            text = text.replace("−", "-")  # a typographic minus, as the papers print one
            if text[-1:].lower() == "m":
                try:
                    amount = Decimal(text[:-1]) * MILLION
                    if amount.is_finite():
                        # To the penny when it is; else as few places as it needs, so the
                        # field reports the extra places rather than a length.
                        exact = amount.quantize(PENNY) == amount
                        text = str(amount.quantize(PENNY) if exact else amount.normalize())
                except InvalidOperation:
                    # Not a number, or too large to hold: left as typed, so the field says
                    # it is not an amount.
                    pass
            value = text
        return super().to_python(value)  # type: ignore[no-any-return]

    def set_messages(self, label: str) -> None:
        super().set_messages(label)
        self.error_messages["invalid"] = (
            f"{label} must be an amount in pounds, like 1247000, or in millions with an m, "
            "like £1.247m"
        )


def year_choices() -> list[tuple[str, str]]:
    return [(str(year.start_year), year.label) for year in FinancialYear.objects.all()]


class YearField(django_forms.TypedChoiceField):
    """A financial year of the contract, chosen from those that exist."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", "Financial year")
        super().__init__(coerce=int, choices=year_choices, **kwargs)

    def validate(self, value: Any) -> None:
        try:
            super().validate(value)
        except ValidationError as error:
            if error.code != "invalid_choice":
                raise
            choices = year_choices()
            raise ValidationError(
                f"Financial year must be one of the contract's years, "
                f"{choices[0][1]} to {choices[-1][1]}"
                if choices
                else "No financial years are set up",
                code="invalid_choice",
            ) from None


def _optional_amount(label: str, **kwargs: Any) -> AmountField:
    return AmountField(label=label, required=False, **kwargs)


NOTES_WIDGET = django_forms.Textarea(attrs={"rows": 3})


class ContractSumForm(Form):
    """A year's contract sum; the year is chosen only when it is first recorded."""

    year = YearField()
    block1 = AmountField(label="Block 1 (core)")
    block2 = _optional_amount(
        "Block 2 (transformation items)",
        help_text="Leave blank for none. In pounds, or in millions with an m, like £2.580m.",
    )
    block2_non_recurring = _optional_amount(
        "Block 2 non-recurring part",
        help_text="The part of Block 2 agreed for this year only. Leave blank for none.",
    )
    block3 = _optional_amount(
        "Block 3 (transformation reserve)",
        help_text="Held outside the contract sum for business cases the Transformation & "
        "Efficiency Board approves. Leave blank for none.",
    )
    status = django_forms.ChoiceField(
        label="Status", choices=ContractSumStatus.choices, widget=django_forms.RadioSelect
    )
    notes = django_forms.CharField(label="Notes", required=False, widget=NOTES_WIDGET)
    source = django_forms.CharField(
        label="Source",
        required=False,
        max_length=300,
        help_text="The paper and paragraph the figures come from.",
    )

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["year"]

    def amounts(self) -> dict[str, Decimal]:
        return {
            name: self.cleaned_data.get(name) or Decimal(0)
            for name in ("block1", "block2", "block2_non_recurring", "block3")
        }


class MtfpBuildUpForm(Form):
    """A year's MTFP build-up, with the net sum the plan states to check it against."""

    year = YearField()
    initial_sum = AmountField(label="Initial contract sum")
    inflation_staffing = AmountField(label="Inflation: staffing", initial=Decimal(0))
    inflation_placements = AmountField(label="Inflation: placements", initial=Decimal(0))
    inflation_other = AmountField(label="Inflation: other", initial=Decimal(0))
    demand_staffing = AmountField(label="Demand-led pressures: staffing", initial=Decimal(0))
    demand_placements = AmountField(label="Demand-led pressures: placements", initial=Decimal(0))
    demand_other = AmountField(label="Demand-led pressures: other", initial=Decimal(0))
    savings = AmountField(
        label="Savings",
        initial=Decimal(0),
        help_text="The savings taken off, as a positive amount. In pounds, or in millions "
        "with an m, like £9.045m.",
    )
    stated_net = _optional_amount(
        "Net contract sum stated in the plan (optional)",
        help_text="If you give it, the build-up must add up to it. It is only checked, not "
        "kept: NCT Monitor computes the net contract sum.",
    )
    notes = django_forms.CharField(label="Notes", required=False, widget=NOTES_WIDGET)
    source = django_forms.CharField(
        label="Source",
        required=False,
        max_length=300,
        help_text="The paper and paragraph the figures come from.",
    )

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["year"]

    def figures(self) -> dict[str, Decimal]:
        return {name: self.cleaned_data[name] for name in MTFP_FIELDS}


class BusinessCaseForm(Form):
    theme = django_forms.ChoiceField(label="Theme", choices=BusinessCaseTheme.choices)
    title = django_forms.CharField(label="Project title", max_length=200)
    date_approved = django_forms.DateField(
        label="Date the full business case was approved", widget=DateInput()
    )
    additional_benefits = _optional_amount(
        "Additional benefits (optional)",
        help_text="Benefits beyond the contract sum savings. In pounds, or in millions with an "
        "m, like £4.023m.",
    )
    additional_benefits_tbc = django_forms.BooleanField(
        label="Additional benefits are to be confirmed", required=False
    )
    duration = django_forms.CharField(
        label="Duration",
        required=False,
        max_length=300,
        help_text="For example, 2024/25 – one off.",
    )
    notes = django_forms.CharField(label="Notes", required=False, widget=NOTES_WIDGET)
    source = django_forms.CharField(label="Source", required=False, max_length=300)


class BusinessCaseSavingForm(Form):
    year = YearField()
    amount = AmountField(label="Contract sum saving")


class FundingAllocationForm(Form):
    business_case = django_forms.ModelChoiceField(
        label="Business case", queryset=BusinessCase.objects.order_by("title")
    )
    year = YearField()
    block = django_forms.TypedChoiceField(
        label="Funding block",
        coerce=int,
        choices=FundingBlock.choices,
        widget=django_forms.RadioSelect,
    )
    amount = AmountField(label="Funding agreed")
    note = django_forms.CharField(label="Note", required=False, max_length=300)

    def __init__(self, *args: Any, business_case: BusinessCase | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if business_case is not None:
            # The case is fixed by the page it was added from, or by the allocation edited.
            del self.fields["business_case"]
        self.business_case = business_case

    def chosen_case(self) -> BusinessCase:
        return self.business_case or self.cleaned_data["business_case"]


class InvestToSaveLineForm(Form):
    programme = django_forms.CharField(
        label="Programme", max_length=200, help_text="For example, Circle to Success."
    )
    year = YearField()
    kind = django_forms.ChoiceField(
        label="Kind of line",
        choices=InvestToSaveKind.choices,
        widget=django_forms.RadioSelect,
        help_text="A grant offsets the programme's funding in the same year.",
    )
    title = django_forms.CharField(label="Description", max_length=300)
    amount = AmountField(label="Amount")
    notes = django_forms.CharField(label="Notes", required=False, widget=NOTES_WIDGET)
    source = django_forms.CharField(label="Source", required=False, max_length=300)


class ForecastForm(Form):
    """A period's forecast pressure in each category, each with its note.

    A category left blank has no line. A negative amount is an underspend.
    """

    template_name = "contracts/forms/forecast_form.html"

    period = django_forms.ChoiceField(label="Period")
    stated_total = _optional_amount(
        "Total pressure stated in the report (optional)",
        help_text="If you give it, the categories must add up to it. It is only checked, not "
        "kept: NCT Monitor computes the total.",
        allow_negative=True,
    )
    source = django_forms.CharField(
        label="Source",
        required=False,
        max_length=300,
        help_text="The report and paragraph the figures come from.",
    )

    def __init__(self, *args: Any, period: Period | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if period is not None:
            del self.fields["period"]
        else:
            self.fields["period"].choices = [
                (f"{p.year.start_year}:{p.number}", f"{p.label} ({p.month_label})")
                for p in Period.objects.select_related("year")
                .exclude(status=PeriodStatus.SIGNED_OFF)
                .order_by("-year__start_year", "-number")
            ]
        self.period = period
        for category in ForecastCategory:
            amount = _optional_amount(
                f"{category.label} pressure",
                allow_negative=True,
                help_text="In pounds, or in millions with an m, like £1.247m. A negative amount "
                "is an underspend. Leave blank for none.",
            )
            amount.set_messages(f"{category.label} pressure")
            self.fields[f"{category.value}_amount"] = amount
            self.fields[f"{category.value}_note"] = django_forms.CharField(
                label=f"{category.label}: what makes up the pressure",
                required=False,
                widget=django_forms.Textarea(attrs={"rows": 2}),
            )
            if period is not None:
                # The version of the line the form was filled in from: a forecast saved over
                # lines someone else has changed since is refused.
                self.fields[f"{category.value}_version"] = StampField(
                    label=f"{category.label} version"
                )

    def category_fields(self) -> list[tuple[str, Any, Any]]:
        return [
            (category.label, self[f"{category.value}_amount"], self[f"{category.value}_note"])
            for category in ForecastCategory
        ]

    def chosen_period(self) -> PeriodRef:
        if self.period is not None:
            return self.period.ref
        return PeriodRef.parse(self.cleaned_data["period"])

    def versions(self) -> dict[str, Stamp] | None:
        """The version of each category's line the form was filled in from (editing only)."""
        if self.period is None:
            return None
        return {
            category.value: self.cleaned_data[f"{category.value}_version"]
            for category in ForecastCategory
        }

    def pressures(self) -> dict[str, Any]:
        return {
            category.value: ForecastEntry(
                self.cleaned_data.get(f"{category.value}_amount"),
                self.cleaned_data.get(f"{category.value}_note", ""),
            )
            for category in ForecastCategory
        }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.errors and all(
            cleaned.get(f"{category.value}_amount") is None for category in ForecastCategory
        ):
            raise ValidationError("Enter the forecast pressure for at least one category.")
        return cleaned
