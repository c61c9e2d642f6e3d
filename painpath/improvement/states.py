"""The improvement domain's vocabularies and rules (the region's template, Vendelsö's seed,
and shared/spec/qi.md).

- A project is the region's two-part template: part 1, the plan, due 28 February of its
  year; part 2, the final report, due 31 January the year after. Its files are named
  "<Unit> <theme> <year> del 1" and "<Unit> <theme> <year> del 1 och 2".
- An indicator's name starts with "Antal" (a count) or "Andel" (a share); its kind is
  outcome, process or balancing (a family of measures). A share is measured as numerator
  over denominator, never from a rounded percentage; its start value, target and result
  are entered and shown in percent, as the template asks ("% eller antal").
- An indicator is computed from painpath's own data (a key of improvement/catalogue.py) or
  entered by hand; either way it has one measurement per calendar month, each with its
  numerator and denominator, or a note that says why there is no value (never a 0 in its
  place).
- A PDSA cycle is planned, done, studied and acted on, in that order; its act is to adopt,
  adapt or abandon the change. It belongs to one idea of the project and may concern
  several indicators; on their charts it is drawn at the month it started.
"""

from datetime import date

from django.db import models
from django.utils.translation import gettext_lazy as _

NAME_PREFIXES = ("Antal", "Andel")


class IndicatorKind(models.TextChoices):
    OUTCOME = "outcome", _("Utfallsmått")
    PROCESS = "process", _("Processmått")
    BALANCING = "balancing", _("Balanserande mått")


class Direction(models.TextChoices):
    UP = "up", _("Högre är bättre")
    DOWN = "down", _("Lägre är bättre")


class ChartType(models.TextChoices):
    RUN = "run", _("Seriediagram (run chart)")
    P = "p", _("P-diagram (andel)")
    PP = "pp", _("P′-diagram (andel, stora nämnare)")
    C = "c", _("C-diagram (antal)")
    U = "u", _("U-diagram (antal per enhet)")
    UP = "up", _("U′-diagram (antal per enhet, stora nämnare)")
    I = "i", _("I-diagram (enskilda värden)")  # noqa: E741 - the chart's name
    MR = "mr", _("MR-diagram (skillnaden från månaden före)")
    G = "g", _("G-diagram (antal mellan sällsynta händelser)")


# The charts that fit an indicator (shared/spec/qi.md): an Andel is a proportion, an Antal a
# count or a measured value. A count per unit (U, U′) needs every month's denominator, its
# exposure (listed patients, bed days …), which only a hand-entered indicator can give.
SHARE_CHARTS = (ChartType.RUN, ChartType.P, ChartType.PP)
COUNT_CHARTS = (
    ChartType.RUN, ChartType.C, ChartType.U, ChartType.UP, ChartType.I, ChartType.MR, ChartType.G
)  # fmt: skip
EXPOSURE_CHARTS = (ChartType.U, ChartType.UP)


class Act(models.TextChoices):
    ADOPT = "adopt", _("Införa")
    ADAPT = "adapt", _("Anpassa")
    ABANDON = "abandon", _("Överge")


class Source(models.TextChoices):
    COMPUTED = "computed", _("Beräknad ur painpaths data")
    MANUAL = "manual", _("Inmatad för hand")


def part1_deadline(year: int) -> date:
    return date(year, 2, 28)


def part2_deadline(year: int) -> date:
    return date(year + 1, 1, 31)


def document_name(unit: str, theme: str, year: int, part2: bool) -> str:
    """The file name the region asks for (without extension)."""
    return f"{unit} {theme} {year} {'del 1 och 2' if part2 else 'del 1'}"


# The template's advice (shown, never enforced): a team of 2–5 people from several
# professions, and 2–5 indicators.
TEAM_RECOMMENDED = (2, 5)
INDICATORS_RECOMMENDED = (2, 5)


def team_as_advised(professions: list[str]) -> bool:
    low, high = TEAM_RECOMMENDED
    several = len({p.strip().casefold() for p in professions if p.strip()}) >= 2
    return low <= len(professions) <= high and several


def indicators_as_advised(count: int) -> bool:
    low, high = INDICATORS_RECOMMENDED
    return low <= count <= high
