"""The deep-dive's charts: Altair builds Vega-Lite specs, vl-convert draws them as SVG.

Drawn on the server rather than in the browser: the page needs no JavaScript (and so no
900 kB Vega bundle to serve on a clinic's closed network), the SVG is inline so nothing is
fetched, and the same specs give PNG/PDF for the documents the region asks for. Each chart
draws the figures of the table beside it, which is its text alternative. Hidden (small)
counts are left out of the charts, as they are shown only as "<5" in the tables.
"""

import altair as alt
import vl_convert
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from painpath.deepdive.formats import combination_label, profession_label
from painpath.deepdive.tables import BANDS, period_label

WIDTH = 340
# Text is measured here and drawn by the browser: name fonts with the same widths in both
# (DejaVu Sans on Linux, Verdana on Windows and macOS), so labels fit as laid out.
FONT = "DejaVu Sans, Verdana, sans-serif"
SINGLE = "#0b5cad"  # app.css --accent
PAIR = ["#9dbbe0", "#0b5cad"]  # period A light, period B dark: apart in grey print too


def chart_specs(result: dict) -> dict[str, dict]:
    """Vega-Lite specs by table key, for the charts that have data to draw."""
    charts = {
        "professions": professions_chart(result),
        "combinations": combinations_chart(result),
        "contacts_per_patient": contacts_chart(result),
    }
    return {key: chart.to_dict() for key, chart in charts.items() if chart is not None}


def chart_svgs(result: dict) -> dict[str, SafeString]:
    return {key: to_svg(spec) for key, spec in chart_specs(result).items()}


def to_svg(spec: dict) -> SafeString:
    locale = "sv-SE" if (get_language() or "sv").startswith("sv") else "en-US"
    # No base URL is allowed: the data are inline, and the server must never fetch anything.
    svg = vl_convert.vegalite_to_svg(spec, format_locale=locale, allowed_base_urls=[])
    # Vega escapes every text it writes, and the labels come from a closed vocabulary.
    return mark_safe(svg)


def professions_chart(result: dict) -> alt.Chart | None:
    rows = _rows(
        result,
        lambda contract: [
            (profession_label(code), patients)
            for code, patients in (contract.get("by_profession") or {}).items()
        ],
    )
    return _horizontal_bars(rows, result)


def combinations_chart(result: dict) -> alt.Chart | None:
    rows = _rows(
        result,
        lambda contract: [
            (combination_label(entry["professions"]), entry["patients"])
            for entry in contract.get("combinations") or []
        ],
    )
    # Long labels ("Arbetsterapeut, fysioterapeut/sjukgymnast, läkare, sjuksköterska"): give
    # them the room and the bars less, so the chart fits beside its table unscaled.
    return _horizontal_bars(rows, result, label_limit=330, width=190)


def contacts_chart(result: dict) -> alt.Chart | None:
    rows = _rows(
        result,
        lambda contract: [
            (entry["band"], entry["patients"])
            for entry in (contract.get("contacts") or {}).get("per_patient") or []
        ],
    )
    if not rows:
        return None
    comparing = result.get("compare") is not None
    x = alt.X("label:N", title=_("Kontakter i perioden"), sort=list(BANDS))
    bars = (
        _base(rows)
        .mark_bar()
        .encode(
            x=x.axis(labelAngle=0),
            y=alt.Y("patients:Q", title=_("Antal patienter")).axis(format="d", tickMinStep=1),
            **_period_encoding(comparing, "xOffset"),
        )
    )
    return bars.properties(width=WIDTH, height=200)


def _rows(result: dict, pairs) -> list[dict]:
    contracts = [result["main"]] + ([result["compare"]] if result.get("compare") else [])
    return [
        {"label": label, "patients": patients, "period": period_label(contract)}
        for contract in contracts
        for label, patients in pairs(contract)
        if patients is not None  # hidden small counts are not drawn
    ]


def _base(rows: list[dict]) -> alt.Chart:
    return (
        alt.Chart(alt.Data(values=rows))
        .configure(font=FONT, padding=8)
        .configure_axis(labelFontSize=11, titleFontSize=11)
        .configure_legend(labelFontSize=11, titleFontSize=11)
        .configure_view(stroke=None)
    )


def _period_encoding(comparing: bool, offset: str) -> dict:
    if not comparing:
        return {"color": alt.value(SINGLE)}
    return {
        "color": alt.Color("period:N", title=_("Period"), scale=alt.Scale(range=PAIR)).legend(
            orient="bottom"
        ),
        offset: alt.XOffset("period:N") if offset == "xOffset" else alt.YOffset("period:N"),
    }


def _horizontal_bars(rows, result, label_limit=220, width=WIDTH - 40) -> alt.Chart | None:
    rows = [row for row in rows if row["patients"]]  # a zero bar draws nothing but a label
    if not rows:
        return None
    comparing = result.get("compare") is not None
    main_period = period_label(result["main"])
    # Most patients in period A first, as the tables list them.
    order = sorted(
        dict.fromkeys(row["label"] for row in rows),  # ties keep the result's order
        key=lambda label: (
            -sum(
                row["patients"]
                for row in rows
                if row["label"] == label and row["period"] == main_period
            )
        ),
    )
    # No axis title: the labels say what they are, and the caption names the chart.
    y = alt.Y("label:N", title=None, sort=order).axis(labelLimit=label_limit)
    bars = (
        _base(rows)
        .mark_bar()
        .encode(
            y=y,
            x=alt.X("patients:Q", title=_("Antal patienter")).axis(format="d", tickMinStep=1),
            **_period_encoding(comparing, "yOffset"),
        )
    )
    step = 28 if comparing else 22  # one band holds both periods
    return bars.properties(width=width, height=alt.Step(step))
