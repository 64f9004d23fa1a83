"""Real concurrent connections to PostgreSQL: threads, each with its own connection.

These tests are marked `postgresql` and skipped on SQLite, which has no row locks and lets
one writer in at a time. They commit (`django_db(transaction=True)`), so the data they make is
visible to every thread, and the database is flushed after each of them.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection, connections

from nct_monitor.concurrency import EditConflict
from nct_monitor.importing import PlanChanged
from nct_monitor.services import create_financial_year

# However many threads run, at most this many hold a connection at once: the server's
# connections (100 by default) are shared with whatever else is using it.
MOST_CONNECTIONS = 40
# Nothing here may wait for a lock for ever: a thread that would is stopped with an error.
LOCK_TIMEOUT = "20s"
DEADLINE_SECONDS = 240


@pytest.fixture
def years(transactional_db: Any) -> None:
    """The contract's years and periods (a flush after an earlier test removes them)."""
    for start_year in range(2020, 2027):
        create_financial_year(start_year=start_year)


@pytest.fixture
def officers(transactional_db: Any) -> Callable[[int], list[User]]:
    """`officers(200)`: that many users, made at once (no password: they never sign in)."""

    def make(count: int) -> list[User]:
        User.objects.bulk_create(
            User(username=f"officer{n:03d}", first_name="Officer", last_name=f"{n:03d}")
            for n in range(count)
        )
        return list(User.objects.filter(username__startswith="officer").order_by("username"))

    return make


@dataclass
class Outcome:
    """What one thread's attempt came to: `saved` (with what it returned), `refused` (an
    `EditConflict`, or an import whose plan changed) or `error`."""

    kind: str
    value: Any = None


def connection_budget() -> int:
    """How many connections the threads may hold at once, leaving the server room."""
    with connection.cursor() as cursor:
        cursor.execute("SHOW max_connections")
        most = int(cursor.fetchone()[0])
        cursor.execute("SELECT count(*) FROM pg_stat_activity")
        used = int(cursor.fetchone()[0])
    return max(2, min(MOST_CONNECTIONS, most - used - 20))


def attempt_in_thread(attempt: Callable[[], Any]) -> Outcome:
    """Run `attempt` on this thread's own connection, which is closed afterwards."""
    try:
        with connection.cursor() as cursor:
            cursor.execute(f"SET lock_timeout = '{LOCK_TIMEOUT}'")
        return Outcome("saved", attempt())
    except (EditConflict, PlanChanged) as refusal:
        return Outcome("refused", refusal)
    except Exception as error:  # reported by the test, with the thread's error
        return Outcome("error", error)
    finally:
        connections.close_all()


def run_at_once(count: int, attempt: Callable[[int], Any]) -> list[Outcome]:
    """`attempt(i)` for i in 0..count-1, each in its own thread, all released together by a
    barrier. At most `connection_budget()` of them hold a connection at a time; the others
    queue for one, as requests queue for a server's workers. Bounded in time."""
    barrier = threading.Barrier(count, timeout=60)
    slots = threading.BoundedSemaphore(connection_budget())
    outcomes: list[Outcome] = [Outcome("error", "did not run") for _ in range(count)]

    def work(index: int) -> None:
        try:
            barrier.wait()
        except threading.BrokenBarrierError as error:
            outcomes[index] = Outcome("error", error)
            return
        with slots:
            outcomes[index] = attempt_in_thread(lambda: attempt(index))

    threads = [
        threading.Thread(target=work, args=(index,), name=f"attempt-{index}", daemon=True)
        for index in range(count)
    ]
    for thread in threads:
        thread.start()
    join_all(threads)
    return outcomes


def join_all(threads: list[threading.Thread]) -> None:
    deadline = time.monotonic() + DEADLINE_SECONDS
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
    stuck = [thread.name for thread in threads if thread.is_alive()]
    assert not stuck, f"{len(stuck)} threads did not finish in {DEADLINE_SECONDS}s: {stuck[:5]}"


def errors(outcomes: list[Outcome]) -> list[Any]:
    return [outcome.value for outcome in outcomes if outcome.kind == "error"]


def backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return int(cursor.fetchone()[0])


def wait_until_blocked(pid: list[int], seconds: float = 30) -> bool:
    """Whether the connection whose id will be in `pid` comes to wait for a row lock."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if pid:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", [pid[0]]
                )
                row = cursor.fetchone()
            if row is not None and row[0] == "Lock":
                return True
        time.sleep(0.02)
    return False
