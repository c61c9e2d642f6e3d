"""The indicators (painpath/pathway/indicators.py) as labelled tables: the page shows them
(with the deep-dive's table template) and `painpath pathway indicators --format table`
prints the same rows."""

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from painpath.deepdive.formats import profession_label
from painpath.deepdive.tables import Cell, Group, Row, Table
from painpath.pathway.indicators import STOPS
from painpath.pathway.states import CancelledBy, Channel, Criterion, State


def state_label(code: str) -> str:
    return str(State(code).label) if code in State.values else code


def share_text(share: float | None) -> str:
    """A share as a percentage, or "kan inte beräknas" when there is nothing to divide by:
    never 0 % for a figure that was not measured."""
    if share is None:
        return _("kan inte beräknas")
    return f"{number_format(round(share * 100, 1), 1)}\u00a0%"  # no line break before %


def _count(n: int) -> Cell:
    return Cell(number_format(n, force_grouping=True), n)


def _row(label, n: int, key: str, level: int = 0) -> Row:
    return Row(str(label), [_count(n)], key=key, level=level)


def _table(key, caption, heading=None) -> Table:
    return Table(key, caption, heading or _("Mått"), _("Antal"))


def offered_table(result: dict) -> Table:
    offered = result["offered"]
    table = _table("offered", _("Erbjudna under perioden"))
    table.groups.append(Group("", [_row(_("Erbjudna"), offered["count"], "offered")]))
    table.groups.append(
        Group(
            _("Efter kriterium"),
            [
                _row(Criterion(code).label, n, f"criterion_{code}")
                for code, n in offered["by_criterion"].items()
            ],
        )
    )
    table.groups.append(
        Group(
            _("Identifierade av"),
            [
                _row(profession_label(code), n, f"profession_{code}")
                for code, n in offered["by_profession"].items()
            ],
        )
    )
    table.groups.append(
        Group(
            _("Hur"),
            [
                _row(Channel(code).label, n, f"channel_{code}")
                for code, n in offered["by_channel"].items()
            ],
        )
    )
    return table


def stages_table(result: dict) -> Table:
    reached = result["stages"]["reached"]
    table = _table("stages", _("Hur långt de erbjudna har kommit"), _("Steg"))
    table.note = _(result["stages"]["definition"])
    table.groups.append(
        Group("", [_row(state_label(stage), n, f"reached_{stage}") for stage, n in reached.items()])
    )
    return table


def improved_table(result: dict) -> Table:
    imp = result["improved"]
    table = _table("improved", _("Minskad smärta eller påverkan på dagligt liv"))
    table.note = _(imp["definition"])
    rows = [
        _row(_("Uppföljda under perioden"), imp["followed_up"], "followed_up"),
        _row(_("Mätbara (nämnare)"), imp["measurable"], "measurable", 1),
        _row(_("Förbättrade (täljare)"), imp["improved"], "improved", 2),
        _row(_("varav minskad smärta"), imp["by_rule"]["pain"], "by_pain", 3),
        _row(_("varav minskad påverkan"), imp["by_rule"]["interference"], "by_interference", 3),
        _row(_("Ej förbättrade"), imp["not_improved"], "not_improved", 2),
        _row(
            _("Ej mätbara (saknar mått före eller efter)"),
            imp["not_measurable"],
            "not_measurable",
            1,
        ),
        Row(_("Andel förbättrade"), [Cell(share_text(imp["share"]), imp["share"])], key="share"),
    ]
    table.groups.append(Group("", rows))
    return table


def ends_table(result: dict) -> Table:
    ends = result["ends"]
    table = _table("ends", _("Avslutade utan uppföljning under perioden"))
    table.note = _(ends["definition"])
    rows = [_row(_("Totalt"), ends["count"], "ends")]
    for stop in STOPS:
        rows.append(_row(state_label(stop), ends[stop], stop, 1))
        if stop == "cancelled":
            rows += [
                _row(
                    _("av %(who)s") % {"who": str(CancelledBy(who).label).lower()},
                    n,
                    f"cancelled_by_{who}",
                    2,
                )
                for who, n in ends["cancelled_by"].items()
            ]
    table.groups.append(Group("", rows))
    by_stage = [
        _row(
            state_label(stage),
            sum(counts.values()),
            f"stage_{stage}",
        )
        for stage, counts in ends["by_stage"].items()
    ]
    table.groups.append(Group(_("Efter steg de hade nått"), by_stage))
    reasons = [
        _row(entry["reason"] or _("(ingen orsak angiven)"), entry["count"], f"reason_{i}")
        for i, entry in enumerate(ends["by_reason"])
    ]
    table.groups.append(Group(_("Efter orsak"), reasons))
    return table


def assessments_table(result: dict) -> Table:
    a = result["assessments"]
    table = _table("assessments", _("Första bedömningar"))
    table.note = _(a["definition"])
    rows = [
        _row(_("Bokade under perioden"), a["scheduled"], "scheduled"),
        _row(
            _("kortare än %(minutes)s minuter") % {"minutes": a["minutes"]},
            a["under_minutes"],
            "under_minutes",
            1,
        ),
        _row(_("Avbokade av patienten"), a["cancelled"]["patient"], "cancelled_patient"),
        _row(_("Avbokade av vårdcentralen"), a["cancelled"]["clinic"], "cancelled_clinic"),
    ]
    table.groups.append(Group("", rows))
    return table


def build_tables(result: dict) -> dict[str, Table]:
    tables = [
        offered_table(result),
        stages_table(result),
        improved_table(result),
        ends_table(result),
        assessments_table(result),
    ]
    return {table.key: table for table in tables}


def flat_rows(result: dict) -> list[tuple[str, str, str]]:
    """(table, row, value) for a terminal table."""
    out = []
    for table in build_tables(result).values():
        for group in table.groups:
            for row in group.rows:
                label = f"{group.heading}: {row.label}" if group.heading else row.label
                out.append((table.caption, "  " * row.level + label, row.cells[0].text))
    return out
