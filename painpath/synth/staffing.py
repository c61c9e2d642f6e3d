"""The staff of a synthetic clinic: posts, the people who hold them, and who covers for whom.

Staffing follows a Swedish vårdcentral of about 10,600 listed patients (Habo): eight
physician posts (ST and AT among them), eight nurses, three assistant nurses, three
physiotherapists, two occupational therapists, a psychologist (and a PTP psychologist from
2022), a counsellor, a rehab coordinator and a dietitian. Other sizes scale the number of
posts, never below one (two for physicians and physiotherapists, whom the cohort story needs
in pairs).

A few people change during the period, as they do: an ST and an AT physician finish and are
replaced, a district nurse retires, and in 2024 a physician leaves and a colleague takes over
their patients (the Habo follow-up mentions exactly that). `staff.csv` has no dates, so these
changes show only in who registers what, and when.
"""

import random
from dataclasses import dataclass

from painpath.synth.identity import staff_names
from painpath.synth.timeline import PERIOD_END, day, draw, weight_table

LEAVING_DAY = day(2024, 4, 30)  # the physician who leaves; the Habo follow-up's handover
_OPEN = (None, None)

# Each post is the people who hold it in turn: (label in staff.csv, first day, last day).
# The first post of a profession is filled all period; posts further down go first when a
# smaller clinic has fewer of them.
POSTS: dict[str, list[list[tuple[str, int | None, int | None]]]] = {
    "physician": [
        [("läkare", *_OPEN)],
        [("läkare", None, LEAVING_DAY)],  # leaves; the first post takes over the patients
        [("allmänläkare", *_OPEN)],
        [("ST-läkare", None, day(2022, 8, 31)), ("ST-läkare", day(2022, 9, 1), None)],
        [("läkare", *_OPEN)],
        [("ST-läkare", *_OPEN)],
        [("AT-läkare", None, day(2022, 2, 28)), ("AT-läkare", day(2022, 3, 1), None)],
        [("läkare", *_OPEN)],
    ],
    "nurse": [
        [("distriktssköterska", *_OPEN)],
        [("sjuksköterska", *_OPEN)],
        [("distriktssköterska", None, day(2021, 6, 30)), ("sjuksköterska", day(2021, 8, 16), None)],
        [("distriktssköterska", *_OPEN)],
        [("sjuksköterska", *_OPEN)],
        [("distriktssköterska", *_OPEN)],
        [("sjuksköterska", *_OPEN)],
        [("sjuksköterska", *_OPEN)],
    ],
    "assistant_nurse": [[("undersköterska", *_OPEN)]] * 3,
    "physiotherapist": [[("fysioterapeut", *_OPEN)]] * 3,
    "occupational_therapist": [[("arbetsterapeut", *_OPEN)]] * 2,
    "psychologist": [[("psykolog", *_OPEN)], [("PTP-psykolog", day(2022, 9, 1), None)]],
    "counsellor": [[("kurator", *_OPEN)]],
    "rehab_coordinator": [[("rehabkoordinator", *_OPEN)]],
    "dietitian": [[("dietist", *_OPEN)]],
}
_MIN_POSTS = {"physician": 2, "physiotherapist": 2}
_TRAINEE_WEIGHT = {"ST-läkare": 0.7, "AT-läkare": 0.4, "PTP-psykolog": 0.6}

# Other ways extracts write each profession: used where a row fills in its own profession.
LABEL_VARIANTS = {
    "physician": ("Läkare", "läkare", "Allmänläkare"),
    "nurse": ("Sjuksköterska", "Distriktssköterska", "sjuksköterska"),
    "assistant_nurse": ("Undersköterska", "undersköterska"),
    "physiotherapist": ("Fysioterapeut", "Fysioterapeut/sjukgymnast", "sjukgymnast"),
    "occupational_therapist": ("Arbetsterapeut",),
    "psychologist": ("Psykolog",),
    "counsellor": ("Kurator",),
    "rehab_coordinator": ("Rehabkoordinator",),
    "dietitian": ("Dietist",),
}


@dataclass(eq=False, slots=True)
class Caregiver:
    caregiver_id: str
    profession: str  # canonical code (records.professions)
    label: str  # as written in staff.csv
    name: str
    first_day: int | None  # None: there before the extract starts
    last_day: int | None  # None: still there when it ends
    weight: float = 1.0  # share of the profession's work, trainees less
    successor: "Caregiver | None" = None  # who takes over the patients when they leave

    def active(self, on: int) -> bool:
        return (self.first_day is None or self.first_day <= on) and (
            self.last_day is None or on <= self.last_day
        )

    def window(self, first: int, last: int) -> tuple[int, int] | None:
        """The part of first..last that they work, or None."""
        start = first if self.first_day is None else max(first, self.first_day)
        end = last if self.last_day is None else min(last, self.last_day)
        return (start, end) if start <= end else None


class Roster:
    def __init__(self, caregivers: list[Caregiver], leaver: Caregiver | None) -> None:
        self.caregivers = caregivers
        self.leaver = leaver
        self.by_profession: dict[str, list[Caregiver]] = {}
        self._on_duty: dict[tuple[str, int], tuple[list[Caregiver], list[float]] | None] = {}
        for caregiver in caregivers:
            self.by_profession.setdefault(caregiver.profession, []).append(caregiver)

    def working(self, profession: str, on: int) -> list[Caregiver]:
        return [c for c in self.by_profession.get(profession, ()) if c.active(on)]

    def pick(self, rng: random.Random, profession: str, on: int) -> Caregiver | None:
        """Someone of the profession at work that day, trainees less often."""
        key = (profession, on)
        table = self._on_duty.get(key, False)
        if table is False:  # cached: called for most of the clinic's rows
            working = self.working(profession, on)
            table = self._on_duty[key] = (
                weight_table({c: c.weight for c in working}) if working else None
            )
        return None if table is None else draw(rng, table)

    def covering(self, caregiver: Caregiver, on: int) -> Caregiver:
        """Who holds the caregiver's patients that day: they, or whoever took over."""
        while not caregiver.active(on) and caregiver.successor is not None:
            if caregiver.first_day is not None and on < caregiver.first_day:
                break
            caregiver = caregiver.successor
        return caregiver

    def list_doctors(self) -> list[Caregiver]:
        """Physicians who hold patient lists (fast läkare): not AT physicians on rotation."""
        return [c for c in self.by_profession["physician"] if c.label != "AT-läkare"]


def build_roster(rng: random.Random, scale: float, clinic_id: str) -> Roster:
    posts: list[tuple[str, list[tuple[str, int | None, int | None]]]] = []
    for profession, template in POSTS.items():
        wanted = max(_MIN_POSTS.get(profession, 1), round(len(template) * scale))
        for index in range(wanted):
            if index < len(template):
                posts.append((profession, template[index]))
            else:  # a larger clinic: more of the profession's first kind of post
                posts.append((profession, [(template[0][0][0], *_OPEN)]))
    holders = sum(len(people) for _, people in posts)
    names = iter(staff_names(rng, holders))
    caregivers: list[Caregiver] = []
    leaver = None
    first_in_profession: dict[str, Caregiver] = {}
    for profession, people in posts:
        previous = None
        for label, first_day, last_day in people:
            caregiver = Caregiver(
                caregiver_id=f"hsa-{clinic_id}-{len(caregivers) + 1:04d}",
                profession=profession,
                label=label,
                name=next(names),
                first_day=first_day,
                last_day=last_day,
                weight=_TRAINEE_WEIGHT.get(label, 1.0),
            )
            if previous is not None:
                previous.successor = caregiver
            previous = caregiver
            caregivers.append(caregiver)
            first_in_profession.setdefault(profession, caregiver)
        if previous is not None and previous.last_day is not None:
            if previous.last_day < PERIOD_END and profession == "physician":
                leaver = previous
            previous.successor = first_in_profession[profession]
    return Roster(caregivers, leaver)
