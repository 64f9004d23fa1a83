"""The contract's pages: overview, the councils' shares, and the contract's finance.

Views are thin: lists read the selectors' figures, forms hand their data to the services. One
module per part (`shares`, `contract_sums`, `mtfp`, `business_cases`, `funding`,
`invest_to_save`, `forecast`), on the pieces in `base`. Every view is imported here, so
`contracts.urls` names each as `views.X`.
"""

from contracts.views.base import (
    BUSINESS_CASES_CRUMB,
    CONTRACT_CRUMB,
    CONTRACT_SUMS_CRUMB,
    FORECAST_CRUMB,
    FUNDING_CRUMB,
    INVEST_TO_SAVE_CRUMB,
    MTFP_CRUMB,
    ConfirmForm,
    FinanceListView,
    ObjectMixin,
)
from contracts.views.business_cases import (
    BUSINESS_CASE_FIELDS,
    BusinessCaseChildMixin,
    BusinessCaseCreateView,
    BusinessCaseDetailView,
    BusinessCaseHistoryView,
    BusinessCaseListView,
    BusinessCaseSavingCreateView,
    BusinessCaseSavingHistoryView,
    BusinessCaseSavingMixin,
    BusinessCaseSavingRemoveView,
    BusinessCaseSavingUpdateView,
    BusinessCaseUpdateView,
)
from contracts.views.contract_sums import (
    CONTRACT_SUM_FIELDS,
    ContractSumCreateView,
    ContractSumHistoryView,
    ContractSumListView,
    ContractSumUpdateView,
)
from contracts.views.forecast import (
    ForecastCreateView,
    ForecastDetailView,
    ForecastFormMixin,
    ForecastHistoryView,
    ForecastListView,
    ForecastUpdateView,
)
from contracts.views.funding import (
    FundingAllocationCreateView,
    FundingAllocationFormMixin,
    FundingAllocationHistoryView,
    FundingAllocationMixin,
    FundingAllocationRemoveView,
    FundingAllocationUpdateView,
    FundingListView,
)
from contracts.views.invest_to_save import (
    INVEST_TO_SAVE_FIELDS,
    InvestToSaveCreateView,
    InvestToSaveHistoryView,
    InvestToSaveListView,
    InvestToSaveUpdateView,
)
from contracts.views.mtfp import (
    MTFP_INITIAL_FIELDS,
    MtfpCreateView,
    MtfpHistoryView,
    MtfpListView,
    MtfpUpdateView,
    mtfp_chart,
)
from contracts.views.plan_investment import PlanInvestmentListView
from contracts.views.shares import (
    ContractOverviewView,
    ShareScheduleCreateView,
    ShareScheduleHistoryView,
)

__all__ = [
    "BUSINESS_CASES_CRUMB",
    "BUSINESS_CASE_FIELDS",
    "CONTRACT_CRUMB",
    "CONTRACT_SUMS_CRUMB",
    "CONTRACT_SUM_FIELDS",
    "FORECAST_CRUMB",
    "FUNDING_CRUMB",
    "INVEST_TO_SAVE_CRUMB",
    "INVEST_TO_SAVE_FIELDS",
    "MTFP_CRUMB",
    "MTFP_INITIAL_FIELDS",
    "BusinessCaseChildMixin",
    "BusinessCaseCreateView",
    "BusinessCaseDetailView",
    "BusinessCaseHistoryView",
    "BusinessCaseListView",
    "BusinessCaseSavingCreateView",
    "BusinessCaseSavingHistoryView",
    "BusinessCaseSavingMixin",
    "BusinessCaseSavingRemoveView",
    "BusinessCaseSavingUpdateView",
    "BusinessCaseUpdateView",
    "ConfirmForm",
    "ContractOverviewView",
    "ContractSumCreateView",
    "ContractSumHistoryView",
    "ContractSumListView",
    "ContractSumUpdateView",
    "FinanceListView",
    "ForecastCreateView",
    "ForecastDetailView",
    "ForecastFormMixin",
    "ForecastHistoryView",
    "ForecastListView",
    "ForecastUpdateView",
    "FundingAllocationCreateView",
    "FundingAllocationFormMixin",
    "FundingAllocationHistoryView",
    "FundingAllocationMixin",
    "FundingAllocationRemoveView",
    "FundingAllocationUpdateView",
    "FundingListView",
    "InvestToSaveCreateView",
    "InvestToSaveHistoryView",
    "InvestToSaveListView",
    "InvestToSaveUpdateView",
    "MtfpCreateView",
    "MtfpHistoryView",
    "MtfpListView",
    "MtfpUpdateView",
    "ObjectMixin",
    "PlanInvestmentListView",
    "ShareScheduleCreateView",
    "ShareScheduleHistoryView",
    "mtfp_chart",
]
