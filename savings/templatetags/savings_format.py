"""Filters for the savings tables: rating tags, and form fields by name. Money is written
with the `nct` filters (`thousands`, `thousands_change`), as the committee papers write it."""

from __future__ import annotations

from django import template

register = template.Library()


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
