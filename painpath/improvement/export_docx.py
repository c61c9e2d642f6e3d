"""The improvement report (report.py) as a Word document, with python-docx.

Headings use Word's own heading styles (a navigable outline for a screen reader), tables
repeat their header row on each page, and each chart carries alternative text.
"""

from io import BytesIO

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Emu, Pt

from painpath.improvement.report import Field, Figure, Heading, PageBreak, Paragraph, Report, Table

TEXT_WIDTH = Cm(16)  # A4 with 2.5 cm margins


def write(report: Report) -> bytes:
    document = Document()
    _page(document)
    document.core_properties.title = report.name
    document.core_properties.language = "sv-SE"
    for block in report.blocks:
        if isinstance(block, Heading):
            document.add_heading(block.text, block.level)
        elif isinstance(block, Paragraph):
            _lines(document.add_paragraph(), block.text)
        elif isinstance(block, Field):
            paragraph = document.add_paragraph()
            paragraph.add_run(f"{block.label}: ").bold = True
            _lines(paragraph, block.value)
        elif isinstance(block, Table):
            _table(document, block)
        elif isinstance(block, Figure):
            _figure(document, block)
        elif isinstance(block, PageBreak):
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    out = BytesIO()
    document.save(out)
    return out.getvalue()


def _page(document) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.5)
    document.styles["Normal"].font.size = Pt(10.5)


def _lines(paragraph, text: str) -> None:
    """The answer's line breaks kept as breaks within one paragraph."""
    for number, line in enumerate(text.split("\n")):
        run = paragraph.add_run()
        if number:
            run.add_break()
        run.add_text(line)


def _table(document, table: Table) -> None:
    grid = document.add_table(rows=1, cols=len(table.header))
    grid.style = "Table Grid"
    grid.autofit = False
    for column, width in zip(grid.columns, table.widths, strict=True):
        column.width = Emu(
            int(TEXT_WIDTH * width)
        )  # the grid, for LibreOffice; the cells, for Word
    for cell, text, width in zip(grid.rows[0].cells, table.header, table.widths, strict=True):
        cell.width = Emu(int(TEXT_WIDTH * width))
        cell.paragraphs[0].add_run(text).bold = True
    _repeat_header(grid.rows[0])
    for values in table.rows:
        cells = grid.add_row().cells
        for cell, text, width in zip(cells, values, table.widths, strict=True):
            cell.width = Emu(int(TEXT_WIDTH * width))
            _lines(cell.paragraphs[0], text)
    document.add_paragraph()


def _repeat_header(row) -> None:
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _figure(document, figure: Figure) -> None:
    caption = document.add_paragraph(figure.caption, style="Caption")
    caption.paragraph_format.keep_with_next = True
    if figure.png:
        shape = document.add_picture(BytesIO(figure.png), width=TEXT_WIDTH)
        shape._inline.docPr.set("descr", figure.description)
    document.add_paragraph("Visad mätning över tid:")
    _table(document, figure.table)
