"""The key figures of the contract's finance, for the overview and the dashboard."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from contracts.models import BusinessCase
from contracts.selectors.contract_sums import ContractSumFigures, current_contract_sum
from contracts.selectors.forecast import ForecastFigures, latest_forecast
from contracts.selectors.funding import FundingBlockFigures, funding_blocks
from contracts.selectors.invest_to_save import InvestToSaveFigures, invest_to_save
from contracts.selectors.mtfp import MtfpFigures, mtfp_for_years


@dataclass(frozen=True)
class FinanceOverview:
    """The key figures of the contract's finance, for the overview and the dashboard."""

    contract_sum: ContractSumFigures | None
    mtfp: list[MtfpFigures]
    funding_blocks: list[FundingBlockFigures]
    business_case_count: int
    invest_to_save: list[InvestToSaveFigures]
    forecast: ForecastFigures | None


def finance_overview(today: date | None = None) -> FinanceOverview:
    """The current contract sum with its funding blocks, the MTFP, the latest invest-to-save
    year and the latest period forecast."""
    current = current_contract_sum(today)
    spending = invest_to_save()
    latest_year = max((figures.start_year for figures in spending), default=None)
    return FinanceOverview(
        contract_sum=current,
        mtfp=mtfp_for_years(),
        funding_blocks=funding_blocks(current.start_year) if current is not None else [],
        business_case_count=BusinessCase.objects.count(),
        invest_to_save=[figures for figures in spending if figures.start_year == latest_year],
        forecast=latest_forecast(),
    )
