"""The Vendelsö indicators of the structured pathway, as arithmetic over plain rows.

No Django here (rows come from painpath/pathway/indicator_rows.py), so every rule below is
tested on hand-made rows. `indicators(rows, start, end, today=…)` returns this dict; the keys
are stable (the page, `painpath pathway indicators` and the improvement projects read them):

    {
      "clinics": ["habo", …],             # codes, added by indicator_rows.clinic_indicators
      "period": {"start": "YYYY-MM-DD", "end": "YYYY-MM-DD"},   # both days included
      "as_of": "YYYY-MM-DD",              # the history is read up to this day
      "offered": {                         # enrolments identified in the period
        "label": str, "count": int,
        "by_criterion": {criterion: int},  # every criterion, 0 included
        "by_profession": {profession: int},  # nurse, physician, psychologist always; others seen
        "by_channel": {channel: int},      # every channel, 0 included
      },
      "stages": {                          # of those offered in the period, how far they got
        "definition": str,
        "reached": {"identified": int, "invited": int, "answered": int, "assessed": int,
                    "follow_up_due": int, "followed_up": int},
      },
      "improved": {                        # among enrolments followed up in the period
        "label": str, "definition": str,
        "followed_up": int,                # all followed up in the period
        "measurable": int,                 # the denominator
        "improved": int,                   # the numerator
        "not_improved": int,
        "not_measurable": int,             # without both measurements: never "not improved"
        "share": float | None,             # improved / measurable, 4 decimals; None if 0/0
        "by_rule": {"pain": int, "interference": int},  # improved by each rule (may overlap)
      },
      "ends": {                            # pathways that ended without follow-up in the period
        "definition": str, "count": int,
        "declined": int, "cancelled": int, "dropped_out": int,
        "cancelled_by": {"patient": int, "clinic": int},   # of the cancelled
        "by_stage": {stage: {"declined": int, "cancelled": int, "dropped_out": int}},
        "by_reason": [{"reason": str | None, "count": int}],  # most frequent first
      },
      "assessments": {                     # first assessments whose time is in the period
        "definition": str, "minutes": 45,
        "scheduled": int,                  # booked and not cancelled
        "under_minutes": int,              # of those, booked shorter than `minutes`
        "cancelled": {"patient": int, "clinic": int},
      },
    }

The rules, in words:
- An enrolment is *offered* on the day of its first history row (identified).
- A stage is *reached* when the history (up to `as_of`) ever went to it or beyond, along
  identified → invited → answered → assessed → follow_up_due → followed_up: answers on
  paper without a link count as invited too, since the patient had the questionnaires.
- An *end* is the last change in the period to declined, cancelled or dropped out; its
  stage is the state the history was in just before (the state before the end).
- *Improved*: see IMPROVED_DEFINITION; the thresholds are the instruments' minimal
  important changes (instruments.mic, checked equal by the tests).
"""

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date


def _(text: str) -> str:
    """Marks text for the translation catalogue; the page translates it where it shows it."""
    return text


# The pathway's vocabulary, as in painpath/pathway/states.py (which imports Django; the
# tests check these agree).
WAY = ("identified", "invited", "answered", "assessed", "follow_up_due", "followed_up")
STOPS = ("declined", "cancelled", "dropped_out")
CRITERIA = ("new_long_pain", "not_assessed_2_years", "second_opinion")
CHANNELS = ("phone", "digital", "visit")
IDENTIFYING_PROFESSIONS = ("nurse", "physician", "psychologist")
CANCELLED_BY = ("patient", "clinic")
ASSESSMENT_MINUTES = 45


@dataclass(frozen=True)
class Mic:
    """A minimal important change: reached by a fall of `points` or of `percent` of the
    value before (either one is enough)."""

    points: float | None = None
    percent: float | None = None

    def reached_by_fall(self, before: float, after: float) -> bool:
        fall = before - after
        if fall <= 0:
            return False
        by_points = self.points is not None and fall >= self.points - EPSILON
        by_percent = (
            self.percent is not None
            and before > 0
            and fall * 100 >= self.percent * before - EPSILON
        )
        return by_points or by_percent


EPSILON = 1e-9  # 5.5 → 3.85 is a fall of exactly 30 %, whatever binary floats make of it

# Pain intensity: NRS pain, else PEG-3's pain item (the same 0–10 scale).
PAIN_MIC = Mic(points=2, percent=30)  # Farrar 2001
# Interference with daily life: PEG-3's two interference items (mean), else the PDI total.
PEG_INTERFERENCE_MIC = Mic(percent=30)
PDI_MIC = Mic(points=9)
PEG_PAIN_ITEM = "1"  # item ids as in painpath/pathway/instruments/data/peg3.json
PEG_INTERFERENCE_ITEMS = ("2", "3")  # enjoyment of life, general activity

OFFERED_LABEL = _("Antal patienter som erbjudits strukturerat omhändertagande")
IMPROVED_LABEL = _(
    "Andel personer av de som inkluderats som upplever minskad smärta och/eller minskad "
    "påverkan på det dagliga livet"
)
IMPROVED_DEFINITION = _(
    "Bland patienter som följts upp under perioden: andelen vars smärtintensitet (NRS smärta, "
    "annars PEG-3 fråga 1) minskat med minst 2 steg eller minst 30 %, och/eller vars "
    "påverkan på dagligt liv minskat med minst den minsta betydelsefulla förändringen "
    "(medelvärdet av PEG-3 fråga 2–3 med minst 30 %, annars PDI med minst 9 poäng), mellan "
    "formulären före bedömningen och vid uppföljningen. Nämnare: de som har samma mått vid "
    "båda tillfällena; övriga räknas som ej mätbara, inte som ej förbättrade."
)
STAGES_DEFINITION = _(
    "Av patienterna som erbjudits under perioden: hur många som nått varje steg hittills "
    "(eller ett senare steg)."
)
ENDS_DEFINITION = _(
    "Förlopp som avslutats utan uppföljning under perioden, efter steget de hade nått när de "
    "avslutades."
)
ASSESSMENTS_DEFINITION = _(
    "Första bedömningar med tid under perioden (ej avbokade), och hur många som bokats "
    "kortare än 45 minuter."
)


@dataclass(frozen=True)
class Change:
    """One row of an enrolment's history."""

    on: date
    from_state: str
    to_state: str
    cancelled_by: str = ""
    reason: str = ""


@dataclass(frozen=True)
class Answered:
    """One instrument's submitted answers at one timepoint, and their score."""

    answers: Mapping[str, object]
    score: Mapping[str, object]


@dataclass(frozen=True)
class Booking:
    """A first assessment."""

    on: date
    length_minutes: int
    cancelled_by: str = ""  # "patient" or "clinic" when cancelled


@dataclass(frozen=True)
class EnrolmentRow:
    id: int
    clinic: str
    criterion: str
    profession: str  # who identified the patient
    channel: str
    history: tuple[Change, ...]  # in the order it happened
    baseline: Mapping[str, Answered] = field(default_factory=dict)  # instrument code → …
    follow_up: Mapping[str, Answered] = field(default_factory=dict)
    assessments: tuple[Booking, ...] = ()

    @property
    def enrolled_on(self) -> date:
        return self.history[0].on


@dataclass(frozen=True)
class Measure:
    """One dimension of the improved rule for one patient: which measure, before and after,
    and whether the fall reaches its minimal important change."""

    source: str  # "nrs_pain", "peg3" or "pdi"
    before: float
    after: float
    reached: bool


@dataclass(frozen=True)
class Improvement:
    pain: Measure | None
    interference: Measure | None

    @property
    def measurable(self) -> bool:
        return self.pain is not None or self.interference is not None

    @property
    def improved(self) -> bool | None:
        """True/False, or None when there is nothing to compare (not measurable)."""
        if not self.measurable:
            return None
        return any(m is not None and m.reached for m in (self.pain, self.interference))


def improvement(row: EnrolmentRow) -> Improvement:
    """The improved rule for one enrolment, from its baseline and follow-up answers."""
    pain = _first(
        _measure("nrs_pain", row, _total, PAIN_MIC),
        _measure("peg3", row, _item(PEG_PAIN_ITEM), PAIN_MIC),
    )
    interference = _first(
        _measure("peg3", row, _mean_of(PEG_INTERFERENCE_ITEMS), PEG_INTERFERENCE_MIC),
        _measure("pdi", row, _total, PDI_MIC),
    )
    return Improvement(pain=pain, interference=interference)


def _first(*measures: Measure | None) -> Measure | None:
    return next((m for m in measures if m is not None), None)


def _measure(code: str, row: EnrolmentRow, value, mic: Mic) -> Measure | None:
    if code not in row.baseline or code not in row.follow_up:
        return None
    before, after = value(row.baseline[code]), value(row.follow_up[code])
    if before is None or after is None:
        return None
    return Measure(code, before, after, mic.reached_by_fall(before, after))


def _number(value) -> float | None:
    if isinstance(value, bool) or value is None or value == "":
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _total(answered: Answered) -> float | None:
    if answered.score.get("complete") is False:  # a total of some items only is not the total
        return None
    return _number(answered.score.get("total"))


def _item(item_id: str):
    return lambda answered: _number(answered.answers.get(item_id))


def _mean_of(item_ids: tuple[str, ...]):
    def mean(answered: Answered) -> float | None:
        values = [_number(answered.answers.get(i)) for i in item_ids]
        if any(v is None for v in values):
            return None
        return sum(values) / len(values)

    return mean


def _in(day: date, start: date, end: date) -> bool:
    return start <= day <= end


def _reached(row: EnrolmentRow, as_of: date) -> int:
    """The index in WAY of the furthest stage the history reached by `as_of`."""
    return max(
        (WAY.index(c.to_state) for c in row.history if c.on <= as_of and c.to_state in WAY),
        default=0,
    )


def _share(numerator: int, denominator: int) -> float | None:
    return round(numerator / denominator, 4) if denominator else None


def offered(rows: list[EnrolmentRow]) -> dict:
    professions = Counter(row.profession for row in rows)
    return {
        "label": OFFERED_LABEL,
        "count": len(rows),
        "by_criterion": _counts(CRITERIA, (row.criterion for row in rows)),
        "by_profession": {p: professions.get(p, 0) for p in IDENTIFYING_PROFESSIONS}
        | {p: n for p, n in sorted(professions.items()) if p not in IDENTIFYING_PROFESSIONS},
        "by_channel": _counts(CHANNELS, (row.channel for row in rows)),
    }


def _counts(keys: tuple[str, ...], values: Iterable[str]) -> dict[str, int]:
    found = Counter(values)
    return {key: found.get(key, 0) for key in keys}


def stages(rows: list[EnrolmentRow], as_of: date) -> dict:
    furthest = [_reached(row, as_of) for row in rows]
    return {
        "definition": STAGES_DEFINITION,
        "reached": {stage: sum(f >= i for f in furthest) for i, stage in enumerate(WAY)},
    }


def improved(rows: list[EnrolmentRow]) -> dict:
    results = [improvement(row) for row in rows]
    measurable = [r for r in results if r.measurable]
    n_improved = sum(bool(r.improved) for r in measurable)
    return {
        "label": IMPROVED_LABEL,
        "definition": IMPROVED_DEFINITION,
        "followed_up": len(results),
        "measurable": len(measurable),
        "improved": n_improved,
        "not_improved": len(measurable) - n_improved,
        "not_measurable": len(results) - len(measurable),
        "share": _share(n_improved, len(measurable)),
        "by_rule": {
            "pain": sum(bool(r.pain and r.pain.reached) for r in results),
            "interference": sum(bool(r.interference and r.interference.reached) for r in results),
        },
    }


def ends(rows: list[EnrolmentRow], start: date, end: date) -> dict:
    last_ends = []
    for row in rows:
        in_period = [c for c in row.history if c.to_state in STOPS and _in(c.on, start, end)]
        if in_period:
            last_ends.append(in_period[-1])
    by_state = Counter(c.to_state for c in last_ends)
    by_stage = {
        stage: {stop: 0 for stop in STOPS} for stage in WAY[:-1]
    }  # nothing ends after follow-up
    for c in last_ends:
        by_stage.setdefault(c.from_state, {stop: 0 for stop in STOPS})[c.to_state] += 1
    reasons, spelling = Counter(), {}
    for c in last_ends:  # "Orkar inte" and "orkar inte " are one reason, as first written
        key = " ".join(c.reason.split()).casefold() or None
        spelling.setdefault(key, " ".join(c.reason.split()) or None)
        reasons[key] += 1
    cancelled = [c for c in last_ends if c.to_state == "cancelled"]
    return {
        "definition": ENDS_DEFINITION,
        "count": len(last_ends),
        **{stop: by_state.get(stop, 0) for stop in STOPS},
        "cancelled_by": _counts(CANCELLED_BY, (c.cancelled_by for c in cancelled)),
        "by_stage": by_stage,
        "by_reason": [
            {"reason": spelling[key], "count": n}
            # most frequent first, then in alphabetical order; no reason given last
            for key, n in sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0] or "\uffff"))
        ],
    }


def assessments(rows: list[EnrolmentRow], start: date, end: date) -> dict:
    bookings = [b for row in rows for b in row.assessments if _in(b.on, start, end)]
    kept = [b for b in bookings if not b.cancelled_by]
    return {
        "definition": ASSESSMENTS_DEFINITION,
        "minutes": ASSESSMENT_MINUTES,
        "scheduled": len(kept),
        "under_minutes": sum(b.length_minutes < ASSESSMENT_MINUTES for b in kept),
        "cancelled": _counts(CANCELLED_BY, (b.cancelled_by for b in bookings if b.cancelled_by)),
    }


def followed_up_in(row: EnrolmentRow, start: date, end: date) -> bool:
    return any(c.to_state == "followed_up" and _in(c.on, start, end) for c in row.history)


def indicators(rows: Iterable[EnrolmentRow], start: date, end: date, *, today: date) -> dict:
    """Every indicator for the period `start`–`end` (both included), from all the rows of
    the clinic(s) (the rows are filtered here, so pass them all)."""
    if start > end:
        raise ValueError(f"start {start} is after end {end}")
    rows = [row for row in rows if row.history]
    cohort = [row for row in rows if _in(row.enrolled_on, start, end)]
    return {
        "period": {"start": start.isoformat(), "end": end.isoformat()},
        "as_of": today.isoformat(),
        "offered": offered(cohort),
        "stages": stages(cohort, today),
        "improved": improved([row for row in rows if followed_up_in(row, start, end)]),
        "ends": ends(rows, start, end),
        "assessments": assessments(rows, start, end),
    }
