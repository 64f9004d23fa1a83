"""Factories for savings lines and positions. Figures are pounds; build any period's data here
rather than inventing council figures in fixtures."""

from __future__ import annotations

from decimal import Decimal

import factory

from contracts.selectors import get_contract
from nct_monitor.selectors import get_year
from savings.models import SavingsLine, SavingsPosition
from tests.factories import ContractFactory, period


def _contract():
    return get_contract() or ContractFactory()


class SavingsLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SavingsLine

    contract = factory.LazyFunction(_contract)
    year = factory.LazyFunction(lambda: get_year("2023/24"))
    ref = ""
    title = factory.Sequence(lambda n: f"Savings proposal {n}")
    sro = "Olivia Ives"
    group = "NCT savings proposals"


class SavingsPositionFactory(factory.django.DjangoModelFactory):
    """A position; by default all green. Give `at="2023/24 P8"` for another period."""

    class Meta:
        model = SavingsPosition
        exclude = ("at",)

    at = "2023/24 P9"
    line = factory.SubFactory(SavingsLineFactory)
    period = factory.LazyAttribute(lambda o: period(o.at))
    target = Decimal("100000.00")
    red = Decimal("0.00")
    amber = Decimal("0.00")
    green = factory.LazyAttribute(lambda o: o.target - o.red - o.amber)
    mitigations = Decimal("0.00")
    comment = ""
    order = factory.Sequence(lambda n: n)


def position(
    line: SavingsLine,
    at: str,
    *,
    red=0,
    amber=0,
    green=None,
    target=None,
    mitigations=0,
    comment="",
):
    """A position of `line` at `at` with figures in £'000, for readable tests."""
    red_p, amber_p, mit_p = (Decimal(v) * 1000 for v in (red, amber, mitigations))
    if target is None:
        target_p = red_p + amber_p + Decimal(green or 0) * 1000
    else:
        target_p = Decimal(target) * 1000
    green_p = target_p - red_p - amber_p if green is None else Decimal(green) * 1000
    return SavingsPositionFactory(
        line=line,
        at=at,
        target=target_p,
        red=red_p,
        amber=amber_p,
        green=green_p,
        mitigations=mit_p,
        comment=comment,
    )
