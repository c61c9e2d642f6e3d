"""`painpath pathway indicators --from 2024-01-01 --to 2024-12-31 [--clinic CODE]`: the
structured pathway's Vendelsö indicators for a period, as JSON (keys documented in
painpath/pathway/indicators.py) or a table."""

from django.core.management.base import BaseCommand, CommandError

from painpath.deepdive.management.commands import _options as opt
from painpath.pathway.indicator_rows import clinic_indicators
from painpath.pathway.indicator_tables import flat_rows
from painpath.records.models import Clinic


class Command(BaseCommand):
    help = "Det strukturerade vårdförloppet: indikatorer för en period."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="indicators")
        indicators = actions.add_parser(
            "indicators", help="erbjudna, steg, förbättrade, avslut och bedömningar (JSON)"
        )
        indicators.add_argument("--from", dest="start", required=True, help="första dagen")
        indicators.add_argument("--to", dest="end", required=True, help="sista dagen")
        indicators.add_argument(
            "--clinic", action="append", default=[], help="vårdcentralens kod (kan upprepas)"
        )
        indicators.add_argument("--format", choices=("json", "table"), default="json")

    def handle(self, *args, **options):
        start, end = opt.iso_date(options["start"]), opt.iso_date(options["end"])
        if start > end:
            raise CommandError(f"--from {start} ligger efter --to {end}.", returncode=2)
        result = clinic_indicators(clinics(opt.listed(options["clinic"])), start, end)
        if options["format"] == "json":
            opt.write(self, opt.as_json(result))
            return
        clinics_text = ", ".join(result["clinics"]) or "inga vårdcentraler"
        title = f"Vårdförloppet {clinics_text}, {start} – {end}"
        opt.as_table(self, title, ["Avsnitt", "Mått", "Värde"], flat_rows(result))


def clinics(codes: tuple[str, ...]) -> list[Clinic]:
    """The clinics named, or all of them; an unknown code is an error that says which."""
    if not codes:
        return list(Clinic.objects.all())
    found = {clinic.code: clinic for clinic in Clinic.objects.filter(code__in=codes)}
    missing = [code for code in codes if code not in found]
    if missing:
        raise CommandError(f"Ingen vårdcentral med koden {missing[0]!r}.", returncode=2)
    return [found[code] for code in dict.fromkeys(codes)]
