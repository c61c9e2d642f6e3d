"""Sick-leave certificates (sjukintyg) of the working-age listed.

A spell of sick leave is written as a chain of certificates: a first one of one to four
weeks, then renewals, longer ones at lower extent (100 % to 75, 50, 25 %) as the patient
returns to work. A renewal now and then starts a few days before the previous one ends
(written early), and once in a while after a short gap: a new spell. Background spells never
carry R52.2; the R52.2 spells are the cohort plan's.
"""

import random
from collections.abc import Callable

from painpath.synth.cohort import Certificate
from painpath.synth.population import Patient
from painpath.synth.staffing import Roster
from painpath.synth.timeline import DAYS_PER_YEAR, PERIOD_END, PERIOD_START, day, poisson, workday

SPELLS_A_YEAR = 0.07  # per working-age listed patient
# code -> (weight, shortest and longest spell in days)
_CAUSES = {
    "J06.9": (10, (5, 14)),
    "U07.1": (8, (7, 28)),
    "M54.5": (15, (7, 60)),
    "F43.8A": (12, (30, 240)),  # utmattningssyndrom
    "F32.1": (10, (30, 180)),
    "F43.2": (8, (14, 90)),
    "S82.6": (4, (30, 90)),
    "S62.5": (3, (21, 60)),
    "M75.1": (6, (21, 90)),
    "M17.1": (4, (30, 120)),
}
_CODES = list(_CAUSES)
_WEIGHTS = [weight for weight, _ in _CAUSES.values()]
_COVID = (day(2020, 3, 1), day(2022, 12, 31))


def _spell(rng, patient, start, length, code, roster, certificates) -> None:
    end_of_spell = start + length - 1
    first = True
    while start <= min(end_of_spell, PERIOD_END):  # the extract knows nothing written later
        days = rng.randint(7, 30) if first else rng.randint(14, 60)
        end = min(start + days - 1, end_of_spell)
        elapsed = end - (end_of_spell - length + 1)
        extent = 100 if elapsed < 60 else 75 if elapsed < 120 else 50 if elapsed < 200 else 25
        if not first and rng.random() < 0.3:
            extent = 100  # not everyone steps down
        written = start
        if not first and rng.random() < 0.2:
            written -= rng.randint(1, 4)  # renewed early: overlaps, same spell
        caregiver = None
        if patient.gp is not None:
            caregiver = roster.covering(patient.gp, written)
        if caregiver is None or not caregiver.active(written):
            caregiver = roster.pick(rng, "physician", written)
        written_code = code if rng.random() < 0.7 else code.replace(".", "")
        certificates.append(Certificate(patient, written, end, written_code, extent, caregiver))
        start = end + 1
        first = False


def make_certificates(
    rng: random.Random,
    patients: list[Patient],
    roster: Roster,
    planned: list[Certificate],
    tick: Callable[[int], None] = lambda done: None,
) -> list[Certificate]:
    """Background certificates plus the planned ones, in order of start."""
    certificates: list[Certificate] = []
    for done, patient in enumerate(patients, 1):
        if done % 500 == 0:
            tick(done)
        window = patient.window(
            max(PERIOD_START, patient.birth + round(19 * DAYS_PER_YEAR)),
            min(PERIOD_END, patient.birth + round(66 * DAYS_PER_YEAR)),
        )
        if window is None:
            continue
        years = (window[1] - window[0] + 1) / DAYS_PER_YEAR
        for _ in range(poisson(rng, SPELLS_A_YEAR * years)):
            start = workday(rng, *window)
            code = rng.choices(_CODES, weights=_WEIGHTS)[0]
            if code == "U07.1" and not _COVID[0] <= start <= _COVID[1]:
                code = "J06.9"
            shortest, longest = _CAUSES[code][1]
            length = rng.randint(shortest, longest)
            _spell(rng, patient, start, length, code, roster, certificates)
    certificates += planned
    certificates.sort(key=lambda c: (c.start, c.patient.patient_id, c.end))
    return certificates
