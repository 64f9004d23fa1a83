"""Choices for the contract's finance records. Imports nothing else from the app."""

from __future__ import annotations

from django.db import models


class ContractSumStatus(models.TextChoices):
    PROVISIONAL = "provisional", "Provisional"
    AGREED = "agreed", "Agreed"


class FundingBlock(models.IntegerChoices):
    """The blocks of transformation funding beside the core contract sum (Block 1)."""

    BLOCK_2 = 2, "Block 2"
    BLOCK_3 = 3, "Block 3"


class BusinessCaseTheme(models.TextChoices):
    """The themes the Transformation & Efficiency Board groups its business cases by."""

    OPERATIONAL_EFFICIENCY = "operational_efficiency", "Operational Efficiency"
    POLICY_AND_PRACTICE = "policy_and_practice", "Policy and Practice"
    DEMAND_MANAGEMENT = "demand_management", "Demand Management"
    WORKFORCE = "workforce", "Workforce"


class InvestToSaveKind(models.TextChoices):
    FUNDING = "funding", "Funding"
    GRANT = "grant", "Offsetting grant"


class ForecastCategory(models.TextChoices):
    """The categories a period's forecast outturn pressure is reported in, in report order."""

    PLACEMENTS = "placements", "Placements"
    STAFFING = "staffing", "Staffing"
    UNACHIEVED_SAVINGS = "unachieved_savings", "Unachieved savings"
    OTHER = "other", "Other"


class PlanInvestmentKind(models.TextChoices):
    """The parts of the business plan's invest-to-save table, in the plan's order.

    Revenue lines are service improvement or the transformation reserve, the two rows the
    plan's projected profit and loss account adds to the net contract sum; capital is the
    capital programme, outside it.
    """

    SERVICE_IMPROVEMENT = "service_improvement", "Revenue: service improvement"
    TRANSFORMATION = "transformation", "Revenue: transformation reserve"
    CAPITAL = "capital", "Capital"


class FootnoteTable(models.TextChoices):
    """The finance tables whose printed footnotes are recorded."""

    MTFP = "mtfp", "MTFP build-up and projected profit and loss account"
    PLAN_INVESTMENT = "plan_investment", "Business plan invest to save and capital programme"
    BUSINESS_CASES = "business_cases", "Approved business cases"
