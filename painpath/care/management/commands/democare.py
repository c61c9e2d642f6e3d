"""`painpath democare --clinic habo`: the demo clinic's coordination (after demopathway)."""

from django.core.management.base import BaseCommand

from painpath.care.demo import seed_care, triage_patients
from painpath.cli import imported_clinic


class Command(BaseCommand):
    help = "Skapa demons samordning: team, planer, överenskommelser, rehabmöten, smärtskola."

    def add_arguments(self, parser):
        parser.add_argument("--clinic", required=True, help="vårdcentralens kod, t.ex. habo")

    def handle(self, *args, clinic, **options):
        found = imported_clinic(clinic)
        made = seed_care(found)
        self.stdout.write(
            f"Samordning på {found.name}: {made['staff']} medarbetare, {made['teams']} team, "
            f"{made['groups']} smärtskolegrupper, {made['trainings']} utbildade, "
            f"{made['opioid_agreements']} opioidavtal."
        )
        # Synthetic: Skatteverket's published test numbers, never a real person's.
        numbers = [e.patient.personnummer for e in triage_patients(found)[:3]]
        if numbers:
            self.stdout.write(f"Prova telefonrådgivningen med till exempel {', '.join(numbers)}.")
