"""`painpath cohort --diagnosis R52.2 --from 2020-01-01 --to 2023-12-31`: the deep-dive as
JSON (the contract's keys), a table or CSV."""

from django.core.management.base import BaseCommand, CommandError

from painpath.deepdive.export import deep_dive_csv, deep_dive_rows
from painpath.deepdive.management.commands import _options as opt
from painpath.deepdive.service import DeepDiveQuery, UnknownClinic, run_deep_dive


class Command(BaseCommand):
    help = "Djupdykning i en diagnosgrupp under en period: patienter, professioner, kontakter."

    def add_arguments(self, parser):
        parser.add_argument(
            "--diagnosis",
            action="append",
            required=True,
            help="ICD-10-kod; matchar även koder under den (R52 tar med R52.2); kan upprepas",
        )
        parser.add_argument(
            "--threshold", type=int, default=10, help="fler kontakter än så = mångsökare (10)"
        )
        parser.add_argument(
            "--hide-small", action="store_true", help="dölj antal under 5 (för spridning)"
        )
        opt.add_common(parser, "utdata")

    def handle(self, *args, **options):
        if options["threshold"] < 0:
            raise CommandError("--threshold kan inte vara negativt.", returncode=2)
        query = DeepDiveQuery(
            diagnoses=opt.listed(options["diagnosis"]),
            clinic_codes=tuple(options["clinic"]),
            threshold=options["threshold"],
            hide_small=options["hide_small"],
            **opt.periods(options),
        )
        try:
            result = run_deep_dive(query, parquet=opt.parquet_folder(options))
        except (UnknownClinic, ValueError, *opt.reading_errors()) as error:
            raise CommandError(str(error), returncode=2) from error
        if options["format"] == "json":
            opt.write(self, opt.as_json(contract_json(result)))
        elif options["format"] == "csv":
            opt.write(self, deep_dive_csv(result).lstrip("\ufeff"))
        else:
            header, rows = deep_dive_rows(result)
            title = f"Djupdykning {', '.join(query.diagnoses)}, {query.start} – {query.end}"
            opt.as_table(self, title, header, rows)


def contract_json(result: dict) -> dict:
    """The contract's keys at the top; the comparison period and the differences beside."""
    out = dict(result["main"])
    if result["query"]["clinics"]:
        out["clinics"] = result["query"]["clinics"]
    if result["compare"] is not None:
        out["compare"] = result["compare"]
        out["difference"] = result["difference"]
    return out
