"""`{% load kpi_tags %}`: a KPI's figures in its unit, and its rating, direction and breach
shown the same way on every page as in the scorecard table."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.safestring import SafeString

from kpis import rag, tables
from kpis.choices import Polarity
from kpis.models import KpiDefinition
from kpis.selectors import KpiStatus

register = template.Library()


def _figure(value: Decimal | str | None) -> Decimal | None:
    # A form's initial figures are text; stored ones are Decimals.
    return Decimal(value) if isinstance(value, str) else value


@register.filter
def in_unit(value: Decimal | str | None, kpi: KpiDefinition) -> str:
    """68 → `68%` for a percentage KPI, `120 days` for days."""
    return kpi.format(_figure(value))


@register.filter
def in_points(value: Decimal | str | None, kpi: KpiDefinition) -> str:
    """A tolerance: `5 percentage points`."""
    return kpi.format_points(_figure(value))


@register.simple_tag
def rating_tag(rating: str) -> SafeString:
    return tables.rating_tag(rating)


@register.simple_tag
def direction_tag(status: KpiStatus) -> SafeString:
    return tables.direction_html(status)


@register.simple_tag
def breach_tag(status: KpiStatus) -> SafeString:
    return tables.breach_html(status)


@register.simple_tag
def thresholds(target: rag.Target | None, kpi: KpiDefinition) -> str:
    """The rating bands a year's target gives, in words."""
    if target is None:
        return "No target: results are not rated."
    low, high = target.band(kpi.polarity)
    if kpi.polarity == Polarity.HIGHER_IS_BETTER:
        if target.tolerance == 0:
            return f"Green {kpi.format(high)} or more; red below."
        return (
            f"Green {kpi.format(high)} or more; amber {kpi.format(low)} up to "
            f"{kpi.format(high)}; red below {kpi.format(low)}."
        )
    if target.tolerance == 0:
        return f"Green {kpi.format(low)} or less; red above."
    return (
        f"Green {kpi.format(low)} or less; amber above {kpi.format(low)} up to "
        f"{kpi.format(high)}; red above {kpi.format(high)}."
    )
