"""`painpath demopathway --clinic habo`: pathway patients at every stage for the demo clinic
(after the import and `painpath demousers`)."""

from django.core.management.base import BaseCommand, CommandError

from painpath.cli import imported_clinic
from painpath.pathway.demo import STORIES, DemoError, build_demo


class Command(BaseCommand):
    help = "Skriv in demopatienter i vårdförloppet, med alla lägen representerade."

    def add_arguments(self, parser):
        parser.add_argument("--clinic", required=True, help="vårdcentralens kod, t.ex. habo")
        parser.add_argument("--seed", type=int, default=1, help="slumpfrö (1)")
        parser.add_argument(
            "--reset", action="store_true", help="bygg om demons förlopp med dagens datum"
        )

    def handle(self, *args, clinic, seed, reset, **options):
        found = imported_clinic(clinic)
        try:
            counts = build_demo(found, seed=seed, reset=reset)
        except DemoError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Vårdförloppet på {found.name}: {counts['created']} demopatienter inskrivna, "
            f"{counts['kept']} fanns redan ({len(STORIES)} totalt)."
        )
