"""Helpers the finance selectors share."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

ZERO = Decimal("0.00")


def _total(amounts: Iterable[Decimal]) -> Decimal:
    return sum(amounts, ZERO)
