"""What `painpath cohort` and `painpath prescriptions` share: periods, clinics, engine and
output format, checked with errors that say what to write instead."""

import json
from datetime import date
from pathlib import Path

from django.core.management.base import CommandError
from rich.console import Console
from rich.table import Table

from painpath.analytics.sources import MissingData

FORMATS = ("json", "table", "csv")


def iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"Ogiltigt datum {text!r}: skriv ÅÅÅÅ-MM-DD.", returncode=2) from None


def add_common(parser, what: str) -> None:
    parser.add_argument("--from", dest="start", required=True, help="periodens första dag")
    parser.add_argument("--to", dest="end", required=True, help="periodens sista dag")
    parser.add_argument("--compare-from", dest="compare_start", help="jämförelseperiodens början")
    parser.add_argument("--compare-to", dest="compare_end", help="jämförelseperiodens slut")
    parser.add_argument(
        "--clinic", action="append", default=[], help="vårdcentralens kod (kan upprepas)"
    )
    parser.add_argument("--format", choices=FORMATS, default="json", help=f"{what} (json)")
    parser.add_argument(
        "--engine",
        choices=("app", "duckdb"),
        default="app",
        help="app: appens databas; duckdb: Parquet-filer i --data (en hel region)",
    )
    parser.add_argument("--data", type=Path, help="mapp med Parquet-filer (med --engine duckdb)")


def periods(options) -> dict:
    start, end = iso_date(options["start"]), iso_date(options["end"])
    if start > end:
        raise CommandError(f"--from {start} ligger efter --to {end}.", returncode=2)
    compare = options["compare_start"], options["compare_end"]
    if any(compare) and not all(compare):
        raise CommandError("Ange både --compare-from och --compare-to.", returncode=2)
    found = {"start": start, "end": end, "compare_start": None, "compare_end": None}
    if all(compare):
        found["compare_start"], found["compare_end"] = map(iso_date, compare)
        if found["compare_start"] > found["compare_end"]:
            raise CommandError("--compare-from ligger efter --compare-to.", returncode=2)
    return found


def parquet_folder(options) -> Path | None:
    if options["engine"] == "app":
        if options["data"]:
            raise CommandError("--data hör ihop med --engine duckdb.", returncode=2)
        return None
    folder = options["data"]
    if folder is None or not folder.is_dir():
        raise CommandError(
            f"--engine duckdb behöver --data MAPP med Parquet-filer (fick {folder}); "
            "skapa en region med `painpath synth region --out MAPP`.",
            returncode=2,
        )
    return folder


def listed(values: list[str]) -> tuple[str, ...]:
    """`--diagnosis R52.2 --diagnosis M79.7` or `--diagnosis R52.2,M79.7`."""
    return tuple(part.strip() for value in values for part in value.split(",") if part.strip())


def reading_errors():
    return (MissingData, FileNotFoundError)


def write(command, text: str) -> None:
    command.stdout.write(text, ending="" if text.endswith("\n") else "\n")


def as_json(result: dict) -> str:
    return json.dumps(result, ensure_ascii=False, indent=2)


def as_table(command, title: str, header: list[str], rows) -> None:
    table = Table(title=title, title_justify="left")
    for i, name in enumerate(header):
        table.add_column(name, justify="left" if i < 2 else "right")
    section = None
    for row in rows:
        cells = ["–" if v is None else str(v) for v in row]
        if row[0] == section:
            cells[0] = ""  # the section is named once, on its first row
        section = row[0]
        table.add_row(*cells)
    Console(file=command.stdout._out, width=120).print(table)
