"""The deep-dive as rows of figures, for the CSV download and the command line: the page's
own tables (tables.py) laid flat, so that the page, the file and the terminal say the same.
"""

from painpath.deepdive.formats import rows_csv
from painpath.deepdive.tables import build_tables

HEADER = ["Avsnitt", "Mått", "Period", "Jämförelseperiod", "Skillnad"]


def deep_dive_rows(result: dict) -> tuple[list[str], list[tuple]]:
    """(header, rows): one row per figure, (section, measure, value[, comparison,
    difference]). Shares are in per cent and their differences in percentage points; a
    hidden or missing value is None."""
    header = HEADER if result.get("compare") else HEADER[:3]
    rows = []
    for table in build_tables(result):
        for group in table.groups:
            section = f"{table.caption} – {group.heading}" if group.heading else table.caption
            for row in group.rows:
                label = f"{row.label} (%)" if row.percent else row.label
                values = [cell.value for cell in row.cells][: len(header) - 2]
                rows.append((section, label, *values))
    return header, rows


def deep_dive_csv(result: dict) -> str:
    return rows_csv(*deep_dive_rows(result))
