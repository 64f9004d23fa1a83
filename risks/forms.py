"""Forms for the risk register: a review, a risk, its status and its actions."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils import timezone

from nct_monitor.concurrency import NEW, Stamp
from nct_monitor.forms import DateInput, Form, StampsField
from nct_monitor.models import Period
from nct_monitor.periods import PeriodRef
from nct_monitor.selectors import get_period
from nct_monitor.services import ensure_period_open
from risks.choices import ActionStatus, RiskCategory, RiskStatus
from risks.models import IMPACT_CHOICES, LIKELIHOOD_CHOICES, Risk
from risks.selectors import period_key


def scale_choice(label: str, choices: list[tuple[int, str]], **kwargs: Any) -> forms.Field:
    return forms.TypedChoiceField(
        label=label, choices=[("", "Choose…"), *choices], coerce=int, **kwargs
    )


def review_period_choices(today: date) -> list[tuple[str, str]]:
    """Periods up to the one containing today, newest first; signed-off ones say so."""
    now = PeriodRef.containing(today)
    periods = Period.objects.select_related("year").order_by("-year__start_year", "-number")
    return [
        (
            f"{period.year.start_year}:{period.number}",
            f"{period.label} ({period.month_label})"
            + (" – signed off" if period.is_signed_off else ""),
        )
        for period in periods
        if period.ref <= now
    ]


class RiskReviewForm(Form):
    period = forms.ChoiceField(
        label="Period reviewed",
        help_text="The monitoring period this review is for. A signed-off period cannot change.",
    )
    probability = scale_choice("Current probability", LIKELIHOOD_CHOICES)
    impact = scale_choice("Current impact", IMPACT_CHOICES)
    position = forms.CharField(label="Current position", widget=forms.Textarea(attrs={"rows": 6}))
    further_actions = forms.CharField(
        label="Further management actions",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    reviewer = forms.CharField(
        label="Reviewed by", max_length=200, help_text="The person who reviewed the risk."
    )
    reviewed_on = forms.DateField(label="Date reviewed", widget=DateInput())
    # The version of each period's review when the form was filled in, by period: a review
    # saved over one recorded or changed since is refused.
    versions = StampsField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = review_period_choices(timezone.localdate())  # type: ignore[attr-defined]

    def expected(self) -> Stamp:
        """The version of the chosen period's review the form was filled in from."""
        period: Period = self.cleaned_data["period"]
        return self.cleaned_data["versions"].get(period_key(period), NEW)

    def clean_period(self) -> Period:
        start_year, _, number = self.cleaned_data["period"].partition(":")
        period = get_period(int(start_year), int(number))
        # Said at once, beside any other error; the service checks it again under a lock.
        ensure_period_open(period)
        return period


class RiskForm(Form):
    """Every field of a register row, for adding or editing a risk by hand."""

    ref = forms.CharField(label="Risk number", max_length=20, help_text="For example FOR 018.")
    category = forms.ChoiceField(label="Category", choices=[("", "Choose…"), *RiskCategory.choices])
    risk_type = forms.CharField(label="Risk type", max_length=200, required=False)
    owner = forms.CharField(label="Risk owner", max_length=200)
    date_raised = forms.DateField(label="Date raised", widget=DateInput())
    description = forms.CharField(
        label="Risk description", widget=forms.Textarea(attrs={"rows": 4})
    )
    event = forms.CharField(
        label="Event (cause)", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    impact_description = forms.CharField(
        label="Impact", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    initial_probability = scale_choice("Initial probability", LIKELIHOOD_CHOICES)
    initial_impact = scale_choice("Initial impact", IMPACT_CHOICES)
    mitigating_actions = forms.CharField(
        label="Mitigating action", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    current_position = forms.CharField(
        label="Current position", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    current_probability = scale_choice(
        "Current probability",
        LIKELIHOOD_CHOICES,
        help_text="Reviews move the current score; change it here only to correct it.",
    )
    current_impact = scale_choice("Current impact", IMPACT_CHOICES)
    further_actions = forms.CharField(
        label="Further management actions",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    target_probability = scale_choice("Target probability", LIKELIHOOD_CHOICES)
    target_impact = scale_choice("Target impact", IMPACT_CHOICES)

    @classmethod
    def initial_for(cls, risk: Risk) -> dict[str, Any]:
        return {name: getattr(risk, name) for name in cls.base_fields}


class RiskStatusForm(Form):
    status = forms.ChoiceField(label="Status", choices=RiskStatus.choices, widget=forms.RadioSelect)
    status_date = forms.DateField(
        label="Date closed or transferred",
        required=False,
        widget=DateInput(),
        help_text="Needed when the risk is closed or transferred; cleared when it is reopened.",
    )
    reason = forms.CharField(
        label="Reason",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Kept in the risk's history.",
    )


class RiskActionForm(Form):
    description = forms.CharField(label="Action", widget=forms.Textarea(attrs={"rows": 3}))
    owner = forms.CharField(label="Owner", max_length=200)
    due_date = forms.DateField(label="Due date", widget=DateInput())
    status = forms.ChoiceField(label="Status", choices=ActionStatus.choices)
