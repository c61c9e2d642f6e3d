"""`painpath synth clinic --out DIR`: write a synthetic clinic as an EHR extract.
`painpath synth region --out DIR`: write a synthetic region as the analytics tables in Parquet.
"""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from rich.console import Console

from painpath.cli import progress_bar
from painpath.synth import region
from painpath.synth.clinic import CLINIC_ID, HABO_LISTED, MIN_PATIENTS, write_clinic

FILE_LABELS = {
    "patients.csv": "patienter",
    "staff.csv": "personal",
    "contacts.csv": "kontakter",
    "diagnoses.csv": "diagnoser",
    "prescriptions.csv": "förskrivningar",
    "sick_leave.csv": "sjukintyg",
}


class Command(BaseCommand):
    help = "Skapa syntetiska data (påhittade patienter med testpersonnummer) som journalutdrag."
    requires_system_checks = []  # writes files only: no database, nothing to check

    def add_arguments(self, parser):
        targets = parser.add_subparsers(dest="target", required=True, metavar="{clinic,region}")
        clinic = targets.add_parser(
            "clinic",
            help="en vårdcentral som CSV-filer enligt uttagsformatet",
            description=(
                "Skriver patients, staff, contacts, diagnoses, prescriptions och sick_leave "
                "som CSV för 2020-01-01..2024-10-31. Med standardvärdena ger djupdykningen "
                "på R52.2 samma bild som Habo-rapporten."
            ),
        )
        clinic.add_argument("--out", type=Path, required=True, help="mapp att skriva filerna i")
        clinic.add_argument(
            "--patients",
            type=int,
            default=HABO_LISTED,
            help=f"antal listade patienter (standard {HABO_LISTED}, minst {MIN_PATIENTS})",
        )
        clinic.add_argument("--seed", type=int, default=1, help="samma seed ger samma filer")
        clinic.add_argument(
            "--clinic-id", default="habo", help="vårdcentralens kod (standard habo)"
        )
        self._add_region(targets)

    def _add_region(self, targets):
        parser = targets.add_parser(
            "region",
            help="en hel region som Parquet-filer för analys i stor skala",
            description=(
                "Skriver analystabellerna (patients, listings, contacts, diagnoses, "
                "prescriptions, sick_leave) som Parquet för 2020-01-01..2024-10-31, plus "
                "manifest.json. Ungefär 1,2 % av de listade har R52.2 under 2020-2023. "
                "Läs med: painpath cohort --engine duckdb --data MAPP."
            ),
        )
        parser.add_argument("--out", type=Path, required=True, help="mapp att skriva filerna i")
        for name, default, what in (
            ("--clinics", region.DEFAULT_CLINICS, "antal vårdcentraler"),
            (
                "--patients",
                region.DEFAULT_PATIENTS,
                f"antal patienter, minst {region.MIN_PATIENTS}",
            ),
            ("--contacts", region.DEFAULT_CONTACTS, "antal kontakter, exakt"),
        ):
            parser.add_argument(name, type=int, default=default,
                                help=f"{what} (standard {_number(default)})")  # fmt: skip
        parser.add_argument("--seed", type=int, default=1, help="samma seed ger samma filer")

    def handle(self, *args, target, verbosity, **options):
        console = Console(file=self.stdout._out, stderr=False, quiet=verbosity == 0)
        if target == "clinic":
            self._clinic(console, options["out"], options["patients"], options["seed"],
                         options["clinic_id"])  # fmt: skip
        elif target == "region":
            self._region(console, options["out"], options["clinics"], options["patients"],
                         options["contacts"], options["seed"])  # fmt: skip

    def _clinic(self, console: Console, out: Path, patients: int, seed: int, clinic_id: str):
        if patients < MIN_PATIENTS:
            raise CommandError(
                f"--patients måste vara minst {MIN_PATIENTS} (angavs {patients}): "
                "en mindre vårdcentral ger ingen kohort att räkna på."
            )
        if not CLINIC_ID.match(clinic_id):
            raise CommandError(
                f"Ogiltig --clinic-id {clinic_id!r}: använd små bokstäver a-z, siffror, - och _ "
                "(högst 40 tecken), till exempel habo."
            )
        try:
            with progress_bar(console) as progress:
                counts = write_clinic(
                    out, patients=patients, seed=seed, clinic_id=clinic_id, progress=progress
                )
        except OSError as error:
            raise CommandError(f"Kan inte skriva i mappen {out}: {_reason(error)}.") from error
        console.print(
            f"Syntetisk vårdcentral [bold]{clinic_id}[/bold] (seed {seed}) skriven till {out}:"
        )
        for name, count in counts.items():
            console.print(f"  {name:<18} {_number(count):>9} rader  ({FILE_LABELS[name]})")
        console.print(f"Läs in med: painpath import {out}")

    def _region(self, console, out: Path, clinics: int, patients: int, contacts: int, seed: int):
        _check_region(clinics, patients, contacts, seed)
        started = time.monotonic()
        try:
            with progress_bar(console) as progress:
                manifest = region.write_region(
                    out, clinics=clinics, patients=patients, contacts=contacts, seed=seed,
                    progress=progress,
                )  # fmt: skip
        except OSError as error:
            raise CommandError(f"Kan inte skriva i mappen {out}: {_reason(error)}.") from error
        except MemoryError as error:
            raise CommandError(
                "Minnet räckte inte till en så stor region: välj färre --patients eller --contacts."
            ) from error
        seconds = time.monotonic() - started
        console.print(
            f"Syntetisk region med [bold]{_number(clinics)}[/bold] vårdcentraler (seed {seed}) "
            f"skriven till {out} på {seconds:.0f} s:",
            soft_wrap=True,  # a path is copied from here: never broken over lines
        )
        for name, count in manifest["counts"].items():
            file = f"{name}.parquet"
            console.print(
                f"  {file:<22} {_number(count):>11} rader  ({region.LABELS[name].lower()})"
            )
        cohort = manifest["cohort"]
        share = f"{cohort['share_of_listed'] * 100:.2f}".replace(".", ",")
        console.print(
            f"R52.2 2020–2023: {_number(cohort['patients'])} patienter, {share} % av "
            f"{_number(cohort['listed_patients'])} listade den 31 december 2023.",
            soft_wrap=True,
        )
        console.print(
            f"Analysera med: painpath cohort --engine duckdb --data {out} --diagnosis R52.2 "
            "--from 2020-01-01 --to 2023-12-31",
            soft_wrap=True,
        )


def _check_region(clinics: int, patients: int, contacts: int, seed: int) -> None:
    if patients < region.MIN_PATIENTS:
        raise CommandError(
            f"--patients måste vara minst {region.MIN_PATIENTS} (angavs {patients}): "
            "en mindre region ger ingen kohort att räkna på."
        )
    if not 1 <= clinics <= patients:
        raise CommandError(
            f"--clinics måste vara minst 1 och högst lika många som --patients ({patients}); "
            f"angavs {clinics}."
        )
    if contacts < patients:
        raise CommandError(
            f"--contacts måste vara minst lika många som --patients ({patients}); angavs "
            f"{contacts}. Ungefär 20 kontakter per patient liknar primärvården."
        )
    if seed < 0:
        raise CommandError(f"--seed måste vara 0 eller större (angavs {seed}).")


def _reason(error: OSError) -> str:
    if isinstance(error, PermissionError):
        return "du saknar skrivrätt där; välj en annan mapp"
    if isinstance(error, FileExistsError | NotADirectoryError):
        return "en fil med det namnet finns redan (en mapp behövs)"
    return error.strerror or str(error)


def _number(count: int) -> str:
    return f"{count:,}".replace(",", " ")  # Swedish digit grouping
