"""KPI definitions, targets and series of results for tests, built through the services."""

from __future__ import annotations

from decimal import Decimal

import factory

from kpis import services
from kpis.choices import Frequency, Polarity, Unit
from kpis.models import KpiDefinition, KpiResult, KpiTarget
from nct_monitor.periods import PeriodRef
from nct_monitor.selectors import get_period, get_year


class KpiDefinitionFactory(factory.django.DjangoModelFactory):
    """A percentage KPI, higher is better, monthly, 0-100, unless told otherwise."""

    class Meta:
        model = KpiDefinition
        django_get_or_create = ("number",)

    number = factory.Sequence(lambda n: n + 1)
    title = factory.LazyAttribute(lambda o: f"Measure number {o.number}")
    unit = Unit.PERCENT
    polarity = Polarity.HIGHER_IS_BETTER
    frequency = Frequency.MONTHLY
    minimum = Decimal(0)
    maximum = Decimal(100)
    baseline = Decimal(50)


def quarterly_count_kpi(number: int = 20) -> KpiDefinition:
    """Like KPI 20: a count of data breaches per quarter, lower is better."""
    return KpiDefinitionFactory(
        number=number,
        unit=Unit.COUNT,
        polarity=Polarity.LOWER_IS_BETTER,
        frequency=Frequency.QUARTERLY,
        maximum=None,
    )


def target(kpi: KpiDefinition, year: str, value: str, tolerance: str) -> KpiTarget:
    return services.set_kpi_target(
        kpi=kpi,
        year=get_year(year),
        target=Decimal(value),
        tolerance=Decimal(tolerance),
        user=None,
    )


def result(kpi: KpiDefinition, label: str, value: str | None = None, **kwargs) -> KpiResult:
    """A result at `2024/25 P6` (or `2024/25 Q2` for its quarter end)."""
    ref = PeriodRef.parse(label)
    return services.record_kpi_result(
        kpi=kpi,
        period=get_period(ref.start_year, ref.number),
        value=None if value is None else Decimal(value),
        numerator=kwargs.pop("numerator", None),
        denominator=kwargs.pop("denominator", None),
        commentary=kwargs.pop("commentary", ""),
        user=kwargs.pop("user", None),
    )


def series(kpi: KpiDefinition, start: str, values: list[str | None]) -> list[KpiResult]:
    """Results for consecutive due periods from `start` (None leaves a gap)."""
    ref = PeriodRef.parse(start)
    made = []
    for value in values:
        if value is not None:
            made.append(result(kpi, ref.label, value))
        ref = ref.next()
        if kpi.frequency == Frequency.QUARTERLY:
            ref = ref.next().next()
    return made
