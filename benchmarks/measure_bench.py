"""Measuring a computed indicator over 24 months, as adding one to a project does, against
the way it was first written, in the same run.

The demo clinic's extract (synth clinic --seed 1) is imported into a fresh database by a
child process, which adds a project with the extract's shares of long-term pain patients
and measures each over the last 24 months the extract covers (12-month windows):
- **painpath**: `improvement.actions.measure`, one analytics query per month for just the
  figure (analytics.professions_met, analytics.frequent_attenders), the tables opened once;
- **baseline**: the whole deep-dive per month (`analytics.deep_dive`, about a dozen
  queries), the tables opened and the extract's span read again each month, as the first
  version did.
Both give every month's numerator and denominator; they must agree.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from rich.table import Table

from benchmarks.databases import child_env, fresh_database
from benchmarks.triage_bench import EXTRACT, ensure_extract

INDICATORS = {  # catalogue key -> the deep-dive's figures for (numerator, denominator)
    "multi_profession": lambda dd: (dd["multi_profession"]["patients"], dd["patients"]),
    "frequent_attenders": lambda dd: (dd["contacts"]["frequent_attenders"], dd["patients"]),
}


# --- in a child with Django ---------------------------------------------------------------


def prepare(extract: Path):
    from io import StringIO

    from django.core.management import call_command

    from painpath.improvement import actions
    from painpath.ingest.actions import run_import
    from painpath.records.models import Clinic

    call_command("migrate", stdout=StringIO(), verbosity=0)
    run_import(extract, rejects_path=Path(os.environ["PAINPATH_DATA_DIR"]) / "rejects.csv")
    clinic = Clinic.objects.get(code="habo")
    project = actions.create_project(clinic, None, year=2024, theme="långvarig smärta")
    return [actions.add_indicator(project, name="", catalogue_key=key) for key in INDICATORS]


def baseline(indicator, months) -> list[tuple]:
    from painpath import analytics
    from painpath.deepdive.source import app_tables
    from painpath.improvement import catalogue

    params = indicator.parameters
    found = []
    for first in months:
        catalogue.extract_covers([indicator.project.clinic])
        start = catalogue.add_months(first, 1 - params["window_months"])
        with app_tables() as tables:
            whole = analytics.deep_dive(
                tables, params["diagnoses"], start, catalogue.month_end(first),
                clinic=[indicator.project.clinic_id], threshold=params.get("threshold", 10),
            )  # fmt: skip
        found.append(INDICATORS[indicator.catalogue_key](whole))
    return found


def timed(repeat: int, extract: Path) -> list[dict]:
    from django.utils import timezone

    from painpath.improvement import actions

    rows = []
    for indicator in prepare(extract):
        months = actions.months_to_measure(indicator, timezone.localdate())
        actions.measure(indicator, months)  # warm: Ibis's first compile, SQLite's cache
        seconds = {"painpath": [], "baseline": []}
        for _ in range(repeat):
            started = time.perf_counter()
            measured = actions.measure(indicator, months)
            seconds["painpath"].append(time.perf_counter() - started)
            started = time.perf_counter()
            expected = baseline(indicator, months)
            seconds["baseline"].append(time.perf_counter() - started)
        agrees = [(m.numerator, m.denominator) for m in measured] == expected
        for method, times in seconds.items():
            rows.append(
                {
                    "indicator": indicator.catalogue_key,
                    "method": method,
                    "months": len(months),
                    "first": months[0].isoformat()[:7],
                    "last": months[-1].isoformat()[:7],
                    "median_s": round(statistics.median(times), 3),
                    "agrees": agrees,
                }
            )
    return rows


# --- in the parent ------------------------------------------------------------------------


def run(engine: str, *, repeat: int = 3, say=print) -> list[dict]:
    ensure_extract(say)
    with fresh_database(engine, f"painpath_measure_{os.getpid()}") as url:
        done = subprocess.run(
            [sys.executable, "-m", "benchmarks.measure_bench", str(EXTRACT), str(repeat)],
            env=child_env(url), capture_output=True, text=True, check=False,
        )  # fmt: skip
    if done.returncode:
        raise SystemExit(f"{engine}: measuring failed:\n{done.stderr[-3000:]}")
    rows = json.loads(done.stdout.strip().splitlines()[-1])
    return [row | {"engine": engine} for row in rows]


def table(title: str, rows: list[dict]) -> Table:
    grid = Table(title=title)
    for column in ("engine", "indicator", "method", "months", "median s", "vs baseline", "agree"):
        grid.add_column(column, justify="right" if column in ("months", "median s") else "left")
    base = {(r["engine"], r["indicator"]): r["median_s"] for r in rows if r["method"] == "baseline"}
    for r in rows:
        ratio = base[(r["engine"], r["indicator"])] / r["median_s"] if r["median_s"] else 0
        grid.add_row(
            r["engine"], r["indicator"], r["method"], f"{r['months']} ({r['first']}…{r['last']})",
            f"{r['median_s']:.2f}", f"{ratio:.1f}× faster" if r["method"] == "painpath" else "",
            "yes" if r["agrees"] else "NO",
        )  # fmt: skip
    return grid


def main(argv: list[str] | None = None) -> None:
    """The child's entry point: EXTRACT REPEAT; prints the rows as JSON."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.measure_bench")
    parser.add_argument("extract", type=Path)
    parser.add_argument("repeat", type=int)
    args = parser.parse_args(argv)
    import django

    django.setup()
    print(json.dumps(timed(args.repeat, args.extract)))


if __name__ == "__main__":
    main()
