"""The contract, the councils that fund it and their dated shares, and the contract's finance.

Finance records store the figures the papers give line by line; every total (the contract sum,
the net MTFP sum, a block's balance, a net of grants, a forecast total) is computed in
`contracts.selectors`, never stored.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from contracts.choices import (
    BusinessCaseTheme,
    ContractSumStatus,
    FootnoteTable,
    ForecastCategory,
    FundingBlock,
    InvestToSaveKind,
    PlanInvestmentKind,
)
from nct_monitor.finance import HUNDRED
from nct_monitor.models import FinancialYear, Period


class Council(models.Model):
    """A council that owns the Trust and funds the contract (NNC, WNC)."""

    short_name = models.CharField(max_length=10, unique=True)
    name = models.CharField(max_length=200, unique=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["short_name"]

    def __str__(self) -> str:
        return self.short_name


class Contract(models.Model):
    """The Service Delivery Contract between the councils and the Trust they own."""

    name = models.CharField(max_length=200)
    provider = models.CharField(max_length=200)
    start_date = models.DateField()
    councils = models.ManyToManyField(Council, related_name="contracts")
    history = HistoricalRecords(m2m_fields=[councils])

    class Meta:
        ordering = ["start_date"]

    def __str__(self) -> str:
        return self.name


class ShareSchedule(models.Model):
    """The councils' shares of every cost of the contract from a date; they total 100.00%.

    Shares are dated so that a change of split applies from when it was agreed, and figures
    from before it keep the split they were reported with.
    """

    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="share_schedules")
    effective_from = models.DateField()
    note = models.CharField(max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["contract", "effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "effective_from"],
                name="share_schedule_unique_date",
                violation_error_message="The contract already has shares from that date.",
            )
        ]

    def __str__(self) -> str:
        return f"Shares from {self.effective_from:%-d %B %Y}"

    def as_mapping(self) -> dict[str, Decimal]:
        return {
            share.council.short_name: share.percentage
            for share in sorted(self.shares.all(), key=lambda s: s.council.short_name)
        }

    def clean(self) -> None:
        if self.pk is None:
            return
        total = sum((share.percentage for share in self.shares.all()), Decimal(0))
        if total != HUNDRED:
            raise ValidationError(
                f"Council shares must total exactly 100.00%, but these total {total}%."
            )


class CouncilShare(models.Model):
    """One council's percentage in a share schedule."""

    schedule = models.ForeignKey(ShareSchedule, on_delete=models.CASCADE, related_name="shares")
    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="shares")
    percentage = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(HUNDRED)],
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["schedule", "council__short_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["schedule", "council"],
                name="council_share_once_per_schedule",
                violation_error_message="A council has one share in each schedule.",
            ),
            models.CheckConstraint(
                condition=models.Q(percentage__gte=0, percentage__lte=100),
                name="council_share_percentage_0_to_100",
                violation_error_message="A share is a percentage from 0 to 100.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.council.short_name} {self.percentage}%"


def _money(verbose_name: str, *, signed: bool = False, **kwargs: object) -> models.DecimalField:
    """Money in pounds and pence. Unsigned unless the figure can go either way."""
    validators = [] if signed else [MinValueValidator(Decimal(0))]
    return models.DecimalField(
        verbose_name,
        max_digits=14,
        decimal_places=2,
        validators=validators,
        **kwargs,  # type: ignore[arg-type]
    )


def _not_negative(*fields: str, prefix: str) -> list[models.CheckConstraint]:
    return [
        models.CheckConstraint(
            condition=models.Q(**{f"{field}__gte": 0}),
            name=f"{prefix}_{field}_not_negative",
            violation_error_message=f"{field.replace('_', ' ').capitalize()} cannot be negative.",
        )
        for field in fields
    ]


class ContractSum(models.Model):
    """What the councils pay the Trust for a financial year, in blocks.

    Block 1 is the core funding; Block 2 the transformation items agreed with it, part of which
    is non-recurring; together they are the contract sum. Block 3 is a transformation reserve the
    councils hold outside the contract sum and release to business cases the Transformation &
    Efficiency Board approves. Years before the blocks were introduced hold their single sum as
    Block 1.
    """

    year = models.ForeignKey(
        FinancialYear,
        on_delete=models.PROTECT,
        related_name="contract_sums",
        verbose_name="financial year",
    )
    block1 = _money("Block 1 (core)")
    block2 = _money("Block 2 (transformation items)", default=Decimal(0))
    block2_non_recurring = _money("Block 2 non-recurring part", default=Decimal(0))
    block3 = _money("Block 3 (transformation reserve)", default=Decimal(0))
    status = models.CharField(
        "status", max_length=16, choices=ContractSumStatus.choices, default=ContractSumStatus.AGREED
    )
    notes = models.TextField("notes", blank=True)
    source = models.CharField("source", max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["year__start_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["year"],
                name="contract_sum_once_per_year",
                violation_error_message="That financial year already has a contract sum.",
            ),
            *_not_negative(
                "block1", "block2", "block2_non_recurring", "block3", prefix="contract_sum"
            ),
            models.CheckConstraint(
                condition=models.Q(block2_non_recurring__lte=models.F("block2")),
                name="contract_sum_non_recurring_within_block2",
                violation_error_message="The non-recurring part cannot be larger than Block 2.",
            ),
        ]

    def __str__(self) -> str:
        return f"Contract sum {self.year.label}"


class MtfpBuildUp(models.Model):
    """How the medium-term financial plan builds a year's contract sum.

    From the initial contract sum, add inflation and demand-led pressures (each by staffing,
    placements and other) and take off savings: that gives the net contract sum, which is
    computed. `savings` is the amount taken off, entered as a positive figure.
    """

    year = models.ForeignKey(
        FinancialYear,
        on_delete=models.PROTECT,
        related_name="mtfp_build_ups",
        verbose_name="financial year",
    )
    initial_sum = _money("Initial contract sum")
    inflation_staffing = _money("Inflation: staffing", default=Decimal(0))
    inflation_placements = _money("Inflation: placements", default=Decimal(0))
    inflation_other = _money("Inflation: other", default=Decimal(0))
    demand_staffing = _money("Demand-led pressures: staffing", default=Decimal(0))
    demand_placements = _money("Demand-led pressures: placements", default=Decimal(0))
    demand_other = _money("Demand-led pressures: other", default=Decimal(0))
    savings = _money("Savings", default=Decimal(0))
    notes = models.TextField("notes", blank=True)
    source = models.CharField("source", max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["year__start_year"]
        verbose_name = "MTFP build-up"
        constraints = [
            models.UniqueConstraint(
                fields=["year"],
                name="mtfp_once_per_year",
                violation_error_message="That financial year already has an MTFP build-up.",
            ),
            *_not_negative(
                "initial_sum",
                "inflation_staffing",
                "inflation_placements",
                "inflation_other",
                "demand_staffing",
                "demand_placements",
                "demand_other",
                "savings",
                prefix="mtfp",
            ),
        ]

    def __str__(self) -> str:
        return f"MTFP build-up {self.year.label}"


class BusinessCase(models.Model):
    """A business case the Transformation & Efficiency Board approved.

    Its savings to the contract sum are recorded per year (`BusinessCaseSaving`) and the
    funding agreed for it per year and block (`FundingAllocation`). Additional benefits are an
    amount, or "to be confirmed" while the case's benefits are still being profiled.
    """

    theme = models.CharField("theme", max_length=40, choices=BusinessCaseTheme.choices)
    title = models.CharField("project title", max_length=200)
    date_approved = models.DateField("date approved")
    additional_benefits = _money("additional benefits", null=True, blank=True)
    additional_benefits_tbc = models.BooleanField(
        "additional benefits to be confirmed", default=False
    )
    duration = models.CharField("duration", max_length=300, blank=True)
    notes = models.TextField("notes", blank=True)
    source = models.CharField("source", max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["date_approved", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["title"],
                name="business_case_unique_title",
                violation_error_message="A business case with this title already exists.",
            ),
            models.CheckConstraint(
                condition=models.Q(additional_benefits__isnull=True)
                | models.Q(additional_benefits__gte=0),
                name="business_case_benefits_not_negative",
                violation_error_message="Additional benefits cannot be negative.",
            ),
            models.CheckConstraint(
                condition=models.Q(additional_benefits__isnull=True)
                | models.Q(additional_benefits_tbc=False),
                name="business_case_benefits_amount_or_tbc",
                violation_error_message="Give an amount of additional benefits or mark them "
                "to be confirmed, not both.",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class BusinessCaseSaving(models.Model):
    """The saving to one year's contract sum that a business case is to deliver."""

    business_case = models.ForeignKey(
        BusinessCase, on_delete=models.CASCADE, related_name="savings"
    )
    year = models.ForeignKey(
        FinancialYear, on_delete=models.PROTECT, related_name="+", verbose_name="financial year"
    )
    amount = _money("contract sum saving")
    history = HistoricalRecords()

    class Meta:
        ordering = ["business_case", "year__start_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["business_case", "year"],
                name="business_case_saving_once_per_year",
                violation_error_message="This business case already has a saving for that year.",
            ),
            *_not_negative("amount", prefix="business_case_saving"),
        ]

    def __str__(self) -> str:
        return f"{self.business_case.title}: saving in {self.year.label}"


class FundingAllocation(models.Model):
    """Funding agreed for a business case from Block 2 or Block 3 of a year's contract sum.

    The allocations of a block may not add up to more than the block: its balance is computed
    from the contract sum and the allocations, and a write that would take it below zero is
    refused.
    """

    business_case = models.ForeignKey(
        BusinessCase, on_delete=models.CASCADE, related_name="allocations"
    )
    year = models.ForeignKey(
        FinancialYear, on_delete=models.PROTECT, related_name="+", verbose_name="financial year"
    )
    block = models.PositiveSmallIntegerField("funding block", choices=FundingBlock.choices)
    amount = _money("funding agreed")
    note = models.CharField("note", max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["year__start_year", "block", "business_case__date_approved", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["business_case", "year", "block"],
                name="funding_allocation_once_per_block",
                violation_error_message="This business case already has funding from that "
                "block in that year.",
            ),
            *_not_negative("amount", prefix="funding_allocation"),
        ]

    def __str__(self) -> str:
        return f"{self.business_case.title}: {self.get_block_display()} {self.year.label}"


class InvestToSaveLine(models.Model):
    """Invest-to-save money for a programme in a year, outside the contract sum.

    A line is either funding the councils agreed or a grant that offsets it (for example from
    the DfE); a programme's net cost in a year is its funding less its grants, computed.
    """

    programme = models.CharField("programme", max_length=200)
    year = models.ForeignKey(
        FinancialYear, on_delete=models.PROTECT, related_name="+", verbose_name="financial year"
    )
    kind = models.CharField("kind", max_length=16, choices=InvestToSaveKind.choices)
    title = models.CharField("description", max_length=300)
    amount = _money("amount")
    notes = models.TextField("notes", blank=True)
    source = models.CharField("source", max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["programme", "year__start_year", "kind", "pk"]
        verbose_name = "invest-to-save line"
        constraints = [*_not_negative("amount", prefix="invest_to_save")]

    def __str__(self) -> str:
        return f"{self.programme} {self.year.label}: {self.title}"


class ForecastPressure(models.Model):
    """A period's forecast outturn pressure in one category, with its explanation.

    A negative amount is an underspend, which offsets the other categories. The period's total
    pressure is computed from its lines. `version` goes up with every change, so a forecast
    saved over lines someone else has since changed is refused rather than lost.
    """

    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="forecast_pressures")
    category = models.CharField("category", max_length=24, choices=ForecastCategory.choices)
    amount = _money("forecast pressure", signed=True)
    note = models.TextField("note", blank=True)
    source = models.CharField("source", max_length=300, blank=True)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["period__year__start_year", "period__number", "category"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "category"],
                name="forecast_pressure_once_per_category",
                violation_error_message="The period already has a forecast in that category.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.period.label} forecast: {self.get_category_display()}"


class PlanInvestment(models.Model):
    """A line of the business plan's invest-to-save table in one year: revenue or capital.

    The amount is in pounds, or "to be confirmed" while the plan has not costed the year;
    the totals of revenue and of the capital programme are computed from the lines, and a line
    to be confirmed adds nothing to them. `position` keeps the plan's order of lines.
    """

    kind = models.CharField("part of the table", max_length=24, choices=PlanInvestmentKind.choices)
    title = models.CharField("line", max_length=200)
    year = models.ForeignKey(
        FinancialYear, on_delete=models.PROTECT, related_name="+", verbose_name="financial year"
    )
    amount = _money("amount", null=True, blank=True)
    tbc = models.BooleanField("to be confirmed", default=False)
    position = models.PositiveSmallIntegerField("position in the table", default=0)
    notes = models.TextField("notes", blank=True)
    source = models.CharField("source", max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "title", "year__start_year"]
        verbose_name = "business plan investment line"
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "title", "year"],
                name="plan_investment_once_per_year",
                violation_error_message="That line already has an amount for that year.",
            ),
            models.CheckConstraint(
                condition=models.Q(amount__isnull=True) | models.Q(amount__gte=0),
                name="plan_investment_amount_not_negative",
                violation_error_message="The amount cannot be negative.",
            ),
            models.CheckConstraint(
                condition=models.Q(amount__isnull=True, tbc=True)
                | models.Q(amount__isnull=False, tbc=False),
                name="plan_investment_amount_or_tbc",
                violation_error_message="Give an amount or mark the line to be confirmed, "
                "not both or neither.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} {self.year.label}"


class FinanceFootnote(models.Model):
    """A footnote a paper prints beneath one of the finance tables, shown beneath it here too.

    `marker` is what the table prints against the rows it applies to ("Note 4", "*");
    `refers_to` names those rows.
    """

    table = models.CharField("table", max_length=24, choices=FootnoteTable.choices)
    marker = models.CharField("marker", max_length=20)
    refers_to = models.CharField("applies to", max_length=200, blank=True)
    text = models.TextField("footnote")
    position = models.PositiveSmallIntegerField("position", default=0)
    source = models.CharField("source", max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["table", "position", "marker"]
        constraints = [
            models.UniqueConstraint(
                fields=["table", "marker"],
                name="finance_footnote_marker_once_per_table",
                violation_error_message="That table already has a footnote with this marker.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_table_display()}: {self.marker}"
