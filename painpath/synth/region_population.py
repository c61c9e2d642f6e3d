"""The people of a synthetic region: clinics, their staff, and the patients listed at them.

Clinics vary in size as a county's do: at the default size (a million patients at 200
clinics) most list 3,000-15,000 patients and a few large ones more. Every patient is listed
at one clinic; a few percent move to another clinic during the period (two consecutive
listing rows), some join (born, moved into the region) and some leave (moved away, died;
the old more often). Ages follow Sweden's pyramid (born 1925-2024), sexes are even, a little
more women among the old, and a few are unknown.
"""

from dataclasses import dataclass
from datetime import date

import numpy as np

from painpath.analytics.schema import PROFESSIONS
from painpath.synth.region_arrays import (
    LAST_DAY,
    NEVER,
    NULL_DAY,
    Table,
    apportion,
    choose,
    offset,
    uniform_days,
    workdays,
)

HABO_LISTED = 10600
PROFESSION_INDEX = {code: index for index, code in enumerate(PROFESSIONS)}
# Staff of a clinic of Habo's size, by profession (PROFESSIONS order); others scale.
HABO_STAFF = (8, 8, 3, 3, 2, 2, 1, 1, 1)
TURNOVER = (1.3, 1.15, 1.0, 1.1, 1.0, 1.2, 1.0, 1.0, 1.0)  # locums, ST/AT, replacements
SEXES = ["female", "male", "unknown"]
FIRST_BIRTH_YEAR, LAST_BIRTH_YEAR = 1925, 2024
JOINERS = 0.08  # moved into the region (or to primary care) during the period
LEAVERS = 0.08  # moved away or died during the period, before age weighting
MOVERS = 0.03  # changed clinic within the region: two listing rows
# One long-term condition a patient is mostly seen for, if any (ICD-10 as stored), with its
# weight by age band: under 30, 30-49, 50-64, 65 and over.
CONDITIONS = {
    "I10": (0, 4, 18, 40), "E11.9": (0.3, 2, 7, 12), "J45.9": (7, 6, 5, 4),
    "F32.1": (3, 7, 6, 4), "F41.1": (4, 6, 4, 2), "E03.9": (0.2, 2, 4, 6),
    "J44.9": (0, 0.2, 2, 5), "I48.9": (0, 0.2, 2, 8), "M17.1": (0, 0.5, 4, 8),
    "M54.5": (1, 5, 6, 5),
}  # fmt: skip
CHRONIC_SHARE = (0.15, 0.3, 0.5, 0.7)  # patients with such a condition, by age band


def _age_weight(age: int) -> float:
    """People of an age in Sweden 2024, relative (SCB's pyramid, smoothed)."""
    for below, weight in ((20, 1.15), (65, 1.25), (75, 1.1), (85, 0.85), (90, 0.4), (95, 0.15)):
        if age < below:
            return weight
    return 0.04


BIRTH_YEARS = np.arange(FIRST_BIRTH_YEAR, LAST_BIRTH_YEAR + 1)
_BIRTH_WEIGHTS = np.array([_age_weight(2024 - y) for y in BIRTH_YEARS])
_BIRTH_WEIGHTS[-1] *= 9 / 12  # born in 2024: only January-September so far


@dataclass
class Roster:
    """Caregivers by clinic and profession: clinic c's caregivers of profession p are
    `first[c, p]` .. `first[c, p] + count[c, p] - 1` in `ids`."""

    ids: list[str]
    first: np.ndarray
    count: np.ndarray

    def caregiver(self, clinic: np.ndarray, profession: np.ndarray, slot: np.ndarray):
        """The caregiver in `slot` (any non-negative number; wraps) at each row's clinic."""
        count = self.count[clinic, profession]
        return (self.first[clinic, profession] + slot % count).astype(np.int32)


@dataclass
class Population:
    clinic_ids: list[str]
    roster: Roster
    sex: np.ndarray  # index into SEXES
    birth_year: np.ndarray
    clinic: np.ndarray  # the clinic listed at first
    listed_from: np.ndarray  # day offset, NULL_DAY: since before the period
    listed_to: np.ndarray  # NULL_DAY: still listed
    moved_on: np.ndarray  # the first day at `new_clinic`, NEVER for most
    new_clinic: np.ndarray
    condition: np.ndarray  # index into CONDITIONS, -1 for none
    continuity: np.ndarray  # [0, 1): which of a clinic's caregivers the patient mostly sees

    def __len__(self) -> int:
        return len(self.sex)

    @property
    def first(self) -> np.ndarray:
        """First day listed in the period."""
        return np.maximum(self.listed_from, 0)

    @property
    def last(self) -> np.ndarray:
        return np.where(self.listed_to == NULL_DAY, LAST_DAY, self.listed_to)

    def clinic_on(self, patient: np.ndarray, day: np.ndarray) -> np.ndarray:
        return np.where(
            day >= self.moved_on[patient], self.new_clinic[patient], self.clinic[patient]
        )

    def listed_on(self, day: int) -> np.ndarray:
        return (self.first <= day) & (day <= self.last)

    def age_in(self, year: int) -> np.ndarray:
        return year - self.birth_year

    def slot(self, patient: np.ndarray, clinic: np.ndarray, profession: np.ndarray):
        """The patient's own caregiver of the profession at the clinic (their fast läkare,
        their physiotherapist): most of their contacts are with them."""
        count = self.roster.count[clinic, profession]
        return (self.continuity[patient] * count).astype(np.int64)


def build_population(rng: np.random.Generator, clinics: int, patients: int) -> Population:
    width = max(3, len(str(clinics)))
    clinic_ids = [f"vc{n:0{width}d}" for n in range(1, clinics + 1)]
    sizes = _clinic_sizes(rng, clinics, patients)
    roster = _roster(rng, clinic_ids, sizes)
    clinic = rng.permutation(np.repeat(np.arange(clinics, dtype=np.int16), sizes))

    birth_year = BIRTH_YEARS[choose(rng, _BIRTH_WEIGHTS, patients)].astype(np.int16)
    old = birth_year < 1944
    u = rng.random(patients)
    sex = np.where(u < np.where(old, 0.58, 0.5), 0, 1).astype(np.int8)
    sex[rng.random(patients) < 0.003] = 2  # unknown: a reserve number, a record never completed

    listed_from, listed_to = _listing_dates(rng, birth_year)
    moved_on, new_clinic = _moves(rng, clinic, sizes, listed_from, listed_to)
    condition = _conditions(rng, np.searchsorted([30, 50, 65], 2023 - birth_year, "right"))
    return Population(
        clinic_ids, roster, sex, birth_year, clinic, listed_from, listed_to, moved_on,
        new_clinic, condition, continuity=rng.random(patients),
    )  # fmt: skip


def _clinic_sizes(rng: np.random.Generator, clinics: int, patients: int) -> np.ndarray:
    """Patients first listed at each clinic: log-normal around the mean, a few three times
    as large (town-centre clinics), and never none."""
    weights = rng.lognormal(0.0, 0.45, clinics)
    weights[rng.random(clinics) < 0.04] *= 3
    return 1 + apportion(weights, patients - clinics)


def _roster(rng: np.random.Generator, clinic_ids: list[str], sizes: np.ndarray) -> Roster:
    scale = sizes[:, None] / HABO_LISTED * rng.lognormal(0.0, 0.15, (len(sizes), 1))
    count = np.rint(scale * np.multiply(HABO_STAFF, TURNOVER)).astype(np.int64)
    count = np.maximum(count, 1)
    count[:, 0] = np.maximum(count[:, 0], 2)  # a clinic always has two physicians at least
    first = (np.cumsum(count.ravel()) - count.ravel()).reshape(count.shape)
    ids = [
        f"{clinic_id}-c{n:04d}"
        for clinic_id, total in zip(clinic_ids, count.sum(axis=1), strict=True)
        for n in range(1, total + 1)
    ]
    return Roster(ids, first, count)


def _listing_dates(rng: np.random.Generator, birth_year: np.ndarray):
    n = len(birth_year)
    year_start = np.array([offset(date(int(y), 1, 1)) for y in BIRTH_YEARS])
    first = year_start[birth_year - FIRST_BIRTH_YEAR]
    birth = uniform_days(
        rng, first, np.where(birth_year == 2024, offset(date(2024, 9, 30)), first + 364)
    )

    listed_from = np.full(n, NULL_DAY, dtype=np.int32)
    joiner = rng.random(n) < JOINERS
    listed_from[joiner] = workdays(
        rng, np.zeros(joiner.sum(), np.int32), np.full(joiner.sum(), LAST_DAY)
    )
    newborn = birth >= 0  # listed a few weeks after birth
    listed_from[newborn] = np.minimum(
        birth[newborn] + rng.integers(10, 61, newborn.sum()), LAST_DAY
    )

    age = 2024 - birth_year
    leaving = LEAVERS * np.select([age >= 80, (age >= 20) & (age < 35)], [4.0, 2.0], 0.7)
    start = np.maximum(listed_from, 0) + 30
    leaver = (rng.random(n) < leaving) & (start < LAST_DAY)
    listed_to = np.full(n, NULL_DAY, dtype=np.int32)
    listed_to[leaver] = uniform_days(rng, start[leaver], np.full(leaver.sum(), LAST_DAY - 1))
    return listed_from, listed_to


def _moves(rng, clinic, sizes, listed_from, listed_to):
    """A few patients change clinic: listed at the first until the day before the move."""
    n = len(clinic)
    moved_on = np.full(n, NEVER, dtype=np.int32)
    new_clinic = clinic.copy()
    if len(sizes) == 1:
        return moved_on, new_clinic
    first = np.maximum(listed_from, 0) + 30
    last = np.where(listed_to == NULL_DAY, LAST_DAY, listed_to) - 30
    mover = (rng.random(n) < MOVERS) & (first < last)
    moved_on[mover] = uniform_days(rng, first[mover], last[mover])
    # Where to: clinics as large as they are, but never the same one.
    target = choose(rng, sizes, mover.sum()).astype(np.int16)
    same = target == clinic[mover]
    target[same] = (target[same] + 1 + rng.integers(0, len(sizes) - 1, same.sum())) % len(sizes)
    new_clinic[mover] = target
    return moved_on, new_clinic


def _conditions(rng: np.random.Generator, band: np.ndarray) -> np.ndarray:
    weights = np.array(list(CONDITIONS.values()), dtype=np.float64).T  # band x condition
    cumulative = np.cumsum(weights, axis=1)
    cumulative /= cumulative[:, -1:]
    drawn = np.empty(len(band), dtype=np.int8)
    for b in range(4):  # four bands, not one loop per patient
        rows = np.flatnonzero(band == b)
        drawn[rows] = np.searchsorted(cumulative[b], rng.random(len(rows)), "right")
    drawn[rng.random(len(band)) >= np.take(CHRONIC_SHARE, band)] = -1
    return drawn


def listings_table(population: Population):
    """One row per patient, two for a patient who moved: consecutive, the first ending the
    day before the second begins."""
    moved = np.flatnonzero(population.moved_on != NEVER)
    n = len(population)
    patient = np.concatenate([np.arange(n), moved])
    clinic = np.concatenate([population.clinic, population.new_clinic[moved]])
    listed_from = np.concatenate([population.listed_from, population.moved_on[moved]])
    listed_to = population.listed_to.copy()
    listed_to[moved] = population.moved_on[moved] - 1
    listed_to = np.concatenate([listed_to, population.listed_to[moved]])
    order = np.argsort(patient * 2 + (np.arange(len(patient)) >= n), kind="stable")
    columns = {"patient_id": patient, "clinic_id": clinic, "listed_from": listed_from,
               "listed_to": listed_to}  # fmt: skip
    return Table({k: v[order] for k, v in columns.items()}, {"clinic_id": population.clinic_ids})


def patients_table(population: Population):
    columns = {
        "patient_id": np.arange(len(population)),
        "sex": population.sex,
        "birth_year": population.birth_year,
    }
    return Table(columns, {"sex": SEXES})
