"""The listed population of a synthetic clinic: who, born when, listed from and to when.

`listed` is the number of patients listed on 2023-12-31 (the Habo report's "10598 patienter
i januari 2024"). Around them the listing moves as a real one does: about 2.5 % a year leave
(moving away, dying; the old more often), about as many join (moving in, being born), and
in 2024 a few more come and go. So patients.csv has roughly 12 % more rows than `listed`.

Ages follow a Swedish primary-care listing (born 1925-2024). Each patient also gets the
handful of long-term conditions that drive their contacts, diagnoses and prescriptions, and
a fast läkare (the physician holding them on their list).
"""

import math
import random
from dataclasses import dataclass, field
from datetime import date

from painpath.synth.identity import assign_ids
from painpath.synth.staffing import Caregiver, Roster
from painpath.synth.timeline import (
    BASELINE_END,
    FOLLOW_UP_START,
    LISTING_START,
    PERIOD_END,
    PERIOD_START,
    day,
    draw,
    uniform_day,
    weight_table,
)

LEAVERS_BEFORE_2024 = 0.10  # of `listed`: left during 2020-2023
LEAVERS_2024 = 0.02  # of `listed`: listed on 2023-12-31, gone before November 2024
JOINERS_2020_2023 = 0.09  # of `listed`: moved in during 2020-2023 (newborns come on top)
JOINERS_2024 = 0.02
MEAN_CONTACTS_A_YEAR = 2.9  # background; the cohort and a few heavy users bring it to ~3


def _age_weight(age: int) -> float:
    """Relative number of people of an age (Sweden 2023, a little younger, as Habo is)."""
    if age < 20:
        return 1.2
    if age < 65:
        return 1.25
    if age < 75:
        return 1.1
    if age < 85:
        return 0.8
    if age < 90:
        return 0.4
    return 0.15 if age < 95 else 0.04


AGES = tuple(range(0, 99))  # age on 2023-12-31: born 1925-2023 (2024 newborns join later)
AGE_WEIGHTS = tuple(_age_weight(age) for age in AGES)
_AGE_TABLE = weight_table(dict(zip(AGES, AGE_WEIGHTS, strict=True)))
# Who leaves: the old (dying) and young adults (moving) more often.
_LEAVER_AGE_TABLE = weight_table(
    {
        a: w * (6 if a >= 80 else 2 if 20 <= a < 35 else 1)
        for a, w in zip(AGES, AGE_WEIGHTS, strict=True)
    }
)

# Long-term conditions: prevalence by age band (under 30, 30-49, 50-64, 65+).
CONDITIONS = {
    "hypertension": (0.0, 0.05, 0.2, 0.45),
    "diabetes": (0.005, 0.03, 0.08, 0.14),
    "depression": (0.05, 0.08, 0.07, 0.05),
    "asthma": (0.07, 0.06, 0.05, 0.05),
    "back_pain": (0.02, 0.06, 0.08, 0.07),
}


@dataclass(eq=False, slots=True)
class Patient:
    sex: str  # "K" or "M"
    birth: int  # ordinal
    listed_from: int
    listed_to: int | None
    patient_id: str = ""  # opaque, as a pseudonymised extract gives it
    number: str | None = None  # a published test personnummer, 12 digits (identity.py)
    id_form: str = "dashed"  # how the extract mostly writes the number
    conditions: tuple[str, ...] = ()  # in CONDITIONS order: a set would iterate by hash
    gp: Caregiver | None = None  # fast läkare
    contact_rate: float = 0.0  # background contacts a year
    # Set by the cohort plan: contacts wanted in 2020-2023 and in 2024, exactly.
    contact_targets: tuple[int, int] | None = None
    registrations: list = field(default_factory=list)  # cohort.Registration

    @property
    def birth_year(self) -> int:
        return date.fromordinal(self.birth).year

    def age_on(self, on: int) -> int:
        return int((on - self.birth) / 365.25)

    def listed_on(self, on: int) -> bool:
        return self.listed_from <= on and (self.listed_to is None or on <= self.listed_to)

    def window(self, first: int = PERIOD_START, last: int = PERIOD_END) -> tuple[int, int] | None:
        """The part of first..last the patient is listed, or None."""
        start = max(first, self.listed_from)
        end = last if self.listed_to is None else min(last, self.listed_to)
        return (start, end) if start <= end else None

    def listed_throughout(self) -> bool:
        return self.listed_from < PERIOD_START and self.listed_to is None


def population_size(listed: int) -> int:
    """How many rows patients.csv will have for a listing of `listed` (for progress bars)."""
    return listed + round(LEAVERS_BEFORE_2024 * listed) + round(JOINERS_2024 * listed)


def build_population(
    rng: random.Random, listed: int, roster: Roster, clinic_id: str
) -> list[Patient]:
    patients: list[Patient] = []
    leaving_2024 = set(rng.sample(range(listed), round(LEAVERS_2024 * listed)))
    for index in range(listed):
        birth = _birth(rng, _age(rng))
        if birth >= PERIOD_START:  # born in the period: listed a few weeks after birth
            start = min(birth + rng.randint(10, 60), BASELINE_END)
        elif rng.random() < JOINERS_2020_2023:
            start = uniform_day(rng, PERIOD_START, BASELINE_END)
        else:
            start = _listed_before_2020(rng, birth)
        end = uniform_day(rng, FOLLOW_UP_START, PERIOD_END) if index in leaving_2024 else None
        patients.append(_patient(rng, birth, start, end))
    for _ in range(round(LEAVERS_BEFORE_2024 * listed)):
        age = max(1, _age(rng, leaver=True))
        birth = _birth(rng, age)
        end = uniform_day(rng, max(PERIOD_START, birth + 30), BASELINE_END - 1)
        start = _listed_before_2020(rng, birth) if birth < PERIOD_START else birth + 20
        patients.append(_patient(rng, birth, min(start, end), end))
    for _ in range(round(JOINERS_2024 * listed)):
        if rng.random() < 0.15:  # a newborn
            birth = uniform_day(rng, FOLLOW_UP_START, day(2024, 9, 30))
            start = birth + rng.randint(10, 30)
        else:
            birth = _birth(rng, _age(rng))
            start = uniform_day(rng, FOLLOW_UP_START, PERIOD_END)
        patients.append(_patient(rng, birth, start, None))
    assign_ids(rng, patients, clinic_id)
    _assign_gps(rng, patients, roster)
    _assign_contact_rates(rng, patients)
    return patients


def _age(rng: random.Random, leaver: bool = False) -> int:
    return draw(rng, _LEAVER_AGE_TABLE if leaver else _AGE_TABLE)


def _birth(rng: random.Random, age_at_end_of_2023: int) -> int:
    year = 2023 - age_at_end_of_2023
    last = day(year, 12, 31) if year < 2023 else day(2023, 12, 1)
    return uniform_day(rng, day(year, 1, 1), last)


def _listed_before_2020(rng: random.Random, birth: int) -> int:
    return max(birth + rng.randint(10, 60), uniform_day(rng, LISTING_START, PERIOD_START - 1))


def _patient(rng: random.Random, birth: int, start: int, end: int | None) -> Patient:
    sex = "K" if rng.random() < _female_share(birth) else "M"
    patient = Patient(sex, birth, start, end)
    age = patient.age_on(BASELINE_END)
    band = 0 if age < 30 else 1 if age < 50 else 2 if age < 65 else 3
    patient.conditions = tuple(
        name for name, bands in CONDITIONS.items() if rng.random() < bands[band]
    )
    return patient


def _female_share(birth: int) -> float:
    return 0.6 if birth < day(1944, 1, 1) else 0.5  # women outlive men


def _assign_gps(rng: random.Random, patients: list[Patient], roster: Roster) -> None:
    doctors = weight_table({c: c.weight for c in roster.list_doctors() if c.first_day is None})
    for patient in patients:
        patient.gp = draw(rng, doctors)


def _assign_contact_rates(rng: random.Random, patients: list[Patient]) -> None:
    """Background contacts a year: by age and conditions, times a wide personal factor.

    The personal factor is log-normal (sigma 0.9): most patients come now and then, a few
    very often. Rates are capped so that no background patient reaches the frequent users
    the cohort plan places at the top of the clinic.
    """
    raw = []
    for patient in patients:
        age = patient.age_on(BASELINE_END)
        by_age = 3.0 if age < 5 else 1.2 if age < 18 else 2.0 if age < 45 else 2.8
        if age >= 65:
            by_age = 4.5 if age < 80 else 7.0
        personal = rng.lognormvariate(-0.405, 0.9)  # mean 1
        raw.append(by_age * (1 + 0.35 * len(patient.conditions)) * personal)
    factor = MEAN_CONTACTS_A_YEAR / (math.fsum(raw) / len(raw))
    for patient, rate in zip(patients, raw, strict=True):
        patient.contact_rate = min(rate * factor, 30.0)
