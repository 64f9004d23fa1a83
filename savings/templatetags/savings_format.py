"""Filters for the savings tables: £'000 exactly, and movements with their sign."""

from __future__ import annotations

from decimal import Decimal

from django import template

from savings.rules import thousands_text

register = template.Library()


@register.filter
def k(amount: Decimal | None) -> str:
    """£'000 exactly as the return writes it: 1,247 or 1,247.5."""
    if amount is None:
        return "—"
    return thousands_text(amount).replace("-", "−")


@register.filter
def k_change(amount: Decimal | None) -> str:
    """A movement in £'000: +1,070, −300, or 0."""
    if amount is None:
        return ""
    if amount > 0:
        return f"+{thousands_text(amount)}"
    if amount < 0:
        return f"−{thousands_text(-amount)}"
    return "0"


@register.filter
def rating_tag(rating: str | None) -> str:
    """The GOV.UK tag colour for a rating (the tag also says the rating in words)."""
    return {"red": "govuk-tag--red", "amber": "govuk-tag--orange", "green": "govuk-tag--green"}.get(
        str(rating or ""), "govuk-tag--grey"
    )


@register.filter
def field_of(form: object, name: str) -> object:
    """`form|field_of:name`: a bound field by a name held in a variable."""
    return form[name]  # type: ignore[index]
