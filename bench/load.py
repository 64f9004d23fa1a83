"""`make load`: NCT Monitor under 50 simultaneous users, into bench/load-results.json.

What it measures: how fast, and whether without a single error, the application answers 50
users at once, each signing in through the login form (10 a second to start with) and walking
its role's journeys (members, officers, clerks, an administrator; see bench/locustfile.py) for
60 s, with 1-3 s of thinking between journeys. The application runs as in production: gunicorn
with 2 workers, the production settings (DEBUG off, login throttling on), PostgreSQL, the demo
data, and an agenda pack published for the March 2024 meeting. A 15 s warm-up with 10 users
comes first and is not measured (its failures still count). Everything is on loopback and
bounded in time.

Written for each endpoint, and in all: requests, failures, the median (p50) and 95th
percentile (p95) response times in ms and requests per second, from locust's CSV statistics;
and the CPU time the server, locust and everything else took, since the machine may be shared.
It exits 1 if any request failed or the server logged anything. The database `nct_monitor_load`
on the local PostgreSQL server is dropped and recreated on each run, and kept afterwards to look
into (its stored files, the pack's PDF, were in a temporary folder and are not). Nothing here
runs inside `make test`.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from bench.run import PYTHON, ROOT, environment, in_process, manage

POSTGRES = os.environ.get("NCT_LOAD_POSTGRES", "postgres://postgres@127.0.0.1:5432")
DATABASE = "nct_monitor_load"
PASSWORD = "load-password-2024"
WORKERS = 2
SPAWN_RATE = 10
THINK_SECONDS = (1, 3)
# A short run first, so that the measured one finds the workers warm (modules imported,
# templates compiled), as a server that has been up for a while would be.
WARM_UP_USERS, WARM_UP_SECONDS = 10, 15
RESULTS = ROOT / "bench" / "load-results.json"
LOOPBACK = {"127.0.0.1", "localhost", "::1"}

# Run with the database's demo data: finds the March 2024 public agenda pack the demo
# publishes (publishing it if it is not), so that members can download it, then prints the
# ids and periods the journeys visit.
PREPARE = """
import json
from django.contrib.auth import get_user_model
from committee.choices import PackStatus, PackVariant
from committee.models import AgendaPack, Meeting, OfficerReport
from committee.services import build_pack_file, publish_pack, start_pack_build
from contracts.models import BusinessCase
from kpis.models import KpiDefinition
from nct_monitor.choices import PeriodStatus
from nct_monitor.converters import FinancialYearConverter
from nct_monitor.models import Period
from risks.choices import RiskStatus
from risks.models import Risk

clerk = get_user_model().objects.get(username="clerk")
meeting = Meeting.objects.get(date="2024-03-06")
pack = AgendaPack.objects.filter(
    meeting=meeting, variant=PackVariant.PUBLIC, status=PackStatus.PUBLISHED
).first()
if pack is None:  # the demo publishes it; older demo data did not
    pack = start_pack_build(meeting=meeting, variant=PackVariant.PUBLIC, user=clerk)
    pack = publish_pack(pack=build_pack_file(pack=pack), user=clerk)
first_open = (
    Period.objects.select_related("year")
    .filter(status=PeriodStatus.OPEN)
    .order_by("year__start_year", "number")
    .first()
)
year = FinancialYearConverter().to_url(first_open.year.start_year)
print(json.dumps({
    "open_period": f"{year}/p{first_open.number}",
    "kpis": list(KpiDefinition.objects.values_list("number", flat=True)),
    "risks": list(Risk.objects.values_list("pk", flat=True)),
    "open_risks": list(Risk.objects.filter(status=RiskStatus.OPEN).values_list("pk", flat=True)),
    "business_cases": list(BusinessCase.objects.values_list("pk", flat=True)),
    "meetings": list(Meeting.objects.values_list("pk", flat=True)),
    "reports": list(OfficerReport.objects.values_list("pk", flat=True)),
    "pack": pack.pk,
}))
"""


def require_loopback(url: str) -> None:
    if urlsplit(url).hostname not in LOOPBACK:
        raise SystemExit(f"The load test runs on loopback only, not {url}.")


def psql(*commands: str) -> str:
    result = subprocess.run(
        ["psql", f"{POSTGRES}/postgres", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1",
         *(arg for command in commands for arg in ("-c", command))],
        check=True, capture_output=True, text=True, env={**os.environ, "PGCONNECT_TIMEOUT": "10"},
    )  # fmt: skip
    return result.stdout.strip()


def prepare(work: Path) -> tuple[dict[str, str], dict[str, Any]]:
    """A fresh database with the demo data; the environment to serve it, and the targets."""
    psql(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)', f'CREATE DATABASE "{DATABASE}"')
    env = environment(work, "unused.sqlite3")
    # The production settings as they are, not the benchmarks' (which turn login throttling
    # off): the load generator plays the TLS-terminating proxy instead.
    # Two-factor sign-in is off: many simulated users share each demo account, and a code
    # from an authenticator app works once.
    env.update(
        DJANGO_SETTINGS_MODULE="nct_monitor.settings",
        DATABASE_URL=f"{POSTGRES}/{DATABASE}",
        NCT_TWO_FACTOR="0",
    )
    manage(env, "migrate", "--noinput")
    manage(env, "seed_demo", "--password", PASSWORD)
    manage(env, "collectstatic", "--noinput")
    return env, in_process(env, PREPARE)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def serving(env: dict[str, str], log: Path) -> Iterator[tuple[str, int]]:
    """gunicorn with `WORKERS` workers on a free loopback port: its address and process id."""
    base = f"http://127.0.0.1:{free_port()}"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [PYTHON, "-m", "gunicorn", "nct_monitor.wsgi", "-c", "gunicorn.conf.py",
             "--workers", str(WORKERS), "--bind", urlsplit(base).netloc, "--log-level", "warning"],
            cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            try:
                wait_for_health(base, process)
            except RuntimeError as error:
                raise RuntimeError(f"{error}\n{log.read_text(errors='replace')[-5000:]}") from None
            yield base, process.pid
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=30)


def wait_for_health(base: str, process: subprocess.Popen[bytes]) -> None:
    request = urllib.request.Request(base + "/health/", headers={"X-Forwarded-Proto": "https"})
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError("gunicorn did not answer /health/. Its log:")
        time.sleep(0.3)


def run_locust(
    base: str, targets: dict[str, Any], prefix: Path, users: int, seconds: int
) -> dict[str, Any]:
    """Run the journeys; locust's statistics (CSV files at `prefix`) and its exit status."""
    require_loopback(base)
    env = {
        **os.environ,
        "NCT_LOAD_TARGETS": json.dumps(targets),
        "NCT_LOAD_PASSWORD": PASSWORD,
        "NCT_LOAD_THINK_SECONDS": ",".join(str(s) for s in THINK_SECONDS),
    }
    command = [
        PYTHON, "-m", "locust", "-f", str(ROOT / "bench" / "locustfile.py"), "--headless",
        "--users", str(users), "--spawn-rate", str(SPAWN_RATE), "--run-time", f"{seconds}s",
        "--stop-timeout", "10", "--host", base, "--csv", str(prefix), "--only-summary",
    ]  # fmt: skip
    log = prefix.with_suffix(".log")
    with log.open("wb") as output:
        # Bounded even if locust hangs: its run, its users' last journeys, and a margin.
        code = subprocess.run(
            command, cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=output,
            stderr=subprocess.STDOUT, timeout=seconds + 120,
        ).returncode  # fmt: skip
    stats = Path(f"{prefix}_stats.csv")
    if code or not stats.exists():
        print(log.read_text(errors="replace")[-5000:])
    if not stats.exists():
        raise SystemExit(f"locust stopped (exit status {code}) before writing its statistics.")
    rows = read_csv(stats)
    return {
        "exit_code": code,
        "endpoints": {
            f"{row['Type']} {row['Name']}": figures(row)
            for row in rows
            if row["Name"] != "Aggregated"
        },
        "total": next(figures(row) for row in rows if row["Name"] == "Aggregated"),
        "failures": [
            {
                "request": f"{r['Method']} {r['Name']}",
                "error": r["Error"],
                "count": int(r["Occurrences"]),
            }
            for r in read_csv(Path(f"{prefix}_failures.csv"))
        ],
        "exceptions": [
            {"error": r["Message"], "count": int(r["Count"])}
            for r in read_csv(Path(f"{prefix}_exceptions.csv"))
        ],
    }


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="") as rows:
        return list(csv.DictReader(rows))


def figures(row: dict[str, str]) -> dict[str, Any]:
    return {
        "requests": int(row["Request Count"]),
        "failures": int(row["Failure Count"]),
        "p50_ms": float(row["50%"]),
        "p95_ms": float(row["95%"]),
        "max_ms": round(float(row["Max Response Time"]), 1),
        "requests_per_s": round(float(row["Requests/s"]), 2),
    }


# Where the CPU time went: the machine is shared, and its cores are all that the server, the
# load generator and PostgreSQL have between them, so the response times depend on who else
# was busy.


def machine_busy_seconds() -> float:
    """CPU seconds the whole machine has spent busy since it started (Linux)."""
    fields = [int(f) for f in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    # user nice system idle iowait irq softirq steal: all but idle and iowait.
    return (sum(fields[:8]) - fields[3] - fields[4]) / os.sysconf("SC_CLK_TCK")


def server_cpu_seconds(master: int) -> float:
    """CPU seconds used so far by gunicorn's master and its workers."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if master in (int(stat.parent.name), int(fields[1])):
            total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / os.sysconf("SC_CLK_TCK")


def children_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def report(data: dict[str, Any], server_log: str) -> int:
    RESULTS.write_text(json.dumps(data, indent=2) + "\n")
    heading = f"{'requests':>8} {'failed':>6} {'p50 ms':>7} {'p95 ms':>7} {'req/s':>6}"
    print(f"\n{'endpoint':<58} {heading}")
    for name, row in [*data["endpoints"].items(), ("All requests", data["total"])]:
        print(
            f"{name:<58} {row['requests']:>8} {row['failures']:>6} {row['p50_ms']:>7.0f} "
            f"{row['p95_ms']:>7.0f} {row['requests_per_s']:>6.1f}"
        )
    cpu = data["cpu"]
    print(
        f"\nCPU over the run: server {cpu['server_s']} s ({cpu['server_ms_per_request']} ms a "
        f"request), locust {cpu['locust_s']} s, everything else {cpu['other_s']} s; the machine "
        f"was {cpu['machine_busy_percent']}% busy."
    )
    failed = False
    for run in (data["warm_up"], data):
        for failure in run["failures"]:
            print(f"FAILED {failure['count']}× {failure['request']}: {failure['error']}")
        failed = failed or bool(run["total"]["failures"] or run["exceptions"] or run["exit_code"])
    if server_log.strip():
        print(f"\nThe server logged:\n{server_log[-5000:]}")
        failed = True
    print(f"\nWritten to {RESULTS.relative_to(ROOT)}")
    return 1 if failed else 0


def measure(
    base: str, server: int, targets: dict[str, Any], prefix: Path, users: int, seconds: int
) -> dict[str, Any]:
    """Run the journeys, and account for the CPU time they took, and where it went."""
    load_average = os.getloadavg()[0]
    started = time.monotonic()
    busy, served, locust = (
        machine_busy_seconds(),
        server_cpu_seconds(server),
        children_cpu_seconds(),
    )
    run = run_locust(base, targets, prefix, users, seconds)
    elapsed = time.monotonic() - started
    busy = machine_busy_seconds() - busy
    served = server_cpu_seconds(server) - served
    locust = children_cpu_seconds() - locust
    cpus = os.cpu_count() or 1
    run["cpu"] = {
        "cpus": cpus,
        "load_average_at_start": round(load_average, 2),
        "machine_busy_percent": round(100 * busy / (elapsed * cpus)),
        "server_s": round(served, 1),
        "server_ms_per_request": round(1000 * served / max(run["total"]["requests"], 1)),
        "locust_s": round(locust, 1),
        "other_s": round(busy - served - locust, 1),
    }
    return run


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    args = parser.parse_args()
    require_loopback(POSTGRES)
    work = Path(tempfile.mkdtemp(prefix="nct-load-"))
    try:
        print(f"Preparing the database {DATABASE}…", flush=True)
        env, targets = prepare(work)
        log = work / "gunicorn.log"
        with serving(env, log) as (base, server):
            print(f"Warming up: {WARM_UP_USERS} users for {WARM_UP_SECONDS} s…", flush=True)
            warm_up = run_locust(base, targets, work / "warm-up", WARM_UP_USERS, WARM_UP_SECONDS)
            print(f"Running {args.users} users for {args.seconds} s…", flush=True)
            started = datetime.now().astimezone().isoformat(timespec="seconds")
            run = measure(base, server, targets, work / "load", args.users, args.seconds)
        del warm_up["endpoints"]
        version = psql("SHOW server_version").split()[0]
        data = {
            "date": started,
            "users": args.users,
            "spawn_rate_per_s": SPAWN_RATE,
            "duration_s": args.seconds,
            "think_time_s": list(THINK_SECONDS),
            "workers": WORKERS,
            "server": f"gunicorn, {WORKERS} sync workers, the production settings (DEBUG off)",
            "database": f"PostgreSQL {version} on loopback ({DATABASE}), the demo data",
            **run,
            "warm_up": {"users": WARM_UP_USERS, "duration_s": WARM_UP_SECONDS, **warm_up},
        }
        return report(data, log.read_text(errors="replace"))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
