"""The register as a table: scores with their band's colour and name, movement, reviews."""

from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

from nct_monitor.tables import BaseTable
from risks.choices import Movement, RiskStatus
from risks.matrix import Score
from risks.models import Risk
from risks.selectors import RiskPosition, cached_position

REGISTER_ORDER = ("category_order", "ref_length", "ref")
ARROWS = {Movement.UP: "↑", Movement.DOWN: "↓", Movement.SAME: "→", Movement.NEW: ""}


def score_tag(score: Score, *, label: str = "") -> SafeString:
    """`12 High` in the band's colour, with probability × impact beside it."""
    band = score.band
    return format_html(
        '<strong class="{} nct-score">{}{} {}</strong>'
        '<span class="nct-score-detail"><span class="govuk-visually-hidden">, probability </span>'
        '{}<span aria-hidden="true"> × </span><span class="govuk-visually-hidden"> and impact '
        "</span>{}</span>",
        band.tag_class,
        format_html('<span class="govuk-visually-hidden">{} score </span>', label) if label else "",
        score.value,
        band.name,
        score.probability,
        score.impact,
    )


def movement_text(movement: str, previous: Score | None) -> SafeString:
    """An arrow (hidden from screen readers) and the movement in words."""
    word = Movement(movement).label
    detail = (
        format_html('<span class="nct-score-detail">from {}</span>', previous.value)
        if previous is not None and movement != Movement.NEW
        else ""
    )
    arrow = ARROWS[Movement(movement)]
    return format_html(
        '<span class="nct-movement nct-movement--{}">{}{}</span>{}',
        movement,
        format_html('<span aria-hidden="true">{}</span> ', arrow) if arrow else "",
        word,
        detail,
    )


def review_text(item: RiskPosition) -> SafeString:
    if not item.is_open:
        closed = item.risk.status_date
        return format_html(
            '<strong class="govuk-tag govuk-tag--grey">{}</strong>'
            '<span class="nct-score-detail">{}</span>',
            "Transferred" if item.status == RiskStatus.TRANSFERRED else "Closed",
            f"{closed:%-d %b %Y}" if closed else "",
        )
    if item.review_overdue:
        return format_html(
            '<strong class="govuk-tag govuk-tag--red">Review overdue</strong>'
            '<span class="nct-score-detail">due {}</span>',
            f"{item.review_due:%-d %b %Y}",
        )
    return format_html("Due {}", f"{item.review_due:%-d %b %Y}")


class ScoreColumn(tables.Column):
    """One of a risk's three scores: the tag on the page, the number in exports."""

    def __init__(self, kind: str, **kwargs: Any) -> None:
        kwargs.setdefault("order_by", (f"{kind}_value", *REGISTER_ORDER))
        kwargs.setdefault("empty_values", ())
        super().__init__(**kwargs)
        self.kind = kind

    def render(self, record: Risk) -> SafeString:  # type: ignore[override]
        return score_tag(cached_position(record).score(self.kind), label=str(self.verbose_name))

    def value(self, record: Risk) -> int:  # type: ignore[override]
        return cached_position(record).score(self.kind).value


class RiskTable(BaseTable):
    ref = tables.Column(verbose_name="Risk", order_by=REGISTER_ORDER)
    title = tables.Column(
        verbose_name="Title", accessor="description", orderable=False, visible=False
    )
    owner = tables.Column(verbose_name="Owner")
    category = tables.Column(
        verbose_name="Category", order_by=("category_order", "ref_length", "ref")
    )
    initial = ScoreColumn("initial", verbose_name="Initial")
    current = ScoreColumn("current", verbose_name="Current")
    target = ScoreColumn("target", verbose_name="Target")
    current_band = tables.Column(
        verbose_name="Current band", empty_values=(), visible=False, orderable=False
    )
    movement = tables.Column(verbose_name="Movement", empty_values=(), orderable=False)
    review = tables.Column(verbose_name="Next review", empty_values=(), orderable=False)
    status = tables.Column(verbose_name="Status", visible=False)

    class Meta(BaseTable.Meta):
        fields = (
            "ref",
            "title",
            "owner",
            "category",
            "initial",
            "current",
            "target",
            "current_band",
            "movement",
            "review",
            "status",
        )
        empty_text = "No risks match."
        attrs = {"class": "govuk-table nct-register"}

    def render_ref(self, record: Risk) -> SafeString:
        return format_html(
            '<a class="govuk-link nct-risk-ref" href="{}">{}</a>'
            '<span class="nct-risk-title">{}</span>',
            reverse("risks:risk_detail", args=[record.pk]),
            record.ref,
            record.title,
        )

    def value_ref(self, record: Risk) -> str:
        return record.ref

    def value_title(self, record: Risk) -> str:
        return record.title

    def value_current_band(self, record: Risk) -> str:
        return cached_position(record).band.name

    def render_movement(self, record: Risk) -> SafeString:
        item = cached_position(record)
        return movement_text(item.movement, item.previous)

    def value_movement(self, record: Risk) -> str:
        return cached_position(record).movement

    def render_review(self, record: Risk) -> SafeString:
        return review_text(cached_position(record))

    def value_review(self, record: Risk) -> str:
        item = cached_position(record)
        if not item.is_open:
            return ""
        return f"{'Overdue' if item.review_overdue else 'Due'} {item.review_due:%d/%m/%Y}"

    def value_status(self, record: Risk) -> str:
        if record.status_date:
            return f"{record.get_status_display()} {record.status_date:%d/%m/%Y}"
        return record.get_status_display()
