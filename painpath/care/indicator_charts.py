"""Coordination's indicators as the page and the terminal show them: tables with Swedish
labels (numerator and denominator beside each share), and charts drawn on the server as SVG
(painpath/deepdive/charts.py) from the same figures as the tables beside them."""

from dataclasses import dataclass, field

import altair as alt
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from painpath.deepdive.charts import FONT, SINGLE, WIDTH, to_svg
from painpath.pathway.indicator_tables import share_text

__all__ = ["build_tables", "flat_rows", "meetings_chart", "shares_chart", "to_svg"]


@dataclass
class Row:
    key: str
    label: str
    cells: list[str]


@dataclass
class Table:
    key: str
    caption: str
    columns: list[str]
    rows: list[Row] = field(default_factory=list)
    note: str = ""


def _n(value) -> str:
    return "" if value is None else number_format(value, force_grouping=True)


def _share_row(key: str, label: str, figure: dict) -> Row:
    cells = [_n(figure["numerator"]), _n(figure["denominator"]), share_text(figure["share"])]
    return Row(key, label, cells)


def _count_row(key: str, label: str, n: int) -> Row:
    return Row(key, label, [_n(n), "", ""])


def _share_columns() -> list[str]:
    return [_("Mått"), _("Antal"), pgettext("out of (a denominator)", "Av"), _("Andel")]


def share_labels() -> dict[str, str]:
    """The share indicators by key in the result, with their Swedish names."""
    return {
        "current_agreement": _("Med gällande patientöverenskommelse"),
        "rehab_plan": _("Med rehabiliteringsplan"),
        "reviewed_on_time": _("Överenskommelser omprövade i tid"),
        "patient_present": _("Rehabmöten där patienten deltog"),
        "completion": _("Smärtskola: genomförd kurs"),
        "attendance": _("Smärtskola: närvaro"),
        "opioid_agreement": _("Opioidpatienter med behandlingsavtal"),
    }


def _shares(result: dict) -> dict[str, dict]:
    return {
        "current_agreement": result["agreements"]["current_agreement"],
        "rehab_plan": result["agreements"]["rehab_plan"],
        "reviewed_on_time": result["agreements_reviewed_on_time"],
        "patient_present": result["rehab_meetings"]["total"]["patient_present"],
        "completion": result["pain_school"]["completion"],
        "attendance": result["pain_school"]["attendance"],
        "opioid_agreement": result["opioids"]["agreement"],
    }


def build_tables(result: dict) -> dict[str, Table]:
    labels, shares = share_labels(), _shares(result)
    agreements = Table(
        "agreements", _("Överenskommelser och rehabiliteringsplaner"), _share_columns()
    )
    agreements.rows = [
        _count_row(
            "patients_in_care",
            _("Vårdförloppspatienter under behandling vid periodens slut"),
            result["agreements"]["patients_in_care"],
        ),
        *(_share_row(k, labels[k], shares[k]) for k in ("current_agreement", "rehab_plan")),
        _share_row("reviewed_on_time", labels["reviewed_on_time"], shares["reviewed_on_time"]),
    ]
    agreements.note = _(
        "Omprövad i tid: en ny version skrevs senast den dag den gamla slutade gälla. Räknas "
        "för överenskommelser som slutade gälla under perioden."
    )
    meetings = Table(
        "meetings",
        _("Rehabmöten per månad"),
        [_("Månad"), _("Möten"), _("Professioner per möte"), _("Patienten deltog")],
    )
    for month in result["rehab_meetings"]["months"]:
        per = month["professions_per_meeting"]
        present = month["patient_present"]
        meetings.rows.append(
            Row(
                month["month"],
                month["month"],
                [
                    _n(month["meetings"]),
                    "–" if per is None else number_format(round(per, 1), 1),
                    "–"
                    if not present["denominator"]
                    else f"{present['numerator']} {_('av')} {present['denominator']}",
                ],
            )
        )
    school = result["pain_school"]
    pain_school = Table("pain_school", _("Smärtskola"), _share_columns())
    pain_school.rows = [
        _count_row("groups", _("Grupper som började under perioden"), school["groups"]),
        _count_row("placed", _("Med plats i gruppen"), school["placed"]),
        _count_row("waiting", _("På väntelista"), school["waiting"]),
        _count_row("withdrawn", _("Avbrutit"), school["withdrawn"]),
        _count_row("completed", _("Genomförde kursen"), school["completed"]),
        _share_row("completion", labels["completion"], school["completion"]),
        _count_row(
            "not_yet_measurable",
            _("Ännu inte mätbart (gruppen pågår)"),
            school["not_yet_measurable"],
        ),
        _share_row("attendance", labels["attendance"], school["attendance"]),
    ]
    pain_school.note = _(
        "Genomförd kurs räknas av dem som fått plats, i grupper vars sista träff har varit."
    )
    training = Table("training", _("Utbildning av personalen"), _share_columns())
    for course in result["training"]:
        name = course["course"]
        for kind, label in (
            ("caregiver", _("%(course)s: vårdpersonal")),
            ("administrator", _("%(course)s: administrativ personal")),
        ):
            training.rows.append(
                _share_row(f"{name}-{kind}", label % {"course": name}, course[kind])
            )
    opioids = result["opioids"]
    opioid_table = Table("opioids", _("Opioider vid periodens slut"), _share_columns())
    opioid_table.rows = [
        _count_row(
            "patients", _("Patienter med opioider (senaste 180 dagarna)"), opioids["patients"]
        ),
        _count_row("with_agreement", _("Med behandlingsavtal"), opioids["with_agreement"]),
        _count_row("without_agreement", _("Utan behandlingsavtal"), opioids["without_agreement"]),
        _share_row("opioid_agreement", labels["opioid_agreement"], opioids["agreement"]),
        _count_row("review_overdue", _("Avtal med försenad omprövning"), opioids["review_overdue"]),
    ]
    return {t.key: t for t in (agreements, meetings, pain_school, training, opioid_table)}


def flat_rows(result: dict) -> list[tuple[str, str, str]]:
    """(table, row, value) for a terminal table."""
    out = []
    for table in build_tables(result).values():
        for row in table.rows:
            if table.key == "meetings":
                value = " / ".join(row.cells)
            elif row.cells[1]:
                value = f"{row.cells[0]} {_('av')} {row.cells[1]} ({row.cells[2]})"
            else:
                value = row.cells[0]
            out.append((table.caption, row.label, value))
    return out


def _base(rows: list[dict]) -> alt.Chart:
    return (
        alt.Chart(alt.Data(values=rows))
        .configure(font=FONT, padding=8)
        .configure_axis(labelFontSize=11, titleFontSize=11)
        .configure_view(stroke=None)
    )


def meetings_chart(result: dict) -> dict | None:
    months = result["rehab_meetings"]["months"]
    if not any(m["meetings"] for m in months):
        return None
    rows = [{"month": m["month"], "meetings": m["meetings"]} for m in months]
    chart = (
        _base(rows)
        .mark_bar(color=SINGLE)
        .encode(
            x=alt.X("month:O", title=_("Månad")).axis(labelAngle=-45),
            y=alt.Y("meetings:Q", title=_("Antal rehabmöten")).axis(format="d", tickMinStep=1),
        )
        .properties(width=WIDTH, height=180)
    )
    return chart.to_dict()


def shares_chart(result: dict) -> dict | None:
    """The shares that could be computed, as horizontal bars from 0 to 100 %."""
    labels = share_labels()
    rows = [
        {"label": labels[key], "percent": round(figure["share"] * 100, 1)}
        for key, figure in _shares(result).items()
        if figure["share"] is not None
    ]
    if not rows:
        return None
    chart = (
        _base(rows)
        .mark_bar(color=SINGLE)
        .encode(
            y=alt.Y("label:N", title=None, sort=[r["label"] for r in rows]).axis(labelLimit=240),
            x=alt.X("percent:Q", title=_("Andel (%)"), scale=alt.Scale(domain=[0, 100])),
        )
        .properties(width=WIDTH - 120, height=alt.Step(24))
    )
    return chart.to_dict()
