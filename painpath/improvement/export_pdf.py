"""The improvement report (report.py) as PDF, with fpdf2: pure Python, so a clinic's server
on a closed network needs nothing but `pip install` (no system libraries at runtime).

Fonts: DejaVu Sans (its licence is permissive) from the system's fonts-dejavu-core, which
covers å, ä, ö and signs such as ≥ and ″. Where it is not installed, the document falls
back to PDF's core Helvetica, which holds only Latin-1: å, ä and ö still print, but dashes,
curly quotes and signs outside Latin-1 are replaced (– becomes -, ≥ becomes >=, anything
else ?). Headings are bookmarks in the outline; each chart carries alternative text.
"""

from io import BytesIO
from pathlib import Path

from fpdf import FPDF
from fpdf.fonts import FontFace

from painpath.improvement.report import Field, Figure, Heading, PageBreak, Paragraph, Report, Table

FONT_DIRS = (
    Path("/usr/share/fonts/truetype/dejavu"),  # Debian, Ubuntu
    Path("/usr/share/fonts/dejavu-sans-fonts"),  # Fedora
    Path("/usr/share/fonts/TTF"),  # Arch
)
HEADING_SIZES = {0: 18, 1: 15, 2: 12.5, 3: 11}
TEXT_SIZE = 10
TABLE_SIZE = 8
LATIN1_STAND_INS = str.maketrans(
    {
        "–": "-",
        "—": "-",
        "‑": "-",
        "“": '"',
        "”": '"',
        "„": '"',
        "’": "'",
        "‘": "'",
        "′": "'",
        "″": '"',
        "…": "...",
        "≥": ">=",
        "≤": "<=",
        "≠": "!=",
        "•": "-",
    }
)


def dejavu() -> tuple[Path, Path] | None:
    """DejaVu Sans and its bold, if the system has them."""
    for folder in FONT_DIRS:
        regular, bold = folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"
        if regular.is_file() and bold.is_file():
            return regular, bold
    return None


class _Pdf(FPDF):
    def __init__(self, fonts: tuple[Path, Path] | None):
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.unicode = fonts is not None
        if fonts:
            self.add_font("DejaVu", "", str(fonts[0]))
            self.add_font("DejaVu", "B", str(fonts[1]))
            self.family = "DejaVu"
        else:
            self.family = "Helvetica"
        self.set_margins(20, 18, 20)
        self.set_auto_page_break(True, margin=18)
        self.alias_nb_pages()

    def text_of(self, text: str) -> str:
        if self.unicode:
            return text
        return text.translate(LATIN1_STAND_INS).encode("latin-1", "replace").decode("latin-1")

    def footer(self):
        self.set_y(-12)
        self.set_font(self.family, "", 8)
        self.cell(0, 5, f"{self.page_no()}/{{nb}}", align="R")


def write(report: Report, compress: bool = True, fonts=...) -> bytes:
    """The PDF's bytes. `compress=False` leaves the page streams readable (tests);
    `fonts=None` forces the Helvetica fallback."""
    pdf = _Pdf(dejavu() if fonts is ... else fonts)
    pdf.compress = compress
    pdf.set_title(pdf.text_of(report.name))
    pdf.set_lang("sv-SE")
    pdf.set_creator("painpath")
    pdf.add_page()
    for block in report.blocks:
        if isinstance(block, Heading):
            _heading(pdf, block)
        elif isinstance(block, Paragraph):
            _text(pdf, block.text)
        elif isinstance(block, Field):
            _field(pdf, block)
        elif isinstance(block, Table):
            _table(pdf, block)
        elif isinstance(block, Figure):
            _figure(pdf, block)
        elif isinstance(block, PageBreak):
            pdf.add_page()
    return bytes(pdf.output())


def _heading(pdf: _Pdf, heading: Heading) -> None:
    size = HEADING_SIZES.get(heading.level, TEXT_SIZE)
    if pdf.will_page_break(size * 2):
        pdf.add_page()
    pdf.ln(2 if heading.level > 2 else 4)
    pdf.start_section(pdf.text_of(heading.text)[:120], level=heading.level)
    pdf.set_font(pdf.family, "B", size)
    pdf.multi_cell(
        0, size * 0.5, pdf.text_of(heading.text), align="L", new_x="LMARGIN", new_y="NEXT"
    )
    pdf.ln(1)


def _text(pdf: _Pdf, text: str) -> None:
    pdf.set_font(pdf.family, "", TEXT_SIZE)
    pdf.multi_cell(0, 5, pdf.text_of(text), align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)


def _field(pdf: _Pdf, field: Field) -> None:
    pdf.set_font(pdf.family, "B", TEXT_SIZE)
    pdf.write(5, pdf.text_of(f"{field.label}: "))
    pdf.set_font(pdf.family, "", TEXT_SIZE)
    pdf.write(5, pdf.text_of(field.value))
    pdf.ln(6)


def _table(pdf: _Pdf, table: Table) -> None:
    pdf.set_font(pdf.family, "", TABLE_SIZE)
    with pdf.table(
        col_widths=table.widths,
        width=pdf.epw,
        line_height=TABLE_SIZE * 0.5,
        text_align="LEFT",
        headings_style=FontFace(emphasis="BOLD", fill_color=(235, 238, 241)),
    ) as grid:
        for values in (table.header, *table.rows):
            row = grid.row()
            for value in values:
                row.cell(pdf.text_of(value))
    pdf.ln(3)


def _figure(pdf: _Pdf, figure: Figure) -> None:
    pdf.set_font(pdf.family, "B", TEXT_SIZE)
    pdf.multi_cell(0, 5, pdf.text_of(figure.caption), align="L", new_x="LMARGIN", new_y="NEXT")
    if figure.png:
        pdf.image(BytesIO(figure.png), w=pdf.epw, alt_text=pdf.text_of(figure.description))
    _text(pdf, "Visad mätning över tid:")
    _table(pdf, figure.table)
