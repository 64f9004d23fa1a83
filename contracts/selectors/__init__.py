"""Reads of the contract, the councils' shares and the contract's finance, one module per part:

- `shares`: the contract, its councils, their shares and the `ShareBook`;
- `contract_sums`, `mtfp`, `funding`, `business_cases`, `invest_to_save`, `forecast`: the
  figures of each part of the contract's finance;
- `plan_investment`: the business plan's invest-to-save table and capital programme, the
  projected profit and loss account's lower table, and finance footnotes;
- `overview`: the key figures of all of them, for the overview and the dashboard;
- `_common`: the helpers they share.

Each finance selector returns plain dataclasses holding the stored figures, every total computed
from them, and each council's part from `apportion`. Pages, exports, committee appendices and
the dashboard all read these, so the same figure is printed everywhere. Each runs a fixed
number of queries, whatever the number of rows.

Every public name is imported here, so callers write `from contracts.selectors import X`.
"""

from contracts.selectors._common import ZERO
from contracts.selectors.business_cases import (
    BusinessCaseFigures,
    SavingFigures,
    business_case,
    business_cases,
    saving_years,
)
from contracts.selectors.contract_sums import (
    ContractSumFigures,
    contract_sum_for_year,
    contract_sums,
    current_contract_sum,
)
from contracts.selectors.forecast import (
    CATEGORY_ORDER,
    ForecastFigures,
    ForecastLineFigures,
    forecast_for_period,
    forecast_lines,
    forecasts,
    latest_forecast,
)
from contracts.selectors.funding import (
    AllocationFigures,
    FundingBlockFigures,
    allocations,
    funding_block,
    funding_blocks,
    funding_blocks_for_years,
)
from contracts.selectors.invest_to_save import (
    InvestToSaveFigures,
    InvestToSaveLineFigures,
    invest_to_save,
    invest_to_save_lines,
)
from contracts.selectors.mtfp import (
    MtfpFigures,
    mtfp_demand,
    mtfp_for_years,
    mtfp_inflation,
    mtfp_net,
)
from contracts.selectors.overview import FinanceOverview, finance_overview
from contracts.selectors.plan_investment import (
    FootnoteFigures,
    PlanInvestmentFigures,
    PlanInvestmentRow,
    ProfitAndLossFigures,
    footnotes,
    plan_investment,
    plan_investment_total,
    profit_and_loss,
)
from contracts.selectors.shares import (
    ShareBook,
    council_names,
    councils,
    get_contract,
    share_schedule_on,
    share_schedules,
    shares_for_period,
    shares_for_year,
    shares_on,
    split,
)

__all__ = [
    "CATEGORY_ORDER",
    "ZERO",
    "AllocationFigures",
    "BusinessCaseFigures",
    "ContractSumFigures",
    "FinanceOverview",
    "FootnoteFigures",
    "ForecastFigures",
    "ForecastLineFigures",
    "FundingBlockFigures",
    "InvestToSaveFigures",
    "InvestToSaveLineFigures",
    "MtfpFigures",
    "PlanInvestmentFigures",
    "PlanInvestmentRow",
    "ProfitAndLossFigures",
    "SavingFigures",
    "ShareBook",
    "allocations",
    "business_case",
    "business_cases",
    "contract_sum_for_year",
    "contract_sums",
    "council_names",
    "councils",
    "current_contract_sum",
    "finance_overview",
    "footnotes",
    "forecast_for_period",
    "forecast_lines",
    "forecasts",
    "funding_block",
    "funding_blocks",
    "funding_blocks_for_years",
    "get_contract",
    "invest_to_save",
    "invest_to_save_lines",
    "latest_forecast",
    "mtfp_demand",
    "mtfp_for_years",
    "mtfp_inflation",
    "mtfp_net",
    "plan_investment",
    "plan_investment_total",
    "profit_and_loss",
    "saving_years",
    "share_schedule_on",
    "share_schedules",
    "shares_for_period",
    "shares_for_year",
    "shares_on",
    "split",
]
