"""The deep-dive benchmark: painpath's `deep_dive` (Ibis on DuckDB over the region's
Parquet files) against the same figures hand-written in DuckDB SQL (cohort_sql.py) and
written the plain pandas way (cohort_pandas.py).

The region is made by `painpath synth region` and cached in out/. Every measured query runs
in its own child process (`python -m benchmarks.cohort_bench`), so its peak memory
(ru_maxrss) is that query's alone and no method profits from another's caches; the parent
reads the files once first, so that every method finds them in the page cache. Each child
prints one JSON object: the seconds, the peak memory and the deep-dive dict itself, and the
parent checks that the three methods' dicts are equal.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

from benchmarks import OUT
from benchmarks.import_bench import _peak_mib, code_fingerprint

METHODS = {
    "painpath": "painpath (Ibis)",
    "sql": "DuckDB SQL",
    "pandas": "pandas",
}
DIAGNOSES = ["R52.2"]
START, END = date(2020, 1, 1), date(2023, 12, 31)
THRESHOLD = 10
SEED = 1
MANIFEST = "region.json"
TABLES = ("patients", "listings", "contacts", "diagnoses", "prescriptions", "sick_leave")


# -- the region --------------------------------------------------------------------------------


def folder_for(patients: int, contacts: int) -> Path:
    return OUT / f"region-{patients}-{contacts}"


def _synth_region_exists() -> bool:
    try:
        import painpath.synth.region  # noqa: F401
    except ImportError:
        return False
    return True


def _table_rows(folder: Path) -> dict[str, int]:
    import pyarrow.parquet as pq

    counts = {}
    for table in TABLES:
        single, parts = folder / f"{table}.parquet", folder / table
        files = [single] if single.is_file() else sorted(parts.glob("*.parquet"))
        if files:
            counts[table] = sum(pq.ParquetFile(f).metadata.num_rows for f in files)
    return counts


def ensure_region(
    patients: int, contacts: int, *, regenerate=False, say=print, wait_seconds=0
) -> tuple[Path, dict]:
    """The folder of a region of `patients` patients and about `contacts` contacts, and its
    manifest; made (into a scratch folder, moved in place when complete) unless cached."""
    folder = folder_for(patients, contacts)
    manifest_file = folder / MANIFEST
    if manifest_file.is_file() and not regenerate:
        manifest = json.loads(manifest_file.read_text())
        say(f"Reusing the region in {folder}")
        return folder, manifest
    deadline = time.monotonic() + wait_seconds
    while not _synth_region_exists() and time.monotonic() < deadline:
        say("painpath.synth.region is not there yet; trying again in a minute …")
        time.sleep(60)
    if not _synth_region_exists():
        raise SystemExit("`painpath synth region` (painpath.synth.region) is needed.")
    scratch = folder.with_name(folder.name + ".partial")
    if scratch.exists():
        shutil.rmtree(scratch)
    command = [
        sys.executable, "-m", "painpath", "synth", "region", "--out", str(scratch),
        "--patients", str(patients), "--contacts", str(contacts), "--seed", str(SEED),
    ]  # fmt: skip
    say(f"Generating a region of {patients:,} patients, ~{contacts:,} contacts in {folder} …")
    env = {
        **os.environ,
        "PYTHONHASHSEED": "0",
        "PAINPATH_DEBUG": "1",  # writes files only: no keys, no database
        "PAINPATH_ENV_FILE": "/nonexistent/.env",
    }
    started = time.perf_counter()
    done = subprocess.run(command, env=env, stdout=subprocess.DEVNULL, check=False)
    if done.returncode != 0:
        raise SystemExit(f"painpath synth region failed (exit {done.returncode})")
    seconds = time.perf_counter() - started
    manifest = {
        "patients_asked": patients,
        "contacts_asked": contacts,
        "seed": SEED,
        "generator": " ".join(["painpath", *command[3:]]).replace(str(scratch), "DIR"),
        "generate_seconds": round(seconds, 1),
        "counts": _table_rows(scratch),
        "bytes": sum(p.stat().st_size for p in scratch.rglob("*.parquet")),
    }
    (scratch / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
    if folder.exists():
        shutil.rmtree(folder)
    scratch.rename(folder)
    say(f"  made in {seconds:.0f} s")
    return folder, manifest


def busiest_clinic(folder: Path) -> str:
    """The clinic the one-clinic query asks about: the one with most listed patients (the
    smallest id among equals), so the figure is about a real clinic's worth of rows."""
    import duckdb

    from benchmarks.cohort_sql import parquet_source

    with duckdb.connect() as con:
        (clinic,) = con.execute(f"""
            SELECT clinic_id FROM {parquet_source(folder, "listings")}
            GROUP BY clinic_id ORDER BY count(DISTINCT patient_id) DESC, clinic_id LIMIT 1
        """).fetchone()
    return clinic


def _warm(folder: Path) -> None:
    """Read every file once, so the first method timed does not pay for the disk alone."""
    for file in folder.rglob("*.parquet"):
        with file.open("rb") as data:
            while data.read(1 << 24):
                pass


def versions() -> dict:
    """What the figures depend on besides the machine."""
    from importlib.metadata import version

    return {name: version(name) for name in ("duckdb", "ibis-framework", "sqlglot", "pandas",
                                             "pyarrow", "numpy")}  # fmt: skip


def query_description(clinic: str) -> dict:
    return {"diagnoses": DIAGNOSES, "from": START.isoformat(), "to": END.isoformat(),
            "threshold": THRESHOLD, "clinic": clinic}  # fmt: skip


# -- in the parent -----------------------------------------------------------------------------


def _child(method: str, folder: Path, clinic: str | None) -> dict:
    command = [sys.executable, "-m", "benchmarks.cohort_bench", method, "--region", str(folder)]
    if clinic:
        command += ["--clinic", clinic]
    done = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{method} on {folder} failed (exit {done.returncode})")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _median(runs: list[dict]) -> dict:
    ordered = sorted(runs, key=lambda r: r["seconds"])
    result = dict(ordered[(len(ordered) - 1) // 2])
    result["runs_seconds"] = [r["seconds"] for r in runs]
    result["runs_code"] = sorted({r["code"] for r in runs})
    return result


def disagreements(dicts: dict[str, dict]) -> list[str]:
    """Which top-level keys differ between methods (empty: all equal)."""
    methods = list(dicts)
    first = dicts[methods[0]]
    found = []
    for method in methods[1:]:
        for key in sorted(set(first) | set(dicts[method])):
            if first.get(key) != dicts[method].get(key):
                found.append(f"{key}: {methods[0]} and {method} differ")
    return found


def run(folder: Path, *, clinic: str, repeat: int = 1, say=print) -> tuple[list[dict], dict]:
    """Every method on the whole region and on `clinic`, `repeat` times each (methods
    interleaved, so a slow minute on the shared machine hits all alike); one result per
    method and scope, the run with the median time, and the deep-dive dicts per scope."""
    say("Reading the region once (page cache) …")
    _warm(folder)
    scopes = {"region": None, f"clinic {clinic}": clinic}
    runs: dict[tuple[str, str], list[dict]] = {}
    for n in range(1, repeat + 1):
        label = f" (run {n}/{repeat})" if repeat > 1 else ""
        for scope, scope_clinic in scopes.items():
            for method in METHODS:
                say(f"{scope}{label}: {METHODS[method]} …")
                runs.setdefault((scope, method), []).append(_child(method, folder, scope_clinic))
    results, answers = [], {}
    for (scope, method), measured in runs.items():
        result = _median(measured)
        answer = result.pop("result")
        answers.setdefault(scope, {})[method] = answer
        results.append({"scope": scope, "method": METHODS[method], "key": method, **result})
    for scope, by_method in answers.items():
        problems = disagreements(by_method)
        problems += [
            f"{r['key']} gave another answer when run again"
            for r in results
            if r["scope"] == scope and r.get("differs_when_run_again")
        ]
        for result in results:
            if result["scope"] == scope:
                result["agrees"] = not problems
                if problems:
                    result["disagreements"] = problems
    ratios(results)
    return results, answers


def against_generator(folder: Path, answer: dict) -> str | None:
    """Where the whole region's answer differs from the R52.2 cohort the generator says it
    made (its manifest.json), or None; the query must be the generator's for this."""
    manifest = folder / "manifest.json"
    if not manifest.is_file():
        return None
    made = json.loads(manifest.read_text()).get("cohort", {})
    keys = ("diagnoses", "period", "patients", "listed_patients", "share_of_listed")
    wrong = [k for k in keys if k in made and made[k] != answer.get(k)]
    return f"differs from the generator's manifest in {', '.join(wrong)}" if wrong else None


def ratios(results: list[dict]) -> None:
    """Each method's seconds as a multiple of painpath's on the same scope (`x_painpath`,
    first call; `x_painpath_again`, second call): above 1 means slower than painpath."""
    base = {r["scope"]: r for r in results if r["key"] == "painpath"}
    for result in results:
        painpath = base.get(result["scope"])
        if painpath and painpath["seconds"] and painpath["again_seconds"]:
            result["x_painpath"] = round(result["seconds"] / painpath["seconds"], 2)
            result["x_painpath_again"] = round(
                result["again_seconds"] / painpath["again_seconds"], 2
            )


def table(title: str, results: list[dict]):
    from rich.table import Table

    grid = Table(title=title)
    columns = ("scope", "method", "seconds", "range", "read+compute", "again",
               "peak MiB", "×painpath", "again")  # fmt: skip
    for column in columns:
        grid.add_column(column, justify="left" if column in ("scope", "method") else "right")
    for r in results:
        split = ""
        if "read_seconds" in r:
            split = f"{r['read_seconds']:.2f}+{r['compute_seconds']:.2f}"
        grid.add_row(
            r["scope"],
            r["method"] + ("" if r.get("agrees", True) else " [red](differs)[/red]"),
            f"{r['seconds']:.2f}",
            f"{min(r['runs_seconds']):.2f}–{max(r['runs_seconds']):.2f}",
            split,
            f"{r['again_seconds']:.2f}",
            f"{r['peak_rss_mib']:,.0f}",
            f"{r['x_painpath']:.2f}x" if "x_painpath" in r else "",
            f"{r['x_painpath_again']:.2f}x" if "x_painpath_again" in r else "",
        )
    return grid


# -- in the child ------------------------------------------------------------------------------


def _query(clinic: str | None) -> dict:
    return {"diagnoses": DIAGNOSES, "start": START, "end": END, "clinic": clinic,
            "threshold": THRESHOLD}  # fmt: skip


def measure_painpath(folder: Path, clinic: str | None) -> dict:
    from painpath.analytics import deep_dive
    from painpath.analytics.sources import duckdb_parquet

    started = time.perf_counter()
    result = deep_dive(duckdb_parquet(folder), **_query(clinic))
    return {"seconds": time.perf_counter() - started, "result": result}


def measure_sql(folder: Path, clinic: str | None) -> dict:
    import duckdb

    from benchmarks.cohort_sql import deep_dive_sql

    started = time.perf_counter()
    with duckdb.connect() as con:
        result = deep_dive_sql(con, folder, **_query(clinic))
    return {"seconds": time.perf_counter() - started, "result": result}


def measure_pandas(folder: Path, clinic: str | None) -> dict:
    from benchmarks.cohort_pandas import deep_dive_pandas, read_frames

    started = time.perf_counter()
    frames = read_frames(folder)
    read = time.perf_counter()
    result = deep_dive_pandas(frames, **_query(clinic))
    done = time.perf_counter()
    return {
        "seconds": done - started,
        "read_seconds": round(read - started, 3),
        "compute_seconds": round(done - read, 3),
        "result": result,
    }


MEASURE = {"painpath": measure_painpath, "sql": measure_sql, "pandas": measure_pandas}


def import_all(method: str) -> None:
    """Everything the method imports, before the clock starts: Ibis loads its DuckDB backend,
    and pandas for converting results, only on first use, which would put 0.7 s of imports
    into painpath's first call and none into the others'."""
    if method == "painpath":
        import ibis
        import ibis.backends.duckdb.converter

        import painpath.analytics.sources  # noqa: F401

        ibis.duckdb  # noqa: B018 (the attribute imports the backend)
    elif method == "sql":
        import duckdb  # noqa: F401

        import benchmarks.cohort_sql
    else:
        import benchmarks.cohort_pandas  # noqa: F401


def main(argv: list[str] | None = None) -> None:
    """Imports first (timed apart), then the deep-dive twice: the first call is what a
    `painpath cohort` command waits for in a fresh process, the second what a running server
    answers with (Ibis has compiled once; the files are in the page cache for both)."""
    parser = argparse.ArgumentParser(description="One measured deep-dive, as JSON on stdout.")
    parser.add_argument("method", choices=MEASURE)
    parser.add_argument("--region", type=Path, required=True)
    parser.add_argument("--clinic")
    args = parser.parse_args(argv)
    code_before = code_fingerprint()
    started = time.perf_counter()
    import_all(args.method)
    imports = time.perf_counter() - started
    out = MEASURE[args.method](args.region, args.clinic)
    out["import_seconds"] = round(imports, 3)
    out["seconds"] = round(out["seconds"], 3)
    out["peak_rss_mib"] = _peak_mib()  # of the first call: a fresh process's whole need
    again = MEASURE[args.method](args.region, args.clinic)
    out["again_seconds"] = round(again["seconds"], 3)
    if "read_seconds" in again:
        out["again_read_seconds"] = again["read_seconds"]
        out["again_compute_seconds"] = again["compute_seconds"]
    out["code"] = code_before
    if code_fingerprint() != code_before:
        out["code_changed_during_step"] = True
    # What `--format json` would print: tuples become lists, NumPy ints plain ints.
    out["result"] = json.loads(json.dumps(out["result"], default=int))
    if json.loads(json.dumps(again["result"], default=int)) != out["result"]:
        out["differs_when_run_again"] = True
    print(json.dumps(out, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
