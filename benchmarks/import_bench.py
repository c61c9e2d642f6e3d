"""The import benchmark: painpath's `import_extract` against the plain-load baseline.

Every measured step runs in its own child process (`python -m benchmarks.import_bench`), so
Django is configured fresh for each engine and the peak memory (ru_maxrss) is that step's
alone. The parent creates and drops the throwaway databases and collects one JSON object
per step from the child's stdout.

Steps, per engine, each on a fresh database:
- baseline: the rows loaded with no validation (benchmarks/baseline.py);
- import: migrations (not timed), then `import_extract` on the empty database;
- re-import: `import_extract` of the same extract again (the idempotent path: nothing new).
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.databases import child_env, fresh_database

METHODS = {
    "sqlite": {"baseline": "baseline: executemany"},
    "postgresql": {"baseline": "baseline: COPY"},
}
PAINPATH_STEPS = {"import": "painpath import", "reimport": "painpath re-import"}


# -- in the parent ---------------------------------------------------------------------------


def _child(step: str, database_url: str, extract: Path) -> dict:
    command = [
        sys.executable, "-m", "benchmarks.import_bench",
        step, "--database-url", database_url, "--extract", str(extract),
    ]  # fmt: skip
    done = subprocess.run(
        command, env=child_env(database_url), stdout=subprocess.PIPE, text=True, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"{step} on {database_url} failed (exit {done.returncode})")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _once(engine: str, extract: Path, say, round_label: str) -> list[dict]:
    results = []
    run_id = os.getpid()  # names of this run's own, so another run cannot drop them
    with fresh_database(engine, f"painpath_bench_baseline_{run_id}") as url:
        say(f"{engine}{round_label}: baseline …")
        result = _child("baseline", url, extract)
        results.append({"engine": engine, "method": METHODS[engine]["baseline"], **result})
    with fresh_database(engine, f"painpath_bench_{run_id}") as url:
        say(f"{engine}{round_label}: migrate (not timed) …")
        _child("migrate", url, extract)
        for step, method in PAINPATH_STEPS.items():
            say(f"{engine}{round_label}: {method} …")
            result = _child(step, url, extract)
            results.append({"engine": engine, "method": method, **result})
    return results


def run(engine: str, extract: Path, *, repeat: int = 1, say=print) -> list[dict]:
    """Baseline, import and re-import on `engine`, each on a fresh database, `repeat`
    times; one result per method: the run with the median time, with every run's
    seconds in `runs_seconds` (a shared 2-core machine varies by ±10 %)."""
    rounds = [
        _once(engine, extract, say, f" (run {n}/{repeat})" if repeat > 1 else "")
        for n in range(1, repeat + 1)
    ]
    results = []
    for runs in zip(*rounds, strict=True):
        ordered = sorted(runs, key=lambda r: r["seconds"])
        result = dict(ordered[(len(ordered) - 1) // 2])
        result["runs_seconds"] = [r["seconds"] for r in runs]
        result["runs_code"] = sorted({r["code"] for r in runs})
        result["rows_per_second"] = round(result["rows"] / max(result["seconds"], 0.001))
        results.append(result)
    return results


# -- in the child ------------------------------------------------------------------------------


def _peak_mib() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)  # Linux: KiB


def _database_mib(database_url: str) -> float:
    """The database's size on disk after a step (SQLite: the file and its WAL)."""
    if database_url.startswith("sqlite:///"):
        path = database_url.removeprefix("sqlite:///")
        size = sum(Path(path + s).stat().st_size for s in ("", "-wal") if Path(path + s).exists())
    else:
        import psycopg

        with psycopg.connect(database_url) as conn:
            size = conn.execute("SELECT pg_database_size(current_database())").fetchone()[0]
    return round(size / 2**20, 1)


def code_fingerprint() -> str:
    """A digest of painpath's source: the figures belong to the code that made them, and
    the working tree may change while a long run goes on."""
    import hashlib

    import painpath

    digest = hashlib.sha256()
    for file in sorted(Path(painpath.__file__).parent.rglob("*.py")):
        digest.update(file.read_bytes())
    return digest.hexdigest()[:12]


def _log(message: str) -> None:
    print(f"    {message}", file=sys.stderr, flush=True)


def step_baseline(database_url: str, extract: Path) -> dict:
    from benchmarks import baseline

    started = time.perf_counter()
    if database_url.startswith("sqlite:///"):
        counts = baseline.load_sqlite(Path(database_url.removeprefix("sqlite:///")), extract)
    else:
        counts = baseline.load_postgresql(database_url, extract)
    seconds = time.perf_counter() - started
    return {"rows": sum(counts.values()), "seconds": round(seconds, 3), "files": counts}


def _setup_django():
    import django

    django.setup()


def step_migrate(database_url: str, extract: Path) -> dict:
    _setup_django()
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    return {"seconds": round(time.perf_counter() - started, 2)}


class _FileClock:
    """A progress callback that notes when each file is done, and says so on stderr."""

    def __init__(self, started: float):
        self.last = started
        self.seconds: dict[str, float] = {}

    def __call__(self, source: str, done: int, total: int) -> None:
        if done == total and source not in self.seconds:
            now = time.perf_counter()
            self.seconds[source] = round(now - self.last, 2)
            _log(f"{source}: {total:,} rows, {now - self.last:.1f} s")
            self.last = now


def step_import(database_url: str, extract: Path) -> dict:
    _setup_django()
    from django.db import connection

    from painpath.ingest import importer
    from painpath.records.models import Contact

    # Time the reading of the files apart from the rest, by wrapping the importer's reader.
    read = {}
    read_extract = importer.read_extract

    def timed_read(path):
        began = time.perf_counter()
        tables = read_extract(path)
        clock.last = time.perf_counter()  # the first file's time starts after the reading
        read["seconds"] = round(clock.last - began, 2)
        return tables

    importer.read_extract = timed_read
    started = time.perf_counter()
    clock = _FileClock(started)
    result = importer.import_extract(extract, progress=clock)
    seconds = time.perf_counter() - started
    files = {
        name: {**vars(summary), "seconds": clock.seconds.get(summary.source)}
        for name, summary in result.files.items()
    }
    out = {
        "rows": sum(s.read for s in result.files.values()),
        "seconds": round(seconds, 3),
        "read_seconds": read["seconds"],
        "imported": result.imported,
        "new": sum(s.new for s in result.files.values()),
        "rejected": len(result.rejects),
        "contacts_in_database": Contact.objects.count(),
        "files": files,
    }
    if connection.vendor == "postgresql":
        # import_extract ends with ANALYZE (in `seconds`); what does that part cost?
        began = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        out["analyze_seconds"] = round(time.perf_counter() - began, 2)
    return out


STEPS = {
    "baseline": step_baseline,
    "migrate": step_migrate,
    "import": step_import,
    "reimport": step_import,
}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="One step of the import benchmark.")
    parser.add_argument("step", choices=STEPS)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--extract", type=Path, required=True)
    parser.add_argument("--profile", type=Path, help="write cProfile stats of the step here")
    args = parser.parse_args(argv)
    code_before = code_fingerprint()
    if args.profile:
        import cProfile

        with cProfile.Profile() as profile:
            result = STEPS[args.step](args.database_url, args.extract)
        profile.dump_stats(args.profile)
    else:
        result = STEPS[args.step](args.database_url, args.extract)
    result["peak_rss_mib"] = _peak_mib()
    result["code"] = code_before
    if code_fingerprint() != code_before:
        result["code_changed_during_step"] = True
    result["database_mib"] = _database_mib(args.database_url)
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
