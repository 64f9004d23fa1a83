"""`make bench`: each measurement beside its baseline, in one run, into bench/results.json.

- dashboard_vs_hello: the dashboard over a bare template page, both through the same server.
- list_vs_plain_loop: a 50-row django-tables2 page over a plain template loop of the same rows.
- pack_vs_weasyprint: building the March 2024 agenda pack over WeasyPrint alone on its HTML.
- import_vs_read_excel: importing a 10,000-row KPI results return over pandas.read_excel of it.
- dashboard_10y_vs_1y: the dashboard with 10 years of data over the same with 1 year.

The pages are served by gunicorn (one worker, production settings, DEBUG off) on loopback and
timed request by request, ours and the baseline alternating; the rest are timed in process.
Each figure is the median time per operation. Nothing here runs inside `make test`.
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PASSWORD = "bench-password-2024"
PORT = int(os.environ.get("NCT_BENCH_PORT", "8765"))
GOALS = {
    "dashboard_vs_hello": 10.0,
    "list_vs_plain_loop": 2.0,
    "pack_vs_weasyprint": 1.25,
    "import_vs_read_excel": 2.5,
    "dashboard_10y_vs_1y": 1.5,
}


def environment(work: Path, database: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="bench-only-secret-" + "x" * 40,
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DATABASE_URL=f"sqlite:///{work / database}",
        NCT_MEDIA_ROOT=str(work / "media"),
        NCT_TASKS_BACKEND="django_tasks.backends.immediate.ImmediateBackend",
        PYTHONPATH=str(ROOT),
    )
    return env


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL
    )


def prepare_database(work: Path, database: str, years: int) -> dict[str, str]:
    """A migrated database with the demo and `years` years of generated data."""
    env = environment(work, database)
    manage(env, "migrate", "--noinput")
    manage(env, "seed_demo", "--password", PASSWORD)
    code = (
        "import django; django.setup(); from bench.data import generate_years; "
        f"generate_years({years})"
    )
    subprocess.run([PYTHON, "-c", code], cwd=ROOT, env=env, check=True)
    return env


class Server:
    """gunicorn serving the project with the benchmark settings, signed in as a member."""

    def __init__(self, env: dict[str, str]) -> None:
        self.env = env
        self.base = f"http://127.0.0.1:{PORT}"
        self.process: subprocess.Popen[bytes] | None = None
        jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))

    def __enter__(self) -> Server:
        self.process = subprocess.Popen(
            [PYTHON, "-m", "gunicorn", "nct_monitor.wsgi", "-c", "gunicorn.conf.py",
             "--workers", "1", "--bind", f"127.0.0.1:{PORT}", "--log-level", "warning"],
            cwd=ROOT, env=self.env,
        )  # fmt: skip
        deadline = time.monotonic() + 30
        while True:
            try:
                self.get("/health/")
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        self.sign_in("member")
        return self

    def __exit__(self, *exc: object) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=20)

    def get(self, path: str) -> bytes:
        with self.opener.open(self.base + path, timeout=60) as response:
            if response.status != 200:
                raise RuntimeError(f"{path} answered {response.status}")
            return response.read()  # type: ignore[no-any-return]

    def sign_in(self, username: str) -> None:
        page = self.get("/login/").decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert token, "no CSRF token on the login page"
        data = urllib.parse.urlencode(
            {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token.group(1)}
        ).encode()
        request = urllib.request.Request(
            self.base + "/login/", data=data, headers={"Referer": self.base + "/login/"}
        )
        with self.opener.open(request, timeout=60) as response:
            if "/login/" in response.url:
                raise RuntimeError("the benchmark could not sign in")


def median_seconds(operation: Callable[[], Any], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        operation()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def alternate(
    ours: Callable[[], Any], baseline: Callable[[], Any], runs: int
) -> tuple[float, float]:
    """Median seconds of each, warming both up and then taking turns so drift hits both."""
    for _ in range(3):
        ours()
        baseline()
    ours_times, base_times = [], []
    for _ in range(runs):
        for operation, times in ((ours, ours_times), (baseline, base_times)):
            start = time.perf_counter()
            operation()
            times.append(time.perf_counter() - start)
    return statistics.median(ours_times), statistics.median(base_times)


def in_process(env: dict[str, str], script: str) -> dict[str, float]:
    """Run `script` (which prints a JSON dict) with Django set up on `env`'s database."""
    result = subprocess.run(
        [PYTHON, "-c", "import django; django.setup()\n" + script],
        cwd=ROOT, env=env, check=False, capture_output=True, text=True,
    )  # fmt: skip
    if result.returncode:
        raise RuntimeError(f"A benchmark failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


PACK = """
import json, statistics, time
from django.conf import settings
from django.contrib.staticfiles import finders
from weasyprint import CSS, HTML
from committee.models import Meeting
from committee.packs import pack_html, render_pdf
meeting = Meeting.objects.get(date="2024-03-06")
html = pack_html(meeting, exempt=False)
css = finders.find("committee/pack.css")
def ours():
    render_pdf(pack_html(meeting, exempt=False))
def baseline():
    HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(
        stylesheets=[CSS(filename=css)], pdf_variant="pdf/ua-1")
ours(); baseline()
o, b = [], []
for _ in range(RUNS):
    for f, t in ((ours, o), (baseline, b)):
        s = time.perf_counter(); f(); t.append(time.perf_counter() - s)
print(json.dumps({"ours": statistics.median(o), "baseline": statistics.median(b)}))
"""

IMPORT = """
import io, json, statistics, time
import pandas as pd
from django.db import transaction
from bench.data import kpi_results_return
from kpis.importers import results_importer
from nct_monitor.importing import apply_return
data = kpi_results_return(10000)
def ours():
    with transaction.atomic():
        plan = apply_return(results_importer, data, filename="results.xlsx", params={}, user=None)
        assert len(plan.created) == 10000, len(plan.created)
        transaction.set_rollback(True)
def baseline():
    pd.read_excel(io.BytesIO(data))
o, b = [], []
for _ in range(RUNS):
    for f, t in ((ours, o), (baseline, b)):
        s = time.perf_counter(); f(); t.append(time.perf_counter() - s)
print(json.dumps({"ours": statistics.median(o), "baseline": statistics.median(b)}))
"""


def record(results: dict[str, dict[str, Any]], name: str, ours: float, baseline: float) -> None:
    results[name] = {
        "ours": round(ours * 1000, 3),
        "baseline": round(baseline * 1000, 3),
        "unit": "ms per operation",
        "ratio": round(ours / baseline, 3),
    }


def main() -> int:
    work = Path(tempfile.mkdtemp(prefix="nct-bench-"))
    results: dict[str, dict[str, Any]] = {}
    try:
        print("Preparing the benchmark databases…", flush=True)
        env_1y = prepare_database(work, "bench-1y.sqlite3", 1)
        env_10y = prepare_database(work, "bench-10y.sqlite3", 10)
        env_import = environment(work, "bench-import.sqlite3")
        manage(env_import, "migrate", "--noinput")
        manage(env_import, "seed_demo", "--password", PASSWORD)
        manage(env_1y, "collectstatic", "--noinput")
        # The last period of the generated data: open, so the dashboard computes its figures.
        one_year_url = "/overview/2021-22/p12/"
        ten_years_url = "/overview/2030-31/p12/"

        print("Timing pages through gunicorn…", flush=True)
        with Server(env_1y) as server:
            ours, base = alternate(lambda: server.get("/"), lambda: server.get("/bench/hello/"), 30)
            record(results, "dashboard_vs_hello", ours, base)
            ours, base = alternate(
                lambda: server.get("/bench/table/"), lambda: server.get("/bench/loop/"), 30
            )
            record(results, "list_vs_plain_loop", ours, base)
            one_year = median_seconds(lambda: server.get(one_year_url), 20)
        with Server(env_10y) as server:
            server.get(ten_years_url)
            ten_years = median_seconds(lambda: server.get(ten_years_url), 20)
        record(results, "dashboard_10y_vs_1y", ten_years, one_year)

        print("Timing the agenda pack and the import…", flush=True)
        pack = in_process(env_1y, PACK.replace("RUNS", "5"))
        record(results, "pack_vs_weasyprint", pack["ours"], pack["baseline"])
        imported = in_process(env_import, IMPORT.replace("RUNS", "3"))
        record(results, "import_vs_read_excel", imported["ours"], imported["baseline"])
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return report(results)


def report(results: dict[str, dict[str, Any]]) -> int:
    path = ROOT / "bench" / "results.json"
    path.write_text(json.dumps(results, indent=2) + "\n")
    print(f"\n{'benchmark':<22} {'ours (ms)':>11} {'baseline (ms)':>14} {'ratio':>7} {'goal':>6}")
    failed = 0
    for name, goal in GOALS.items():
        row = results.get(name)
        if row is None:
            print(f"{name:<22} {'not measured':>40}")
            failed += 1
            continue
        ok = row["ratio"] <= goal
        failed += not ok
        print(
            f"{name:<22} {row['ours']:>11.1f} {row['baseline']:>14.1f} {row['ratio']:>7.2f} "
            f"{'≤ ' + str(goal):>6} {'met' if ok else 'MISSED'}"
        )
    print(f"\nWritten to {path.relative_to(ROOT)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
