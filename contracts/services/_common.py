"""Checks and saving shared by the writes to the contract's finance.

Each write checks its figures and names the field of any it refuses; nothing is saved then.
Rules that depend on totals (a block's balance, grants against funding, a stated total) are
checked after the write, inside the same transaction, with the selector that pages and reports
use, so the rule and the printed figure can never disagree; a refusal rolls the write back.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

from nct_monitor.audit import attribute
from nct_monitor.finance import PENNY, format_pounds, to_decimal
from nct_monitor.models import FinancialYear
from nct_monitor.selectors import get_year

LARGEST_AMOUNT = Decimal("999999999999.99")


def _year(year: str | int | FinancialYear, field: str = "year") -> FinancialYear:
    try:
        return get_year(year)
    except ValidationError as error:
        raise ValidationError({field: error.messages}) from None


def _money(
    errors: dict[str, list[str]],
    field: str,
    label: str,
    value: object,
    *,
    allow_negative: bool = False,
) -> Decimal:
    """`value` as pounds and pence, or an error naming `label` added to `errors`."""
    try:
        amount = value if isinstance(value, Decimal) else to_decimal(value)
    except ValueError:
        errors.setdefault(field, []).append(f"{label} must be an amount in pounds, not {value!r}.")
        return Decimal(0)
    if not amount.is_finite():
        errors.setdefault(field, []).append(f"{label} must be an amount in pounds.")
        return Decimal(0)
    if abs(amount) > LARGEST_AMOUNT:
        # Checked first: a figure this large cannot even be rounded to the penny.
        errors.setdefault(field, []).append(f"{label} is too large.")
    elif amount != amount.quantize(PENNY):
        errors.setdefault(field, []).append(
            f"{label} must be in pounds and pence, with at most 2 decimal places, not {amount}."
        )
    elif not allow_negative and amount < 0:
        errors.setdefault(field, []).append(
            f"{label} must be £0 or more, not {format_pounds(amount)}."
        )
    return amount


def _raise(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(errors)


def _save(instance: models.Model, *, user: Any, reason: str | None = None) -> None:
    instance.full_clean()
    attribute(instance, user=user, reason=reason)
    instance.save()


def _changed(instance: models.Model, values: Mapping[str, Any]) -> bool:
    return any(getattr(instance, name) != value for name, value in values.items())
