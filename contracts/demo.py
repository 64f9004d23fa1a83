"""Demo data for the contract and its finance, from `fixtures/` (see fixtures/README.md).

Idempotent: a record that already exists is left as it is (an officer may have changed it
since), and only missing records are created, through the same services as the pages.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings

from contracts import selectors, services
from contracts.models import (
    BusinessCase,
    BusinessCaseSaving,
    ContractSum,
    FinanceFootnote,
    ForecastPressure,
    FundingAllocation,
    InvestToSaveLine,
    MtfpBuildUp,
    PlanInvestment,
)
from nct_monitor.periods import PeriodRef, parse_year


def _fixture(name: str) -> Any:
    return json.loads((settings.BASE_DIR / "fixtures" / name).read_text())


def load() -> list[str]:
    done = _load_contract()
    finance = _fixture("contract_finance.json")
    done += _load_contract_sums(finance["contract_sums"])
    done += _load_mtfp(finance["mtfp"])
    done += _load_business_cases(finance["business_cases"])
    done += _load_invest_to_save(finance["invest_to_save"])
    done += _load_forecasts(finance["forecasts"])
    done += _load_plan_investment(finance["plan_investment"])
    done += _load_footnotes(finance["footnotes"])
    return done


def _load_contract() -> list[str]:
    data = _fixture("contract.json")
    done = []
    contract = selectors.get_contract()
    if contract is None:
        contract = services.create_contract(
            name=data["contract"]["name"],
            provider=data["contract"]["provider"],
            start_date=date.fromisoformat(data["contract"]["start_date"]),
            councils={c["short_name"]: c["name"] for c in data["councils"]},
        )
        done.append(f"Created the contract with {contract.provider}")
    for schedule in data["share_schedules"]:
        shares = {council: Decimal(value) for council, value in schedule["shares"].items()}
        effective_from = date.fromisoformat(schedule["effective_from"])
        if selectors.shares_on(effective_from, contract=contract) != shares:
            services.set_council_shares(
                contract=contract,
                effective_from=effective_from,
                shares=shares,
                note=schedule["note"],
            )
            done.append(f"Set council shares from {effective_from}")
    return done


def _money(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def _load_contract_sums(rows: list[dict[str, Any]]) -> list[str]:
    done = []
    for row in rows:
        if ContractSum.objects.filter(year__start_year=parse_year(row["year"])).exists():
            continue
        services.create_contract_sum(
            year=row["year"],
            block1=Decimal(row["block1"]),
            block2=Decimal(row["block2"]),
            block2_non_recurring=Decimal(row["block2_non_recurring"]),
            block3=Decimal(row["block3"]),
            status=row["status"],
            notes=row["notes"],
            source=row["source"],
        )
        done.append(f"Recorded the {row['year']} contract sum")
    return done


def _load_mtfp(rows: list[dict[str, Any]]) -> list[str]:
    done = []
    for row in rows:
        if MtfpBuildUp.objects.filter(year__start_year=parse_year(row["year"])).exists():
            continue
        figures = {field: Decimal(row[field]) for field in services.MTFP_FIELDS}
        services.create_mtfp_build_up(
            year=row["year"],
            notes=row["notes"],
            source=row["source"],
            stated_net=_money(row.get("stated_net")),
            **figures,
        )
        done.append(f"Recorded the {row['year']} MTFP build-up")
    return done


def _load_business_cases(rows: list[dict[str, Any]]) -> list[str]:
    done = []
    for row in rows:
        case = BusinessCase.objects.filter(title=row["title"]).first()
        if case is None:
            case = services.create_business_case(
                theme=row["theme"],
                title=row["title"],
                date_approved=date.fromisoformat(row["date_approved"]),
                additional_benefits=_money(row.get("additional_benefits")),
                additional_benefits_tbc=row.get("additional_benefits_tbc", False),
                duration=row["duration"],
                notes=row["notes"],
                source=row["source"],
            )
            done.append(f"Recorded the business case {case.title}")
        for year, amount in row.get("savings", {}).items():
            if not BusinessCaseSaving.objects.filter(
                business_case=case, year__start_year=parse_year(year)
            ).exists():
                services.set_business_case_saving(
                    business_case=case, year=year, amount=Decimal(amount)
                )
        for funding in row["funding"]:
            if not FundingAllocation.objects.filter(
                business_case=case,
                year__start_year=parse_year(funding["year"]),
                block=funding["block"],
            ).exists():
                services.allocate_funding(
                    business_case=case,
                    year=funding["year"],
                    block=funding["block"],
                    amount=Decimal(funding["amount"]),
                    note=funding["note"],
                )
                done.append(
                    f"Allocated Block {funding['block']} {funding['year']} funding to {case.title}"
                )
    return done


def _load_invest_to_save(rows: list[dict[str, Any]]) -> list[str]:
    done = []
    # Funding first, so each grant has the funding it offsets.
    for row in sorted(rows, key=lambda row: row["kind"] == "grant"):
        if InvestToSaveLine.objects.filter(
            programme=row["programme"],
            year__start_year=parse_year(row["year"]),
            title=row["title"],
        ).exists():
            continue
        services.create_invest_to_save_line(
            programme=row["programme"],
            year=row["year"],
            kind=row["kind"],
            title=row["title"],
            amount=Decimal(row["amount"]),
            notes=row["notes"],
            source=row["source"],
        )
        done.append(f"Recorded invest-to-save {row['kind']} for {row['programme']} {row['year']}")
    return done


def _load_forecasts(rows: list[dict[str, Any]]) -> list[str]:
    done = []
    for row in rows:
        ref = PeriodRef.parse(row["period"])
        if ForecastPressure.objects.filter(
            period__year__start_year=ref.start_year, period__number=ref.number
        ).exists():
            continue
        services.set_period_forecast(
            period=ref,
            pressures={
                category: services.ForecastEntry(Decimal(entry["amount"]), entry["note"])
                for category, entry in row["pressures"].items()
            },
            stated_total=_money(row.get("stated_total")),
            source=row["source"],
        )
        done.append(f"Recorded the {ref.label} finance forecast")
    return done


def _load_plan_investment(table: dict[str, Any]) -> list[str]:
    before = PlanInvestment.objects.count()
    services.record_plan_investment_table(
        lines=[
            services.PlanInvestmentEntry(
                kind=row["kind"],
                title=row["title"],
                amounts={year: _money(amount) for year, amount in row["amounts"].items()},
                notes=row["notes"],
            )
            for row in table["lines"]
        ],
        stated_totals={
            (section, year): _money(amount)
            for section, years in table["stated_totals"].items()
            for year, amount in years.items()
        },
        source=table["source"],
    )
    added = PlanInvestment.objects.count() - before
    return [f"Recorded {added} business plan invest-to-save amounts"] if added else []


def _load_footnotes(rows: list[dict[str, Any]]) -> list[str]:
    done = []
    for position, row in enumerate(rows, start=1):
        if FinanceFootnote.objects.filter(table=row["table"], marker=row["marker"]).exists():
            continue
        services.create_finance_footnote(position=position, **row)
        done.append(f"Recorded footnote {row['marker']} of the {row['table']} table")
    return done
