from pathlib import Path

from django.core.management.base import BaseCommand
from rich.console import Console
from rich.table import Table

from painpath.cli import ensure_schema, progress_bar
from painpath.ingest.actions import run_import

FILE_LABELS = {
    "patients": "patienter",
    "staff": "personal",
    "contacts": "kontakter",
    "diagnoses": "diagnoser",
    "prescriptions": "förskrivningar",
    "sick_leave": "sjukintyg",
}


class Command(BaseCommand):
    help = (
        "Importera ett journalutdrag (mapp med CSV-filer eller .xlsx). "
        "Slutstatus: 0 allt importerat, 3 vissa rader avvisade, 2 inget importerat."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="mappen med CSV-filerna, eller .xlsx-filen")
        parser.add_argument("--clinic", help="vårdcentralens kod för rader utan clinic_id")
        parser.add_argument("--rejects", type=Path, help="fil för avvisade rader (CSV)")

    def handle(self, *args, path: Path, clinic, rejects, verbosity, **options):
        console = Console(file=self.stdout._out, stderr=False, quiet=verbosity == 0)
        ensure_schema(console)
        with progress_bar(console) as progress:
            result, run = run_import(
                path, default_clinic=clinic, rejects_path=rejects, progress=progress
            )
        if result is None:
            self.stderr.write(f"Inget importerades: {run.error}")
            raise SystemExit(2)
        table = Table(title=f"Import av {path}")
        for heading in ("Fil", "Lästa", "Importerade", "Avvisade", "Nya"):
            table.add_column(heading, justify="left" if heading == "Fil" else "right")
        for name, summary in result.files.items():
            table.add_row(
                f"{summary.source} ({FILE_LABELS[name]})",
                *(str(n) for n in (summary.read, summary.imported, summary.rejected, summary.new)),
            )
        console.print(table)
        if result.rejects:
            for reason, count in sorted(run.reasons.items(), key=lambda item: -item[1])[:10]:
                console.print(f"  {count} {'rad' if count == 1 else 'rader'}: {reason}")
            self.stderr.write(
                f"{len(result.rejects)} rader avvisades; de står med fil, rad och orsak i "
                f"{run.rejects_path}"
            )
        if result.exit_code:
            raise SystemExit(result.exit_code)
