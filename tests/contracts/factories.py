"""Factories for the contract's finance records, written through the services."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import factory

from contracts import services
from contracts.choices import BusinessCaseTheme, ContractSumStatus, ForecastCategory
from contracts.models import BusinessCase, ContractSum, InvestToSaveLine, MtfpBuildUp


class ContractSumFactory(factory.Factory):
    class Meta:
        model = ContractSum

    year = "2024/25"
    block1 = Decimal("177429000.00")
    block2 = Decimal("2580000.00")
    block2_non_recurring = Decimal("2363000.00")
    block3 = Decimal("3291000.00")
    status = ContractSumStatus.AGREED

    @classmethod
    def _create(cls, model_class, **kwargs):
        return services.create_contract_sum(**kwargs)


class MtfpBuildUpFactory(factory.Factory):
    """The business plan's 2024/25 build-up."""

    class Meta:
        model = MtfpBuildUp

    year = "2024/25"
    initial_sum = Decimal("150938000.00")
    inflation_staffing = Decimal("3037000.00")
    inflation_placements = Decimal("4781000.00")
    inflation_other = Decimal("1903000.00")
    demand_staffing = Decimal("1924000.00")
    demand_placements = Decimal("22946000.00")
    demand_other = Decimal("945000.00")
    savings = Decimal("9045000.00")

    @classmethod
    def _create(cls, model_class, **kwargs):
        return services.create_mtfp_build_up(**kwargs)


class BusinessCaseFactory(factory.Factory):
    class Meta:
        model = BusinessCase

    theme = BusinessCaseTheme.DEMAND_MANAGEMENT
    title = factory.Sequence(lambda n: f"Business case {n}")
    date_approved = date(2024, 2, 1)
    additional_benefits_tbc = True

    @classmethod
    def _create(cls, model_class, **kwargs):
        return services.create_business_case(**kwargs)


class InvestToSaveLineFactory(factory.Factory):
    class Meta:
        model = InvestToSaveLine

    programme = "Circle to Success"
    year = "2023/24"
    kind = "funding"
    title = factory.Sequence(lambda n: f"Funding line {n}")
    amount = Decimal("1300000.00")

    @classmethod
    def _create(cls, model_class, **kwargs):
        return services.create_invest_to_save_line(**kwargs)


P9_PRESSURES = {
    ForecastCategory.PLACEMENTS: Decimal("23307000.00"),
    ForecastCategory.STAFFING: Decimal("1485000.00"),
    ForecastCategory.UNACHIEVED_SAVINGS: Decimal("1247000.00"),
    ForecastCategory.OTHER: Decimal("3631000.00"),
}


def forecast(period, amounts=None, **kwargs):
    """A period's forecast: by default the 2023/24 P9 figures."""
    amounts = P9_PRESSURES if amounts is None else amounts
    return services.set_period_forecast(
        period=period,
        pressures={
            category: services.ForecastEntry(amount, f"{category} note")
            for category, amount in amounts.items()
        },
        **kwargs,
    )
