"""A chart's signals in plain Swedish words for the indicator page: which of the runs rules
(Anhøj) fired and where, which points lie outside the control limits, and, when nothing did,
that the variation looks random. The numbers are spc.py's; this only words them."""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from painpath.improvement.spc import ChartResult, Phase, Point
from painpath.improvement.states import Direction

FEW_POINTS = 10  # below this the runs rules can hardly find anything


@dataclass(frozen=True)
class Run:
    length: int
    above: bool
    first: str  # labels of its first and last point
    last: str


def longest_run(points: list[Point]) -> Run | None:
    """The longest run of one phase's useful points (included, with a value, off the
    centre line) on one side of the centre line; the latest one when several are as long."""
    best, current = None, []
    for point in points:
        if not point.included or point.y is None or point.cl is None or point.y == point.cl:
            continue
        above = point.y > point.cl
        if current and (current[-1].y > current[-1].cl) != above:
            current = []
        current.append(point)
        if best is None or len(current) >= best.length:
            best = Run(len(current), above, current[0].label, point.label)
    return best


def _centre(result: ChartResult) -> str:
    return _("medianen") if result.chart in ("run", "g") else _("medellinjen")


def _better(above: bool, direction: str | None) -> str:
    if direction not in (Direction.UP, Direction.DOWN):
        return ""
    if above == (direction == Direction.UP):
        return " " + _("Förändringen är åt det håll ni vill.")
    return " " + _("Förändringen är åt fel håll.")


def _run_sentence(result, phase: Phase, points, direction) -> str:
    run = longest_run(points)
    side = _("över") if run and run.above else _("under")
    sentence = _(
        "Ovanligt lång serie: %(run)d punkter i rad %(side)s %(centre)s (gränsen är "
        "%(max)d), från %(first)s till %(last)s – tecken på en verklig förändring."
    ) % {
        "run": phase.longest_run,
        "side": side,
        "centre": _centre(result),
        "max": phase.longest_run_max,
        "first": run.first if run else "",
        "last": run.last if run else "",
    }
    return sentence + (_better(run.above, direction) if run else "")


def _crossings_sentence(result, phase: Phase) -> str:
    return ngettext(
        "För få korsningar: kurvan korsar %(centre)s %(crossings)d gång, men minst "
        "%(min)d väntas av slumpen – tecken på en verklig förändring.",
        "För få korsningar: kurvan korsar %(centre)s %(crossings)d gånger, men minst "
        "%(min)d väntas av slumpen – tecken på en verklig förändring.",
        phase.n_crossings,
    ) % {"centre": _centre(result), "crossings": phase.n_crossings, "min": phase.n_crossings_min}


def _outside_sentence(points: list[Point], direction) -> str:
    labels = ", ".join(point.label for point in points)
    sentence = ngettext(
        "Punkt utanför kontrollgränserna: %(labels)s – en särskild orsak är trolig.",
        "Punkter utanför kontrollgränserna: %(labels)s – en särskild orsak är trolig.",
        len(points),
    ) % {"labels": labels}
    sides = {point.y > point.ucl for point in points if point.ucl is not None}
    if len(sides) == 1:
        sentence += _better(sides.pop(), direction)
    return sentence


def describe(result: ChartResult | None, direction: str | None = None) -> list[str]:
    """The signals of the chart in words, phase by phase; one sentence saying there are none
    when there are none."""
    if result is None:
        return [_("Inga mätvärden ännu: ingen månad har något värde.")]
    sentences = []
    several = len(result.phases) > 1
    for phase in result.phases:
        where = _("Fas %(phase)d: ") % {"phase": phase.phase} if several else ""
        points = [point for point in result.points if point.phase == phase.phase]
        found = []
        if phase.longest_run_signal:
            found.append(_run_sentence(result, phase, points, direction))
        if phase.n_crossings_signal:
            found.append(_crossings_sentence(result, phase))
        outside = [point for point in points if point.sigma_signal]
        if outside:
            found.append(_outside_sentence(outside, direction))
        if phase.n_useful < FEW_POINTS:
            found.append(
                ngettext(
                    "Bara %(n)d användbar punkt: för få för att reglerna ska kunna visa "
                    "något säkert.",
                    "Bara %(n)d användbara punkter: för få för att reglerna ska kunna visa "
                    "något säkert.",
                    phase.n_useful,
                )
                % {"n": phase.n_useful}
            )
        sentences.extend(where + sentence for sentence in found)
    if not any(
        phase.longest_run_signal or phase.n_crossings_signal or phase.sigma_signal
        for phase in result.phases
    ):
        sentences.insert(
            0,
            _("Inga tecken på icke-slumpmässig variation: kurvan varierar som slumpen väntas."),
        )
    return sentences
