"""From an indicator to its chart: the months of its measurements, its chart notes and the
PDSA cycles linked to it, turned into spc.py's input; the result drawn by spc_charts.py.

The rules of measurement (shared/spec/qi.md) kept here:
- a share is passed to the core as numerator and denominator, never as a rounded percent;
- a month without a value (its note says why) is a missing point: it is left out of the
  runs analysis and leaves a gap in the line; it is never drawn as 0;
- the months run without holes from the first to the last measured month, so a month
  nobody measured is missing too, not skipped over.

For a share, the indicator's start value, target and result are in percent, as the region's
template asks for them ("% eller antal"); the chart's y axis is the proportion, so the
target line is drawn at target / 100 and the axis is labelled in percent.
"""

from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext as _

from painpath.improvement import catalogue, spc, spc_charts
from painpath.improvement.models import Indicator, Measurement
from painpath.improvement.states import COUNT_CHARTS, EXPOSURE_CHARTS, SHARE_CHARTS, ChartType

MONTHS = (
    "januari", "februari", "mars", "april", "maj", "juni",
    "juli", "augusti", "september", "oktober", "november", "december",
)  # fmt: skip


def month_label(month: date) -> str:
    return f"{MONTHS[month.month - 1]} {month.year}"


@dataclass
class Series:
    """An indicator's months in order, each with its measurement (None when not measured)
    and the notes drawn on it (chart notes, then PDSA cycles started that month)."""

    months: list[date]
    measurements: list[Measurement | None]
    notes: list[list[str]] = field(default_factory=list)

    @property
    def labels(self) -> list[str]:
        return [month_label(month) for month in self.months]


def chart_types(indicator: Indicator) -> tuple[str, ...]:
    """The charts that fit the indicator (states.py): U and U′ only when every measured
    month has a denominator, its exposure."""
    if indicator.is_share:
        return SHARE_CHARTS
    measured = [m for m in indicator.measurements.all() if m.value is not None]
    if measured and all(m.denominator for m in measured):
        return COUNT_CHARTS
    return tuple(chart for chart in COUNT_CHARTS if chart not in EXPOSURE_CHARTS)


def chosen_chart(indicator: Indicator, asked: str | None = None) -> str:
    """The asked chart if it fits, else the indicator's own, else a run chart."""
    fitting = chart_types(indicator)
    for chart in (asked, indicator.chart):
        if chart in fitting:
            return chart
    return ChartType.RUN


@dataclass(frozen=True)
class Mark:
    """A chart note or a linked PDSA cycle, at the month it belongs to."""

    month: date
    text: str
    note_pk: int | None = None  # a chart note's (it can be removed); None for a cycle


def marks(indicator: Indicator) -> list[Mark]:
    """The indicator's chart notes and linked PDSA cycles, by month."""
    found = [
        Mark(catalogue.month_start(note.month), note.text, note.pk)
        for note in indicator.notes.all()
    ]
    found += [
        Mark(catalogue.month_start(cycle.starts_on), _("PDSA: %(title)s") % {"title": cycle.title})
        for cycle in indicator.cycles.all()
    ]
    return sorted(found, key=lambda mark: (mark.month, mark.text))


def series(indicator: Indicator) -> Series:
    """The months from the first to the last measured one, widened forwards to take in the
    chart notes and linked PDSA cycles after it (a cycle started after the last measurement
    is drawn too). Notes before the first measured month are listed on the page only: the
    baseline counts from the first measured month."""
    measured = {m.month: m for m in indicator.measurements.all()}
    if not measured:
        return Series([], [], [])
    found = marks(indicator)
    months = catalogue.months_between(
        min(measured), max([*measured, *(mark.month for mark in found)])
    )
    notes: dict[date, list[str]] = {month: [] for month in months}
    for mark in found:
        notes.get(mark.month, []).append(mark.text)
    return Series(months, [measured.get(month) for month in months], [notes[m] for m in months])


def _positions(indicator: Indicator, months: list[date]) -> tuple[int | None, list[int]]:
    """spc's freeze (the baseline's last position) and parts (a new phase after each)."""
    size = len(months)
    freeze = indicator.baseline_months if indicator.baseline_months else None
    if freeze is not None and not 1 <= freeze <= size:
        freeze = None
    index = {month: i for i, month in enumerate(months)}
    parts = set()
    for text in indicator.phase_starts or ():
        try:
            start = catalogue.month_start(date.fromisoformat(str(text)[:10]))
        except ValueError:
            continue
        if index.get(start, 0) > 0:  # a phase starting at the first month is the first one
            parts.add(index[start])
    return freeze, sorted(parts)


def chart_target(indicator: Indicator) -> float | None:
    """The target on the chart's scale: a share's percent as a proportion."""
    if indicator.target is None:
        return None
    return indicator.target / 100 if indicator.is_share else indicator.target


def analyse(indicator: Indicator, chart: str | None = None, data: Series | None = None):
    """spc.py's result for the indicator's months, or None while no month has a value."""
    chart = chosen_chart(indicator, chart)
    data = data or series(indicator)
    if not any(m is not None and m.value is not None for m in data.measurements):
        return None  # no month has a value: there is nothing to draw
    freeze, parts = _positions(indicator, data.months)
    common = {
        "labels": data.labels,
        "notes": ["; ".join(texts) for texts in data.notes],
        "freeze": freeze,
        "parts": parts,
        "target": chart_target(indicator),
    }
    measured = [m if m is not None and m.value is not None else None for m in data.measurements]
    if indicator.is_share or chart in EXPOSURE_CHARTS:
        return spc.analyse(
            chart,
            numerators=[m.numerator if m else None for m in measured],
            denominators=[m.denominator if m else None for m in measured],
            **common,
        )
    return spc.analyse(chart, values=[m.value if m else None for m in measured], **common)


def indicator_spec(indicator: Indicator, chart: str | None = None, result=None) -> dict | None:
    """The Vega-Lite spec of the indicator's chart (None when nothing is measured)."""
    result = result or analyse(indicator, chart)
    if result is None:
        return None
    y_title = _("Andel") if indicator.is_share else _("Antal")
    spec = spc_charts.chart_spec(result, title=indicator.name, y_title=y_title)
    if indicator.is_share:
        spec.setdefault("config", {}).setdefault("axisY", {})["format"] = ".0%"
    return spec


def indicator_chart_svg(indicator: Indicator, chart: str | None = None) -> str:
    """The chart as SVG text (empty while no month has a value): for the page and the
    exported documents. Vega escapes every text it writes."""
    spec = indicator_spec(indicator, chart)
    return spc_charts.to_svg(spec) if spec else ""


def indicator_chart_png(indicator: Indicator, chart: str | None = None, scale: float = 2) -> bytes:
    """The chart as PNG bytes (empty while no month has a value), for Word and PDF."""
    spec = indicator_spec(indicator, chart)
    return spc_charts.to_png(spec, scale=scale) if spec else b""
