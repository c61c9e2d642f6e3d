"""What a benchmark run prints and keeps: the machine, a rich table, out/<name>.json."""

import json
import os
import platform
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from rich.console import Console
from rich.table import Table

from benchmarks import OUT


def _postgres_version() -> str | None:
    try:
        import psycopg

        from benchmarks.databases import POSTGRES_SERVER

        with psycopg.connect(f"{POSTGRES_SERVER}/postgres") as conn:
            return conn.execute("SHOW server_version").fetchone()[0]
    except Exception:  # no server: the run says so elsewhere
        return None


def _memory_gib() -> float | None:
    try:
        with open("/proc/meminfo") as info:
            kib = int(info.readline().split()[1])  # MemTotal
    except (OSError, ValueError, IndexError):
        return None
    return round(kib / 1024 / 1024, 1)


def _cpu_model() -> str | None:
    try:
        with open("/proc/cpuinfo") as info:
            for line in info:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or None


def _git_commit() -> str | None:
    """The commit, with `-dirty` when painpath/ has changes not committed."""

    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], capture_output=True, text=True, check=False)
        return done.stdout.strip()

    commit = git("rev-parse", "--short", "HEAD")
    if commit and git("status", "--porcelain", "--", "painpath"):
        commit += "-dirty"
    return commit or None


def machine() -> dict:
    import django
    import psycopg

    return {
        "cpus": os.cpu_count(),
        "cpu": _cpu_model(),
        "memory_gib": _memory_gib(),
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "postgresql": _postgres_version(),
        "django": django.__version__,
        "psycopg": psycopg.__version__,
        "commit": _git_commit(),
    }


def ratios(results: list[dict]) -> None:
    """Each result's seconds as a multiple of its engine's baseline (`x_baseline`)."""
    base = {r["engine"]: r["seconds"] for r in results if r["method"].startswith("baseline")}
    for result in results:
        if result["engine"] in base and base[result["engine"]]:
            result["x_baseline"] = round(result["seconds"] / base[result["engine"]], 1)


def code_warning(results: list[dict]) -> str | None:
    """Why the figures of one run may not belong to one version of the code, or None."""
    versions = {code for r in results for code in r.get("runs_code", [r.get("code")])}
    if len(versions) > 1 or any(r.get("code_changed_during_step") for r in results):
        return "painpath/ changed during the run: the figures mix versions of the code"
    return None


def table(title: str, results: list[dict]) -> Table:
    grid = Table(title=title)
    columns = ("engine", "method", "rows", "seconds", "rows/s", "peak MiB", "DB MiB", "vs baseline")
    for column in columns:
        grid.add_column(column, justify="left" if column in ("engine", "method") else "right")
    for r in results:
        grid.add_row(
            r["engine"],
            r["method"],
            f"{r['rows']:,}",
            f"{r['seconds']:,.1f}",
            f"{r['rows_per_second']:,}",
            f"{r['peak_rss_mib']:,.0f}",
            f"{r['database_mib']:,.0f}",
            f"{r['x_baseline']:.1f}x" if "x_baseline" in r else "",
        )
    return grid


def write(name: str, payload: dict) -> Path:
    OUT.mkdir(parents=True, exist_ok=True)
    target = OUT / f"{name}.json"
    payload = {"when": datetime.now(UTC).isoformat(timespec="seconds"), **payload}
    payload["command"] = " ".join([Path(sys.executable).name, "-m", "benchmarks", *sys.argv[1:]])
    target.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
    return target


def show(console: Console, title: str, results: list[dict]) -> None:
    console.print(table(title, results))
