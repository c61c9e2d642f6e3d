"""The long-term pain cohort, planned explicitly so the deep-dive tells the Habo story.

Who had R52.2 registered, by which professions and caregivers, how often they came, and who
was on sick leave for it, are decided here first, from the tables of the Habo report
(shared/seeds: 2020-2023 and the 2024-01-01..2024-10-31 follow-up). The rest of the clinic is
random around them. At another clinic size every table is scaled (largest remainder), so a
small clinic has a small cohort of the same shape.

Two figures in the report do not add up, and the tables below follow its detail over its
summaries: 2020-2023 has 102 single-profession patients but the per-profession totals
imply 103 (so physiotherapists are 27, not 28); 2024 lists 33 patients but its professions
and combinations need 34 (so physicians are 25, not 26).
"""

import math
import random
from dataclasses import dataclass

from painpath.synth.population import Patient
from painpath.synth.staffing import LEAVING_DAY, Caregiver, Roster
from painpath.synth.timeline import (
    BASELINE_END,
    FOLLOW_UP_START,
    PERIOD_END,
    PERIOD_START,
    apportion,
    workday,
)

HABO_LISTED = 10600
HANDOVER = {"physician": 2}  # 2024: the physician who left, then the colleague taking over

# (professions that registered R52.2, with how many caregivers of each) -> patients.
BASELINE_PROFILES: list[tuple[dict[str, int], int]] = [
    ({"physician": 1}, 71),
    ({"physician": 2}, 14),
    ({"physiotherapist": 1}, 10),
    ({"physiotherapist": 2}, 1),
    ({"occupational_therapist": 1}, 3),
    ({"nurse": 1}, 3),
    ({"physician": 1, "physiotherapist": 1}, 9),
    ({"occupational_therapist": 1, "physician": 1}, 3),
    ({"nurse": 1, "physician": 1}, 2),
    ({"occupational_therapist": 1, "physiotherapist": 1}, 1),
    ({"occupational_therapist": 1, "physician": 1, "physiotherapist": 1}, 2),
    ({"nurse": 1, "physician": 1, "physiotherapist": 1}, 2),
    ({"assistant_nurse": 1, "nurse": 1, "physician": 1}, 1),
    ({"nurse": 1, "occupational_therapist": 1, "physician": 1, "physiotherapist": 1}, 1),
    (
        {"occupational_therapist": 1, "physician": 1, "physiotherapist": 1, "psychologist": 1},
        1,
    ),
]
FOLLOW_UP_PROFILES: list[tuple[dict[str, int], int]] = [
    ({"physician": 1}, 19),
    (HANDOVER, 2),
    ({"physiotherapist": 1}, 5),
    ({"occupational_therapist": 1}, 2),
    ({"assistant_nurse": 1}, 1),
    ({"rehab_coordinator": 1}, 1),
    ({"physician": 1, "physiotherapist": 1}, 3),
    ({"nurse": 1, "physician": 1}, 1),
]
BASELINE_WOMEN = 77 / 124
LOW_ATTENDERS = 18  # cohort patients with at most 10 contacts in 2020-2023 (124 - 106)
TOP_ATTENDERS = (380, 359)  # the clinic's two most frequent attenders: 739 contacts together
# Frequent attenders outside the cohort, ranks 3-10 of the clinic in 2020-2023.
HEAVY_USERS = (330, 300, 275, 255, 240, 225, 210, 195)
MAX_OTHER_CONTACTS = 170  # every other cohort patient stays below the heavy users
FOLLOW_UP_RETURNING = 0.7  # share of the 2024 cohort that was already in it in 2020-2023
# R52.2 sick-leave spells 2020-2023 (two women, four men): one of a year, five under 90 days.
SICK_LEAVE_SPELLS = (("M", 365), ("M", 83), ("K", 61), ("M", 45), ("K", 28), ("M", 14))
_CERTIFICATE_CHUNKS = {
    365: ((28, 100), (35, 100), (60, 75), (91, 50), (91, 50), (60, 25)),
    83: ((21, 100), (62, 50)),
    61: ((30, 100), (31, 100)),
    45: ((14, 100), (31, 50)),
    28: ((14, 100), (14, 100)),
    14: ((14, 100),),
}
R522_FORMS = ("R522", "R52.2", "r52.2", "R52.2A", "R522B", "R52.2B", "R52.2C")
_R522_WEIGHTS = (35, 30, 5, 10, 8, 7, 5)


@dataclass(slots=True)
class Registration:
    """An R52.2 set at a contact: the activity generator makes the contact around it."""

    on: int
    caregiver: Caregiver
    code: str  # as written in the extract


@dataclass(slots=True)
class Certificate:
    patient: Patient
    start: int
    end: int
    code: str
    extent: int
    caregiver: Caregiver


@dataclass
class CohortPlan:
    baseline: list[Patient]
    follow_up: list[Patient]
    heavy_users: list[Patient]
    certificates: list[Certificate]


def r522(rng: random.Random) -> str:
    return rng.choices(R522_FORMS, weights=_R522_WEIGHTS)[0]


def plan_cohort(
    rng: random.Random, patients: list[Patient], roster: Roster, scale: float
) -> CohortPlan:
    """Choose and shape the cohort; `scale` is the clinic's size relative to Habo."""
    eligible = [p for p in patients if p.listed_throughout()]
    baseline_profiles = _scaled(rng, BASELINE_PROFILES, scale)
    baseline = _choose_baseline(rng, eligible, len(baseline_profiles))
    profiles = dict(zip(baseline, baseline_profiles, strict=False))  # a small pool: fewer

    follow_profiles = _scaled(rng, FOLLOW_UP_PROFILES, scale)
    follow_up, follow = _choose_follow_up(rng, eligible, profiles, follow_profiles, roster)

    members = set(baseline) | set(follow_up)
    for patient in baseline + [p for p in follow_up if p not in profiles]:
        patient.conditions += ("long_term_pain",)
    outsiders = [p for p in eligible if p not in members and p.age_on(BASELINE_END) >= 60]
    heavy = _weighted_sample(
        rng, outsiders, round(len(HEAVY_USERS) * scale), lambda p: 1 + len(p.conditions)
    )
    for index, patient in enumerate(heavy):
        target = HEAVY_USERS[index] if index < len(HEAVY_USERS) else rng.randint(180, 330)
        patient.contact_targets = (target, _follow_up_contacts(rng, target))

    _register_baseline(rng, profiles, roster)
    _register_follow_up(rng, follow, roster)
    _set_contact_targets(rng, baseline, follow_up, profiles, scale)
    certificates = _sick_leave(rng, baseline, profiles, scale, roster)
    return CohortPlan(baseline, follow_up, heavy, certificates)


def _scaled(rng, profiles, scale) -> list[dict[str, int]]:
    counts = apportion(rng, [n for _, n in profiles], round(sum(n for _, n in profiles) * scale))
    expanded = [profile for (profile, _), n in zip(profiles, counts, strict=True) for _ in range(n)]
    rng.shuffle(expanded)
    return expanded


def _pain_weight(patient: Patient) -> float:
    """How likely long-term pain is by age: rare in young adults, most common at 50-70."""
    age = patient.age_on(BASELINE_END)
    weight = 0.4 if age < 35 else 1.0 if age < 50 else 1.5 if age < 70 else 1.0 if age < 80 else 0.6
    return weight * (2.0 if "back_pain" in patient.conditions else 1.0)


def _weighted_sample(rng, population, k, weight) -> list:
    """k without replacement, chance by weight (Efraimidis-Spirakis keys)."""
    keyed = sorted(population, key=lambda p: rng.random() ** (1 / weight(p)), reverse=True)
    return keyed[:k]


def _choose_baseline(rng, eligible, size) -> list[Patient]:
    born = [p for p in eligible if 1932 <= p.birth_year <= 1995]
    chosen: list[Patient] = []
    if size >= 20:  # the report's age span: the oldest born 1932, the youngest 1995
        for year, sex in ((1932, "K"), (1995, "M")):
            candidates = [p for p in born if p.birth_year == year and p.sex == sex]
            if candidates:
                chosen.append(rng.choice(candidates))
    chosen += _women_and_men(rng, [p for p in born if p not in chosen], size, chosen)
    rng.shuffle(chosen)
    return chosen


def _women_and_men(rng, pool, size, already=()) -> list[Patient]:
    """`size` patients (counting `already`), women and men as in the Habo cohort."""
    women = round(size * BASELINE_WOMEN)
    chosen = []
    for sex, wanted in (("K", women), ("M", size - women)):
        wanted -= sum(1 for p in already if p.sex == sex)
        same_sex = [p for p in pool if p.sex == sex]
        chosen += _weighted_sample(rng, same_sex, max(0, wanted), _pain_weight)
    return chosen


def _choose_follow_up(rng, eligible, profiles, follow_profiles, roster):
    returning = round(len(follow_profiles) * FOLLOW_UP_RETURNING)
    handovers = sum(1 for profile in follow_profiles if profile is HANDOVER)
    if roster.leaver is None:  # no physician leaves at this size: no handover to show
        handovers = 0
    with_physician = [p for p in profiles if "physician" in profiles[p]]
    old = rng.sample(with_physician, min(handovers, len(with_physician)))
    rest = [p for p in profiles if p not in old]
    old += rng.sample(rest, min(len(rest), max(0, returning - len(old))))
    newcomers = [p for p in eligible if p not in profiles and 1932 <= p.birth_year <= 2000]
    new = _women_and_men(rng, newcomers, len(follow_profiles), old)
    ordinary = [profile for profile in follow_profiles if profile is not HANDOVER]
    ordinary += [{"physician": 1}] * (sum(p is HANDOVER for p in follow_profiles) - handovers)
    follow = dict.fromkeys(old[:handovers], HANDOVER)
    follow |= dict(zip(old[handovers:] + new, ordinary, strict=False))  # a small pool: fewer
    for patient in old[:handovers]:
        patient.gp = roster.leaver
    return old + new, follow


def _throughout(caregiver: Caregiver, first: int, last: int) -> bool:
    return caregiver.window(first, last) == (first, last)


def _register(rng, patient, caregiver, first, last, count) -> None:
    window = caregiver.window(first, last)
    for _ in range(count if window else 0):
        on = workday(rng, *window)
        patient.registrations.append(Registration(on, caregiver, r522(rng)))


def _others(rng, roster, profession, first, last, count, exclude=()) -> list[Caregiver]:
    staff = [
        c
        for c in roster.by_profession.get(profession, ())
        if c.window(first, last) and c not in exclude
    ]
    return rng.sample(staff, min(count, len(staff)))


def _register_baseline(rng, profiles, roster) -> None:
    first, last = PERIOD_START, BASELINE_END
    steady = [c for c in roster.list_doctors() if _throughout(c, first, last)]
    for patient, profile in profiles.items():
        for profession, count in profile.items():
            if profession == "physician":
                if patient.gp is None or not _throughout(patient.gp, first, last):
                    patient.gp = rng.choice(steady)
                _register(rng, patient, patient.gp, first, last, 1 + _small(rng, 1.2))
                for other in _others(rng, roster, profession, first, last, count - 1, [patient.gp]):
                    _register(rng, patient, other, first, last, 1 + _small(rng, 0.5))
            else:
                for caregiver in _others(rng, roster, profession, first, last, count):
                    _register(rng, patient, caregiver, first, last, 1 + _small(rng, 0.4))


def _register_follow_up(rng, follow, roster) -> None:
    first, last = FOLLOW_UP_START, PERIOD_END
    for patient, profile in follow.items():
        if profile is HANDOVER:
            leaver = roster.leaver
            _register(rng, patient, leaver, first + 7, LEAVING_DAY - 3, 1 + _small(rng, 0.3))
            _register(rng, patient, leaver.successor, LEAVING_DAY + 7, last, 1 + _small(rng, 0.3))
            continue
        for profession, count in profile.items():
            if profession == "physician":
                physician = roster.covering(patient.gp, last)
                if not physician.active(last):
                    physician = roster.pick(rng, "physician", last)
                patient.gp = physician
                _register(rng, patient, physician, first, last, 1 + _small(rng, 0.5))
            else:
                for caregiver in _others(rng, roster, profession, first, last, count):
                    _register(rng, patient, caregiver, first, last, 1 + _small(rng, 0.2))


def _small(rng: random.Random, mean: float) -> int:
    """A small count with the given mean (geometric), for repeat registrations."""
    return int(math.log(1 - rng.random()) / math.log(mean / (1 + mean))) if mean > 0 else 0


def _follow_up_contacts(rng: random.Random, baseline_contacts: int) -> int:
    """Ten months of 2024 at about the pace of 2020-2023 (48 months), a little calmer."""
    return round(baseline_contacts * 10 / 48 * (0.7 + 0.4 * rng.random()))


def _set_contact_targets(rng, baseline, follow_up, profiles, scale) -> None:
    def regs(patient, first, last) -> int:
        return sum(1 for r in patient.registrations if first <= r.on <= last)

    top = [p for p in baseline if "physician" in profiles[p]][: len(TOP_ATTENDERS)]
    # Seen now and then: one caregiver, once, and not again in 2024.
    low = [
        p
        for p in baseline
        if p not in top and p not in follow_up and list(profiles[p].values()) == [1]
    ][: round(LOW_ATTENDERS * scale)]
    for patient in baseline + [p for p in follow_up if p not in profiles]:
        if patient in top:
            target = TOP_ATTENDERS[top.index(patient)]
        elif patient in low:
            del patient.registrations[1:]
            target = rng.randint(2, 10)
        elif patient in profiles:
            target = min(MAX_OTHER_CONTACTS, 11 + int(rng.lognormvariate(math.log(28), 0.75)))
        else:  # new in the 2024 cohort: came less often before
            target = min(MAX_OTHER_CONTACTS, 3 + int(rng.lognormvariate(math.log(14), 0.8)))
        target = max(target, regs(patient, PERIOD_START, BASELINE_END))
        later = max(_follow_up_contacts(rng, target), regs(patient, FOLLOW_UP_START, PERIOD_END))
        patient.contact_targets = (target, later)


def _sick_leave(rng, baseline, profiles, scale, roster) -> list[Certificate]:
    """R52.2 sick leave 2020-2023: chains of certificates joined into the report's spells."""
    counts = apportion(rng, [1] * len(SICK_LEAVE_SPELLS), round(len(SICK_LEAVE_SPELLS) * scale))
    candidates = [
        p
        for p in baseline
        if "physician" in profiles[p] and 1960 <= p.birth_year <= 1995 and p.contact_targets[0] > 10
    ]
    certificates = []
    for (sex, length), wanted in zip(SICK_LEAVE_SPELLS, counts, strict=True):
        pool = [p for p in candidates if p.sex == sex]
        for patient in rng.sample(pool, min(wanted, len(pool))):
            candidates.remove(patient)
            registered = min(r.on for r in patient.registrations if r.on <= BASELINE_END)
            start = max(PERIOD_START + 14, min(registered, BASELINE_END - length - 14))
            for index, (days, extent) in enumerate(_CERTIFICATE_CHUNKS[length]):
                end = start + days - 1
                # Now and then a renewal is written a few days early: overlapping, same spell.
                early = index > 0 and rng.random() < 0.3
                written = start - rng.randint(1, 4) if early else start
                caregiver = roster.covering(patient.gp, start)
                if not caregiver.active(start):
                    caregiver = roster.pick(rng, "physician", start)
                certificates.append(
                    Certificate(patient, written, end, r522(rng), extent, caregiver)
                )
                start = end + 1
    return certificates
