"""`painpath demoimprovement --clinic habo`: a Habo-like improvement project (after democare)."""

from django.core.management.base import BaseCommand

from painpath.cli import imported_clinic
from painpath.improvement.demo import build_project


class Command(BaseCommand):
    help = "Skapa ett förbättringsarbete som i Habo-rapporten, med indikatorer och PGSA."

    def add_arguments(self, parser):
        parser.add_argument("--clinic", required=True, help="vårdcentralens kod, t.ex. habo")

    def handle(self, *args, clinic, **options):
        found = imported_clinic(clinic)
        project = build_project(found)
        if project is None:
            self.stdout.write(f"Förbättringsarbetet på {found.name} fanns redan.")
            return
        measured = sum(i.measurements.count() for i in project.indicators.all())
        self.stdout.write(
            f"Förbättringsarbete på {found.name}: {project}, "
            f"{project.indicators.count()} indikatorer, {measured} månadsvärden."
        )
