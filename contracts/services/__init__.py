"""Writes to the contract configuration and the contract's finance, one module per part:

- `shares`: the contract, its councils and their dated shares;
- `contract_sums`: each year's contract sum (Blocks 1, 2 and 3);
- `mtfp`: each year's MTFP build-up of the contract sum;
- `business_cases`: business cases and their savings;
- `funding`: funding allocated to business cases from Blocks 2 and 3;
- `invest_to_save`: invest-to-save funding and offsetting grants;
- `plan_investment`: the business plan's invest-to-save table, capital programme and the
  finance tables' footnotes;
- `forecast`: each period's finance forecast;
- `_common`: the money checks and saving the finance writes share.

Every public name is imported here, so callers write `from contracts.services import X`.
"""

from contracts.services._common import LARGEST_AMOUNT
from contracts.services.business_cases import (
    BUSINESS_CASE_SHOWN,
    create_business_case,
    remove_business_case_saving,
    set_business_case_saving,
    update_business_case,
    update_business_case_saving,
)
from contracts.services.contract_sums import (
    CONTRACT_SUM_SHOWN,
    create_contract_sum,
    update_contract_sum,
)
from contracts.services.forecast import ForecastEntry, create_period_forecast, set_period_forecast
from contracts.services.funding import (
    allocate_funding,
    remove_funding_allocation,
    update_funding_allocation,
)
from contracts.services.invest_to_save import create_invest_to_save_line, update_invest_to_save_line
from contracts.services.mtfp import MTFP_FIELDS, create_mtfp_build_up, update_mtfp_build_up
from contracts.services.plan_investment import (
    PlanInvestmentEntry,
    check_plan_investment_totals,
    create_finance_footnote,
    create_plan_investment,
    record_plan_investment_table,
    update_plan_investment,
)
from contracts.services.shares import create_contract, set_council_shares

__all__ = [
    "BUSINESS_CASE_SHOWN",
    "CONTRACT_SUM_SHOWN",
    "LARGEST_AMOUNT",
    "MTFP_FIELDS",
    "ForecastEntry",
    "PlanInvestmentEntry",
    "allocate_funding",
    "check_plan_investment_totals",
    "create_business_case",
    "create_contract",
    "create_contract_sum",
    "create_finance_footnote",
    "create_invest_to_save_line",
    "create_mtfp_build_up",
    "create_period_forecast",
    "create_plan_investment",
    "record_plan_investment_table",
    "remove_business_case_saving",
    "remove_funding_allocation",
    "set_business_case_saving",
    "set_council_shares",
    "set_period_forecast",
    "update_business_case",
    "update_business_case_saving",
    "update_contract_sum",
    "update_funding_allocation",
    "update_invest_to_save_line",
    "update_mtfp_build_up",
    "update_plan_investment",
]
