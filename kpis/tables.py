"""Tables for KPIs. The scorecard table shows `KpiStatus` rows from `kpis.selectors.scorecard`;
on the page a rating is a coloured tag with its word, and in the xlsx/csv export it is the word
and the figures are exact."""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache
from typing import Any

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from kpis.choices import Direction, Rating
from kpis.models import KpiDefinition, RectificationPlan
from kpis.selectors import KpiStatus
from nct_monitor.charts import sparkline
from nct_monitor.periods import PeriodRef
from nct_monitor.tables import BaseTable

TAG_COLOURS = {
    Rating.GREEN: "govuk-tag--green",
    Rating.AMBER: "govuk-tag--orange",
    Rating.RED: "govuk-tag--red",
    Rating.NO_TARGET: "govuk-tag--grey",
    Rating.NO_DATA: "govuk-tag--grey",
}
ARROWS = {
    # The arrow shows which way the figure moved; the word says whether that is better.
    "up": "▲",
    "down": "▼",
    "same": "▶",
}


ILLUSTRATIVE_TAG = mark_safe(
    ' <strong class="govuk-tag govuk-tag--purple nct-illustrative-tag">Illustrative</strong>'
)


def rating_tag(rating: str) -> SafeString:
    """A GOV.UK tag in the rating's colour with the rating's name: never colour alone."""
    return format_html(
        '<strong class="govuk-tag {} nct-rating">{}</strong>',
        TAG_COLOURS[Rating(rating)],
        Rating(rating).label,
    )


def direction_html(row: KpiStatus) -> SafeString:
    if row.direction is None or row.value is None or row.assessment.previous is None:
        return format_html('<span class="govuk-body-s">{}</span>', "–")
    previous = row.assessment.previous
    assert previous.value is not None
    if row.value > previous.value:
        arrow = ARROWS["up"]
    elif row.value < previous.value:
        arrow = ARROWS["down"]
    else:
        arrow = ARROWS["same"]
    return format_html(
        '<span class="nct-direction nct-direction--{}"><span aria-hidden="true">{}</span> {}'
        '<span class="govuk-visually-hidden">, from {} in {}</span></span>',
        row.direction,
        arrow,
        Direction(row.direction).label,
        row.kpi.format(previous.value),
        previous.label,
    )


@lru_cache(maxsize=512)
def _sparkline(values: tuple[Decimal | None, ...], label: str) -> SafeString:
    return sparkline(list(values), label=label)


def trend_html(row: KpiStatus) -> SafeString:
    points = row.assessment.trend
    shown = [(p.label, p.value) for p in points if p.value is not None]
    if not shown:
        return format_html('<span class="govuk-body-s">{}</span>', "No results")
    label = f"{row.kpi.code}, last {len(points)} results: " + "; ".join(
        f"{period} {row.kpi.format(value)}" for period, value in shown
    )
    return _sparkline(tuple(p.value for p in points), label)


def breach_html(row: KpiStatus) -> SafeString:
    parts = []
    if row.persistent_breach:
        parts.append(
            format_html(
                '<strong class="govuk-tag govuk-tag--red">Persistent breach</strong>'
                '<span class="govuk-body-s nct-breach-periods">{}</span>',
                ", ".join(row.breach_periods),
            )
        )
        if row.plan_due:
            parts.append(
                format_html('<strong class="govuk-tag govuk-tag--pink">{}</strong>', "Plan due")
            )
    if row.assessment.overdue:
        parts.append(
            format_html('<strong class="govuk-tag govuk-tag--yellow">{}</strong>', "Result overdue")
        )
    if not parts:
        return format_html('<span class="govuk-visually-hidden">{}</span>', "None")
    return format_html_join(" ", "{}", ((part,) for part in parts))


class FigureColumn(tables.Column):
    """A right-aligned figure in the KPI's unit on the page; the exact Decimal in exports."""

    numeric = True


class ScorecardTable(BaseTable):
    """Every KPI as at a period."""

    code = tables.Column(verbose_name="KPI", accessor="kpi__number", empty_values=())
    title = tables.Column(verbose_name="Measure", accessor="kpi__title", visible=False)
    unit = tables.Column(verbose_name="Unit", accessor="kpi__unit", visible=False, empty_values=())
    polarity = tables.Column(verbose_name="Polarity", accessor="kpi__polarity", visible=False)
    as_of = tables.Column(verbose_name="As of", accessor="as_of_label", visible=False)
    value = FigureColumn(verbose_name="Result", empty_values=())
    target = FigureColumn(verbose_name="Target", empty_values=())
    tolerance = FigureColumn(verbose_name="Tolerance", empty_values=(), visible=False)
    rating = tables.Column(verbose_name="Rating", empty_values=())
    direction = tables.Column(verbose_name="Direction", empty_values=())
    trend = tables.Column(verbose_name="Last 12 results", empty_values=(), exclude_from_export=True)
    breach = tables.Column(verbose_name="Breach", empty_values=(), accessor="persistent_breach")
    breach_periods = tables.Column(verbose_name="Breach periods", empty_values=(), visible=False)
    commentary = tables.Column(verbose_name="Commentary", empty_values=(), visible=False)
    illustrative = tables.Column(verbose_name="Illustrative", empty_values=(), visible=False)

    class Meta(BaseTable.Meta):
        orderable = False
        row_attrs = {"class": "govuk-table__row", "id": lambda record: f"kpi-{record.kpi.number}"}

    def __init__(self, *args: Any, period: PeriodRef, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.period = period
        self.period_kwargs = {"year": period.start_year, "period": period.number}

    def render_code(self, record: KpiStatus) -> SafeString:
        url = reverse("kpis:kpi_detail", kwargs={**self.period_kwargs, "number": record.kpi.number})
        return format_html(
            '<a class="govuk-link nct-nowrap" href="{}">{}</a><span class="nct-hint">{}</span>{}',
            url,
            record.code,
            record.kpi.title,
            ILLUSTRATIVE_TAG if record.illustrative else "",
        )

    def value_code(self, record: KpiStatus) -> str:
        return record.code

    def render_value(self, record: KpiStatus) -> SafeString:
        shown = record.kpi.format(record.value) if record.value is not None else "–"
        if record.assessment.as_of == self.period:
            return format_html("{}", shown)
        # A quarterly KPI shows its latest quarter: say which.
        return format_html('{}<span class="nct-hint">{}</span>', shown, record.as_of_label)

    def value_value(self, record: KpiStatus) -> Decimal | None:
        return record.value

    def render_target(self, record: KpiStatus) -> SafeString | str:
        if record.target is None:
            return "Not set"
        assert record.assessment.target is not None
        low, high = record.assessment.target.band(record.kpi.polarity)
        if record.tolerance == 0:
            amber = "no amber"
        elif record.kpi.polarity == "higher_is_better":
            amber = f"amber down to {record.kpi.format(low)}"
        else:
            amber = f"amber up to {record.kpi.format(high)}"
        return format_html(
            '{}<span class="nct-hint">{}<span class="govuk-visually-hidden">, tolerance {}'
            "</span></span>",
            record.kpi.format(record.target),
            amber,
            record.kpi.format_points(record.tolerance),
        )

    def value_target(self, record: KpiStatus) -> Decimal | None:
        return record.target

    def render_tolerance(self, record: KpiStatus) -> str:
        if record.tolerance is None:
            return "–"
        return record.kpi.format_points(record.tolerance)

    def value_tolerance(self, record: KpiStatus) -> Decimal | None:
        return record.tolerance

    def render_rating(self, record: KpiStatus) -> SafeString:
        return rating_tag(record.rating)

    def value_rating(self, record: KpiStatus) -> str:
        return str(record.rating)

    def render_direction(self, record: KpiStatus) -> SafeString:
        return direction_html(record)

    def value_direction(self, record: KpiStatus) -> str:
        return "" if record.direction is None else str(record.direction)

    def render_trend(self, record: KpiStatus) -> SafeString:
        return trend_html(record)

    def render_breach(self, record: KpiStatus) -> SafeString:
        return breach_html(record)

    def value_breach(self, record: KpiStatus) -> str:
        return "Yes" if record.persistent_breach else "No"

    def value_breach_periods(self, record: KpiStatus) -> str:
        return ", ".join(record.breach_periods)

    def value_commentary(self, record: KpiStatus) -> str:
        return record.commentary

    def value_unit(self, record: KpiStatus) -> str:
        return record.kpi.unit

    def value_illustrative(self, record: KpiStatus) -> str:
        return "Yes: invented for the demonstration" if record.illustrative else "No"


class RectificationPlanTable(BaseTable):
    kpi = tables.Column(verbose_name="KPI", accessor="kpi__number", order_by=("kpi__number",))
    breach = tables.Column(
        verbose_name="Breach",
        accessor="breach_start",
        order_by=(
            "breach_start__year__start_year",
            "breach_start__number",
        ),
    )
    owner = tables.Column(verbose_name="Owner")
    due_date = tables.DateColumn(verbose_name="Due", format="j M Y")
    status = tables.Column(verbose_name="Status")
    actions_column = tables.Column(
        verbose_name="Manage", accessor="pk", orderable=False, exclude_from_export=True
    )

    class Meta(BaseTable.Meta):
        model = RectificationPlan
        fields = ("kpi", "breach", "owner", "due_date", "status", "actions", "illustrative")
        sequence = (
            "kpi",
            "breach",
            "owner",
            "due_date",
            "status",
            "actions",
            "illustrative",
            "actions_column",
        )

    def render_kpi(self, record: RectificationPlan) -> SafeString:
        return format_html("{}{}", record.kpi.code, ILLUSTRATIVE_TAG if record.illustrative else "")

    def render_illustrative(self, record: RectificationPlan) -> str:
        return "Yes" if record.illustrative else "No"

    def value_illustrative(self, record: RectificationPlan) -> str:
        return "Yes: invented for the demonstration" if record.illustrative else "No"

    def value_kpi(self, record: RectificationPlan) -> str:
        return record.kpi.code

    def render_breach(self, record: RectificationPlan) -> str:
        return f"From {record.first_label} (as at {record.as_at_label})"

    def value_breach(self, record: RectificationPlan) -> str:
        return f"{record.first_label} to {record.as_at_label}"

    def render_status(self, record: RectificationPlan) -> SafeString:
        return format_html(
            '<strong class="govuk-tag {}">{}</strong>',
            {
                "not_started": "govuk-tag--grey",
                "in_progress": "govuk-tag--turquoise",
                "completed": "govuk-tag--green",
            }.get(record.status, "govuk-tag--grey"),
            record.get_status_display(),
        )

    def value_status(self, record: RectificationPlan) -> str:
        return record.get_status_display()

    def render_due_date(self, record: RectificationPlan) -> SafeString:
        due = format_html("{}", f"{record.due_date:%-d %b %Y}")
        if record.is_overdue:
            return format_html(
                '{} <strong class="govuk-tag govuk-tag--red">{}</strong>', due, "Overdue"
            )
        return due

    def render_actions(self, value: str) -> str:
        return value if len(value) <= 160 else value[:157].rstrip() + "…"

    def render_actions_column(self, record: RectificationPlan) -> SafeString:
        links = [
            (reverse("kpis:plan_history", args=[record.pk]), "History"),
        ]
        user = getattr(self, "request", None) and self.request.user
        if user and user.has_perm("kpis.change_rectificationplan"):
            links.insert(0, (reverse("kpis:plan_edit", args=[record.pk]), "Update"))
        return format_html_join(
            " ",
            '<a class="govuk-link" href="{}">{}<span class="govuk-visually-hidden"> plan for {}'
            "</span></a>",
            ((url, text, record.kpi.code) for url, text in links),
        )


class KpiDefinitionTable(BaseTable):
    number = tables.Column(verbose_name="KPI")
    title = tables.Column(verbose_name="Title")
    unit = tables.Column(verbose_name="Unit")
    polarity = tables.Column(verbose_name="Polarity")
    frequency = tables.Column(verbose_name="Frequency")
    allowed = tables.Column(verbose_name="Allowed results", accessor="pk", orderable=False)
    baseline = tables.Column(verbose_name="Baseline")
    links = tables.Column(
        verbose_name="Manage", accessor="pk", orderable=False, exclude_from_export=True
    )

    class Meta(BaseTable.Meta):
        model = KpiDefinition
        fields = ("number", "title", "unit", "polarity", "frequency", "allowed", "baseline")

    def render_number(self, record: KpiDefinition) -> str:
        return record.code

    def value_number(self, record: KpiDefinition) -> str:
        return record.code

    def render_allowed(self, record: KpiDefinition) -> str:
        return record.range_text

    def render_baseline(self, record: KpiDefinition) -> str:
        year = f" ({record.baseline_year.label})" if record.baseline_year else ""
        return f"{record.format(record.baseline)}{year}"

    def value_baseline(self, record: KpiDefinition) -> Decimal | None:
        return record.baseline

    def render_links(self, record: KpiDefinition) -> SafeString:
        links = [(reverse("kpis:definition_history", args=[record.pk]), "History")]
        user = getattr(self, "request", None) and self.request.user
        if user and user.has_perm("kpis.change_kpidefinition"):
            links.insert(0, (reverse("kpis:definition_edit", args=[record.number]), "Edit"))
        return format_html_join(
            " ",
            '<a class="govuk-link" href="{}">{}<span class="govuk-visually-hidden"> {}</span></a>',
            ((url, text, record.code) for url, text in links),
        )
