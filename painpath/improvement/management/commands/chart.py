"""`painpath chart run|i|mr|p|pp|c|u|up|g FILE.csv`: a run or control chart of any series."""

import json
import math
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from painpath.improvement.chart_csv import CsvError, analyse_series, decode, read_series
from painpath.improvement.spc import CHARTS
from painpath.improvement.spc_charts import chart_spec, signal_sentences, to_png, to_svg


def _positions(text: str, flag: str) -> list[int]:
    try:
        return [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise CommandError(
            f"{flag} {text!r}: ange positioner som heltal, t.ex. {flag} 12 eller {flag} 12,24.",
            returncode=2,
        ) from None


class Command(BaseCommand):
    help = (
        "Gör ett serie- eller styrdiagram av en CSV-fil: första kolumnen är perioden, sedan "
        "'value' eller 'numerator' och 'denominator' (valfritt 'note'). Positioner räknas från 1."
    )

    def add_arguments(self, parser):
        parser.add_argument("chart", choices=CHARTS, help="Diagramtyp.")
        parser.add_argument("file", type=Path, help="CSV-fil (komma eller semikolon).")
        parser.add_argument("--format", choices=("json", "svg", "png"), default="json")
        parser.add_argument("--out", type=Path, help="Skriv till en fil (krävs för png).")
        parser.add_argument("--freeze", type=int, help="Baslinjen är de första K punkterna.")
        parser.add_argument("--part", default="", help="Ny fas efter punkt K[,K…].")
        parser.add_argument("--exclude", default="", help="Utelämna punkt I[,I…] ur beräkningen.")
        parser.add_argument("--target", help="Mållinje, t.ex. 0,8.")
        parser.add_argument("--title", default="", help="Diagrammets rubrik.")
        parser.add_argument(
            "--no-screening",
            action="store_true",
            help="Behåll alla glidande variationsbredder (I, P′, U′), som qicharts2 utan "
            "options(qic.screenedmr = TRUE).",
        )

    def handle(self, *args, **options):
        try:
            data = options["file"].read_bytes()
        except OSError as error:
            raise CommandError(
                f"Kan inte läsa {options['file']}: {error.strerror}.", returncode=2
            ) from None
        target = None
        if options["target"]:
            try:
                target = float(options["target"].replace(",", ".").replace(" ", ""))
            except ValueError:
                target = math.nan
            if not math.isfinite(target):
                raise CommandError(
                    f"--target {options['target']!r} är inget tal.", returncode=2
                ) from None
        if options["format"] == "png" and not options["out"]:
            raise CommandError("--format png behöver --out FIL.png.", returncode=2)
        try:
            result = analyse_series(
                options["chart"],
                read_series(decode(data)),
                freeze=options["freeze"],
                parts=_positions(options["part"], "--part"),
                exclude=_positions(options["exclude"], "--exclude"),
                target=target,
                screen_mr=not options["no_screening"],
            )
        except CsvError as error:
            raise CommandError(f"{options['file']}: {error}", returncode=2) from None

        if options["format"] == "json":
            payload = result.to_dict() | {"signals": signal_sentences(result)}
            self._write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n", options["out"])
            return
        spec = chart_spec(result, title=options["title"])
        if options["format"] == "svg":
            self._write(to_svg(spec), options["out"])
        else:
            self._write(to_png(spec), options["out"])

    def _write(self, content: str | bytes, out: Path | None) -> None:
        if not out:
            self.stdout.write(content, ending="")
            return
        try:
            if isinstance(content, bytes):
                out.write_bytes(content)
            else:
                out.write_text(content, encoding="utf-8")
        except OSError as error:
            raise CommandError(f"Kan inte skriva {out}: {error.strerror}.", returncode=2) from None
