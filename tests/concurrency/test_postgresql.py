"""No lost update under real concurrency: threads on their own PostgreSQL connections saving
the same period record at once, and an import racing a form save of the same period.

Every save of a period record locks the period row and then the record inside its
transaction, compares the version the editor was shown and adds one to it; imports lock the
same period rows first. So of many saves made from one version exactly one is written and the
others are refused, saves that re-read and retry all count, and an import and a form save of
one period run one after the other: whichever comes second waits, then is refused.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import transaction

from contracts import services as contract_services
from contracts.models import ForecastPressure
from kpis import services as kpi_services
from kpis.importers import RESULT_COLUMNS, results_importer
from kpis.models import KpiResult
from nct_monitor.concurrency import NEW, EditConflict, Stamp
from nct_monitor.importing import PlanChanged, apply_return, check_return
from risks import services as risk_services
from risks.models import RiskReview
from savings import services as savings_services
from savings.importers import COLUMNS, savings_importer
from savings.models import SavingsPosition
from savings.services import PositionFigures
from tests.concurrency.conftest import (
    Outcome,
    attempt_in_thread,
    backend_pid,
    errors,
    join_all,
    run_at_once,
    wait_until_blocked,
)
from tests.contracts.factories import forecast
from tests.factories import ContractFactory, period
from tests.kpis.factories import KpiDefinitionFactory
from tests.risks.factories import RiskFactory
from tests.savings.factories import SavingsLineFactory, position
from tests.spreadsheets import xlsx

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db(transaction=True)]

ATTEMPTS = 200
THOUSAND = Decimal(1000)


@dataclass
class Record:
    """A period record at version 1, and how an officer saves it from that version."""

    save: Callable[[int, User], Any]  # attempt i, by the user, from version 1
    value: Callable[[], Any]  # the figure each attempt sets, as stored now
    value_of: Callable[[int], Any]  # the figure attempt i sets
    version: Callable[[], int]
    history: Callable[[], int]


def savings_position() -> Record:
    ContractFactory()
    shown = position(SavingsLineFactory(title="Review of Contracts"), "2023/24 P9", amber=1000)

    def save(index: int, user: User) -> Any:
        red = index * THOUSAND
        return savings_services.update_position(
            position=shown,
            figures=PositionFigures(1000 * THOUSAND, red, Decimal(0), 1000 * THOUSAND - red, red),
            comment=f"Attempt {index}",
            user=user,
            expected_version=1,
        )

    return Record(
        save=save,
        value=lambda: SavingsPosition.objects.get().red,
        value_of=lambda index: index * THOUSAND,
        version=lambda: SavingsPosition.objects.get().version,
        history=lambda: SavingsPosition.history.count(),
    )


def kpi_result() -> Record:
    kpi = KpiDefinitionFactory(number=1)
    at = period("2024/25 P1")
    shown = kpi_services.record_kpi_result(kpi=kpi, period=at, value=Decimal(80), user=None)

    def save(index: int, user: User) -> Any:
        entry = kpi_services.ResultEntry(
            kpi, Decimal(index) / 4, None, None, f"Attempt {index}", Stamp.of(shown)
        )
        return kpi_services.save_period_results(period=at, entries=[entry], user=user)

    return Record(
        save=save,
        value=lambda: KpiResult.objects.get().value,
        value_of=lambda index: Decimal(index) / 4,
        version=lambda: KpiResult.objects.get().version,
        history=lambda: KpiResult.history.count(),
    )


def review(risk: Any, user: User | None, text: str, expected: Stamp | None) -> RiskReview:
    return risk_services.record_review(
        risk=risk,
        period=period("2024/25 P7"),
        probability=3,
        impact=4,
        position=text,
        further_actions="Weekly demand meeting",
        reviewer="Director of Children's Social Care",
        reviewed_on=date(2024, 10, 14),
        user=user,
        expected=expected,
    )


def risk_review() -> Record:
    risk = RiskFactory(ref="CR 01")
    shown = Stamp.of(review(risk, None, "As first reviewed", NEW))
    return Record(
        save=lambda index, user: review(risk, user, f"Attempt {index}", shown),
        value=lambda: RiskReview.objects.get().position,
        value_of=lambda index: f"Attempt {index}",
        version=lambda: RiskReview.objects.get().version,
        history=lambda: RiskReview.history.count(),
    )


def forecast_line() -> Record:
    ContractFactory()
    at = period("2023/24 P9")
    forecast(at, {"placements": Decimal("23307000.00")})
    shown = {line.category: Stamp.of(line) for line in ForecastPressure.objects.all()}

    def save(index: int, user: User) -> Any:
        return contract_services.set_period_forecast(
            period=at,
            pressures={"placements": contract_services.ForecastEntry(Decimal(index))},
            user=user,
            expected=shown,
        )

    return Record(
        save=save,
        value=lambda: ForecastPressure.objects.get().amount,
        value_of=lambda index: Decimal(index),
        version=lambda: ForecastPressure.objects.get().version,
        history=lambda: ForecastPressure.history.count(),
    )


@pytest.mark.parametrize(
    "make_record",
    [savings_position, kpi_result, risk_review, forecast_line],
    ids=lambda f: f.__name__,
)
def test_of_200_saves_from_the_same_version_exactly_one_is_written(years, officers, make_record):
    record = make_record()
    users = officers(ATTEMPTS)
    history = record.history()

    outcomes = run_at_once(ATTEMPTS, lambda index: record.save(index, users[index]))

    assert errors(outcomes) == []
    saved = [index for index, outcome in enumerate(outcomes) if outcome.kind == "saved"]
    refused = [outcome.value for outcome in outcomes if outcome.kind == "refused"]
    assert (len(saved), len(refused)) == (1, ATTEMPTS - 1)
    [winner] = saved
    assert record.value() == record.value_of(winner)
    assert record.version() == 2
    assert record.history() == history + 1
    # Every refusal came after the winner's save, and names it.
    assert {conflict.changes[0].who for conflict in refused} == {f"Officer {winner:03d}"}


def increment_until_saved(pk: int, user: User) -> int:
    """Add £1,000 (green) to a position's target as an officer would: read it, save from the
    version read, and on a refusal read it again and redo the change. Returns the refusals."""
    for refusals in range(2000):
        shown = SavingsPosition.objects.get(pk=pk)
        try:
            savings_services.update_position(
                position=shown,
                figures=PositionFigures(
                    shown.target + THOUSAND,
                    shown.red,
                    shown.amber,
                    shown.green + THOUSAND,
                    shown.mitigations,
                ),
                comment=shown.comment,
                user=user,
                expected_version=shown.version,
            )
            return refusals
        except EditConflict:
            # Back off a little, more each time, so the retries do not all meet again at once.
            time.sleep(random.uniform(0, 0.001 * 2 ** min(refusals, 6)))
    raise AssertionError(f"{user.username} was refused 2000 times")


def test_200_saves_that_reread_and_retry_on_a_refusal_all_count(years, officers):
    ContractFactory()
    start = position(SavingsLineFactory(title="Review of Contracts"), "2023/24 P9", green=1000)
    users = officers(ATTEMPTS)
    history = SavingsPosition.history.count()

    outcomes = run_at_once(ATTEMPTS, lambda index: increment_until_saved(start.pk, users[index]))

    assert errors(outcomes) == []
    assert [outcome.kind for outcome in outcomes] == ["saved"] * ATTEMPTS
    final = SavingsPosition.objects.get()
    assert (final.target, final.green) == (1200 * THOUSAND, 1200 * THOUSAND)
    assert final.version == 1 + ATTEMPTS
    assert SavingsPosition.history.count() == history + ATTEMPTS
    assert set(
        SavingsPosition.history.filter(history_type="~").values_list("history_user", flat=True)
    ) == {user.pk for user in users}


# An import and a form save of the same period


SAVINGS = {"year": "2023/24", "period": 9}


@pytest.fixture
def savings_period(years, officers):
    """A line at 2023/24 P9 (all amber), its return turning it green, and the return's
    preview, as an officer confirms it on the upload page."""
    ContractFactory()
    shown = position(SavingsLineFactory(title="Review of Contracts"), "2023/24 P9", amber=100)
    row = ["", "Review of Contracts", "Olivia Ives", "NCT savings proposals", 100, 0, 0, 100, 0]
    data = xlsx([list(COLUMNS), [*row, "Delivered"]])
    preview = check_return(savings_importer, data, filename="return.xlsx", params=SAVINGS)
    importer, editor = officers(2)
    return shown, data, preview.fingerprint(), importer, editor


def import_savings(data: bytes, fingerprint: str, user: User, progress: Any = None) -> Any:
    return apply_return(
        savings_importer,
        data,
        filename="return.xlsx",
        params=SAVINGS,
        user=user,
        expected_fingerprint=fingerprint,
        progress=progress,
    )


def edit_savings(shown: SavingsPosition, user: User) -> Any:
    return savings_services.update_position(
        position=shown,
        figures=PositionFigures(100 * THOUSAND, 100 * THOUSAND, Decimal(0), Decimal(0), Decimal(0)),
        comment="Slipped",
        user=user,
        expected_version=1,
    )


class Pause:
    """Holds a thread inside its transaction (its locks taken) until released."""

    def __init__(self) -> None:
        self.holding = threading.Event()
        self.release = threading.Event()

    def __call__(self, *args: Any) -> None:
        if transaction.get_connection().in_atomic_block and not self.holding.is_set():
            self.holding.set()
            assert self.release.wait(60), "never released"


def race_in_order(first: Callable[[Pause], Any], second: Callable[[], Any]) -> list[Outcome]:
    """`first` takes its locks and holds them; `second` starts and is seen waiting for them;
    then `first` finishes. Returns both outcomes."""
    pause = Pause()
    waiting_pid: list[int] = []
    outcomes: list[Outcome] = [Outcome("error", "did not run")] * 2

    def run_first() -> None:
        outcomes[0] = attempt_in_thread(lambda: first(pause))

    def run_second() -> None:
        def attempt() -> Any:
            waiting_pid.append(backend_pid())
            return second()

        assert pause.holding.wait(60)
        outcomes[1] = attempt_in_thread(attempt)

    threads = [threading.Thread(target=run_first), threading.Thread(target=run_second)]
    for thread in threads:
        thread.start()
    try:
        assert pause.holding.wait(60), "the first never took its locks"
        assert wait_until_blocked(waiting_pid), "the second did not wait for the first's locks"
    finally:
        pause.release.set()
        join_all(threads)
    return outcomes


def test_a_form_save_during_an_import_waits_for_it_then_is_refused(savings_period):
    shown, data, fingerprint, importer, editor = savings_period

    imported, edited = race_in_order(
        lambda pause: import_savings(data, fingerprint, importer, progress=pause),
        lambda: edit_savings(shown, editor),
    )

    assert (imported.kind, edited.kind) == ("saved", "refused")
    assert edited.value.changes[0].who == "Officer 000"
    assert edited.value.changes[0].reason == "Savings return for 2023/24 P9 imported"
    final = SavingsPosition.objects.get()
    assert (final.green, final.red, final.comment, final.version) == (
        100 * THOUSAND,
        Decimal(0),
        "Delivered",
        2,
    )
    assert SavingsPosition.history.count() == 2


def test_an_import_confirmed_during_a_form_save_waits_for_it_then_is_refused(savings_period):
    shown, data, fingerprint, importer, editor = savings_period

    def edit_and_hold(pause: Pause) -> Any:
        with transaction.atomic():
            saved = edit_savings(shown, editor)
            pause()
        return saved

    edited, imported = race_in_order(
        edit_and_hold, lambda: import_savings(data, fingerprint, importer)
    )

    assert (edited.kind, imported.kind) == ("saved", "refused")
    assert isinstance(imported.value, PlanChanged)  # the preview no longer holds: re-check it
    final = SavingsPosition.objects.get()
    assert (final.red, final.comment, final.version) == (100 * THOUSAND, "Slipped", 2)
    assert SavingsPosition.history.count() == 2


def test_an_import_and_a_form_save_released_together_never_both_write(savings_period):
    shown, data, fingerprint, importer, editor = savings_period

    outcomes = run_at_once(
        2,
        lambda index: (
            import_savings(data, fingerprint, importer)
            if index == 0
            else edit_savings(shown, editor)
        ),
    )

    assert errors(outcomes) == []
    assert sorted(outcome.kind for outcome in outcomes) == ["refused", "saved"]
    final = SavingsPosition.objects.get()
    expected = "Delivered" if outcomes[0].kind == "saved" else "Slipped"
    assert (final.comment, final.version, SavingsPosition.history.count()) == (expected, 2, 2)


@pytest.fixture
def kpi_period(years, officers):
    """KPI 1's result at 2024/25 P1, a return changing it, and the return's preview."""
    kpi = KpiDefinitionFactory(number=1)
    at = period("2024/25 P1")
    shown = kpi_services.record_kpi_result(kpi=kpi, period=at, value=Decimal(68), user=None)
    data = xlsx([list(RESULT_COLUMNS), ["KPI 1", "2024/25", 1, 73, None, None, "Returned"]])
    preview = check_return(results_importer, data, filename="results.xlsx", params={})
    importer, editor = officers(2)
    return kpi, at, shown, data, preview.fingerprint(), importer, editor


def import_results(data: bytes, fingerprint: str, user: User, progress: Any = None) -> Any:
    return apply_return(
        results_importer,
        data,
        filename="results.xlsx",
        params={},
        user=user,
        expected_fingerprint=fingerprint,
        progress=progress,
    )


def edit_results(kpi: Any, at: Any, shown: KpiResult, user: User) -> Any:
    entry = kpi_services.ResultEntry(kpi, Decimal(70), None, None, "Entered", Stamp.of(shown))
    return kpi_services.save_period_results(period=at, entries=[entry], user=user)


def test_a_kpi_form_save_during_an_import_waits_for_it_then_is_refused(kpi_period):
    kpi, at, shown, data, fingerprint, importer, editor = kpi_period

    imported, edited = race_in_order(
        lambda pause: import_results(data, fingerprint, importer, progress=pause),
        lambda: edit_results(kpi, at, shown, editor),
    )

    assert (imported.kind, edited.kind) == ("saved", "refused")
    assert edited.value.changes[0].reason == "Imported from a KPI results return"
    final = KpiResult.objects.get()
    assert (final.value, final.commentary, final.version) == (Decimal("73.00"), "Returned", 2)
    assert KpiResult.history.count() == 2


def test_a_kpi_import_confirmed_during_a_form_save_waits_for_it_then_is_refused(kpi_period):
    kpi, at, shown, data, fingerprint, importer, editor = kpi_period

    def edit_and_hold(pause: Pause) -> Any:
        with transaction.atomic():
            saved = edit_results(kpi, at, shown, editor)
            pause()
        return saved

    edited, imported = race_in_order(
        edit_and_hold, lambda: import_results(data, fingerprint, importer)
    )

    assert (edited.kind, imported.kind) == ("saved", "refused")
    assert isinstance(imported.value, PlanChanged)
    final = KpiResult.objects.get()
    assert (final.value, final.commentary, final.version) == (Decimal("70.00"), "Entered", 2)
    assert KpiResult.history.count() == 2


def test_a_kpi_import_and_a_form_save_released_together_never_both_write(kpi_period):
    kpi, at, shown, data, fingerprint, importer, editor = kpi_period

    outcomes = run_at_once(
        2,
        lambda index: (
            import_results(data, fingerprint, importer)
            if index == 0
            else edit_results(kpi, at, shown, editor)
        ),
    )

    assert errors(outcomes) == []
    assert sorted(outcome.kind for outcome in outcomes) == ["refused", "saved"]
    final = KpiResult.objects.get()
    expected = Decimal("73.00") if outcomes[0].kind == "saved" else Decimal("70.00")
    assert (final.value, final.version, KpiResult.history.count()) == (expected, 2, 2)
