from django.core.management.base import BaseCommand
from rich.console import Console
from rich.table import Table

from painpath.access.demo import DEMO_PASSWORD, create_demo_users
from painpath.cli import ensure_schema, imported_clinic


class Command(BaseCommand):
    help = "Skapa demoanvändare (en per roll) för en vårdcentral och skriv ut inloggningarna."

    def add_arguments(self, parser):
        parser.add_argument("--clinic", required=True, help="vårdcentralens kod, t.ex. habo")
        parser.add_argument("--name", help="ge vårdcentralen detta namn (utdrag saknar namn)")

    def handle(self, *args, clinic, name, **options):
        console = Console(file=self.stdout._out)
        ensure_schema(console)
        found = imported_clinic(clinic)
        if name:
            found.name = name
            found.save(update_fields=["name"])
        table = Table(title=f"Demoinloggningar (lösenord för alla: {DEMO_PASSWORD})")
        for heading in ("Användare", "Roll", "Vårdcentral"):
            table.add_column(heading)
        for row in create_demo_users(found):
            table.add_row(*row)
        console.print(table)
