"""Prescriptions: the long-term medicines of the listed, short courses, and the opioids.

Oxycodone is calibrated to the order of the Vendelsö figure (328 prescriptions to 140
patients in a year at a larger clinic): at Habo's size 270-310 prescriptions to about 135
patients a year (by seed), nearly half of them short courses after an injury or operation,
the rest for some 35 long-term users renewing every two months or so. In January-October
2024 there are 17 % fewer than in the same months of 2023 (fewer new courses, longer
between renewals): the change an opioid indicator should show after the clinic's training.

`strength_mg` is the strength of the opioid or main substance (codeine 30 mg in codeine +
paracetamol). Gabapentin and pregabalin move from N03AX to the newer N02BF codes in 2022, as
registers did, so both must be matched.
"""

import random
from collections.abc import Callable

from painpath.synth.population import Patient
from painpath.synth.staffing import Caregiver, Roster
from painpath.synth.timeline import (
    DAYS_PER_YEAR,
    FOLLOW_UP_START,
    PERIOD_END,
    PERIOD_START,
    day,
    draw,
    poisson,
    uniform_day,
    weight_table,
    workday,
)

# key -> (ATC, product, strength in mg, pack sizes)
PRODUCTS = {
    "oxycodone": ("N02AA05", "Oxikodon 5 mg kapsel", "5", (20, 30)),
    "oxycodone_depot": ("N02AA05", "Oxikodon depot 10 mg tablett", "10", (28, 98)),
    "codeine": ("N02AJ06", "Kodein/paracetamol 30 mg/500 mg tablett", "30", (20, 50, 100)),
    "tramadol": ("N02AX02", "Tramadol 50 mg kapsel", "50", (20, 100)),
    "morphine": ("N02AA01", "Morfin 10 mg tablett", "10", (30, 100)),
    "gabapentin": ("N03AX12", "Gabapentin 300 mg kapsel", "300", (100,)),
    "pregabalin": ("N03AX16", "Pregabalin 75 mg kapsel", "75", (56, 100)),
    "paracetamol": ("N02BE01", "Paracetamol 1 g tablett", "1000", (20, 100)),
    "paracetamol_depot": ("N02BE01", "Paracetamol 665 mg depottablett", "665", (98,)),
    "ibuprofen": ("M01AE01", "Ibuprofen 400 mg tablett", "400", (30,)),
    "venlafaxine": ("N06AX16", "Venlafaxin 75 mg depotkapsel", "75", (100,)),
    "sertraline": ("N06AB06", "Sertralin 50 mg tablett", "50", (100,)),
    "amitriptyline": ("N06AA09", "Amitriptylin 10 mg tablett", "10", (100,)),
    "ramipril": ("C09AA05", "Ramipril 5 mg tablett", "5", (100,)),
    "metformin": ("A10BA02", "Metformin 500 mg tablett", "500", (100,)),
    "oxazepam": ("N05BA04", "Oxazepam 10 mg tablett", "10", (25, 100)),
    "zopiclone": ("N05CF01", "Zopiklon 5 mg tablett", "5", (30,)),
    "penicillin": ("J01CE02", "Fenoximetylpenicillin 1 g tablett", "1000", (20, 40)),
}
_NEWER_ATC = {"gabapentin": "N02BF01", "pregabalin": "N02BF02"}
_NEWER_ATC_FROM = day(2022, 1, 1)

# condition -> [(product, chance the patient is on it, prescriptions a year)]
_LONG_TERM = {
    "hypertension": [("ramipril", 0.8, 1.5)],
    "diabetes": [("metformin", 0.85, 1.5)],
    "depression": [("venlafaxine", 0.35, 2.0), ("sertraline", 0.45, 2.0)],
    "back_pain": [("ibuprofen", 0.3, 1.0), ("paracetamol", 0.3, 1.0)],
    "long_term_pain": [
        ("paracetamol_depot", 0.7, 2.0), ("gabapentin", 0.15, 3.0), ("pregabalin", 0.2, 3.0),
        ("amitriptyline", 0.25, 2.0), ("codeine", 0.2, 3.0), ("tramadol", 0.12, 3.0),
        ("ibuprofen", 0.4, 1.5),
    ],
}  # fmt: skip
# Short courses: (product, courses a patient-year, youngest age)
_COURSES = [
    ("penicillin", 0.06, 0),
    ("ibuprofen", 0.04, 16),
    ("codeine", 0.015, 18),
    ("tramadol", 0.01, 18),
]
OXYCODONE_LONG_TERM_USERS = 35  # at Habo's size
OXYCODONE_COURSES_A_YEAR = 105
_SCRIPTS_A_COURSE = weight_table({1: 80, 2: 15, 3: 5})
OXYCODONE_2024 = 0.83  # the 2024 drop


# (day, sequence, patient, product key, packages, pack size, caregiver)
Prescription = tuple[int, int, Patient, str, int, int, Caregiver]


class Prescriber:
    def __init__(self, rng: random.Random, roster: Roster) -> None:
        self.rng = rng
        self.roster = roster
        self.rows: list[Prescription] = []

    def add(self, patient: Patient, on: int, product: str, packages: int = 1) -> None:
        rng = self.rng
        caregiver = None
        if patient.gp is not None and rng.random() < 0.75:
            caregiver = self.roster.covering(patient.gp, on)
        if caregiver is None or not caregiver.active(on):
            caregiver = self.roster.pick(rng, "physician", on)
        pack_size = rng.choice(PRODUCTS[product][3])
        self.rows.append((on, len(self.rows), patient, product, packages, pack_size, caregiver))

    def patient(self, patient: Patient) -> None:
        rng = self.rng
        window = patient.window()
        if window is None:
            return
        years = (window[1] - window[0] + 1) / DAYS_PER_YEAR
        age = patient.age_on(window[0])
        regular = [m for c in patient.conditions for m in _LONG_TERM.get(c, ())]
        if age >= 75:
            regular += [("paracetamol", 0.2, 2.0), ("zopiclone", 0.08, 2.0)]
        if age >= 18:
            regular.append(("oxazepam", 0.02, 2.0))
        for product, chance, a_year in regular:
            if rng.random() < chance:
                packages = 1 if rng.random() < 0.7 else 3
                for _ in range(poisson(rng, a_year * years)):
                    self.add(patient, workday(rng, *window), product, packages)
        for product, a_year, youngest in _COURSES:
            if age >= youngest:
                for _ in range(poisson(rng, a_year * years)):
                    self.add(patient, workday(rng, *window), product)

    def oxycodone(self, patients: list[Patient], cohort: list[Patient], scale: float) -> None:
        rng = self.rng
        users = round(OXYCODONE_LONG_TERM_USERS * scale)
        from_cohort = rng.sample(cohort, min(len(cohort), round(users * 0.4)))
        elderly = [p for p in patients if p.listed_throughout() and p.age_on(PERIOD_START) >= 65]
        chosen = from_cohort + rng.sample(elderly, min(len(elderly), users - len(from_cohort)))
        for patient in chosen:
            self._long_term_oxycodone(patient)
        adults = [p for p in patients if p.birth < day(2002, 1, 1)]
        # Injuries and operations: the older, the more often.
        adults = weight_table({p: 1 + max(0, p.age_on(PERIOD_START) - 40) / 15 for p in adults})
        for year in range(2020, 2025):
            first, last = day(year, 1, 1), min(day(year, 12, 31), PERIOD_END)
            share = (last - first + 1) / DAYS_PER_YEAR
            # A steady number of courses a year, so the 2024 drop is the clinic's, not chance's.
            for _ in range(round(OXYCODONE_COURSES_A_YEAR * scale * share)):
                on = workday(rng, first, last)
                patient = draw(rng, adults)
                while not patient.listed_on(on):
                    patient = draw(rng, adults)
                for _ in range(draw(rng, _SCRIPTS_A_COURSE)):
                    if patient.listed_on(on):
                        self.add(patient, on, "oxycodone")
                    on += rng.randint(5, 21)

    def _long_term_oxycodone(self, patient: Patient) -> None:
        rng = self.rng
        start, end = patient.window()
        if rng.random() < 0.3:  # started or stopped during the period
            middle = uniform_day(rng, start, end)
            start, end = (start, middle) if rng.random() < 0.5 else (middle, end)
        product = "oxycodone_depot" if rng.random() < 0.6 else "oxycodone"
        on = start + rng.randint(0, 60)
        while on <= end:
            self.add(patient, on, product)
            on += rng.randint(40, 92)

    def morphine(self, patients: list[Patient], scale: float) -> None:
        """A few palliative patients a year: morphine every other week for some months."""
        rng = self.rng
        old = [p for p in patients if p.age_on(PERIOD_START) >= 70]
        for _ in range(poisson(rng, 8 * scale * (PERIOD_END - PERIOD_START) / DAYS_PER_YEAR)):
            patient = rng.choice(old)
            window = patient.window()
            if window is None:
                continue
            on = workday(rng, *window)
            for _ in range(rng.randint(2, 8)):
                if on > window[1]:
                    break
                self.add(patient, on, "morphine")
                on += rng.randint(10, 18)


def _fewer_opioids_in_2024(rng: random.Random, rows: list[Prescription]) -> list[Prescription]:
    """Thin 2024's oxycodone to OXYCODONE_2024 of the same months of 2023.

    Drawn at the same rate as the years before, then thinned: fewer short courses and
    longer between renewals, by exactly the clinic's change rather than by chance.
    """
    oxycodone = {"oxycodone", "oxycodone_depot"}
    same_months = sum(
        1 for row in rows if row[3] in oxycodone and day(2023, 1, 1) <= row[0] <= day(2023, 10, 31)
    )
    in_2024 = [
        row[1] for row in rows if row[3] in oxycodone and FOLLOW_UP_START <= row[0] <= PERIOD_END
    ]
    dropped = set(rng.sample(in_2024, max(0, len(in_2024) - round(same_months * OXYCODONE_2024))))
    return [row for row in rows if row[1] not in dropped]


def atc_for(product: str, on: int) -> str:
    if product in _NEWER_ATC and on >= _NEWER_ATC_FROM:
        return _NEWER_ATC[product]
    return PRODUCTS[product][0]


def make_prescriptions(
    rng: random.Random,
    patients: list[Patient],
    roster: Roster,
    cohort: list[Patient],
    scale: float,
    tick: Callable[[int], None] = lambda done: None,
) -> list[Prescription]:
    """Every prescription of the clinic in the period, in date order."""
    prescriber = Prescriber(rng, roster)
    for done, patient in enumerate(patients, 1):
        prescriber.patient(patient)
        if done % 500 == 0:
            tick(done)
    prescriber.oxycodone(patients, cohort, scale)
    prescriber.morphine(patients, scale)
    rows = _fewer_opioids_in_2024(rng, prescriber.rows)
    rows = [row for row in rows if PERIOD_START <= row[0] <= PERIOD_END]
    rows.sort(key=lambda row: (row[0], row[1]))
    return rows
