"""Template helpers for the contract's finance pages."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django import template

register = template.Library()


@register.filter
def share_of(shares: Mapping[str, Decimal] | None, council: str) -> Decimal | None:
    """A council's percentage from a shares mapping: `{{ figures.shares|share_of:"NNC" }}`."""
    return (shares or {}).get(council)


@register.filter
def part_of(parts: Mapping[str, Any] | None, council: str) -> Any:
    """A council's part of an amount from the parts a selector computed."""
    return (parts or {}).get(council)
