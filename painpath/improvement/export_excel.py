"""An improvement project's measurements as an Excel workbook (openpyxl), as the region
advises: "följ i ett Excelark över tid".

The first sheet is the indicator table (start, target, result); then one sheet per
indicator with its months: Månad (a real date), Täljare, Nämnare, Värde (a share as a
percentage, with a percent format), Anteckning (why a month has no value), Källa.
Only monthly aggregates: no patient, and free text passes report.safe_text.
"""

from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from painpath.improvement.models import Indicator, Project
from painpath.improvement.report import safe_text
from painpath.improvement.states import IndicatorKind, Source

SUMMARY = "Indikatorer"
SUMMARY_HEADER = (
    "Indikator",
    "Indikatornamn",
    "Slag",
    "Startläge (% eller antal)",
    "Datum/period för startläge",
    "Mål (% eller antal)",
    "Datum för att uppnå målvärdet",
    "Resultat (% eller antal)",
    "Datum/period för resultat",
    "Källa",
    "Operationell definition",
)
MONTH_HEADER = ("Månad", "Täljare", "Nämnare", "Värde", "Anteckning", "Källa")
PERCENT = "0.0%"
MONTH = "yyyy-mm"
DAY = "yyyy-mm-dd"
BOLD = Font(bold=True)
SOURCES = {Source.COMPUTED: "Beräknad ur painpaths data", Source.MANUAL: "Inmatad för hand"}
KINDS = {
    IndicatorKind.OUTCOME: "Utfallsmått",
    IndicatorKind.PROCESS: "Processmått",
    IndicatorKind.BALANCING: "Balanserande mått",
}


def file_name(project: Project) -> str:
    return safe_text(f"{project.unit} {project.theme} {project.year} mätningar.xlsx")


def sheet_name(indicator: Indicator) -> str:
    return f"Indikator {indicator.number}"


def write(project: Project) -> bytes:
    workbook = Workbook()
    indicators = list(project.indicators.prefetch_related("measurements").order_by("number"))
    _summary(workbook.active, project, indicators)
    for indicator in indicators:
        _months(workbook.create_sheet(sheet_name(indicator)), indicator)
    workbook.properties.title = file_name(project)[: -len(".xlsx")]
    workbook.properties.language = "sv-SE"
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()


def _summary(sheet, project: Project, indicators: list[Indicator]) -> None:
    sheet.title = SUMMARY
    sheet["A1"] = _text(f"{project.unit} {project.theme} {project.year}")
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([])
    _header(sheet, SUMMARY_HEADER)
    for indicator in indicators:
        share = indicator.is_share
        target = _percent(indicator.target, share)
        sheet.append(
            [
                sheet_name(indicator),
                _text(indicator.name),
                KINDS.get(indicator.kind, indicator.kind),
                _percent(indicator.start_value, share),
                _text(indicator.start_period),
                target if target is not None else _text(indicator.target_text),
                indicator.target_date,
                _result(indicator),
                _text(indicator.result_period) or indicator.result_date,
                _text(indicator.source),
                _text(indicator.definition),
            ]
        )
        row = _as_text(sheet)
        for column in ("D", "F", "H"):
            if share:
                sheet[f"{column}{row}"].number_format = PERCENT
        for column in ("G", "I"):
            sheet[f"{column}{row}"].number_format = DAY
    sheet.freeze_panes = "A4"
    _widths(sheet, (12, 50, 18, 14, 16, 14, 16, 14, 14, 30, 50))


def _months(sheet, indicator: Indicator) -> None:
    sheet["A1"] = _text(f"Indikator {indicator.number}: {indicator.name}")
    sheet["A1"].font = BOLD
    sheet.append([])
    _header(sheet, MONTH_HEADER)
    for m in indicator.measurements.all():
        sheet.append(
            [
                m.month,
                m.numerator,
                m.denominator,
                m.value,
                _text(m.note),
                SOURCES.get(m.source, m.source),
            ]
        )
        row = _as_text(sheet)
        sheet[f"A{row}"].number_format = MONTH
        if indicator.is_share:
            sheet[f"D{row}"].number_format = PERCENT
    sheet.freeze_panes = "A4"
    if sheet.max_row > 3:
        sheet.auto_filter.ref = f"A3:F{sheet.max_row}"
    _widths(sheet, (12, 10, 10, 10, 50, 26))


def _header(sheet, names) -> None:
    sheet.append(list(names))
    for cell in sheet[sheet.max_row]:
        cell.font = BOLD
        cell.alignment = Alignment(wrap_text=True, vertical="top")


def _as_text(sheet) -> int:
    """The last row, with any text that begins with = kept as text, never a formula."""
    for cell in sheet[sheet.max_row]:
        if cell.data_type == "f":
            cell.data_type = "s"
    return sheet.max_row


def _widths(sheet, widths) -> None:
    for number, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(number)].width = width


def _percent(value: float | None, share: bool) -> float | None:
    """A share's percent (as the template gives it) as a fraction for Excel's % format."""
    if value is None:
        return None
    return value / 100 if share else value


def _result(indicator) -> float | str | None:
    """The result in words when given (as the page and the document show it), else the
    figure."""
    if indicator.result_text:
        return _text(indicator.result_text)
    return _percent(indicator.result_value, indicator.is_share)


def _text(value: str) -> str:
    return safe_text(value or "")
