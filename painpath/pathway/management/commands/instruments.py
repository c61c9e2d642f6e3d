"""`painpath instruments list|add|export`: the questionnaires painpath ships and a clinic's
own, a clinic's definition added (our JSON format or a FHIR R4 Questionnaire), and any
instrument printed as a FHIR Questionnaire."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.table import Table

from painpath.cli import ensure_schema
from painpath.pathway import instruments
from painpath.pathway.instruments import fhir
from painpath.pathway.instruments.registry import read_definition

STATUS = {"official": "officiell", "unofficial": "inofficiell", "placeholder": "bara struktur"}
WHEN = {"baseline": "före", "follow_up": "uppföljning"}


class Command(BaseCommand):
    help = (
        "Formulären: lista, lägg till en vårdcentrals eget (JSON eller FHIR), exportera som FHIR."
    )

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="list|add|export")
        listing = actions.add_parser("list", help="formulären som finns (med vårdcentralens egna)")
        listing.add_argument("--clinic", help="vårdcentralens kod: ta med dess egna formulär")
        adding = actions.add_parser("add", help="lägg till eller ersätt en vårdcentrals formulär")
        adding.add_argument("file", type=Path, help="formuläret: painpaths JSON eller FHIR R4")
        adding.add_argument("--clinic", required=True, help="vårdcentralens kod")
        export = actions.add_parser("export", help="skriv ut ett formulär som FHIR Questionnaire")
        export.add_argument("code", help="formulärets kod, t.ex. oempsq_sf")
        export.add_argument("--clinic", help="vårdcentralens kod: dess version av formuläret")

    def handle(self, *args, action, **options):
        console = Console(file=self.stdout._out)
        if not console.is_terminal:
            console.width = 120  # titles are long; a pipe or a file has no width of its own
        if options.get("clinic"):
            ensure_schema(console)
        try:
            getattr(self, f"_{action}")(console, **options)
        except (instruments.InvalidDefinition, instruments.UnknownInstrument, LookupError) as error:
            raise CommandError(str(error), returncode=2) from error

    def _list(self, console, *, clinic=None, **options):
        table = Table(title="Formulär" + (f" för vårdcentralen {clinic}" if clinic else ""))
        for heading in ("Kod", "Namn", "Text", "Frågor", "Används", "Källa"):
            table.add_column(heading)
        for inst in instruments.available(clinic):
            used = ", ".join(WHEN[t] for t in inst.timepoints) or "när personalen väljer det"
            if inst.optional:
                used = f"valfritt, avstängt ({used})"
            origin = f"vårdcentralen {inst.clinic}" if inst.clinic else "painpath"
            row = (inst.code, inst.title, STATUS[inst.status], str(len(inst.items)), used, origin)
            table.add_row(*row)
        console.print(table)

    def _add(self, console, *, file, clinic, **options):
        try:
            data = read_definition(file.read_text(encoding="utf-8-sig"), where=file.name)
        except OSError as error:
            raise CommandError(f"Kan inte läsa {file}: {error.strerror}.", returncode=2) from None
        inst = instruments.add_definition(clinic, data, where=file.name)
        console.print(
            f"Sparat: {inst.title} ({inst.code}, {STATUS[inst.status]}, {len(inst.items)} frågor) "
            f"för vårdcentralen {clinic}."
        )

    def _export(self, console, *, code, clinic=None, **options):
        resource = fhir.questionnaire(instruments.get(code, clinic=clinic))
        self.stdout.write(json.dumps(resource, ensure_ascii=False, indent=2))
