"""Nothing that succeeds later changes what a signed-off period shows.

Every public function of every app's services module is either a read (it writes nothing),
or has a case here: a write aimed at what signed-off 2023/24 P9 shows. Each case runs in a
transaction that is rolled back; whether the write is refused or succeeds, the period's
savings summary, KPI status, risk summary and printed figures must be exactly as before.
A new service with no case fails `test_every_write_service_has_a_case`.
"""

from __future__ import annotations

import inspect
import io
import pkgutil
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from decimal import Decimal
from importlib import import_module
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import transaction

from contracts import services as contract_services
from kpis import services as kpi_services
from kpis.choices import Polarity
from kpis.models import KpiDefinition, KpiResult
from nct_monitor import services as period_services
from nct_monitor.models import FinancialYear, Period
from nct_monitor.records import period_figures
from nct_monitor.selectors import get_year
from risks import services as risk_services
from risks.choices import RiskStatus
from risks.models import Risk
from savings import services as savings_services
from savings.models import SavingsLine, SavingsPosition
from tests.factories import period
from tests.kpis.factories import KpiDefinitionFactory, result, target
from tests.risks.factories import RiskFactory
from tests.risks.helpers import review
from tests.savings.factories import SavingsLineFactory, position

pytestmark = pytest.mark.django_db

MODULES = (
    "nct_monitor.services",
    "savings.services",
    "kpis.services",
    "risks.services",
    "contracts.services",
    "committee.services",
)

# Functions that write nothing: checks, comparisons and formatting.
READS = {
    "nct_monitor.services": {
        "signed_off_message",
        "ensure_period_open",
        "require_open_period",
        "require_open_periods",
        "gaps_fingerprint",
        "inline_import_bytes",
        "get_year",
    },
    "savings.services": {
        "tidy",
        "title_key",
        "check_figures",
        "position_differences",
        "compare_return",
        "describe_change",
    },
    # Its rules are in kpis.rules and its conflict descriptions in kpis.conflicts.
    "kpis.services": set(),
    "risks.services": {"fields_of", "review_differences"},
    "contracts.services": {"check_plan_investment_totals"},
    "committee.services": set(),
}

# Writes that by their nature cannot change a period's figures, and why.
NOT_PERIOD_DATA = {
    "nct_monitor.services.reopen_period": "the one way a signed-off period is changed, by an "
    "administrator with a reason",
    "nct_monitor.services.record_corrections": "writes the corrections register only",
    "nct_monitor.services.purge_uploads": "deletes the stored files of ended uploads only",
}
# Committee papers print a period's figures as at it; their services write the papers (reports,
# agendas, minutes, packs), never a figure, so every one of them is in this class.
PAPERS = "committee.services"


def defined_in(name: str) -> dict[str, Callable[..., Any]]:
    """The public functions defined in module `name` or, for a package, in any of its
    modules, as if each were defined in `name` itself."""
    module = import_module(name)
    modules = [module]
    if hasattr(module, "__path__"):
        modules += [
            import_module(f"{name}.{info.name}") for info in pkgutil.iter_modules(module.__path__)
        ]
    own = {each.__name__ for each in modules}
    return {
        attribute: value
        for each in modules
        for attribute, value in vars(each).items()
        if not attribute.startswith("_") and inspect.isfunction(value) and value.__module__ in own
    }


def write_services() -> set[str]:
    found = set()
    for name in MODULES:
        for attribute in defined_in(name):
            if attribute in READS[name] or name == PAPERS:
                continue
            found.add(f"{name}.{attribute}")
    return found


def _json(command: str, *args: str) -> str:
    out = io.StringIO()
    call_command(command, *args, "--json", stdout=out)
    return out.getvalue()


def shown(label: str = "2023/24 P9") -> dict[str, Any]:
    year, number = label.split(" P")
    return {
        "savings": _json("savings_summary", "--year", year, "--period", number),
        "kpis": _json("kpi_status", "--year", year, "--period", number),
        "risks": _json("risk_summary", "--period", label),
        "figures": period_figures(period(label)),
    }


class World:
    """2023/24 P9 with a savings line, a rated KPI result, a risk reviewed in P8 and one never
    reviewed, signed off; P10 open."""

    def __init__(self, officer: Any, admin: Any) -> None:
        self.officer, self.admin = officer, admin
        self.line = SavingsLineFactory(title="Review of Contracts", sro="Olivia Ives")
        position(self.line, "2023/24 P8", target=100, amber=40)
        self.position = position(self.line, "2023/24 P9", target=100, amber=30)
        self.kpi = KpiDefinitionFactory(number=4)
        target(self.kpi, "2023/24", "60", "5")
        self.result = result(self.kpi, "2023/24 P9", "58", commentary="Below target")
        self.risk = RiskFactory(ref="FOR 05", date_raised=date(2023, 4, 3))
        review(self.risk, "2023/24 P8", 5, 5, on=date(2023, 11, 28))
        self.quiet = RiskFactory(ref="CR 01", date_raised=date(2023, 4, 3))
        for label in ("2023/24 P8", "2023/24 P9"):
            period_services.sign_off_period(
                period=period(label), user=officer, exceptions_reason="Test world"
            )

    @property
    def p9(self) -> Period:
        return period("2023/24 P9")

    @property
    def year(self) -> FinancialYear:
        return get_year("2023/24")


def figures(target_k: int, red: int, amber: int, green: int) -> savings_services.PositionFigures:
    return savings_services.PositionFigures(
        *(Decimal(v) * 1000 for v in (target_k, red, amber, green, 0))
    )


def _definition(w: World, **changes: Any) -> None:
    kpi = w.kpi
    kpi_services.save_kpi_definition(
        **{
            "number": kpi.number,
            "title": kpi.title,
            "unit": kpi.unit,
            "polarity": kpi.polarity,
            "frequency": kpi.frequency,
            "minimum": kpi.minimum,
            "maximum": kpi.maximum,
            "baseline": kpi.baseline,
            "baseline_year": kpi.baseline_year,
            "notes": kpi.notes,
            **changes,
        },
        user=w.admin,
    )


def _return_line(title: str, sro: str) -> savings_services.ReturnLine:
    return savings_services.ReturnLine(
        row=5,
        ref="",
        title=title,
        sro=sro,
        group="NCT savings proposals",
        figures=figures(100, 0, 50, 50),
        comment="",
    )


CASES: dict[str, Callable[[World], Any]] = {
    # nct_monitor
    "nct_monitor.services.sign_off_period": lambda w: period_services.sign_off_period(
        period=period("2023/24 P10"), user=w.officer, exceptions_reason="Case"
    ),
    "nct_monitor.services.create_financial_year": lambda w: period_services.create_financial_year(
        start_year=2030
    ),
    "nct_monitor.services.add_next_financial_year": lambda w: (
        period_services.add_next_financial_year(user=w.admin)
    ),
    # savings
    "savings.services.update_position": lambda w: savings_services.update_position(
        position=SavingsPosition.objects.get(pk=w.position.pk),
        figures=figures(100, 0, 10, 90),
        comment="",
        user=w.officer,
    ),
    "savings.services.add_line": lambda w: savings_services.add_line(
        contract=w.line.contract,
        period=w.p9,
        ref="",
        title="Late line",
        sro="",
        group="NCT savings proposals",
        figures=figures(10, 0, 0, 10),
        comment="",
        user=w.officer,
    ),
    "savings.services.update_line": lambda w: savings_services.update_line(
        line=SavingsLine.objects.get(pk=w.line.pk),
        ref="",
        title="Renamed",
        sro="Olivia Ives",
        group="Another group",
        user=w.officer,
    ),
    "savings.services.retire_line": lambda w: savings_services.retire_line(
        line=SavingsLine.objects.get(pk=w.line.pk),
        retired_on=date(2023, 12, 1),
        reason="Case",
        user=w.officer,
    ),
    "savings.services.reinstate_line": lambda w: (
        SavingsLine.objects.filter(pk=w.line.pk).update(retired_on=date(2023, 11, 1)),
        savings_services.reinstate_line(line=SavingsLine.objects.get(pk=w.line.pk), user=w.officer),
    ),
    "savings.services.start_period": lambda w: savings_services.start_period(
        period=w.p9, contract=w.line.contract, user=w.officer
    ),
    "savings.services.record_return": lambda w: savings_services.record_return(
        contract=w.line.contract,
        period=period("2023/24 P10"),
        lines=[_return_line("Review of Contracts", "Another SRO")],
        user=w.officer,
        reason="Case",
    ),
    # kpis
    "kpis.services.set_kpi_target": lambda w: kpi_services.set_kpi_target(
        kpi=w.kpi, year=w.year, target=Decimal("50"), tolerance=Decimal("5"), user=w.admin
    ),
    "kpis.services.remove_kpi_target": lambda w: kpi_services.remove_kpi_target(
        kpi=w.kpi, year=w.year, user=w.admin
    ),
    "kpis.services.save_year_targets": lambda w: kpi_services.save_year_targets(
        year=w.year,
        entries=[kpi_services.TargetEntry(w.kpi, Decimal("50"), Decimal("5"))],
        user=w.admin,
    ),
    "kpis.services.record_kpi_result": lambda w: kpi_services.record_kpi_result(
        kpi=w.kpi, period=w.p9, value=Decimal("70"), user=w.officer
    ),
    "kpis.services.record_kpi_results": lambda w: kpi_services.record_kpi_results(
        entries=[kpi_services.ResultFigures(w.kpi, w.p9, Decimal("70"), None, None, "Case")],
        user=w.officer,
    ),
    "kpis.services.remove_kpi_result": lambda w: kpi_services.remove_kpi_result(
        kpi=w.kpi, period=w.p9, user=w.officer
    ),
    "kpis.services.save_period_results": lambda w: kpi_services.save_period_results(
        period=w.p9,
        entries=[kpi_services.ResultEntry(w.kpi, Decimal("70"), None, None, "Case")],
        user=w.officer,
    ),
    "kpis.services.save_kpi_definition": lambda w: _definition(
        w, polarity=Polarity.LOWER_IS_BETTER, maximum=Decimal("90")
    ),
    # risks: the register as at a signed-off period is the register as it stood at sign-off
    "risks.services.save_risk": lambda w: (
        risk_services.save_risk(
            data=replace(
                risk_services.fields_of(w.quiet),
                ref="CR 99",
                current_probability=5,
                current_impact=5,
                target_probability=1,
                date_raised=date(2023, 5, 1),
                description="Rewritten",
            ),
            risk=Risk.objects.get(pk=w.quiet.pk),
            user=w.officer,
        ),
        risk_services.save_risk(
            data=replace(risk_services.fields_of(w.quiet), ref="CR 02"), user=w.officer
        ),
    ),
    "risks.services.set_risk_status": lambda w: risk_services.set_risk_status(
        risk=Risk.objects.get(pk=w.risk.pk),
        status=RiskStatus.CLOSED,
        status_date=date(2023, 12, 1),
        user=w.officer,
    ),
    "risks.services.record_review": lambda w: (
        review(Risk.objects.get(pk=w.risk.pk), "2023/24 P10", 1, 1, on=date(2024, 1, 20)),
        review(Risk.objects.get(pk=w.quiet.pk), "2023/24 P10", 1, 1, on=date(2024, 1, 20)),
        review(Risk.objects.get(pk=w.risk.pk), "2023/24 P9", 1, 1, on=date(2023, 12, 20)),
    ),
    "risks.services.save_action": lambda w: risk_services.save_action(
        risk=Risk.objects.get(pk=w.risk.pk),
        description="Late action",
        owner="Director of Finance",
        due_date=date(2024, 3, 31),
        user=w.officer,
    ),
    # contracts: the writes whose refusals tests/contracts/test_signed_off_record.py does not
    # already prove on the papers' own finance
    "contracts.services.create_contract": lambda w: contract_services.create_contract(
        name="Another contract",
        provider="Another trust",
        start_date=date(2023, 4, 1),
        councils={"NNC": "North Northamptonshire Council"},
    ),
    "contracts.services.create_contract_sum": lambda w: contract_services.create_contract_sum(
        year="2023/24", block1=Decimal("150000000.00"), block3=Decimal("1456000.00")
    ),
    "contracts.services.create_business_case": lambda w: contract_services.create_business_case(
        theme="workforce", title="Late case", date_approved=date(2023, 12, 12)
    ),
    # 2023/24's revenue lines feed the projected profit and loss account P9 prints.
    "contracts.services.create_plan_investment": lambda w: contract_services.create_plan_investment(
        kind="service_improvement", title="Late line", year="2023/24", amount=Decimal("85000.00")
    ),
    "contracts.services.update_plan_investment": lambda w: contract_services.update_plan_investment(
        line=contract_services.create_plan_investment(
            kind="capital", title="Minor Works", year="2023/24", amount=Decimal("50000.00")
        ),
        amount=Decimal("60000.00"),
    ),
    "contracts.services.record_plan_investment_table": lambda w: (
        contract_services.record_plan_investment_table(
            lines=[
                contract_services.PlanInvestmentEntry(
                    kind="transformation",
                    title="Transformation Reserve",
                    amounts={"2023/24": Decimal("3291000.00")},
                )
            ],
            stated_totals={},
        )
    ),
    "contracts.services.create_finance_footnote": lambda w: (
        contract_services.create_finance_footnote(
            table="mtfp", marker="Note 9", text="A late note."
        )
    ),
    "contracts.services.set_period_forecast": lambda w: contract_services.set_period_forecast(
        period=w.p9,
        pressures={"placements": contract_services.ForecastEntry(Decimal("1000000.00"))},
    ),
}

# Writes whose guard a module of their own proves on fuller data, each with a test per way it
# can reach a signed-off period; the name must appear there as a call.
PROVED_IN = {
    "tests/contracts/test_signed_off_record.py": {
        f"contracts.services.{name}"
        for name in (
            "set_council_shares",
            "update_contract_sum",
            "create_mtfp_build_up",
            "update_mtfp_build_up",
            "update_business_case",
            "set_business_case_saving",
            "update_business_case_saving",
            "remove_business_case_saving",
            "allocate_funding",
            "update_funding_allocation",
            "remove_funding_allocation",
            "create_invest_to_save_line",
            "update_invest_to_save_line",
            "create_period_forecast",
        )
    },
    # A signed-off period's scorecard reads the plans as they stood when it was signed off.
    "tests/kpis/test_plans_signed_off.py": {
        "kpis.services.record_rectification_plan",
        "kpis.services.update_rectification_plan",
    },
    # An upload is refused for a signed-off period, whenever the period was signed off.
    "tests/nct_monitor/test_import_signed_off.py": {
        "nct_monitor.services.start_import",
        "nct_monitor.services.confirm_import",
        "nct_monitor.services.cancel_import",
    },
}


def test_every_write_service_has_a_case():
    services = write_services()
    elsewhere = set().union(*PROVED_IN.values())
    classified = set(CASES) | set(NOT_PERIOD_DATA) | elsewhere
    assert sorted(services - classified) == [], "write services with no case"
    assert sorted(classified - services) == [], "cases for services that no longer exist"


def test_each_write_proved_elsewhere_is_called_there(settings):
    for path, names in PROVED_IN.items():
        text = (settings.BASE_DIR / path).read_text()
        missing = [name for name in sorted(names) if f"services.{name.split('.')[-1]}(" not in text]
        assert missing == [], f"{path} does not call these"


@pytest.fixture
def world(officer, admin_user, contract) -> World:
    return World(officer, admin_user)


def test_no_write_changes_what_a_signed_off_period_shows(world):
    before = shown()
    assert before["figures"], "the world's signed-off period shows figures"
    changed, refused = [], {}
    for name, case in sorted(CASES.items()):
        with transaction.atomic():
            try:
                case(world)
            except ValidationError as error:
                refused[name] = " ".join(error.messages).replace("signed-off", "signed off")
            except PermissionDenied as error:
                refused[name] = str(error)
            if shown() != before:
                changed.append(name)
            transaction.set_rollback(True)
    assert changed == [], "writes that changed signed-off 2023/24 P9"
    # Each of these aims at P9 itself, so it must have been refused, for that reason, rather
    # than done elsewhere or refused for another.
    aimed_at_p9 = {
        "savings.services.update_position",
        "savings.services.update_line",
        "savings.services.record_return",
        "kpis.services.save_kpi_definition",
        "kpis.services.set_kpi_target",
        "kpis.services.record_kpi_result",
        "contracts.services.create_contract_sum",
        "contracts.services.create_business_case",
        "contracts.services.set_period_forecast",
        "risks.services.record_review",
    }
    assert {
        name: refused.get(name, "not refused")
        for name in aimed_at_p9
        if "2023/24 P9" not in refused.get(name, "") or "signed off" not in refused[name]
    } == {}


def test_the_world_shows_the_figures_each_case_aims_at(world):
    figures_ = shown()["figures"]
    assert figures_["Savings, TOTAL SAVINGS, Amber (£'000)"] == "30"
    assert figures_["Risk FOR 05, current score"] == "25"  # from its P8 review
    assert figures_["Risk CR 01, current score"] == "12"  # never reviewed: as the register holds
    assert KpiResult.objects.filter(kpi=world.kpi, period=world.p9).exists()
    assert KpiDefinition.objects.get(pk=world.kpi.pk).polarity == Polarity.HIGHER_IS_BETTER


def test_no_product_model_can_be_changed_in_the_administration_site():
    from django.contrib import admin

    from nct_monitor.product import product_labels

    registered = [
        model._meta.label
        for model in admin.site._registry
        if model._meta.app_label in product_labels()
    ]
    assert registered == [], "product records are written through their services only"
