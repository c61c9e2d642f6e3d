"""Contacts, the diagnoses set at them, and the long-term pain cohort of a synthetic region.

The cohort is planned first, clinic by clinic as it falls: about 1.2 % of the listed have
R52.2 (or a Swedish sub-code) registered in 2020-2023, chosen by age and sex as long-term
pain falls (most at 50-70, more women), and about 0.3 % in January-October 2024, most of
them the same patients. Who registered it follows the Habo report's mix of professions and
caregivers (cohort.py's tables): a physician mostly, then physiotherapists, occupational
therapists and nurses; some patients by several professions, some by two physicians. Every
registration is at a contact of its own. No other contact carries R52.*, so the cohort is
exactly what was planned.

The other contacts fall on the listed patients by a heavy-tailed weight (age, a long-term
condition, being in the cohort, and a wide personal factor): most patients come a few times
in five years, the top patients of a clinic hundreds of times. About every second contact
has a diagnosis, from the profession's everyday codes or the patient's own condition.
"""

from dataclasses import dataclass
from datetime import date

import numpy as np

from painpath.analytics.schema import PROFESSIONS
from painpath.synth.cohort import BASELINE_PROFILES, FOLLOW_UP_PROFILES
from painpath.synth.region_arrays import (
    BASELINE_LAST,
    FOLLOW_UP_FIRST,
    LAST_DAY,
    Table,
    choose,
    expand,
    offset,
    sample_weighted,
    workdays,
)
from painpath.synth.region_population import CONDITIONS, PROFESSION_INDEX, Population

PAIN_SHARE = 124 / 10598  # Habo 2020-2023: R52.2 patients of those listed on 2023-12-31
FOLLOW_UP_SHARE = 34 / 10598  # Habo January-October 2024
FOLLOW_UP_RETURNING = 0.7
R522_CODES = {"R52.2": 70, "R52.2A": 10, "R52.2B": 15, "R52.2C": 5}
DIAGNOSED = 0.42  # contacts with a diagnosis; a few have two, so about 1 per 2 contacts
SECOND_DIAGNOSIS = 0.12
MOST_FREQUENT = 25  # see _contact_weight
UNKNOWN_PROFESSION = 0.01  # rows whose caregiver and profession the EHR never recorded

# Everyday codes by profession, as the importer stores them.
EVERYDAY = {
    "physician": {
        "J06.9": 14, "J02.9": 4, "J20.9": 4, "N39.0": 5, "H66.9": 3, "L30.9": 3, "R05.9": 3,
        "M54.5": 5, "M25.5": 4, "K59.0": 2, "Z76.0": 6, "R10.4": 3, "B34.9": 3, "F41.1": 2,
        "F32.9": 2, "M79.6": 2, "R42.9": 2, "R53.9": 2, "Z02.7": 3, "U07.1": 3, "I10": 3,
        "E11.9": 2, "J45.9": 1, "K21.9": 2, "L70.0": 1, "H10.9": 2, "G43.9": 1, "M75.1": 1,
        "S93.4": 1, "Z00.0": 2,
    },
    "nurse": {
        "Z76.0": 15, "I10": 6, "J06.9": 10, "Z00.0": 5, "Z23.8": 4, "T14.1": 4, "L97.9": 3,
        "N39.0": 3, "E11.9": 3, "J45.9": 2, "Z71.9": 2,
    },
    "assistant_nurse": {"Z00.0": 5, "Z01.3": 5, "T14.1": 2, "Z23.8": 3, "L97.9": 2},
    "physiotherapist": {
        "M54.5": 25, "M54.2": 10, "M25.5": 10, "M75.1": 10, "M17.1": 8, "M54.4": 8,
        "S93.4": 5, "M79.6": 5, "M51.1": 3, "M62.6": 3,
    },
    "occupational_therapist": {"M19.9": 5, "M18.1": 5, "G56.0": 4, "M79.6": 3, "Z73.6": 2},
    "psychologist": {"F41.1": 30, "F32.1": 25, "F43.2": 20, "F43.1": 10, "F41.0": 10,
                     "F43.8A": 8},
    "counsellor": {"F43.2": 10, "Z63.0": 6, "Z56.6": 6, "F43.8": 4},
    "rehab_coordinator": {"Z56.6": 5, "Z76.8": 3, "F43.8A": 3},
    "dietitian": {"E66.9": 10, "E11.9": 6, "K58.9": 4},
}  # fmt: skip
PAIN_CODES = ("M79.7", "M54.5", "M54.2", "R52.9", "F45.4", "M25.5", "G44.2", "M79.1")
ADULT_MIX = (55, 20, 2, 12, 2, 4, 2, 1, 2)  # PROFESSIONS order
CHILD_MIX = (70, 22, 0, 2, 0, 4, 0, 0, 2)
CODES = sorted(
    {c for table in EVERYDAY.values() for c in table}
    | set(PAIN_CODES) | set(CONDITIONS) | set(R522_CODES)
)  # fmt: skip
CODE_INDEX = {code: index for index, code in enumerate(CODES)}
_TABLES = [
    (np.array([CODE_INDEX[c] for c in EVERYDAY[p]]), np.array(list(EVERYDAY[p].values())))
    for p in PROFESSIONS
]
_COVID = (offset(date(2020, 3, 1)), offset(date(2022, 12, 31)))  # when U07.1 was coded


@dataclass
class Registrations:
    """R52.2 registrations, one contact each: patient, day, clinic, profession (-1 unknown),
    caregiver (-1 unknown), code; and the patients of the 2020-2023 and 2024 cohorts."""

    patient: np.ndarray
    day: np.ndarray
    clinic: np.ndarray
    profession: np.ndarray
    caregiver: np.ndarray
    code: np.ndarray
    baseline: np.ndarray
    follow_up: np.ndarray


def plan_cohort(rng: np.random.Generator, population: Population) -> Registrations:
    first, last = population.first, population.last
    in_baseline = np.maximum(0, np.minimum(last, BASELINE_LAST) - first + 1)
    in_follow_up = np.maximum(0, last - np.maximum(first, FOLLOW_UP_FIRST) + 1)
    weight = _pain_weight(population)

    listed = int(population.listed_on(BASELINE_LAST).sum())
    baseline = sample_weighted(rng, weight * in_baseline, round(PAIN_SHARE * listed))
    size = round(FOLLOW_UP_SHARE * int(population.listed_on(LAST_DAY).sum()))
    returning = np.zeros(len(population))
    returning[baseline] = in_follow_up[baseline]
    again = sample_weighted(rng, returning, round(size * FOLLOW_UP_RETURNING))
    newcomers = weight * in_follow_up
    newcomers[baseline] = 0
    follow_up = np.union1d(again, sample_weighted(rng, newcomers, size - len(again)))

    parts = [
        _register(rng, population, baseline, BASELINE_PROFILES, (0, BASELINE_LAST), 1.2),
        _register(rng, population, follow_up, FOLLOW_UP_PROFILES, (FOLLOW_UP_FIRST, LAST_DAY), 0.5),
    ]  # fmt: skip
    columns = [np.concatenate(column) for column in zip(*parts, strict=True)]
    return Registrations(*columns, baseline=baseline, follow_up=follow_up)


def _pain_weight(population: Population) -> np.ndarray:
    """Long-term pain by age and sex: rare in the young, most common at 50-70, women 3:2."""
    age = population.age_in(2023)
    by_age = np.select(
        [age < 18, age < 35, age < 50, age < 70, age < 80], [0, 0.4, 1.0, 1.5, 1.0], 0.6
    )
    return by_age * np.where(population.sex == 0, 1.65, 1.0)


def _register(rng, population, patients, profiles, period, physician_repeats):
    """Each patient gets a profile (professions, and how many caregivers of each), then one
    or more registrations by each of those caregivers on workdays in the period."""
    entries = [[(PROFESSION_INDEX[p], k) for p, n in profile.items() for k in range(n)]
               for profile, _ in profiles]  # fmt: skip
    lengths = np.array([len(e) for e in entries])
    starts = np.cumsum(lengths) - lengths
    flat = np.array([entry for e in entries for entry in e])
    chosen = choose(rng, [n for _, n in profiles], len(patients))
    owner, rank = expand(lengths[chosen])
    entry = starts[chosen[owner]] + rank
    patient, profession, nth = patients[owner], flat[entry, 0], flat[entry, 1]

    repeats = np.where((profession == 0) & (nth == 0), physician_repeats, 0.4)
    owner, _ = expand(rng.geometric(1 / (1 + repeats)))  # 1 + a geometric count
    patient, profession, nth = patient[owner], profession[owner], nth[owner]
    first = np.maximum(population.first[patient], period[0])
    day = workdays(rng, first, np.minimum(population.last[patient], period[1]))
    clinic = population.clinic_on(patient, day)
    slot = population.slot(patient, clinic, profession) + nth
    caregiver = population.roster.caregiver(clinic, profession, slot)
    code = np.array([CODE_INDEX[c] for c in R522_CODES])[
        choose(rng, list(R522_CODES.values()), len(patient))
    ]
    unknown = rng.random(len(patient)) < UNKNOWN_PROFESSION / 2
    profession = np.where(unknown, -1, profession).astype(np.int8)
    caregiver[unknown] = -1
    return patient.astype(np.int32), day, clinic, profession, caregiver, code


def _contact_weight(rng, population: Population, cohort: np.ndarray) -> np.ndarray:
    age = population.age_in(2022)
    by_age = np.select([age < 5, age < 18, age < 45, age < 65, age < 80],
                       [3.0, 1.2, 2.0, 2.8, 4.5], 7.0)  # fmt: skip
    # Log-normal with mean 1: most patients come now and then, a few very often.
    personal = rng.lognormal(-0.405, 0.9, len(population))
    rate = by_age * personal * np.where(population.condition >= 0, 1.5, 1.0)
    rate[cohort] *= 2.5  # the cohort are frequent attenders (Habo: 85 % over ten contacts)
    # Saturating towards MOST_FREQUENT times the mean: the top patients of a clinic come
    # hundreds of times (Habo's two: 380 and 359 in four years), not every day.
    rate /= 1 + rate / (MOST_FREQUENT * rate.mean())
    return rate * (population.last - population.first + 1)


def make_contacts(
    rng: np.random.Generator, population: Population, registrations: Registrations, total: int
) -> tuple[Table, Table]:
    """Exactly `total` contacts, and their diagnoses; both in date order."""
    background = total - len(registrations.patient)
    cohort = np.zeros(len(population), dtype=bool)
    cohort[registrations.baseline] = cohort[registrations.follow_up] = True
    weight = _contact_weight(rng, population, cohort)
    patient = np.repeat(
        np.arange(len(population), dtype=np.int32),
        rng.multinomial(background, weight / weight.sum()),
    )
    day = workdays(rng, population.first[patient], population.last[patient])
    clinic = population.clinic_on(patient, day)
    diagnoses = _diagnoses(rng, population, patient, day, clinic, cohort)

    r = registrations
    contacts = Table(
        {
            "patient_id": np.concatenate([patient, r.patient]),
            "clinic_id": np.concatenate([clinic, r.clinic]),
            "date": np.concatenate([day, r.day]),
        },
        {"clinic_id": population.clinic_ids},
    )
    del patient, day, clinic
    at_registrations = _extra_codes(rng, population, r)
    diagnoses = Table.concat([diagnoses, at_registrations])
    return contacts.sorted_by("date"), diagnoses.sorted_by("date")


def _diagnoses(rng, population, patient, day, clinic, cohort) -> Table:
    has = np.flatnonzero(rng.random(len(patient)) < DIAGNOSED)
    patient, day, clinic = patient[has], day[has], clinic[has]
    child = population.age_in(2022)[patient] < 16
    u = rng.random(len(patient))
    profession = np.where(
        child,
        np.searchsorted(np.cumsum(CHILD_MIX) / sum(CHILD_MIX), u, "right"),
        np.searchsorted(np.cumsum(ADULT_MIX) / sum(ADULT_MIX), u, "right"),
    ).astype(np.int8)
    own = rng.random(len(patient)) < 0.6  # continuity: mostly their own caregiver
    count = population.roster.count[clinic, profession]
    slot = np.where(
        own,
        population.slot(patient, clinic, profession),
        (rng.random(len(patient)) * count).astype(np.int64),
    )
    caregiver = population.roster.caregiver(clinic, profession, slot)
    unknown = rng.random(len(patient)) < UNKNOWN_PROFESSION
    profession[unknown] = -1
    caregiver[unknown] = -1

    second = np.flatnonzero(rng.random(len(patient)) < SECOND_DIAGNOSIS)
    rows = np.concatenate([np.arange(len(patient)), second])
    patient, day, clinic = patient[rows], day[rows], clinic[rows]
    profession, caregiver = profession[rows], caregiver[rows]
    code = _codes(rng, population, patient, day, profession, cohort)
    return _diagnosis_table(population, patient, day, clinic, code, caregiver, profession)


def _codes(rng, population, patient, day, profession, cohort) -> np.ndarray:
    code = np.empty(len(patient), dtype=np.int16)
    drawn_as = np.where(profession < 0, 0, profession)  # unknown: coded as a physician would
    for index, (codes, weights) in enumerate(_TABLES):
        rows = np.flatnonzero(drawn_as == index)
        code[rows] = codes[choose(rng, weights, len(rows))]
    # A patient's own condition, at the physician's or nurse's follow-ups.
    condition = population.condition[patient]
    chronic = (condition >= 0) & (drawn_as <= 1) & (rng.random(len(patient)) < 0.35)
    condition_codes = np.array([CODE_INDEX[c] for c in CONDITIONS])
    code[chronic] = condition_codes[condition[chronic]]
    if cohort is not None:  # other pain codes of the cohort, at other contacts
        painful = cohort[patient] & (rng.random(len(patient)) < 0.25)
        pain = np.array([CODE_INDEX[c] for c in PAIN_CODES])
        code[painful] = pain[rng.integers(0, len(pain), painful.sum())]
    covid = (code == CODE_INDEX["U07.1"]) & ((day < _COVID[0]) | (day > _COVID[1]))
    code[covid] = CODE_INDEX["J06.9"]
    return code


def _extra_codes(rng, population, r: Registrations) -> Table:
    """The R52.2 rows, and now and then a second code set at the same contact."""
    second = np.flatnonzero(rng.random(len(r.patient)) < 0.2)
    extra = _codes(rng, population, r.patient[second], r.day[second], r.profession[second], None)
    rows = np.concatenate([np.arange(len(r.patient)), second])
    code = np.concatenate([r.code, extra])
    return _diagnosis_table(
        population, r.patient[rows], r.day[rows], r.clinic[rows], code, r.caregiver[rows],
        r.profession[rows],
    )  # fmt: skip


def _diagnosis_table(population, patient, day, clinic, code, caregiver, profession) -> Table:
    columns = {"patient_id": patient, "clinic_id": clinic, "date": day, "code": code,
               "caregiver_id": caregiver, "profession": profession}  # fmt: skip
    vocab = {"clinic_id": population.clinic_ids, "code": CODES,
             "caregiver_id": population.roster.ids, "profession": list(PROFESSIONS)}  # fmt: skip
    return Table(columns, vocab)
