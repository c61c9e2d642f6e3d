"""Reading a series from a CSV file for `painpath chart`, as people keep it elsewhere.

The first column is the period or label; then either `value`, or `numerator` and
`denominator` (Swedish headers `värde`, `täljare`, `nämnare` too), and optionally `note`
(`notering`, `pdsa`) for a note drawn on its point. Swedish extracts from Excel use `;`
between fields and a decimal comma, and may be in Windows-1252: all are understood. Errors
are plain Swedish sentences that name the line.
"""

import codecs
import csv
import io
import math
from dataclasses import dataclass, field

from painpath.improvement.spc import COUNT_CHARTS, RATIO_CHARTS, ChartResult, analyse

HEADERS = {
    "value": "value",
    "värde": "value",
    "varde": "value",
    "numerator": "numerator",
    "täljare": "numerator",
    "taljare": "numerator",
    "denominator": "denominator",
    "nämnare": "denominator",
    "namnare": "denominator",
    "note": "note",
    "notes": "note",
    "notering": "note",
    "anteckning": "note",
    "pdsa": "note",
}


class CsvError(ValueError):
    """A file that cannot be read as a series; the message is meant for the user."""


@dataclass
class Series:
    labels: list[str] = field(default_factory=list)
    values: list[float] | None = None
    numerators: list[float] | None = None
    denominators: list[float] | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def is_ratio(self) -> bool:
        return self.numerators is not None


def decode(data: bytes) -> str:
    """UTF-8 (with or without a byte-order mark), UTF-16 with its byte-order mark (Excel's
    "Unicode text"), else Windows-1252 as Excel saves a CSV file."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise CsvError(
        "Filen är inte en textfil i UTF-8, UTF-16 eller Windows-1252: spara den som CSV "
        "(kommaavgränsad) och försök igen."
    )


def read_series(text: str) -> Series:
    lines = text.splitlines()
    header_line = next((line for line in lines if line.strip()), None)
    if header_line is None:
        raise CsvError("Filen är tom: den behöver en rubrikrad och minst en rad med data.")
    delimiter = _delimiter(header_line)
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    numbered = [
        (number, row) for number, row in enumerate(rows, start=1) if any(c.strip() for c in row)
    ]
    (header_number, header), body = numbered[0], numbered[1:]
    columns = _columns(header, header_number)
    if not body:
        raise CsvError("Filen har bara en rubrikrad: lägg till minst en rad med data.")

    series = Series()
    ratio = "numerator" in columns
    if ratio:
        series.numerators, series.denominators = [], []
    else:
        series.values = []
    seen: dict[str, int] = {}
    for number, row in body:
        cells = row + [""] * (len(header) - len(row))
        if len(row) > len(header) and any(cell.strip() for cell in row[len(header) :]):
            raise CsvError(
                f"Rad {number}: fler fält ({len(row)}) än rubrikraden har ({len(header)}). "
                "Används decimalkomma med kommatecken som fältavgränsare? "
                "Avgränsa då med semikolon."
            )
        label = cells[0].strip()
        if not label:
            raise CsvError(f"Rad {number}: den första kolumnen (period eller etikett) är tom.")
        if label in seen:
            raise CsvError(f"Rad {number}: perioden {label!r} finns redan på rad {seen[label]}.")
        seen[label] = number
        series.labels.append(label)
        series.notes.append(cells[columns["note"]].strip() if "note" in columns else "")
        if ratio:
            r = _number(cells[columns["numerator"]], number, header[columns["numerator"]])
            n = _number(cells[columns["denominator"]], number, header[columns["denominator"]])
            _check_ratio(r, n, number)
            series.numerators.append(r)
            series.denominators.append(n)
        else:
            series.values.append(_number(cells[columns["value"]], number, header[columns["value"]]))
    return series


def _delimiter(header_line: str) -> str:
    for candidate in (";", "\t"):
        if candidate in header_line:
            return candidate
    return ","


def _columns(header: list[str], number: int) -> dict[str, int]:
    columns: dict[str, int] = {}
    if HEADERS.get(header[0].strip().casefold()):
        raise CsvError(
            f"Rad {number}: den första kolumnen ska vara perioden eller etiketten (till exempel "
            f"'month'), men den heter {header[0].strip()!r}. Lägg till en periodkolumn först."
        )
    for index, name in enumerate(header[1:], start=1):
        key = HEADERS.get(name.strip().casefold())
        if key is None:
            raise CsvError(
                f"Rad {number}: okänd kolumn {name.strip()!r}. Efter perioden väntas "
                f"'value', eller 'numerator' och 'denominator' (och valfritt 'note')."
            )
        if key in columns:
            raise CsvError(f"Rad {number}: kolumnen {name.strip()!r} finns två gånger.")
        columns[key] = index
    if "value" in columns and ("numerator" in columns or "denominator" in columns):
        raise CsvError(
            f"Rad {number}: ange antingen 'value' eller 'numerator' och 'denominator', inte båda."
        )
    if ("numerator" in columns) != ("denominator" in columns):
        raise CsvError(f"Rad {number}: 'numerator' och 'denominator' behövs båda.")
    if "value" not in columns and "numerator" not in columns:
        raise CsvError(
            f"Rad {number}: rubrikraden saknar 'value', eller 'numerator' och 'denominator'."
        )
    return columns


def _number(cell: str, line: int, column: str) -> float | None:
    """A number as Swedish extracts write it: decimal comma, spaces between thousands. An
    empty cell (or NA) is a missing value."""
    text = cell.strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    if text == "" or text.upper() in ("NA", "-", "–"):
        return None
    if "," in text and "." not in text:
        text = text.replace(",", ".")
    try:
        value = float(text)
    except ValueError:
        raise CsvError(
            f"Rad {line}: {cell.strip()!r} i kolumnen {column.strip()!r} är inget tal."
        ) from None
    if not math.isfinite(value):
        raise CsvError(f"Rad {line}: {cell.strip()!r} i kolumnen {column.strip()!r} är inget tal.")
    return value


def _check_ratio(r: float | None, n: float | None, line: int) -> None:
    if (r is None) != (n is None):
        raise CsvError(f"Rad {line}: täljare och nämnare behövs båda, eller ingen av dem.")
    if r is None:
        return
    if r < 0 or n < 0:
        raise CsvError(f"Rad {line}: täljare och nämnare kan inte vara negativa.")
    if n == 0 and r > 0:
        raise CsvError(f"Rad {line}: nämnaren är 0 men täljaren {r:g}.")


def check_proportions(series: Series) -> None:
    """For P and P′ charts: a numerator counts part of its denominator."""
    for label, r, n in zip(series.labels, series.numerators, series.denominators, strict=True):
        if r is not None and n is not None and r > n:
            raise CsvError(
                f"Perioden {label!r}: täljaren ({r:g}) är större än nämnaren ({n:g}), "
                f"så det är ingen andel. Välj ett U-diagram för en kvot."
            )


def analyse_series(chart: str, series: Series, **options) -> ChartResult:
    """The core's result for a series read from a file; a mismatch between the chart and
    the columns, or a position outside the series, is a CsvError for the user."""
    if chart in RATIO_CHARTS and not series.is_ratio:
        raise CsvError(
            f"Ett {chart.upper()}-diagram behöver kolumnerna 'numerator' och 'denominator'."
        )
    if chart in COUNT_CHARTS and series.is_ratio:
        raise CsvError(f"Ett {chart.upper()}-diagram behöver antal i kolumnen 'value'.")
    if chart in ("p", "pp"):
        check_proportions(series)
    size = len(series.labels)
    for name in ("freeze", "parts", "exclude"):
        value = options.get(name)
        positions = [value] if isinstance(value, int) else list(value or ())
        for position in positions:
            if not 1 <= position <= size:
                flag = {"parts": "part"}.get(name, name)
                raise CsvError(f"--{flag} {position}: filen har {size} punkter, så ange 1–{size}.")
    if series.is_ratio:
        data = {"numerators": series.numerators, "denominators": series.denominators}
    else:
        data = {"values": series.values}
    return analyse(chart, labels=series.labels, notes=series.notes, **data, **options)
