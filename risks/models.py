"""The Trust's strategic risk register: risks, their reviews each period, and their actions."""

from __future__ import annotations

import re
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from nct_monitor.models import Period
from risks.choices import ActionStatus, RiskCategory, RiskStatus
from risks.matrix import IMPACT, LIKELIHOOD, Score

TITLE_LENGTH = 100


def scale_field(verbose_name: str, *, null: bool = False) -> models.PositiveSmallIntegerField:
    """A probability or impact: a whole number 1 to 5."""
    return models.PositiveSmallIntegerField(
        verbose_name,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        null=null,
        blank=null,
    )


def scale_constraint(field: str, label: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=models.Q(**{f"{field}__gte": 1, f"{field}__lte": 5})
        | models.Q(**{f"{field}__isnull": True}),
        name=f"%(class)s_{field}_1_to_5",
        violation_error_message=f"The {label} must be a whole number from 1 to 5.",
    )


def normalise_ref(text: str) -> str:
    """`for  05` → `FOR 05`: one spelling per risk number, whatever the spreadsheet wrote."""
    return re.sub(r"\s+", " ", str(text)).strip().upper()


def short_title(description: str) -> str:
    """A risk's title: the opening words of its description.

    The register has no title column; the description starts with what the risk is about
    ("Data Breach. NCT processes…", "Redesign of short breaks - current services…"), so the
    title is the description up to its first sentence end, colon or spaced dash, at most
    100 characters (cut at a word, with an ellipsis).
    """
    text = re.sub(r"\s+", " ", description or "").strip()
    match = re.search(r"\.\s|:\s| - | – |;\s", text)
    if match and match.start() >= 8:
        text = text[: match.start()]
    text = text.rstrip(" .;:")
    if len(text) <= TITLE_LENGTH:
        return text
    cut = text[: TITLE_LENGTH - 1].rsplit(" ", 1)[0].rstrip(" ,;:-–(")
    return f"{cut}…"


class Risk(models.Model):
    """A risk on the Trust's strategic register (its business plan's Appendix 8).

    Each risk carries three assessments, each probability × impact on 1-5: the initial score
    when it was raised, the current score (moved by each review) and the target residual score
    it should reach once the further actions are done. Scores are computed from probability and
    impact, never stored. A risk is open until it is closed or transferred to the Trust's
    operational register, on a date.
    """

    ref = models.CharField(
        "risk number",
        max_length=20,
        help_text="As the register numbers it, for example CR 01, SCR 05 or FOR 013.",
    )
    category = models.CharField(max_length=32, choices=RiskCategory.choices)
    risk_type = models.CharField("risk type", max_length=200, blank=True)
    owner = models.CharField("risk owner", max_length=200)
    date_raised = models.DateField("date raised")
    description = models.TextField("risk description")
    event = models.TextField("event (cause)", blank=True)
    impact_description = models.TextField("impact", blank=True)
    mitigating_actions = models.TextField("mitigating action", blank=True)
    current_position = models.TextField("current position", blank=True)
    further_actions = models.TextField("further management actions", blank=True)
    initial_probability = scale_field("initial probability")
    initial_impact = scale_field("initial impact")
    current_probability = scale_field("current probability")
    current_impact = scale_field("current impact")
    target_probability = scale_field("target probability")
    target_impact = scale_field("target impact")
    status = models.CharField(max_length=16, choices=RiskStatus.choices, default=RiskStatus.OPEN)
    status_date = models.DateField(
        "date closed or transferred",
        null=True,
        blank=True,
        help_text="The date the risk was closed or transferred to the operational register.",
    )
    added_at = models.DateTimeField("added to NCT Monitor", auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["ref"]
        constraints = [
            models.UniqueConstraint(
                fields=["ref"],
                name="risk_ref_unique",
                violation_error_message="The register already has a risk with this number.",
            ),
            scale_constraint("initial_probability", "initial probability"),
            scale_constraint("initial_impact", "initial impact"),
            scale_constraint("current_probability", "current probability"),
            scale_constraint("current_impact", "current impact"),
            scale_constraint("target_probability", "target probability"),
            scale_constraint("target_impact", "target impact"),
            models.CheckConstraint(
                condition=(
                    models.Q(status=RiskStatus.OPEN, status_date__isnull=True)
                    | (~models.Q(status=RiskStatus.OPEN) & models.Q(status_date__isnull=False))
                ),
                name="risk_closed_has_a_date",
                violation_error_message="A closed or transferred risk needs the date it was "
                "closed or transferred, and an open risk has none.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ref} {self.title}"

    @property
    def title(self) -> str:
        return short_title(self.description)

    @property
    def initial_score(self) -> Score:
        return Score(self.initial_probability, self.initial_impact)

    @property
    def current_score(self) -> Score:
        return Score(self.current_probability, self.current_impact)

    @property
    def target_score(self) -> Score:
        return Score(self.target_probability, self.target_impact)

    @property
    def is_open(self) -> bool:
        return self.status == RiskStatus.OPEN

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.status != RiskStatus.OPEN and self.status_date is None:
            errors["status_date"] = (
                f"Risk {self.ref} is {self.get_status_display().lower()}: give the date it was "
                f"{'closed' if self.status == RiskStatus.CLOSED else 'transferred'}."
            )
        if self.status == RiskStatus.OPEN and self.status_date is not None:
            errors["status_date"] = (
                f"Risk {self.ref} is open, so it has no date closed; close it or clear the date."
            )
        if self.status_date and self.date_raised and self.status_date < self.date_raised:
            errors["status_date"] = (
                f"Risk {self.ref} cannot be closed on {self.status_date:%d/%m/%Y}, before it was "
                f"raised on {self.date_raised:%d/%m/%Y}."
            )
        if errors:
            raise ValidationError(errors)


class RiskReview(models.Model):
    """A risk's review in a period: its current probability and impact, position and actions.

    Recording the review for the latest reviewed period moves the risk's current score, so
    each risk has a history of its current score by period. `previous_probability` and
    `previous_impact` keep the current score the register held before the risk's first review
    (for example as imported), so a first review still shows how the score moved. `version`
    goes up with every change, so a review saved over one someone else has since changed is
    refused rather than lost.
    """

    risk = models.ForeignKey(Risk, on_delete=models.CASCADE, related_name="reviews")
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="+")
    probability = scale_field("current probability")
    impact = scale_field("current impact")
    previous_probability = scale_field("probability before the first review", null=True)
    previous_impact = scale_field("impact before the first review", null=True)
    position = models.TextField("current position")
    further_actions = models.TextField("further management actions", blank=True)
    reviewer = models.CharField(max_length=200, help_text="Who reviewed the risk.")
    reviewed_on = models.DateField("date reviewed")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["risk", "period__year__start_year", "period__number"]
        constraints = [
            models.UniqueConstraint(
                fields=["risk", "period"],
                name="riskreview_one_per_period",
                violation_error_message="This risk already has a review for that period.",
            ),
            scale_constraint("probability", "current probability"),
            scale_constraint("impact", "current impact"),
            scale_constraint("previous_probability", "probability before the first review"),
            scale_constraint("previous_impact", "impact before the first review"),
        ]

    def __str__(self) -> str:
        return f"{self.risk.ref} review, {self.period.label}"

    @property
    def score(self) -> Score:
        return Score(self.probability, self.impact)

    @property
    def previous_score(self) -> Score | None:
        if self.previous_probability is None or self.previous_impact is None:
            return None
        return Score(self.previous_probability, self.previous_impact)


class RiskAction(models.Model):
    """A further management action with an owner and due date, tracked beside the narrative."""

    risk = models.ForeignKey(Risk, on_delete=models.CASCADE, related_name="actions")
    description = models.TextField()
    owner = models.CharField(max_length=200)
    due_date = models.DateField("due date")
    status = models.CharField(
        max_length=16, choices=ActionStatus.choices, default=ActionStatus.NOT_STARTED
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["risk", "due_date", "pk"]

    def __str__(self) -> str:
        return f"{self.risk.ref}: {short_title(self.description)}"

    def is_overdue_on(self, day: date) -> bool:
        """Past its due date and not complete."""
        return self.status != ActionStatus.COMPLETE and self.due_date < day


# The scales' names, for forms and templates that offer a choice of 1-5.
LIKELIHOOD_CHOICES = [(level.value, level.label) for level in LIKELIHOOD.values()]
IMPACT_CHOICES = [(level.value, level.label) for level in IMPACT.values()]
