"""Money: the councils' split of any amount, and how money is written.

The councils fund the contract in fixed shares. Every pressure, shortfall, contract sum or
funding figure the product shows is split with `apportion`, so the parts always add up to the
whole to the penny, wherever they are printed.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from fractions import Fraction

PENNY = Decimal("0.01")
HUNDRED = Decimal(100)
THOUSAND = Decimal(1000)
MILLION = Decimal(1_000_000)


def validate_shares(shares: Mapping[str, Decimal]) -> None:
    """Raise ValueError unless the shares are non-negative percentages totalling exactly 100."""
    if not shares:
        raise ValueError("No council shares are set: the shares must total 100.00%.")
    for council, share in shares.items():
        if not isinstance(share, Decimal):
            raise ValueError(f"The share for {council} must be a Decimal, not {share!r}.")
        if not share.is_finite() or share < 0:
            raise ValueError(f"The share for {council} must be a percentage of 0 or more.")
    total = sum(shares.values(), Decimal(0))
    if total != HUNDRED:
        listed = " + ".join(f"{council} {share}%" for council, share in shares.items())
        raise ValueError(f"Council shares must total exactly 100.00%, but {listed} = {total}%.")


def apportion(amount: Decimal, shares: Mapping[str, Decimal]) -> dict[str, Decimal]:
    """Split `amount` between councils by percentage `shares`, to the penny.

    The parts always add up exactly to `amount`: each council first gets its share rounded
    down to the penny, then the pennies left over go one each to the councils with the largest
    remainders (ties go to the larger share, then to the earlier council). A negative amount
    (a saving, an underspend) is split the same way with its sign kept.

    Each part is money as it is stored, with exactly 2 decimal places: `550675.20`, `0.00`
    (never `550675.2`, `0` or `-0.00`), so a part written out as text reads as pounds and pence.
    """
    validate_shares(shares)
    if not isinstance(amount, Decimal) or not amount.is_finite():
        raise ValueError(f"The amount to apportion must be a finite Decimal, not {amount!r}.")
    if amount != amount.quantize(PENNY):
        raise ValueError(f"The amount to apportion must be to the penny, not {amount}.")

    sign = -1 if amount < 0 else 1
    pence = int(abs(amount) * 100)
    exact = {council: Fraction(pence) * Fraction(share) / 100 for council, share in shares.items()}
    parts = {council: int(value) for council, value in exact.items()}  # floor: values >= 0
    left_over = pence - sum(parts.values())
    order = list(shares)
    by_remainder = sorted(
        order,
        key=lambda council: (
            -(exact[council] - parts[council]),
            -shares[council],
            order.index(council),
        ),
    )
    for council in by_remainder[:left_over]:
        parts[council] += 1
    # Whole pence scaled to pounds keep the exponent -2: Decimal(55067520).scaleb(-2) is
    # 550675.20, where dividing by 100 gives 550675.2. `sign * 0` is the integer 0, so no part
    # is -0.00.
    return {council: Decimal(sign * parts[council]).scaleb(-2) for council in order}


def to_decimal(value: object) -> Decimal:
    """Decimal from a number or numeric text; ValueError with the value when it is not one."""
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, bool):
        raise ValueError(f"{value!r} is not an amount.")
    elif isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, float):
        # Spreadsheets hand us floats; their shortest repr is the figure the user typed.
        result = Decimal(repr(value))
    elif isinstance(value, str):
        text = value.strip().replace(",", "").replace("£", "")
        try:
            result = Decimal(text)
        except InvalidOperation:
            raise ValueError(f"{value!r} is not a number.") from None
    else:
        raise ValueError(f"{value!r} is not a number.")
    if not result.is_finite():
        raise ValueError(f"{value!r} is not a number.")
    return result


def format_millions(amount: Decimal | None, *, sign: bool = False) -> str:
    """£m with 3 decimals, as the papers write money in narrative: £29.670m."""
    if amount is None:
        return "—"
    value = (amount / MILLION).quantize(Decimal("0.001"), rounding=ROUND_HALF_UP)
    text = f"£{abs(value):,.3f}m"
    if value < 0:
        return f"−{text}"
    return f"+{text}" if sign and value > 0 else text


def format_thousands(amount: Decimal | None, *, sign: bool = False) -> str:
    """£'000 in whole thousands, as the committee pack prints it: 1,248 for £1,247,500 (the
    column header carries the unit)."""
    if amount is None:
        return "—"
    value = (amount / THOUSAND).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    text = f"{abs(value):,.0f}"
    if value < 0:
        return f"−{text}"
    return f"+{text}" if sign and value > 0 else text


def format_pounds(amount: Decimal | None) -> str:
    """Pounds and pence with separators: £13,102,272.00."""
    if amount is None:
        return "—"
    value = amount.quantize(PENNY, rounding=ROUND_HALF_UP)
    text = f"£{abs(value):,.2f}"
    return f"−{text}" if value < 0 else text


def money_json(amount: Decimal | None) -> str | None:
    """Money as the JSON summaries write it: a string of pounds with 2 decimals."""
    if amount is None:
        return None
    return str(amount.quantize(PENNY, rounding=ROUND_HALF_UP))
