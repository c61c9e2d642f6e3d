"""The funnel plot of a comparison (comparison.compare), drawn as SVG on the server with
Altair and vl-convert like the deep-dive's charts (painpath/deepdive/charts.py).

x is the unit's denominator, y its share; the target line is the pooled share θ; the
limits at 95 % (inner, dashed) and 99.8 % (outer, solid) are curves over the denominators,
exact binomial, or over-dispersed when that was chosen (then the exact limits are drawn
too, thin and light, so both are shown). Units are points labelled with their name; an
unnamed (small) unit is a point without a label; the user's own clinic is larger and
coloured. The table beside the chart carries the same numbers in words.
"""

import altair as alt
from django.utils.translation import gettext as _

from painpath.deepdive.charts import FONT
from painpath.improvement import funnel
from painpath.improvement.comparison import LIMITS

WIDTH = 480
HEIGHT = 340
LIMIT = "#5b6770"
TARGET = "#0b5cad"
POINT = "#334155"
OWN = "#c2410c"  # the user's own clinic: apart from the others in colour and size


def funnel_spec(result: dict, title: str = "") -> dict | None:
    """The Vega-Lite spec, or None when there is no unit to draw."""
    units = result["units"]
    if not units:
        return None
    theta = result["theta"]
    n_max = max(unit["denominator"] for unit in units)
    phi = result["phi"] or 1.0
    curves = funnel.curves(
        theta,
        int(n_max * 1.1) + 1,
        inflation=phi if phi > 1 else 1.0,
        tau2=result["tau2"] or 0.0,
    )
    kind = LIMITS[result["overdispersion"]]
    lines = _lines(curves, kind, main=True)
    if kind != "exact":
        lines += _lines(curves, "exact", main=False)
    x = alt.X("n:Q", title=_("Nämnare (antal patienter)")).scale(domainMin=0)
    y = alt.Y("y:Q", title=_("Andel"), axis=alt.Axis(format="%")).scale(domain=[0, 1])
    layers = [
        alt.Chart(alt.Data(values=lines))
        .mark_line(interpolate="monotone")
        .encode(
            x=x,
            y=y,
            detail="curve:N",
            color=alt.value(LIMIT),
            strokeDash=alt.StrokeDash("level:N", legend=None).scale(
                domain=["95", "99.8"], range=[[5, 4], [1, 0]]
            ),
            opacity=alt.Opacity("main:N", legend=None).scale(
                domain=["yes", "no"], range=[0.9, 0.35]
            ),
        ),
        alt.Chart(alt.Data(values=[{"theta": theta}]))
        .mark_rule(color=TARGET, strokeWidth=1.5)
        .encode(y=alt.Y("theta:Q")),
    ]
    points = [
        {
            "n": unit["denominator"],
            "y": unit["share"],
            "label": unit["name"] or "",
            "own": "yes" if unit["own"] else "no",
        }
        for unit in units
    ]
    base = alt.Chart(alt.Data(values=points)).encode(x=x, y=y)
    own = alt.datum.own == "yes"
    layers.append(
        base.mark_point(filled=True, opacity=1).encode(
            color=alt.condition(own, alt.value(OWN), alt.value(POINT)),
            size=alt.condition(own, alt.value(110), alt.value(45)),
        )
    )
    layers.append(
        base.mark_text(align="left", dx=7, dy=-6, fontSize=10)
        .encode(text="label:N", color=alt.condition(own, alt.value(OWN), alt.value(POINT)))
        .transform_filter("datum.label != ''")
    )
    chart = alt.layer(*layers).properties(
        width=WIDTH,
        height=HEIGHT,
        title=alt.TitleParams(
            title,
            subtitle=_key(kind, any(u["own"] for u in units)),
            anchor="start",
            subtitleColor=LIMIT,
        ),
    )
    return chart.configure(font=FONT).configure_view(stroke=None).to_dict()


def _lines(curves: list[dict], kind: str, main: bool) -> list[dict]:
    rows = []
    for level in ("95", "99.8"):
        for side, index in (("low", 0), ("high", 1)):
            for point in curves:
                value = point[f"{kind}_{level}"][index]
                if value == value:  # NaN never drawn
                    rows.append(
                        {
                            "n": point["n"],
                            "y": value,
                            "curve": f"{kind}-{level}-{side}",
                            "level": level,
                            "main": "yes" if main else "no",
                        }
                    )
    return rows


def _key(kind: str, own: bool) -> list[str]:
    """The lines named in words, in place of a legend: two short lines, so the chart keeps
    its width."""
    first = _(
        "Blå linje: sammanvägd andel; streckade: gränser för 95 %; heldragna: gränser för 99,8 %."
    )
    second = []
    if kind != "exact":
        second.append(_("ljusa: gränserna utan överspridning"))
    if own:
        second.append(_("orange: din vårdcentral"))
    return [first] + (["; ".join(second).capitalize() + "."] if second else [])
