"""Drawing a run or control chart from the core's result, and naming its signals in words.

Altair builds the Vega-Lite spec; vl-convert draws SVG or PNG on the server, as the
deep-dive does (painpath/deepdive/charts.py). What the chart shows is in the result's
numbers: the points joined in order, the centre line per phase (red and dashed when the
runs rules find a signal, as qicharts2 draws it), the limits stepped when they vary, the
target, the phase and baseline boundaries, points outside the limits highlighted, and
notes (PDSA cycles and other events) drawn on the points they belong to.
"""

import json

import altair as alt
import vl_convert
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from painpath.improvement.spc import ChartResult

WIDTH = 620
HEIGHT = 300
FONT = "DejaVu Sans, Verdana, sans-serif"
LINE = "#5b6770"
CENTRE = "#0b5cad"
SIGNAL = "#c2410c"  # orange-red: points outside the limits, a centre with a runs signal
TARGET = "#15803d"
NOTE = "#6d28d9"

CHART_NAMES = {
    "run": "Seriediagram",
    "i": "I-diagram",
    "mr": "MR-diagram",
    "p": "P-diagram",
    "pp": "P′-diagram (Laney)",
    "c": "C-diagram",
    "u": "U-diagram",
    "up": "U′-diagram (Laney)",
    "g": "G-diagram",
}


def signal_sentences(result: ChartResult) -> list[str]:
    """What the rules found, one Swedish sentence each, in the order of the phases."""
    sentences = []
    several = len(result.phases) > 1
    for phase in result.phases:
        where = _("Fas %(phase)d: ") % {"phase": phase.phase} if several else ""
        if phase.longest_run_signal:
            sentences.append(
                where
                + _(
                    "Ovanligt lång serie: %(run)d punkter i rad på samma sida om mittlinjen "
                    "(fler än %(max)d väntas inte av slumpen)."
                )
                % {"run": phase.longest_run, "max": phase.longest_run_max}
            )
        if phase.n_crossings_signal:
            sentences.append(
                where
                + _(
                    "Ovanligt få korsningar: kurvan korsar mittlinjen %(crossings)d gånger "
                    "(minst %(min)d väntas av slumpen)."
                )
                % {"crossings": phase.n_crossings, "min": phase.n_crossings_min}
            )
        outside = [
            point.label
            for point in result.points
            if point.phase == phase.phase and point.sigma_signal
        ]
        if outside:
            sentences.append(
                where
                + ngettext(
                    "%(count)d punkt utanför styrgränserna: %(labels)s.",
                    "%(count)d punkter utanför styrgränserna: %(labels)s.",
                    len(outside),
                )
                % {"count": len(outside), "labels": ", ".join(outside)}
            )
    if not sentences:
        sentences.append(_("Ingen signal: variationen ser slumpmässig ut (vanlig variation)."))
    return sentences


def chart_spec(result: ChartResult, title: str = "", y_title: str = "") -> dict:
    return _chart(result, title, y_title).to_dict()


def to_svg(spec: dict) -> str:
    # No base URL is allowed: the data are inline, and nothing may be fetched.
    return vl_convert.vegalite_to_svg(spec, format_locale="sv-SE", allowed_base_urls=[])


def to_png(spec: dict, scale: float = 2) -> bytes:
    return vl_convert.vegalite_to_png(
        spec, scale=scale, format_locale="sv-SE", allowed_base_urls=[]
    )


def _rows(result: ChartResult) -> list[dict]:
    runs_signal = {phase.phase: phase.runs_signal for phase in result.phases}
    rows = []
    for point in result.points:
        rows.append(
            {
                "position": point.position,
                "label": point.label,
                "y": point.y,
                "cl": point.cl,
                "lcl": point.lcl,
                "ucl": point.ucl,
                "phase": point.phase,
                "included": point.included,
                "signal": point.sigma_signal,
                "runs_signal": runs_signal[point.phase],
                "note": point.note or None,
            }
        )
    return rows


def _chart(result: ChartResult, title: str, y_title: str) -> alt.LayerChart:
    rows = _rows(result)
    labels = [row["label"] for row in rows]
    step = max(1, len(labels) // 24)  # at most about two dozen period labels on the axis
    ticks = [row["position"] for row in rows][::step]
    x = alt.X(
        "position:Q", title=None, scale=alt.Scale(domain=[0.5, len(rows) + 0.5], nice=False)
    ).axis(
        values=ticks, labelExpr=f"{json.dumps(labels)}[datum.value - 1]", labelAngle=-45, grid=False
    )
    y = alt.Y("y:Q", title=y_title or None).scale(zero=False)
    base = alt.Chart(alt.Data(values=rows)).encode(x=x)
    tooltip = [alt.Tooltip("label:N", title=_("Period")), alt.Tooltip("y:Q", title=_("Värde"))]

    layers = []
    if any(row["lcl"] is not None or row["ucl"] is not None for row in rows):
        for bound in ("lcl", "ucl"):
            layers.append(
                base.mark_line(interpolate="step", color=LINE, strokeWidth=1, opacity=0.7).encode(
                    y=alt.Y(f"{bound}:Q"), detail="phase:N"
                )
            )
    layers.append(
        base.mark_line(interpolate="step", strokeWidth=1.5).encode(
            y=alt.Y("cl:Q"),
            detail="phase:N",
            color=alt.condition("datum.runs_signal", alt.value(SIGNAL), alt.value(CENTRE)),
            strokeDash=alt.condition("datum.runs_signal", alt.value([6, 4]), alt.value([1, 0])),
        )
    )
    if result.target is not None:
        layers.append(
            alt.Chart(alt.Data(values=[{"target": result.target}]))
            .mark_rule(color=TARGET, strokeDash=[2, 3], strokeWidth=1.5)
            .encode(y="target:Q")
        )
    for boundary, text in _boundaries(result):
        layers.append(
            alt.Chart(alt.Data(values=[{"x": boundary, "text": text}]))
            .mark_rule(color=LINE, strokeDash=[4, 4])
            .encode(x=alt.X("x:Q"))
        )
        layers.append(
            alt.Chart(alt.Data(values=[{"x": boundary, "text": text}]))
            .mark_text(align="left", baseline="top", dx=3, dy=2, fontSize=10, color=LINE)
            .encode(x=alt.X("x:Q"), y=alt.value(0), text="text:N")
        )
    layers.append(base.mark_line(color=LINE, strokeWidth=1).encode(y=y, detail="phase:N"))
    layers.append(
        base.mark_point(filled=True, size=36)
        .encode(
            y=y,
            color=alt.condition("datum.signal", alt.value(SIGNAL), alt.value(LINE)),
            shape=alt.condition("datum.included", alt.value("circle"), alt.value("cross")),
            size=alt.condition("datum.signal", alt.value(80), alt.value(36)),
            tooltip=tooltip,
        )
        .transform_filter("isValid(datum.y)")
    )
    # A note or PDSA cycle in a month without a value: a rule across the chart, its text on top.
    gaps = base.transform_filter("isValid(datum.note) && !isValid(datum.y)")
    layers.append(gaps.mark_rule(color=NOTE, strokeDash=[2, 2]))
    layers.append(
        gaps.mark_text(align="left", baseline="top", dx=3, dy=14, fontSize=10, color=NOTE).encode(
            y=alt.value(0), text="note:N"
        )
    )
    notes = base.transform_filter("isValid(datum.note) && isValid(datum.y)")
    layers.append(
        notes.mark_point(
            shape="triangle-down", color=NOTE, filled=True, size=60, yOffset=-12
        ).encode(y=y)
    )
    layers.append(
        notes.mark_text(align="left", dx=6, dy=-18, angle=0, fontSize=10, color=NOTE).encode(
            y=y, text="note:N"
        )
    )

    sentences = [*signal_sentences(result), _key(result)]
    heading = title or CHART_NAMES[result.chart]
    return (
        alt.layer(*layers)
        .properties(
            width=WIDTH,
            height=HEIGHT,
            title=alt.TitleParams(heading, subtitle=sentences, anchor="start", subtitleColor=LINE),
        )
        # The page gives the chart one Swedish text alternative and the figures as a table;
        # Vega's own ARIA labels (English, raw floats) would only add noise.
        .configure(font=FONT, aria=False)
        .configure_view(stroke=None)
    )


def _key(result: ChartResult) -> str:
    """The lines named in words, in place of a legend."""
    centre = _("medianen") if result.chart == "run" else _("mittlinjen")
    if result.chart == "g":
        centre = _("medianen (gränserna från medelvärdet)")
    parts = [_("Blå linje: %(centre)s") % {"centre": centre}]
    if result.chart != "run":
        parts.append(_("grå linjer: styrgränser (3 sigma)"))
    if result.target is not None:
        parts.append(_("grön prickad: mål"))
    if any(not point.included for point in result.points):
        parts.append(_("kryss: utelämnad punkt"))
    if any(point.note for point in result.points):
        parts.append(_("lila: anteckning eller PDSA-cykel"))
    return "; ".join(parts) + "."


def _boundaries(result: ChartResult) -> list[tuple[float, str]]:
    """Where a baseline or a new phase begins, between two points."""
    marks = []
    for phase in result.phases:
        if phase.phase > 1:
            marks.append((phase.first - 0.5, _("Fas %(phase)d") % {"phase": phase.phase}))
        if phase.freeze is not None and phase.freeze < phase.last:
            marks.append((phase.freeze + 0.5, _("Efter baslinjen")))
    return marks
