"""`painpath prescriptions --atc N02AA05 --from … --to …`: prescriptions and patients of an
ATC code or group, in oral morphine equivalents, month by month; with a comparison period,
the relative change."""

from django.core.management.base import BaseCommand, CommandError

from painpath.deepdive.formats import PRESCRIPTION_HEADER, prescriptions_csv
from painpath.deepdive.management.commands import _options as opt
from painpath.deepdive.service import PrescriptionQuery, UnknownClinic, run_prescriptions


class Command(BaseCommand):
    help = "Förskrivning av en ATC-kod eller grupp (N02AA05 oxikodon, N02A alla opioider)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--atc", action="append", required=True, help="ATC-kod eller början av en; kan upprepas"
        )
        opt.add_common(parser, "utdata")

    def handle(self, *args, **options):
        query = PrescriptionQuery(
            atc=opt.listed(options["atc"]),
            clinic_codes=tuple(options["clinic"]),
            **opt.periods(options),
        )
        try:
            result = run_prescriptions(query, parquet=opt.parquet_folder(options))
        except (UnknownClinic, ValueError, *opt.reading_errors()) as error:
            raise CommandError(str(error), returncode=2) from error
        if not result.get("clinics"):
            result.pop("clinics", None)
        if options["format"] == "json":
            opt.write(self, opt.as_json(result))
            return
        if options["format"] == "csv":
            opt.write(self, prescriptions_csv(result).lstrip("\ufeff"))
            return
        rows = [(m["month"], m["prescriptions"], m["patients"], m["ome_mg"])
                for m in result["monthly"]]  # fmt: skip
        rows.append(("Hela perioden", result["prescriptions"], result["patients"],
                     result["ome_mg"]))  # fmt: skip
        title = f"Förskrivning {', '.join(query.atc)}, {query.start} – {query.end}"
        if "change" in result:
            change = result["change"]
            title += f" (jämfört: {result['compare']['prescriptions']} förskrivningar, " + (
                f"{change * 100:+.1f} %)" if change is not None else "–)"
            )
        opt.as_table(self, title, PRESCRIPTION_HEADER, rows)
