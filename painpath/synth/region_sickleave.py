"""Sick-leave certificates (sjukintyg) of a synthetic region.

Patients of working age are now and then on sick leave: a spell is a chain of certificates,
each 7-365 days, the next mostly starting the day after the last ends, sometimes written a
few days early (overlapping) and sometimes after a break (a new spell by the contract's
definition). Most spells are for stress and depression, back and shoulder pain, injuries and,
in 2020-2022, covid. About one in twenty of the pain cohort of working age has a spell for
R52.2, longer than most. Every certificate ends within the period.
"""

from datetime import date

import numpy as np

from painpath.synth.region_activity import R522_CODES
from painpath.synth.region_arrays import (
    BASELINE_LAST,
    LAST_DAY,
    Table,
    choose,
    expand,
    offset,
    workdays,
)
from painpath.synth.region_population import Population

SPELLS_A_YEAR = 0.06  # of patients aged 18-66
COHORT_SPELLS = 0.05  # of the cohort aged 18-66, for R52.2
CODES = {
    "F43.8A": 20, "F32.1": 12, "F43.2": 8, "M54.5": 10, "M75.1": 5, "M17.1": 4, "S82.6": 3,
    "S62.5": 3, "J06.9": 3, "U07.1": 4, "F41.1": 5, "M51.1": 3, "C50.9": 2, "M54.4": 3,
    "F33.1": 3, "G56.0": 1, "S83.5": 2,
}  # fmt: skip
VOCABULARY = sorted(set(CODES) | set(R522_CODES))
FIRST_LENGTHS = (7, 10, 14, 14, 21, 28, 30)
LATER_LENGTHS = (14, 28, 30, 30, 60, 90, 91)
COHORT_LENGTHS = (28, 30, 60, 90, 91, 91, 180, 365)
COVID_END = offset(date(2022, 12, 31))  # U07.1 is not coded after 2022


def make_sick_leave(rng: np.random.Generator, population: Population, cohort) -> Table:
    """`cohort`: patient indices of the 2020-2023 R52.2 cohort."""
    age = population.age_in(2022)
    first = population.first
    last = np.minimum(population.last, LAST_DAY - 6)  # a certificate lasts a week at least
    working = (age >= 18) & (age <= 66) & (first <= last)
    years = np.where(working, (last - first + 1) / 365.25, 0)
    spell_patient, _ = expand(rng.poisson(SPELLS_A_YEAR * years))
    code = np.array([VOCABULARY.index(c) for c in CODES])[
        choose(rng, list(CODES.values()), len(spell_patient))
    ]
    start = workdays(rng, first[spell_patient], last[spell_patient])
    code[(code == VOCABULARY.index("U07.1")) & (start > COVID_END)] = VOCABULARY.index("J06.9")
    background = _chains(rng, spell_patient, start, code, LATER_LENGTHS, 0.7)

    pain = cohort[working[cohort] & (first[cohort] <= np.minimum(last[cohort], BASELINE_LAST))]
    pain = pain[rng.random(len(pain)) < COHORT_SPELLS]
    start = workdays(rng, first[pain], np.minimum(last[pain], BASELINE_LAST))
    code = np.array([VOCABULARY.index(c) for c in R522_CODES])[
        choose(rng, list(R522_CODES.values()), len(pain))
    ]
    for_pain = _chains(rng, pain, start, code, COHORT_LENGTHS, 1.5)

    patient, start, end, code = (np.concatenate(c) for c in zip(background, for_pain, strict=True))
    columns = {
        "patient_id": patient.astype(np.int32),
        "clinic_id": population.clinic_on(patient, start),
        "start": start,
        "end": end,
        "code": code,
    }
    return Table(columns, {"clinic_id": population.clinic_ids, "code": VOCABULARY}).sorted_by(
        "start"
    )


def _chains(rng, patient, start, code, later_lengths, renewals):
    """Each spell as certificates: the first of FIRST_LENGTHS, `renewals` more on average."""
    owner, rank = expand(np.minimum(rng.geometric(1 / (1 + renewals), len(patient)), 8))
    first = rank == 0
    length = np.where(
        first,
        np.take(FIRST_LENGTHS, rng.integers(0, len(FIRST_LENGTHS), len(owner))),
        np.take(later_lengths, rng.integers(0, len(later_lengths), len(owner))),
    )
    # From one certificate's start to the next: its length, a few days less when the renewal
    # is written early, some weeks more after a break.
    step = rng.random(len(owner))
    gap = np.select([step < 0.2, step < 0.3], [-rng.integers(1, 6, len(owner)),
                    rng.integers(10, 61, len(owner))], 0)  # fmt: skip
    advance = length + gap
    before = np.cumsum(advance) - advance
    spell_first = np.flatnonzero(first)
    begins = start[owner] + before - before[spell_first][owner]
    ends = np.minimum(begins + length - 1, LAST_DAY)
    keep = begins <= LAST_DAY - 6
    return (
        patient[owner][keep],
        begins[keep].astype(np.int32),
        ends[keep].astype(np.int32),
        code[owner][keep],
    )
