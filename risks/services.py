"""Writes to the risk register: risks, reviews, status and actions.

Every write validates (`full_clean`), runs in one transaction and names the user (and why)
for the history. A review is period data, so it goes through `require_open_period`: a
signed-off period's reviews cannot change. A risk's own fields change every month, so they are
not refused: a signed-off period reads the register as it stood when it was signed off
(`risks.selectors.register`), and no write here changes what it shows.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from nct_monitor.audit import attribute
from nct_monitor.concurrency import Difference, EditConflict, Stamp, other_change
from nct_monitor.models import Period
from nct_monitor.periods import PeriodRef
from nct_monitor.services import require_open_period
from risks.choices import ActionStatus, RiskStatus
from risks.matrix import IMPACT, LIKELIHOOD, Level
from risks.models import Risk, RiskAction, RiskReview, normalise_ref


@dataclass(frozen=True)
class RiskFields:
    """Everything the register holds about a risk, as one row of the register says it."""

    ref: str
    category: str
    risk_type: str
    owner: str
    date_raised: date
    description: str
    event: str
    impact_description: str
    mitigating_actions: str
    current_position: str
    further_actions: str
    initial_probability: int
    initial_impact: int
    current_probability: int
    current_impact: int
    target_probability: int
    target_impact: int
    status: str = RiskStatus.OPEN
    status_date: date | None = None

    def cleaned(self) -> RiskFields:
        """The same fields with the number normalised and text trimmed, as they are stored."""
        changes: dict[str, Any] = {"ref": normalise_ref(self.ref)}
        for item in fields(self):
            value = getattr(self, item.name)
            if isinstance(value, str) and item.name != "ref":
                changes[item.name] = value.replace("\r\n", "\n").replace("\r", "\n").strip()
        return replace(self, **changes)


FIELD_NAMES = tuple(item.name for item in fields(RiskFields))


def fields_of(risk: Risk) -> RiskFields:
    """The register row a stored risk makes (to compare with an imported one)."""
    return RiskFields(**{name: getattr(risk, name) for name in FIELD_NAMES})


@transaction.atomic
def save_risk(
    *, data: RiskFields, user: Any, reason: str = "", risk: Risk | None = None
) -> tuple[Risk, bool]:
    """Create the risk, or update the one with the same number (or `risk`, renumbering it).

    Returns the risk and whether anything changed. Nothing is saved when a field is invalid.
    """
    data = data.cleaned()
    if risk is None:
        risk = Risk.objects.select_for_update().filter(ref=data.ref).first()
    else:
        risk = Risk.objects.select_for_update().get(pk=risk.pk)
    created = risk is None
    if risk is None:
        risk = Risk()
    elif fields_of(risk) == data:
        return risk, False
    for name, value in asdict(data).items():
        setattr(risk, name, value)
    attribute(risk, user=user, reason=reason or ("Added" if created else "Edited"))
    risk.full_clean()
    risk.save()
    return risk, True


@transaction.atomic
def set_risk_status(
    *, risk: Risk, status: str, status_date: date | None, user: Any, reason: str = ""
) -> Risk:
    """Close a risk, transfer it to the operational register, or reopen it.

    A closed or transferred risk needs the date, on or after the date raised and not in the
    future; reopening clears it.
    """
    locked = Risk.objects.select_for_update().get(pk=risk.pk)
    if status == RiskStatus.OPEN:
        status_date = None
    elif status_date is not None and status_date > timezone.localdate():
        raise ValidationError({"status_date": "The date cannot be in the future."})
    locked.status = status
    locked.status_date = status_date
    label = RiskStatus(status).label
    attribute(locked, user=user, reason=reason or f"Status set to {str(label).lower()}")
    locked.full_clean()
    locked.save()
    return locked


@dataclass(frozen=True)
class ReviewFigures:
    """What a review records, as an editor typed it."""

    probability: int
    impact: int
    position: str
    further_actions: str
    reviewer: str
    reviewed_on: date

    def cleaned(self) -> ReviewFigures:
        return replace(
            self,
            position=self.position.strip(),
            further_actions=self.further_actions.strip(),
            reviewer=self.reviewer.strip(),
        )


def review_differences(review: RiskReview | None, yours: ReviewFigures) -> tuple[Difference, ...]:
    """A period's review as saved (None: no review) beside one an editor tried to save."""
    theirs = (
        ReviewFigures(
            review.probability,
            review.impact,
            review.position,
            review.further_actions,
            review.reviewer,
            review.reviewed_on,
        )
        if review is not None
        else None
    )

    def scale(figures: ReviewFigures | None, name: str, levels: dict[int, Level]) -> str:
        if figures is None:
            return ""
        value = getattr(figures, name)
        return levels[value].label if value in levels else str(value)

    def score(figures: ReviewFigures | None) -> str:
        return "" if figures is None else str(figures.probability * figures.impact)

    def text(figures: ReviewFigures | None, name: str) -> str:
        return "" if figures is None else str(getattr(figures, name))

    def day(figures: ReviewFigures | None) -> str:
        return "" if figures is None else f"{figures.reviewed_on:%-d %B %Y}"

    return (
        Difference(
            "Current probability",
            scale(theirs, "probability", LIKELIHOOD),
            scale(yours, "probability", LIKELIHOOD),
        ),
        Difference(
            "Current impact", scale(theirs, "impact", IMPACT), scale(yours, "impact", IMPACT)
        ),
        Difference("Current score", score(theirs), score(yours)),
        Difference("Reviewed by", text(theirs, "reviewer"), text(yours, "reviewer")),
        Difference("Date reviewed", day(theirs), day(yours)),
        Difference(
            "Current position", text(theirs, "position"), text(yours, "position"), long=True
        ),
        Difference(
            "Further management actions",
            text(theirs, "further_actions"),
            text(yours, "further_actions"),
            long=True,
        ),
    )


def _check_review_period(risk: Risk, period: Period, reviewed_on: date) -> None:
    today = timezone.localdate()
    errors: dict[str, str] = {}
    if period.ref > PeriodRef.containing(today):
        errors["period"] = f"{period.label} has not started yet; review a period up to this one."
    elif period.ref < PeriodRef.containing(risk.date_raised):
        errors["period"] = (
            f"{period.label} is before {risk.ref} was raised on {risk.date_raised:%d/%m/%Y}."
        )
    if reviewed_on > today:
        errors["reviewed_on"] = "The date reviewed cannot be in the future."
    elif reviewed_on < risk.date_raised:
        errors["reviewed_on"] = (
            f"The date reviewed cannot be before {risk.ref} was raised on "
            f"{risk.date_raised:%d/%m/%Y}."
        )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def record_review(
    *,
    risk: Risk,
    period: Period,
    probability: int,
    impact: int,
    position: str,
    further_actions: str,
    reviewer: str,
    reviewed_on: date,
    user: Any,
    expected: Stamp | None = None,
) -> RiskReview:
    """Record (or correct) a risk's review for a period.

    The period must be open. When it is the risk's latest reviewed period, the review becomes
    the risk's current score, position and further actions. A risk's first review keeps the
    score the register held before it, so its movement can be shown. With `expected` (the
    review of that period the editor was shown, `NEW` for none), a review saved after someone
    else recorded or changed that period's review is refused with an `EditConflict`, and
    nothing is written. The period row, the risk and the review stay locked until the
    transaction ends.
    """
    period, locked = _lock_for_review(risk, period, reviewed_on)
    earlier, later = _other_reviews(locked, period)
    review = (
        RiskReview.objects.select_for_update(of=("self",))
        .select_related("period__year")
        .filter(risk=locked, period=period)
        .first()
    )
    if expected is not None and not expected.matches(review):
        yours = ReviewFigures(
            probability, impact, position, further_actions, reviewer, reviewed_on
        ).cleaned()
        raise _review_conflict(locked, period, review, yours)
    if review is not None:
        review.version += 1
    else:
        review = _first_review_of_period(locked, period, earlier=earlier, later=later)
    review.probability = probability
    review.impact = impact
    review.position = position.strip()
    review.further_actions = further_actions.strip()
    review.reviewer = reviewer.strip()
    review.reviewed_on = reviewed_on
    review.recorded_by = user if getattr(user, "is_authenticated", False) else None
    attribute(review, user=user, reason=f"Review for {period.label}")
    review.full_clean()
    review.save()
    if not later:
        _make_current(locked, review, period=period, user=user)
    return review


def _lock_for_review(risk: Risk, period: Period, reviewed_on: date) -> tuple[Period, Risk]:
    """The open period and the risk, both locked, once a review of it for then is allowed."""
    try:
        period = require_open_period(year=period.year.start_year, period=period.number)
    except ValidationError as error:
        raise ValidationError({"period": error.messages}) from None
    locked = Risk.objects.select_for_update().get(pk=risk.pk)
    if not locked.is_open:
        raise ValidationError(
            f"{locked.ref} is {locked.get_status_display().lower()}, so it is no longer "
            "reviewed. Reopen it to record a review."
        )
    _check_review_period(locked, period, reviewed_on)
    return period, locked


def _other_reviews(risk: Risk, period: Period) -> tuple[list[RiskReview], list[RiskReview]]:
    """The risk's reviews of other periods: (those before `period`, those after it in order)."""
    others = list(
        RiskReview.objects.filter(risk=risk).exclude(period=period).select_related("period__year")
    )
    earlier = [other for other in others if other.period.ref < period.ref]
    later = sorted(
        (other for other in others if other.period.ref > period.ref),
        key=lambda other: other.period.ref,
    )
    return earlier, later


def _review_conflict(
    risk: Risk, period: Period, review: RiskReview | None, yours: ReviewFigures
) -> EditConflict:
    """Someone else recorded or changed the period's review since the editor was shown it."""
    return EditConflict(
        [
            other_change(
                record=f"the {period.label} review of {risk.ref}",
                history=RiskReview.history.filter(risk_id=risk.pk, period_id=period.pk),  # type: ignore[attr-defined]
                differences=review_differences(review, yours),
            )
        ]
    )


def _first_review_of_period(
    risk: Risk, period: Period, *, earlier: list[RiskReview], later: list[RiskReview]
) -> RiskReview:
    """A new review of the period; the risk's first review keeps the score from before it."""
    review = RiskReview(risk=risk, period=period)
    if not earlier:
        # The score before the first review: what the register held until now, or (when a
        # later review exists already) what it held before that one.
        baseline = (
            (later[0].previous_probability, later[0].previous_impact)
            if later
            else (risk.current_probability, risk.current_impact)
        )
        review.previous_probability, review.previous_impact = baseline
    return review


def _make_current(risk: Risk, review: RiskReview, *, period: Period, user: Any) -> None:
    """The latest review becomes the risk's current score, position and further actions."""
    risk.current_probability = review.probability
    risk.current_impact = review.impact
    risk.current_position = review.position
    risk.further_actions = review.further_actions
    attribute(risk, user=user, reason=f"Reviewed for {period.label}")
    risk.full_clean()
    risk.save()


@transaction.atomic
def save_action(
    *,
    risk: Risk,
    description: str,
    owner: str,
    due_date: date,
    status: str = ActionStatus.NOT_STARTED,
    user: Any,
    action: RiskAction | None = None,
) -> RiskAction:
    """Add an action to a risk, or change one of its actions."""
    if action is None:
        action = RiskAction(risk=risk)
    else:
        action = RiskAction.objects.select_for_update().get(pk=action.pk, risk=risk)
    action.description = description.strip()
    action.owner = owner.strip()
    action.due_date = due_date
    action.status = status
    attribute(action, user=user, reason="Action added" if action.pk is None else "Action updated")
    action.full_clean()
    action.save()
    return action
