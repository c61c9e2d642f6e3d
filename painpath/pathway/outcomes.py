"""One patient's outcomes: for every instrument answered (and submitted) both before the
assessment and at the follow-up, the score before and after, the change, and whether the
change reaches the instrument's minimal important change (instruments.mic).

A change counts as clinically important when it reaches the minimal important change in
points or in percent of the value before (either is enough, where the instrument gives
both), in the instrument's direction: a fall when lower is better, a rise when higher is.
Anything smaller is "no certain change": the instruments' measurement error is of that
order. Instruments without a published minimal important change show the change only.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from painpath.pathway import instruments
from painpath.pathway.indicator_rows import rows_for
from painpath.pathway.indicators import EPSILON, Improvement, improvement
from painpath.pathway.models import Enrolment

IMPROVED, WORSENED, NO_CERTAIN_CHANGE = "improved", "worsened", "no_certain_change"
VERDICTS = {
    IMPROVED: gettext_lazy("Kliniskt betydelsefull förbättring"),
    WORSENED: gettext_lazy("Kliniskt betydelsefull försämring"),
    NO_CERTAIN_CHANGE: gettext_lazy("Ingen säker förändring"),
}

# What each dimension of the indicator's rule was measured with (indicators.improvement).
SOURCES = {
    ("pain", "nrs_pain"): gettext_lazy("NRS smärta"),
    ("pain", "peg3"): gettext_lazy("PEG-3 fråga 1"),
    ("interference", "peg3"): gettext_lazy("PEG-3 fråga 2–3, medelvärde"),
    ("interference", "pdi"): gettext_lazy("PDI"),
}


@dataclass(frozen=True)
class Outcome:
    code: str
    title: str
    before: float
    after: float
    change: float  # after − before
    mic: dict | None  # as instruments.mic gives it
    verdict: str | None  # IMPROVED, WORSENED, NO_CERTAIN_CHANGE; None without a mic

    @property
    def verdict_label(self) -> str:
        return str(VERDICTS[self.verdict]) if self.verdict else ""

    @property
    def mic_text(self) -> str:
        return mic_text(self.mic)

    @property
    def change_text(self) -> str:
        text = _number(round(abs(self.change), 1))
        if self.change > 0:
            return f"+{text}"
        return f"\u2212{text}" if self.change < 0 else text  # a real minus sign


@dataclass(frozen=True)
class PatientOutcomes:
    outcomes: list[Outcome]
    only_before: list[str]  # titles of instruments answered before but not at follow-up
    only_after: list[str]
    indicator: Improvement  # the cohort indicator's rule applied to this patient
    indicator_measures: list[dict]  # its two dimensions, in words, for the page


def judge(before: float, after: float, mic: dict | None) -> str | None:
    """IMPROVED, WORSENED or NO_CERTAIN_CHANGE by the minimal important change; None
    when the instrument has none."""
    if not mic or (mic.get("points") is None and mic.get("percent") is None):
        return None
    change = after - before
    size = abs(change)
    reached = (mic.get("points") is not None and size >= mic["points"] - EPSILON) or (
        mic.get("percent") is not None
        and before != 0
        and size * 100 >= mic["percent"] * abs(before) - EPSILON
    )
    if not reached or change == 0:
        return NO_CERTAIN_CHANGE
    better = change < 0 if mic.get("direction") == "lower_is_better" else change > 0
    return IMPROVED if better else WORSENED


def mic_text(mic: dict | None) -> str:
    """The rule in words, shown beside the verdict."""
    if not mic or (mic.get("points") is None and mic.get("percent") is None):
        return _("Ingen fastställd gräns för betydelsefull förändring")
    parts = []
    if mic.get("points") is not None:
        parts.append(_("%(points)s poäng") % {"points": _number(mic["points"])})
    if mic.get("percent") is not None:
        parts.append(_("%(percent)s %% av värdet före") % {"percent": _number(mic["percent"])})
    better = (
        _("lägre är bättre") if mic.get("direction") == "lower_is_better" else _("högre är bättre")
    )
    return _("Förändring om minst %(rule)s (%(better)s)") % {
        "rule": _(" eller ").join(parts),
        "better": better,
    }


def _number(value) -> str:
    return f"{value:g}".replace(".", ",")


def _title(code: str, clinic) -> str:
    try:
        return instruments.get(code, clinic=clinic).title
    except instruments.UnknownInstrument:
        return code


def _order(clinic) -> list[str]:
    return [inst.code for inst in instruments.for_timepoint("baseline", clinic=clinic)]


def patient_outcomes(enrolment: Enrolment) -> PatientOutcomes:
    (row,) = rows_for([enrolment])
    indicator = improvement(row)
    order = _order(enrolment.clinic)
    both = sorted(
        set(row.baseline) & set(row.follow_up),
        key=lambda code: (order.index(code) if code in order else len(order), code),
    )
    outcomes = []
    for code in both:
        before = row.baseline[code].score.get("total")
        after = row.follow_up[code].score.get("total")
        if before is None or after is None:  # incomplete, or a form without a score
            continue
        mic = _mic(code, enrolment.clinic)
        outcomes.append(
            Outcome(
                code=code,
                title=_title(code, enrolment.clinic),
                before=before,
                after=after,
                change=after - before,
                mic=mic,
                verdict=judge(before, after, mic),
            )
        )
    return PatientOutcomes(
        outcomes=outcomes,
        only_before=[
            _title(code, enrolment.clinic)
            for code in sorted(set(row.baseline) - set(both))
            if _asked_again(code, enrolment.clinic)
        ],
        only_after=[_title(c, enrolment.clinic) for c in sorted(set(row.follow_up) - set(both))],
        indicator=indicator,
        indicator_measures=[
            {
                "label": label,
                "source": str(SOURCES[dimension, m.source]),
                "before": m.before,
                "after": m.after,
                "reached": m.reached,
            }
            for dimension, label, m in (
                ("pain", _("Smärtintensitet"), indicator.pain),
                ("interference", _("Påverkan på dagligt liv"), indicator.interference),
            )
            if m is not None
        ],
    )


def _asked_again(code: str, clinic) -> bool:
    """Whether the instrument belongs at the follow-up too (the history form does not)."""
    try:
        return "follow_up" in instruments.get(code, clinic=clinic).timepoints
    except instruments.UnknownInstrument:
        return True


def _mic(code: str, clinic) -> dict | None:
    try:
        return instruments.mic(instruments.get(code, clinic=clinic))
    except instruments.UnknownInstrument:
        return None
