"""The region's improvement template (förbättringsarbete, parts 1 and 2) filled in from a
project, as plain data: a list of blocks in the template's order and wording. The Word and
PDF writers (export_docx.py, export_pdf.py) only lay these blocks out, so the two documents
cannot drift apart.

The headings are the region's, word for word, and always Swedish: the document is the
region's form, whatever language the user reads the app in. The template's instructions
to the clinic, its links and its e-mail addresses are the region's and are left out; only
the headings and the clinic's answers are kept.

Below the indicator table (part 1's in a part-1 document, part 2's results in a whole
one, where the region asks to "visa mätning över tid") each measured indicator has a
figure: its chart as PNG and the same months as a table. Measurements are monthly
aggregates; no patient appears anywhere, and a valid personnummer typed into any free text
(an answer, a note, the unit's name) is masked before it reaches a document, a workbook or
a file name.
"""

import re
from dataclasses import dataclass, field, fields, replace
from datetime import date

from painpath.improvement import charting
from painpath.improvement.models import Indicator, Project
from painpath.improvement.states import Act, document_name
from painpath.records.identity import mask_personnummer

# The template's indicator tables have at least these many rows (Vendelsö's seed).
PART1_ROWS = 2
PART2_ROWS = 5

PART1_HEADER = (
    "",
    "Indikatornamn",
    "Nuläge = Startläge (% eller antal)",
    "Datum/period för startläge",
    "Mål (% eller antal)",
    "Källa",
    "Datum för att uppnå målvärdet",
)
PART2_HEADER = (
    "",
    "Indikatornamn",
    "Startläge (% eller antal)",
    "Datum/period för startläge",
    "Mål (% eller antal)",
    "Resultat (% eller antal)",
    "Källa",
    "Datum/period för resultatvärdet",
)
CAUSES_HEADER = (
    "Orsaker (Till att ni inte redan presterar som målet)",
    "Idéer till lösningar (För att nå målen)",
)
MEASUREMENTS_HEADER = ("Månad", "Täljare", "Nämnare", "Värde", "Anteckning")
ACTS = {Act.ADOPT: "Införa", Act.ADAPT: "Anpassa", Act.ABANDON: "Överge"}


@dataclass(frozen=True)
class Heading:
    text: str
    level: int  # 0 the title, 1 a part, 2 a section, 3 a question within it


@dataclass(frozen=True)
class Paragraph:
    text: str  # the clinic's answer; its line breaks are kept


@dataclass(frozen=True)
class Field:
    label: str  # "Mottagningens namn"
    value: str


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...]  # relative column widths, summing to 1


@dataclass(frozen=True)
class Figure:
    caption: str
    png: bytes  # empty when no month has a value yet
    description: str  # alternative text for the image
    table: Table  # the chart's months, "visad mätning över tid"


@dataclass(frozen=True)
class PageBreak:
    pass


@dataclass
class Report:
    name: str  # the file name the region asks for, without extension
    title: str
    blocks: list = field(default_factory=list)

    def add(self, *blocks) -> None:
        self.blocks.extend(blocks)

    @property
    def figures(self) -> list[Figure]:
        return [block for block in self.blocks if isinstance(block, Figure)]


def build(project: Project, part2: bool, charts: bool = True) -> Report:
    """The document for part 1, or parts 1 and 2 (part 1 is never cut from a part-2
    report, as the region asks). `charts=False` leaves the PNGs empty (quicker)."""
    report = Report(
        name=safe_text(document_name(project.unit, project.theme, project.year, part2)),
        title=f"Kvalitetsarbete/Förbättringsarbete {project.year}",
    )
    indicators = list(
        project.indicators.prefetch_related("measurements", "notes", "cycles").order_by("number")
    )
    report.add(
        Heading(report.title, 0),
        Paragraph(f"del 1 och del 2: {project.theme}"),
        Heading("Information om husläkarmottagningen", 1),
        Field("Mottagningens namn", project.unit),
        Field("Verksamhetschef", project.head_of_unit),
        Field("Verksamhetschefens e-post", project.head_of_unit_email),
    )
    _part1(report, project, indicators, figures=charts and not part2, draw=charts)
    if part2:
        _part2(report, project, indicators, draw=charts)
    report.blocks = [_masked(block) for block in report.blocks]
    return report


# Characters XML 1.0 cannot hold (Word and Excel files are XML): control characters that
# come along when text is pasted from Word, such as a form feed or a vertical tab.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def safe_text(text: str) -> str:
    """Text fit for a document, a workbook or a file name: each valid personnummer masked,
    and the characters XML cannot hold left out."""
    return _NOT_XML.sub("", mask_personnummer(text))


def _masked(block):
    if isinstance(block, Table):
        rows = tuple(tuple(safe_text(text) for text in row) for row in block.rows)
        return replace(block, rows=rows)
    if isinstance(block, Figure):
        return replace(block, caption=safe_text(block.caption), table=_masked(block.table))
    changes = {
        f.name: safe_text(getattr(block, f.name))
        for f in fields(block)
        if isinstance(getattr(block, f.name), str)
    }
    return replace(block, **changes)


def _part1(report: Report, project: Project, indicators, figures: bool, draw: bool) -> None:
    team = [f"{member.name}, {member.profession}" for member in project.team.all()]
    report.add(
        Heading("DEL 1 – Planen", 1),
        Heading("Kontaktperson för kvalitetsarbetet med namn, profession och e-postadress", 2),
        Field("Namn", project.contact_name),
        Field("Profession", project.contact_profession),
        Field("E-post", project.contact_email),
        Heading("Att involvera flera", 2),
        Heading("A: Ange övriga teammedlemmar och deras professioner", 3),
        Paragraph("\n".join(team)),
        Heading(
            "B: Ange hur ni kan involvera patienters synpunkter och erfarenheter i "
            "utformningen av arbetet, som intervjuer, förslagslådor eller liknande.",
            3,
        ),
        Paragraph(project.patient_involvement),
        Heading("Kartläggning. Vad vill ni åstadkomma och varför?", 2),
        Paragraph(project.mapping),
        Heading("Val av tema för förbättringsarbetet", 2),
        Paragraph(project.theme),
        Heading("Mål (Vad vill ni uppnå?)", 2),
        Paragraph(project.goals),
        causes_table(project),
        Heading("Mått och mätetal (indikatorer)", 2),
        indicator_table(indicators, part2=False),
        *definitions(indicators),
    )
    if figures:
        report.add(*_figures(indicators, draw))
    report.add(Heading("Action", 2))
    cycles = list(project.cycles.select_related("idea__cause").prefetch_related("indicators"))
    if project.action_plan or not cycles:
        report.add(Paragraph(project.action_plan))
    for number, cycle in enumerate(cycles, 1):
        report.add(*pdsa_blocks(number, cycle))


def _part2(report: Report, project: Project, indicators, draw: bool) -> None:
    report.add(
        PageBreak(),
        Heading("DEL 2 – Slutredovisningen", 1),
        Heading(
            "Vilka förbättringsidéer har ni testat och vilka arbetssätt har ni infört och "
            "standardiserat?",
            2,
        ),
        Paragraph(project.tested),
        Heading("Resultat", 2),
        indicator_table(indicators, part2=True),
        *_figures(indicators, draw),
        Heading("Övriga kommentarer", 2),
        Paragraph(project.comments),
        Heading("Slutreflektion", 2),
        Heading("Vad har ni lärt er?", 3),
        Paragraph(project.learned),
        Heading(
            "Hur har ni använt kunskap från patienter under olika delar av "
            "förbättringsarbetet? Hur har arbetet strävat efter att öka era patienters "
            "delaktighet eller involvering i vården?",
            3,
        ),
        Paragraph(project.patient_knowledge),
        Heading("Vad har ni för plan framåt gällande detta område?", 3),
        Paragraph(project.plan_ahead),
    )


def causes_table(project: Project) -> Table:
    """Each cause (1: …) beside its ideas (1.1: …, 1.2: …), as in the fishbone's table."""
    rows = []
    for cause in project.causes.prefetch_related("ideas"):
        ideas = "\n".join(
            f"{cause.number}.{idea.number}: {idea.text}" for idea in cause.ideas.all()
        )
        rows.append((f"{cause.number}: {cause.text}", ideas))
    return Table(CAUSES_HEADER, tuple(rows or [("1: ", "1.1: ")]), (0.5, 0.5))


def indicator_table(indicators: list[Indicator], part2: bool) -> Table:
    rows = []
    for indicator in indicators:
        start = (
            _amount(indicator.start_value, indicator.is_share),
            indicator.start_period,
            indicator.target_text or _amount(indicator.target, indicator.is_share),
        )
        if part2:
            rows.append(
                (
                    f"Indikator {indicator.number}",
                    indicator.name,
                    *start,
                    indicator.result_text or _amount(indicator.result_value, indicator.is_share),
                    indicator.source,
                    indicator.result_period or _date(indicator.result_date),
                )
            )
        else:
            rows.append(
                (
                    f"Indikator {indicator.number}",
                    indicator.name,
                    *start,
                    indicator.source,
                    _date(indicator.target_date),
                )
            )
    header = PART2_HEADER if part2 else PART1_HEADER
    last = max([i.number for i in indicators], default=0)
    for number in range(last + 1, (PART2_ROWS if part2 else PART1_ROWS) + 1):
        rows.append((f"Indikator {number}", *[""] * (len(header) - 1)))
    widths = (
        (0.12, 0.2, 0.1, 0.12, 0.09, 0.11, 0.11, 0.15)
        if part2
        else (0.12, 0.26, 0.12, 0.13, 0.1, 0.12, 0.15)
    )
    return Table(header, tuple(rows), widths)


def definitions(indicators: list[Indicator]) -> list:
    """The indicators' operational definitions under their table (painpath's addition: the
    template asks for an indicator's source, and its definition says how it is counted)."""
    defined = [i for i in indicators if i.definition.strip()]
    if not defined:
        return []
    lines = [f"Indikator {i.number}: {i.definition.strip()}" for i in defined]
    return [Heading("Operationella definitioner", 3), Paragraph("\n".join(lines))]


def _figures(indicators, draw: bool) -> list:
    """A figure for each indicator measured at least once (a note counts)."""
    return [figure(i, draw) for i in indicators if i.measurements.all()]


def figure(indicator: Indicator, draw: bool = True) -> Figure:
    """The indicator's chart and its months, with the note of a month without a value."""
    share = indicator.is_share
    rows = []
    for m in indicator.measurements.all():
        value = _amount(m.value * 100 if share and m.value is not None else m.value, share)
        rows.append(
            (
                charting.month_label(m.month),
                _number(m.numerator),
                _number(m.denominator),
                value,
                m.note,
            )
        )
    has_value = any(m.value is not None for m in indicator.measurements.all())
    png = charting.indicator_chart_png(indicator) if draw and has_value else b""
    caption = f"Indikator {indicator.number}: {indicator.name}"
    return Figure(
        caption=caption,
        png=png,
        description=f"Diagram över tid: {indicator.name}, {len(rows)} månader.",
        table=Table(MEASUREMENTS_HEADER, tuple(rows), (0.2, 0.14, 0.14, 0.14, 0.38)),
    )


def pdsa_blocks(number: int, cycle) -> list:
    """A PDSA cycle (PGSA: planera, göra, studera, agera) as the template's four steps."""
    idea = f"{cycle.idea.label}: {cycle.idea.text}" if cycle.idea else ""
    act = ACTS.get(cycle.act, "")
    if cycle.act_notes:
        act = f"{act} – {cycle.act_notes}" if act else cycle.act_notes
    period = _date(cycle.starts_on) + (f" – {_date(cycle.ends_on)}" if cycle.ends_on else "")
    return [
        Heading(f"PGSA {number}: {cycle.title}", 3),
        Field("Idé", idea),
        Field("Indikatorer", ", ".join(i.name for i in cycle.indicators.all())),
        Field("Period", period),
        Field("Syfte", cycle.objective),
        Field("Förutsägelse", cycle.prediction),
        Field("Planera", cycle.plan),
        Field("Göra", cycle.do),
        Field("Studera", cycle.study),
        Field("Agera", act),
    ]


def _number(value: float | None, decimals: int = 1) -> str:
    """Swedish: a decimal comma, no needless decimals."""
    if value is None:
        return ""
    text = f"{value:.{decimals}f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def _amount(value: float | None, share: bool) -> str:
    """A share's percent (the template's "% eller antal") or a count."""
    if value is None:
        return ""
    return f"{_number(value)} %" if share else _number(value)


def _date(day: date | None) -> str:
    return day.isoformat() if day else ""
