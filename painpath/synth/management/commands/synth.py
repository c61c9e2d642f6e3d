"""`painpath synth clinic --out DIR`: write a synthetic clinic as an EHR extract.

Subcommands, so that `synth region` (several clinics) can sit beside `synth clinic`.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from rich.console import Console

from painpath.cli import progress_bar
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
        targets = parser.add_subparsers(dest="target", required=True, metavar="{clinic}")
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

    def handle(self, *args, target, verbosity, **options):
        console = Console(file=self.stdout._out, stderr=False, quiet=verbosity == 0)
        if target == "clinic":
            self._clinic(console, options["out"], options["patients"], options["seed"],
                         options["clinic_id"])  # fmt: skip

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


def _reason(error: OSError) -> str:
    if isinstance(error, PermissionError):
        return "du saknar skrivrätt där; välj en annan mapp"
    if isinstance(error, FileExistsError | NotADirectoryError):
        return "en fil med det namnet finns redan (en mapp behövs)"
    return error.strerror or str(error)


def _number(count: int) -> str:
    return f"{count:,}".replace(",", " ")  # Swedish digit grouping
