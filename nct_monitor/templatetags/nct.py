"""Template filters for money, so every page writes money the same way."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from nct_monitor.finance import format_millions, format_pounds, format_thousands
from nct_monitor.records import corrections_for
from nct_monitor.tables import body_rows

register = template.Library()


@register.filter
def millions(amount: Decimal | None) -> str:
    """£29.670m"""
    return format_millions(amount)


@register.filter
def thousands(amount: Decimal | None) -> str:
    """1,247 (for a column headed £'000)"""
    return format_thousands(amount)


@register.filter
def thousands_change(amount: Decimal | None) -> str:
    """+1,247 / −300 / 0: a movement in £'000."""
    return format_thousands(amount, sign=True)


@register.filter
def pounds(amount: Decimal | None) -> str:
    """£13,102,272.00"""
    return format_pounds(amount)


@register.simple_tag
def council_shares(parts: Mapping[str, Decimal] | None, unit: str = "pounds") -> SafeString:
    """Each council's part of an amount, as the selector split it: `NNC £x · WNC £y`, in pounds
    and pence or, with `unit="millions"`, in £m like the totals around it (the dashboard)."""
    if not parts:
        return format_html("")
    if unit not in ("pounds", "millions"):
        raise ValueError(f"council_shares: unit must be pounds or millions, not {unit!r}.")
    money = format_millions if unit == "millions" else format_pounds
    return format_html(
        '<span class="nct-share">{}</span>',
        format_html_join(
            " · ", "{} {}", ((council, money(part)) for council, part in parts.items())
        ),
    )


@register.simple_tag(takes_context=True)
def table_body_rows(context: template.Context, table: Any) -> SafeString:
    """The rows of a table's page (see `nct_monitor.tables.body_rows`)."""
    return body_rows(table, context)


@register.inclusion_tag("nct_monitor/partials/period_record.html")
def period_record(period: Any, figures: str = "") -> dict[str, Any]:
    """What a page about `period` says of its record: the exceptions it was signed off with,
    and the corrections to figures published for it.

    `figures` keeps the corrections to the figures the page shows: those whose label starts
    with it ("Savings, " on the savings tracker, "KPI " on the scorecard); all when blank.
    """
    if period is None:
        return {"period": None, "corrections": []}
    corrections = corrections_for([period])
    if figures:
        corrections = corrections.filter(figure__startswith=figures)
    return {"period": period, "corrections": list(corrections)}
