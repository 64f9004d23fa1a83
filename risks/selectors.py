"""Reads of the risk register: each risk's position, the heatmap and the summary.

Every page, export, JSON summary and report gets a risk's scores, band, movement and review
status from `position` (one risk) or `register` (all of them), so they always agree.

Definitions:

- **Current score.** Today it is the risk's current probability × impact, which the latest
  review (or an import of the register) set. As at a period P it is the score of the latest
  review for P or an earlier period; a risk with no review by then has the score it held before
  its first review (or, never reviewed, its current score).
- **Movement** since the previous review: the current score compared with the score at the
  review before the latest one, or, when the latest review is the risk's first, with the score
  the register held before that review. `up` when the score rose, `down` when it fell, `same`
  when it did not change, and `new` when there is nothing to compare with (never reviewed).
- **Review overdue**: an open risk whose latest review (as at P: the latest review for P or
  earlier) is dated more than 3 calendar months before the reference date. A risk not yet
  reviewed counts from the later of its date raised and the day it was added to NCT Monitor,
  because the register as added is its latest assessment. The reference date is today, or, as
  at a period, the last day of that period's month.
- **Status** as at a period: closed or transferred only if that happened by the end of P.
  Only risks raised by the reference date are on the register as at P.
- **A signed-off period** shows the register as it stood when the period was signed off:
  its risks and reviews are read from their history at that moment, so nothing recorded
  since (a risk added, renumbered or rescored, a status changed, a review of an earlier
  period that was reopened) changes what the period shows. Reopening it and signing it off
  again shows the register as it then stands.
"""

from __future__ import annotations

import calendar
import re
from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Case, F, IntegerField, Prefetch, Q, QuerySet, Value, When, Window
from django.db.models.functions import Length, RowNumber
from django.utils import timezone

from nct_monitor.models import Period
from nct_monitor.periods import PeriodRef
from risks.choices import Movement, RiskCategory, RiskStatus, ScoreKind
from risks.matrix import SCALE, Band, Score, bands  # `bands`: other apps read it from here
from risks.models import Risk, RiskAction, RiskReview

REVIEW_INTERVAL_MONTHS = 3


def add_months(day: date, months: int) -> date:
    """The same day `months` later (or earlier), on the month's last day if it has fewer."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def period_end(ref: PeriodRef) -> date:
    start = ref.month_start
    return date(start.year, start.month, calendar.monthrange(start.year, start.month)[1])


def reference_date(as_at: Period | None = None, today: date | None = None) -> date:
    """The day a review is counted overdue against: the period's last day, or today."""
    if as_at is not None:
        return period_end(as_at.ref)
    return today or timezone.localdate()


def ref_sort_key(ref: str) -> tuple[Any, ...]:
    """`FOR 05` before `FOR 010`: numbers in a risk number sort as numbers."""
    return tuple(
        (0, int(part), "") if part.isdigit() else (1, 0, part)
        for part in re.findall(r"\d+|\D+", ref)
    )


CATEGORY_ORDER = {value: index for index, value in enumerate(RiskCategory.values)}


def _reviews_in_order() -> Prefetch:
    return Prefetch(
        "reviews",
        queryset=RiskReview.objects.select_related("period__year").order_by(
            "period__year__start_year", "period__number"
        ),
    )


def _end_reviews(*, newest_first: bool, keep: int, as_at: Period | None) -> QuerySet[RiskReview]:
    """Each risk's first `keep` reviews, or its latest `keep` (for `as_at` or earlier), oldest
    first."""
    year, number = F("period__year__start_year"), F("period__number")
    order: list[Any] = [year.asc(), number.asc()]
    reviews = RiskReview.objects.select_related("period__year")
    if newest_first:
        order = [year.desc(), number.desc()]
        if as_at is not None:
            reviews = reviews.filter(_up_to(as_at.ref))
    return (
        reviews.annotate(rank=Window(RowNumber(), partition_by=[F("risk_id")], order_by=order))
        .filter(rank__lte=keep)
        .order_by(year, number)
    )


def _up_to(ref: PeriodRef) -> Q:
    return Q(period__year__start_year__lt=ref.start_year) | Q(
        period__year__start_year=ref.start_year, period__number__lte=ref.number
    )


def risk_queryset() -> QuerySet[Risk]:
    """Risks with their reviews and their scores as columns, in the register's order.

    The score columns (`initial_value`, `current_value`, `target_value`) let lists sort and
    filter by score and band in the database.
    """
    return (
        Risk.objects.prefetch_related(_reviews_in_order())
        .annotate(
            category_order=Case(
                *[When(category=value, then=Value(i)) for value, i in CATEGORY_ORDER.items()],
                default=Value(len(CATEGORY_ORDER)),
                output_field=IntegerField(),
            ),
            ref_length=Length("ref"),
            initial_value=F("initial_probability") * F("initial_impact"),
            current_value=F("current_probability") * F("current_impact"),
            target_value=F("target_probability") * F("target_impact"),
        )
        .order_by("category_order", "ref_length", "ref")
    )


def get_risk(pk: int) -> Risk:
    return risk_queryset().prefetch_related("actions").get(pk=pk)


@dataclass(frozen=True)
class RiskPosition:
    """A risk as at a date: its scores and band, movement and whether a review is overdue."""

    risk: Risk
    status: str
    initial: Score
    current: Score
    target: Score
    previous: Score | None
    movement: str
    last_review: RiskReview | None
    last_assessed: date
    review_due: date
    review_overdue: bool

    @property
    def band(self) -> Band:
        return self.current.band

    @property
    def is_open(self) -> bool:
        return self.status == RiskStatus.OPEN

    @property
    def status_label(self) -> str:
        return str(RiskStatus(self.status).label)

    @property
    def movement_label(self) -> str:
        return str(Movement(self.movement).label)

    def score(self, kind: str) -> Score:
        return {"initial": self.initial, "current": self.current, "target": self.target}[kind]


def _reviews_up_to(risk: Risk, as_at: Period | None) -> list[RiskReview]:
    reviews = sorted(risk.reviews.all(), key=lambda review: review.period.ref)
    if as_at is None:
        return reviews
    return [review for review in reviews if review.period.ref <= as_at.ref]


def _compare(current: Score, previous: Score | None) -> str:
    if previous is None:
        return Movement.NEW
    if current.value > previous.value:
        return Movement.UP
    if current.value < previous.value:
        return Movement.DOWN
    return Movement.SAME


def position(risk: Risk, *, as_at: Period | None = None, today: date | None = None) -> RiskPosition:
    """A risk's scores, movement and review status today, or as at the end of `as_at`.

    Uses the risk's prefetched reviews (`risk_queryset`), so a list runs no query per risk.
    """
    reference = reference_date(as_at, today)
    recent: list[RiskReview] | None = getattr(risk, "latest_reviews", None)
    if recent is not None:  # `register` fetched only the reviews needed here
        reviews = recent
        first = risk.first_review[0] if risk.first_review else None  # type: ignore[attr-defined]
    else:
        reviews = _reviews_up_to(risk, as_at)
        first = min(risk.reviews.all(), key=lambda review: review.period.ref, default=None)
    latest = reviews[-1] if reviews else None
    if as_at is None:
        current = risk.current_score
    elif latest is not None:
        current = latest.score
    elif first is not None and first.previous_score is not None:
        current = first.previous_score  # reviewed only later: the score before then
    else:
        current = risk.current_score
    if latest is None:
        previous = None
    elif len(reviews) >= 2:
        previous = reviews[-2].score
    else:
        previous = latest.previous_score
    status = risk.status
    if status != RiskStatus.OPEN and risk.status_date and risk.status_date > reference:
        status = RiskStatus.OPEN
    if latest is not None:
        last_assessed = latest.reviewed_on
    else:
        last_assessed = max(risk.date_raised, timezone.localtime(risk.added_at).date())
    review_due = add_months(last_assessed, REVIEW_INTERVAL_MONTHS)
    return RiskPosition(
        risk=risk,
        status=status,
        initial=risk.initial_score,
        current=current,
        target=risk.target_score,
        previous=previous,
        movement=_compare(current, previous),
        last_review=latest,
        last_assessed=last_assessed,
        review_due=review_due,
        review_overdue=status == RiskStatus.OPEN and review_due < reference,
    )


def cached_position(risk: Risk, *, today: date | None = None) -> RiskPosition:
    """`position(risk)` today, worked out once per risk object (tables ask for it per column)."""
    found: RiskPosition | None = getattr(risk, "_nct_position", None)
    if found is None:
        found = position(risk, today=today)
        risk._nct_position = found  # type: ignore[attr-defined]
    return found


def register(*, as_at: Period | None = None, today: date | None = None) -> list[RiskPosition]:
    """Every risk on the register (as at the end of `as_at`, or today), in register order."""
    if as_at is not None and as_at.is_signed_off and as_at.status_changed_at is not None:
        return _register_when_signed_off(as_at, today)
    reference = reference_date(as_at, today)
    # A position needs only the latest two reviews (as at the period) and the first one, so
    # the register reads the same number of rows however many years of reviews there are.
    risks = (
        risk_queryset()
        .prefetch_related(None)
        .prefetch_related(
            Prefetch(
                "reviews",
                queryset=_end_reviews(newest_first=True, keep=2, as_at=as_at),
                to_attr="latest_reviews",
            ),
            Prefetch(
                "reviews",
                queryset=_end_reviews(newest_first=False, keep=1, as_at=None),
                to_attr="first_review",
            ),
        )
    )
    if as_at is not None:
        risks = risks.filter(date_raised__lte=reference)
    return [position(risk, as_at=as_at, today=today) for risk in risks]


def _register_when_signed_off(as_at: Period, today: date | None) -> list[RiskPosition]:
    """The register as at signed-off `as_at`, from the risks and reviews as they stood when it
    was signed off (three queries, however long the history)."""
    moment = as_at.status_changed_at
    reference = reference_date(as_at, today)
    periods = {period.pk: period for period in Period.objects.select_related("year")}
    reviews: dict[int, list[RiskReview]] = {}
    for review in RiskReview.history.as_of(moment):  # type: ignore[attr-defined]
        review.period = periods[review.period_id]
        reviews.setdefault(review.risk_id, []).append(review)
    risks = [risk for risk in Risk.history.as_of(moment) if risk.date_raised <= reference]  # type: ignore[attr-defined]
    risks.sort(
        key=lambda risk: (
            CATEGORY_ORDER.get(risk.category, len(CATEGORY_ORDER)),
            len(risk.ref),
            risk.ref,
        )
    )
    for risk in risks:
        ordered = sorted(reviews.get(risk.pk, []), key=lambda review: review.period.ref)
        risk.first_review = ordered[:1]
        risk.latest_reviews = [review for review in ordered if review.period.ref <= as_at.ref][-2:]
    return [position(risk, as_at=as_at, today=today) for risk in risks]


@dataclass(frozen=True)
class HeatmapCell:
    probability: int
    impact: int
    score: Score
    count: int

    @property
    def band(self) -> Band:
        return self.score.band


@dataclass(frozen=True)
class Heatmap:
    """Open risks counted by probability (rows, 5 at the top) and impact (columns, 1 first)."""

    kind: str
    rows: list[tuple[int, list[HeatmapCell]]]
    total: int

    @property
    def cells(self) -> list[HeatmapCell]:
        """All 25 cells, probability 1 to 5, then impact 1 to 5."""
        found = [cell for _, row in self.rows for cell in row]
        return sorted(found, key=lambda cell: (cell.probability, cell.impact))

    @property
    def kind_label(self) -> str:
        return str(ScoreKind(self.kind).label).lower()


def heatmap(positions: list[RiskPosition], *, kind: str = ScoreKind.CURRENT) -> Heatmap:
    """The 5×5 grid of open risks by their `kind` score (initial, current or target)."""
    counts: Counter[tuple[int, int]] = Counter()
    for item in positions:
        if item.is_open:
            found = item.score(kind)
            counts[(found.probability, found.impact)] += 1
    rows = [
        (
            probability,
            [
                HeatmapCell(
                    probability, impact, Score(probability, impact), counts[(probability, impact)]
                )
                for impact in SCALE
            ],
        )
        for probability in reversed(SCALE)
    ]
    return Heatmap(kind=str(kind), rows=rows, total=sum(counts.values()))


def band_counts(positions: list[RiskPosition], *, kind: str = ScoreKind.CURRENT) -> dict[str, int]:
    """Open risks in each band by their `kind` score, every band present (lowest first)."""
    counts = {band.key: 0 for band in bands()}
    for item in positions:
        if item.is_open:
            counts[item.score(kind).band.key] += 1
    return counts


def band_count_pairs(
    positions: list[RiskPosition], *, kind: str = ScoreKind.CURRENT
) -> list[tuple[Band, int]]:
    """(band, number of open risks in it), lowest band first, for the heatmap's key."""
    counts = band_counts(positions, kind=kind)
    return [(band, counts[band.key]) for band in bands()]


def summary(*, as_at: Period | None = None, today: date | None = None) -> dict[str, Any]:
    """The register as `risk_summary --json` prints it.

    `as_at` is the period's label, or today's date (ISO) when no period is given, because the
    register then shows its live position.
    """
    positions = register(as_at=as_at, today=today)
    grid = heatmap(positions)
    return {
        "as_at": as_at.label if as_at is not None else reference_date(None, today).isoformat(),
        "risks": [
            {
                "ref": item.risk.ref,
                "title": item.risk.title,
                "category": item.risk.get_category_display(),
                "owner": item.risk.owner,
                "status": item.status,
                "initial_score": item.initial.value,
                "current_score": item.current.value,
                "target_score": item.target.value,
                "band": item.band.key,
                "movement": item.movement,
                "review_overdue": item.review_overdue,
            }
            for item in positions
        ],
        "heatmap": [
            {"probability": cell.probability, "impact": cell.impact, "count": cell.count}
            for cell in grid.cells
        ],
        "bands": band_counts(positions),
    }


@dataclass(frozen=True)
class ReviewEntry:
    """One review in a risk's history, with how its score moved from the one before."""

    review: RiskReview
    score: Score
    previous: Score | None
    movement: str

    @property
    def movement_label(self) -> str:
        return str(Movement(self.movement).label)


def review_history(risk: Risk) -> list[ReviewEntry]:
    """The risk's reviews, oldest first, each compared with the score before it."""
    entries = []
    previous: Score | None = None
    for index, review in enumerate(_reviews_up_to(risk, None)):
        before = previous if index else review.previous_score
        entries.append(ReviewEntry(review, review.score, before, _compare(review.score, before)))
        previous = review.score
    return entries


def period_key(period: Period) -> str:
    """A period as the review form's choices write it: `2023:9`."""
    return f"{period.year.start_year}:{period.number}"


def reviews_by_period(risk: Risk) -> dict[str, RiskReview]:
    """The risk's reviews by period (`period_key`), as the review form fills in from them."""
    reviews = RiskReview.objects.filter(risk=risk).select_related("period__year")
    return {period_key(review.period): review for review in reviews}


def risk_actions(risk: Risk) -> list[RiskAction]:
    return list(risk.actions.all())


def owner_choices() -> list[tuple[str, str]]:
    owners = Risk.objects.order_by("owner").values_list("owner", flat=True).distinct()
    return [(owner, owner) for owner in owners]
