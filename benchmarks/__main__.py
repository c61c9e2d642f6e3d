"""`python -m benchmarks` (`make bench`): make or reuse the synthetic extract (import) and
region (cohort), run the benchmarks, print the figures and write them to
benchmarks/out/<benchmark>.json."""

import argparse
import fcntl
import os
import sys
from contextlib import contextmanager

from rich.console import Console

from benchmarks import (
    OUT,
    cohort_bench,
    extract,
    import_bench,
    measure_bench,
    report,
    triage_bench,
)
from benchmarks.databases import ENGINES, postgres_available

BENCHMARKS = ("import", "cohort", "triage", "measure")
DEFAULT_CONTACTS = 1_000_000  # the import's extract; the triage look-up comes with a later step
# The deep-dive runs on a region: 1 M patients and 20 M contacts unless told otherwise.
COHORT_PATIENTS, COHORT_CONTACTS = 1_000_000, 20_000_000
COHORT_CONTACTS_PER_PATIENT = COHORT_CONTACTS // COHORT_PATIENTS


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument(
        "--only", choices=BENCHMARKS, action="append", help="run only this benchmark (repeatable)"
    )
    parser.add_argument(
        "--contacts",
        type=int,
        help="size of the synthetic data, in contacts (import: default 1,000,000, 100000 is "
        "quick; cohort: default 20,000,000, 2000000 with --patients 100000 is quick)",
    )
    parser.add_argument(
        "--patients",
        type=int,
        help="patients in the cohort benchmark's region (default 1,000,000; with --contacts "
        f"alone, one per {COHORT_CONTACTS_PER_PATIENT} contacts)",
    )
    parser.add_argument(
        "--engine", choices=ENGINES, action="append", help="only this engine (repeatable)"
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        metavar="N",
        help="run every measurement N times on fresh databases and report the median",
    )
    parser.add_argument(
        "--regenerate", action="store_true", help="make the extract anew even if cached"
    )
    parser.add_argument(
        "--wait",
        type=int,
        default=0,
        metavar="SECONDS",
        help="wait this long for painpath.synth.clinic (or .region) if it is not there yet",
    )
    return parser.parse_args(argv)


@contextmanager
def one_run_at_a_time(console: Console):
    """Two runs at once would share two cores and time each other, not painpath."""
    OUT.mkdir(parents=True, exist_ok=True)
    with open(OUT / ".lock", "a+") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            lock.seek(0)
            console.print(f"Another benchmark run is going on (pid {lock.read().strip()}).")
            raise SystemExit(1) from None
        lock.truncate(0)
        lock.write(str(os.getpid()))
        lock.flush()
        yield


def main(argv: list[str] | None = None) -> None:
    args = parse(argv)
    console = Console(width=None if sys.stdout.isatty() else 110)
    with one_run_at_a_time(console):
        run(args, console)


def run(args: argparse.Namespace, console: Console) -> None:
    machine = report.machine()
    for benchmark in args.only or BENCHMARKS:
        if benchmark == "import":
            run_import(args, console, machine)
        elif benchmark == "cohort":
            run_cohort(args, console, machine)
        elif benchmark == "triage":
            run_triage(args, console, machine)
        elif benchmark == "measure":
            run_measure(args, console, machine)


def run_import(args: argparse.Namespace, console: Console, machine: dict) -> None:
    contacts = args.contacts or DEFAULT_CONTACTS
    engines = args.engine or list(ENGINES)
    if "postgresql" in engines and (why := postgres_available()):
        console.print(f"[yellow]PostgreSQL skipped: {why}[/yellow]")
        engines.remove("postgresql")
    folder, manifest = extract.ensure(
        contacts, regenerate=args.regenerate, say=console.print, wait_seconds=args.wait
    )
    counts = manifest["counts"]
    console.print(
        "Extract: "
        + ", ".join(f"{name} {n:,}" for name, n in counts.items())
        + f" ({sum(counts.values()):,} rows, {manifest['bytes'] / 2**20:,.0f} MiB)"
    )
    results = []
    for engine in engines:
        results += import_bench.run(engine, folder, repeat=args.repeat, say=console.print)
    report.ratios(results)
    if warning := report.code_warning(results):
        console.print(f"[bold red]{warning}[/bold red]")
    title = f"Import of {counts.get('contacts', 0):,} contacts ({len(counts)} files)"
    report.show(console, title, results)
    # A quick run at another size must not overwrite the figures of the full one.
    name = "import" if contacts == DEFAULT_CONTACTS else f"import-{contacts}"
    target = report.write(
        name,
        {
            "machine": machine,
            "extract": {"path": str(folder), **manifest},
            "repeat": args.repeat,
            "warning": report.code_warning(results),
            "results": results,
        },
    )
    console.print(f"Written to {target}")


def run_cohort(args: argparse.Namespace, console: Console, machine: dict) -> None:
    contacts = args.contacts or COHORT_CONTACTS
    patients = args.patients or (
        COHORT_PATIENTS if args.contacts is None else contacts // COHORT_CONTACTS_PER_PATIENT
    )
    folder, manifest = cohort_bench.ensure_region(
        patients, contacts, regenerate=args.regenerate, say=console.print, wait_seconds=args.wait
    )
    counts = manifest["counts"]
    console.print(
        "Region: "
        + ", ".join(f"{name} {n:,}" for name, n in counts.items())
        + f" ({manifest['bytes'] / 2**20:,.0f} MiB of Parquet)"
    )
    clinic = cohort_bench.busiest_clinic(folder)
    load = [round(x, 2) for x in os.getloadavg()]
    if load[0] > 0.5:  # a second of query time is easily halved by someone else's tests
        console.print(f"[yellow]The machine is busy (load {load[0]}): figures will vary.[/yellow]")
    results, answers = cohort_bench.run(
        folder, clinic=clinic, repeat=args.repeat, say=console.print
    )
    warning = report.code_warning(results)
    if warning:
        console.print(f"[bold red]{warning}[/bold red]")
    for result in results:
        for problem in result.get("disagreements", []):
            console.print(f"[bold red]{result['scope']}, {problem}[/bold red]")
    agree = all(r["agrees"] for r in results)
    for method, answer in answers["region"].items():
        if problem := cohort_bench.against_generator(folder, answer):
            console.print(f"[bold red]region, {method} {problem}[/bold red]")
            agree = False
    query = f"{', '.join(cohort_bench.DIAGNOSES)} {cohort_bench.START}..{cohort_bench.END}"
    title = f"Deep-dive {query} on {counts.get('contacts', 0):,} contacts"
    console.print(cohort_bench.table(title, results))
    console.print("The three methods agree." if agree else "[bold red]Methods disagree.[/bold red]")
    default = (patients, contacts) == (COHORT_PATIENTS, COHORT_CONTACTS)
    target = report.write(
        "cohort" if default else f"cohort-{patients}-{contacts}",
        {
            "machine": {**machine, **cohort_bench.versions()},
            "region": {"path": str(folder), **manifest},
            "query": cohort_bench.query_description(clinic),
            "repeat": args.repeat,
            "load_before": load,
            "warning": warning,
            "agree": agree,
            "results": results,
            "answers": answers,
        },
    )
    console.print(f"Written to {target}")


def run_triage(args: argparse.Namespace, console: Console, machine: dict) -> None:
    """Triage look-ups over HTTP under concurrent load, with the demo clinic."""
    engines = args.engine or list(ENGINES)
    if "postgresql" in engines and (why := postgres_available()):
        console.print(f"[yellow]PostgreSQL skipped: {why}[/yellow]")
        engines.remove("postgresql")
    load = [round(x, 2) for x in os.getloadavg()]
    if load[0] > 0.5:
        console.print(f"[yellow]The machine is busy (load {load[0]}): figures will vary.[/yellow]")
    results = [triage_bench.run(engine, say=console.print) for engine in engines]
    title = "Triage look-up over HTTP, demo clinic, concurrent clients"
    console.print(triage_bench.table(title, results))
    target = report.write(
        "triage",
        {
            "machine": machine,
            "load_before": load,
            "requests_per_target_and_level": triage_bench.REQUESTS,
            "levels": list(triage_bench.LEVELS),
            "mix": dict(triage_bench.MIX),
            "results": results,
        },
    )
    console.print(f"Written to {target}")


def run_measure(args: argparse.Namespace, console: Console, machine: dict) -> None:
    """A computed indicator measured over 24 months, against the whole deep-dive per month."""
    engines = args.engine or list(ENGINES)
    if "postgresql" in engines and (why := postgres_available()):
        console.print(f"[yellow]PostgreSQL skipped: {why}[/yellow]")
        engines.remove("postgresql")
    load = [round(x, 2) for x in os.getloadavg()]
    if load[0] > 0.5:
        console.print(f"[yellow]The machine is busy (load {load[0]}): figures will vary.[/yellow]")
    repeat = max(args.repeat, 3)
    rows = [row for engine in engines for row in measure_bench.run(engine, repeat=repeat)]
    title = f"Measuring a computed indicator, demo clinic, 24 months (median of {repeat})"
    console.print(measure_bench.table(title, rows))
    if not all(row["agrees"] for row in rows):
        console.print("[bold red]painpath and the baseline disagree.[/bold red]")
    target = report.write(
        "measure", {"machine": machine, "load_before": load, "repeat": repeat, "results": rows}
    )
    console.print(f"Written to {target}")


if __name__ == "__main__":
    main()
