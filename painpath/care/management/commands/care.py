"""`painpath care indicators --clinic CODE [--from YYYY-MM-DD --to YYYY-MM-DD]
[--format json|table]`: coordination's indicators for one clinic and a period (by default
the last twelve months to today), as JSON (keys documented in painpath/care/indicators.py)
or a table."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from painpath.care.indicator_charts import flat_rows
from painpath.care.indicators import care_indicators, period_problems
from painpath.deepdive.management.commands import _options as opt
from painpath.pathway.views_outcomes import last_twelve_months
from painpath.records.models import Clinic


class Command(BaseCommand):
    help = "Samordningen: indikatorer för en vårdcentral och en period."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="indicators")
        indicators = actions.add_parser(
            "indicators",
            help="överenskommelser, planer, rehabmöten, smärtskola, utbildning, opioider",
        )
        indicators.add_argument("--clinic", required=True, help="vårdcentralens kod")
        indicators.add_argument("--from", dest="start", help="första dagen (ÅÅÅÅ-MM-DD)")
        indicators.add_argument("--to", dest="end", help="sista dagen (ÅÅÅÅ-MM-DD)")
        indicators.add_argument("--format", choices=("json", "table"), default="json")

    def handle(self, *args, **options):
        today = timezone.localdate()
        default_start, default_end = last_twelve_months(today)
        start = opt.iso_date(options["start"]) if options["start"] else default_start
        end = opt.iso_date(options["end"]) if options["end"] else default_end
        if start > end:
            raise CommandError(f"--from {start} ligger efter --to {end}.", returncode=2)
        if problems := period_problems(start, end, today):
            raise CommandError(" ".join(problems.values()), returncode=2)
        clinic = Clinic.objects.filter(code=options["clinic"]).first()
        if clinic is None:
            raise CommandError(f"Ingen vårdcentral med koden {options['clinic']!r}.", returncode=2)
        result = care_indicators([clinic], start, end)
        if options["format"] == "json":
            opt.write(self, opt.as_json(result))
            return
        title = f"Samordningen {clinic.code}, {start} – {end}"
        opt.as_table(self, title, ["Avsnitt", "Mått", "Värde"], flat_rows(result))
