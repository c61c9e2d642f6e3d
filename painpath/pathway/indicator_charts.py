"""The indicators page's charts, drawn on the server as SVG like the deep-dive's
(painpath/deepdive/charts.py): how far the patients offered got, and at which stage the
pathways that ended had stopped. The table beside each chart holds the same figures."""

import altair as alt
from django.utils.translation import gettext as _

from painpath.deepdive.charts import FONT, SINGLE, WIDTH, to_svg
from painpath.pathway.indicator_tables import state_label
from painpath.pathway.indicators import STOPS, WAY

# Declined, cancelled, dropped out: apart in grey print too.
STOP_COLOURS = ["#9dbbe0", "#0b5cad", "#b35806"]

__all__ = ["ends_chart", "stages_chart", "to_svg"]


def _base(rows: list[dict]) -> alt.Chart:
    return (
        alt.Chart(alt.Data(values=rows))
        .configure(font=FONT, padding=8)
        .configure_axis(labelFontSize=11, titleFontSize=11)
        .configure_legend(labelFontSize=11, titleFontSize=11)
        .configure_view(stroke=None)
    )


def stages_chart(result: dict) -> dict | None:
    """A funnel as horizontal bars, the way through from top to bottom."""
    reached = result["stages"]["reached"]
    if not reached.get("identified"):
        return None
    rows = [{"stage": state_label(s), "patients": reached[s]} for s in WAY]
    order = [row["stage"] for row in rows]
    chart = (
        _base(rows)
        .mark_bar(color=SINGLE)
        .encode(
            y=alt.Y("stage:N", title=None, sort=order).axis(labelLimit=200),
            x=alt.X("patients:Q", title=_("Antal patienter")).axis(format="d", tickMinStep=1),
        )
        .properties(width=WIDTH - 60, height=alt.Step(24))
    )
    return chart.to_dict()


def ends_chart(result: dict) -> dict | None:
    """Ends by the stage they happened at, stacked by kind (declined, cancelled, dropped
    out)."""
    ends = result["ends"]
    if not ends["count"]:
        return None
    stages = [s for s in WAY if s in ends["by_stage"]]
    rows = [
        {"stage": state_label(stage), "kind": state_label(stop), "patients": n}
        for stage in stages
        for stop, n in ends["by_stage"][stage].items()
        if n
    ]
    kinds = [state_label(stop) for stop in STOPS]
    chart = (
        _base(rows)
        .mark_bar()
        .encode(
            y=alt.Y(
                "stage:N", title=_("Steg de hade nått"), sort=[state_label(s) for s in stages]
            ).axis(labelLimit=200),
            x=alt.X("patients:Q", title=_("Antal patienter")).axis(format="d", tickMinStep=1),
            color=alt.Color(
                "kind:N", title=None, sort=kinds, scale=alt.Scale(domain=kinds, range=STOP_COLOURS)
            ).legend(orient="bottom"),
            order=alt.Order("kind:N"),
        )
        .properties(width=WIDTH - 60, height=alt.Step(24))
    )
    return chart.to_dict()
