"""Reading an extract: a folder of CSV files, or one .xlsx workbook with a sheet per file.

CSV files may be UTF-8 (with or without BOM) or Windows-1252, delimited by `,` or `;` (or
tab), with column names in any case. Problems that make a whole file unusable raise
ExtractError, which names the file (and column); problems of one row are the importer's.
"""

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

# File -> required columns, in the order files are imported (later files refer to earlier).
FILES: dict[str, tuple[str, ...]] = {
    "patients": ("patient_id",),
    "staff": ("caregiver_id", "profession"),
    "contacts": ("patient_id", "date"),
    "diagnoses": ("patient_id", "date", "code"),
    "prescriptions": ("patient_id", "date", "atc"),
    "sick_leave": ("patient_id", "start", "end"),
}


class ExtractError(Exception):
    """The extract cannot be used at all; nothing is imported."""


@dataclass
class Table:
    name: str  # "contacts"
    source: str  # "contacts.csv", or "extract.xlsx:contacts"
    columns: list[str]  # lower-case, stripped
    records: list[tuple]  # (line number, values...) in column order
    delimiter: str = ","

    def rows(self) -> Iterator[tuple[int, dict[str, str], str | None]]:
        """(line, values by column, problem): problem says why the row's shape is wrong."""
        width = len(self.columns)
        for line, values in self.records:
            problem = None
            if len(values) < width:  # a short row: missing trailing values are empty
                values = [*values, *[""] * (width - len(values))]
            elif len(values) > width and any(v.strip() for v in values[width:]):
                # Often an unquoted decimal comma: guessing which value is which would
                # silently shift every value after it.
                problem = f"raden har {len(values)} värden men rubriken {width} kolumner"
            yield line, dict(zip(self.columns, values, strict=False)), problem

    def __len__(self) -> int:
        return len(self.records)


def read_extract(path: Path) -> dict[str, Table]:
    """Every table of the extract at `path`, checked for required files and columns."""
    if not path.exists():
        raise ExtractError(f"{path}: finns inte")
    if path.is_dir():
        tables = _read_folder(path)
    elif path.suffix.lower() == ".xlsx":
        tables = _read_workbook(path)
    elif path.suffix.lower() == ".csv":
        raise ExtractError(f"{path}: ange mappen som innehåller filerna, inte en enskild fil")
    else:
        raise ExtractError(f"{path}: väntade en mapp med CSV-filer eller en .xlsx-arbetsbok")
    if "patients" not in tables:
        raise ExtractError(f"{path}: patients.csv saknas (obligatorisk)")
    if "contacts" not in tables and "diagnoses" not in tables:
        raise ExtractError(f"{path}: contacts.csv eller diagnoses.csv måste finnas")
    for table in tables.values():
        missing = [c for c in FILES[table.name] if c not in table.columns]
        if missing:
            raise ExtractError(
                f"{table.source}: obligatorisk kolumn saknas: {', '.join(missing)} "
                f"({_describe_header(table.columns)})"
            )
    if not any(tables.values()):
        raise ExtractError(f"{path}: filerna har rubriker men inga rader")
    return {name: tables[name] for name in FILES if name in tables}


def _describe_header(columns: list[str]) -> str:
    # A first row of data instead of headers would put patient ids into this message, and
    # from there into the import log: name the columns only when they look like names.
    if any(sum(ch.isdigit() for ch in column) >= 4 for column in columns):
        return "första raden ser ut att vara data: filen ska börja med en rubrikrad"
    return f"kolumner i filen: {', '.join(columns) or 'inga'}"


def _read_folder(folder: Path) -> dict[str, Table]:
    tables = {}
    for file in sorted(folder.iterdir()):
        name = file.stem.lower()
        if file.suffix.lower() == ".csv" and name in FILES:
            if name in tables:
                raise ExtractError(
                    f"{folder}: två filer för {name}: {tables[name].source}, {file.name}"
                )
            tables[name] = _read_csv(file, name)
    return tables


def _decode(data: bytes) -> str:
    # Valid UTF-8 means UTF-8; anything else is taken as Windows-1252, what Swedish Windows
    # systems write. Latin-1 bytes of Å/Ä/Ö are never valid UTF-8, so this is safe. A BOM
    # is dropped either way: some tools put one before a Windows-1252 body.
    data = data.removeprefix(b"\xef\xbb\xbf")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            raise ExtractError("kan inte läsas som UTF-8 eller Windows-1252") from None


def _read_csv(file: Path, name: str) -> Table:
    try:
        text = _decode(file.read_bytes())
    except OSError as error:
        raise ExtractError(f"{file.name}: kan inte läsas: {error.strerror}") from None
    except ExtractError as error:
        raise ExtractError(f"{file.name}: {error}") from None
    header_line = text.split("\n", 1)[0]
    delimiter = max(";,\t", key=header_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader, None)
        if not header or not any(h.strip() for h in header):
            raise ExtractError(f"{file.name}: tom fil, ingen rubrikrad")
        records = []
        start = reader.line_num + 1
        for values in reader:  # a quoted value may span lines: a row is named by its first
            if any(values):
                records.append((start, values))
            start = reader.line_num + 1
    except csv.Error as error:
        raise ExtractError(f"{file.name}, rad {reader.line_num}: trasig CSV: {error}") from None
    return Table(name, file.name, _columns(header, file.name), records, delimiter)


def _columns(header: list, source: str) -> list[str]:
    columns = [str(h or "").strip().lower() for h in header]
    seen = set()
    for column in columns:
        if column and column in seen:
            raise ExtractError(f"{source}: kolumnen {column} finns två gånger")
        seen.add(column)
    return columns


def _read_workbook(file: Path) -> dict[str, Table]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many types for a damaged file
        raise ExtractError(f"{file.name}: kan inte läsas som Excel-arbetsbok: {error}") from None
    tables = {}
    try:
        for sheet in workbook.worksheets:
            name = sheet.title.strip().lower().removesuffix(".csv")
            if name not in FILES:
                continue
            rows = sheet.iter_rows(values_only=True)
            header = next(rows, None)
            if not header:
                raise ExtractError(f"{file.name}:{sheet.title}: tomt blad, ingen rubrikrad")
            records = []
            for line, values in enumerate(rows, start=2):
                cells = [_cell_text(v) for v in values]
                if any(cells):
                    records.append((line, cells))
            source = f"{file.name}:{sheet.title}"
            tables[name] = Table(name, source, _columns(list(header), source), records)
    finally:
        workbook.close()
    return tables


def _cell_text(value) -> str:
    """Excel cells as the text a CSV export would hold."""
    if value is None:
        return ""
    if hasattr(value, "date") and hasattr(value, "hour"):  # datetime
        return (
            value.strftime("%Y-%m-%d") if not (value.hour or value.minute) else value.isoformat(" ")
        )
    if hasattr(value, "isoformat"):  # date
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()
