"""`painpath measure [--project PK] [--months 24]`: measure the computed indicators again."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from rich.console import Console
from rich.table import Table

from painpath.cli import ensure_schema, progress_bar
from painpath.improvement import actions
from painpath.improvement.models import Indicator, Project

MAX_MONTHS = 120


class Command(BaseCommand):
    help = (
        "Mät om de beräknade indikatorerna i alla förbättringsarbeten (eller ett) för de "
        "senaste hela månaderna: data kan ha kompletterats sedan förra mätningen. Tänkt att "
        "köras en gång i månaden från cron, till exempel '0 3 2 * * painpath measure'. "
        "Indikatorer som matas in för hand lämnas orörda. Slutstatus: 0 klart, 2 fel i "
        "argumenten."
    )

    def add_arguments(self, parser):
        parser.add_argument("--project", type=int, help="bara detta förbättringsarbete (id)")
        parser.add_argument(
            "--months", type=int, default=actions.DEFAULT_MONTHS,
            help=f"antal hela månader bakåt (standard {actions.DEFAULT_MONTHS})",
        )  # fmt: skip

    def handle(self, *args, project, months, verbosity, **options):
        if not 1 <= months <= MAX_MONTHS:
            raise CommandError(f"--months ska vara 1–{MAX_MONTHS}, inte {months}.", returncode=2)
        console = Console(file=self.stdout._out, stderr=False, quiet=verbosity == 0)
        ensure_schema(console)
        indicators = Indicator.objects.exclude(catalogue_key="").select_related("project__clinic")
        if project is not None:
            if not Project.objects.filter(pk=project).exists():
                raise CommandError(f"Inget förbättringsarbete med id {project}.", returncode=2)
            indicators = indicators.filter(project_id=project)
        indicators = list(indicators.order_by("project_id", "number"))
        if not indicators:
            console.print("Inga beräknade indikatorer att mäta.")
            return
        today = timezone.localdate()
        table = Table(title=f"Mätt om: de senaste {months} månaderna med data")
        for heading in ("Förbättringsarbete", "Indikator", "Med värde", "Utan värde"):
            table.add_column(heading, justify="right" if heading.endswith("värde") else "left")
        with progress_bar(console) as progress:
            for indicator in indicators:
                label = f"{indicator.project.pk}: {indicator.name[:50]}"
                measured = actions.measure(
                    indicator,
                    actions.months_to_measure(indicator, today, months),
                    today=today,
                    progress=lambda done, total, label=label: progress(label, done, total),
                )
                with_value = sum(m.value is not None for m in measured)
                table.add_row(
                    str(indicator.project), indicator.name, str(with_value),
                    str(len(measured) - with_value),
                )  # fmt: skip
        console.print(table)
