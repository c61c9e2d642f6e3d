"""Contacts and the diagnoses set at them.

Every patient listed in the period gets background contacts at their personal rate (about
three a year on average, population.py), with a profession, caregiver, contact type and,
often, a diagnosis that fit them. Patients the cohort plan has shaped (the cohort, the heavy
users) get exactly their planned number of contacts in 2020-2023 and in 2024, and a contact
for every R52.2 registration planned for them. No background contact ever carries R52.2:
the cohort is exactly what cohort.py decided.
"""

import random
from collections.abc import Callable

from painpath.synth.population import Patient
from painpath.synth.staffing import LABEL_VARIANTS, Caregiver, Roster
from painpath.synth.timeline import (
    BASELINE_END,
    DAYS_PER_YEAR,
    FOLLOW_UP_START,
    PERIOD_END,
    PERIOD_START,
    day,
    draw,
    poisson,
    weight_table,
    workday,
)

# (day, sequence, patient, caregiver or None, profession as written or "", type, codes)
Contact = tuple[int, int, Patient, Caregiver | None, str, str, list[str]]

_MIXES = {
    "adult": {
        "physician": 42, "nurse": 33, "assistant_nurse": 8, "physiotherapist": 9,
        "occupational_therapist": 2, "psychologist": 2, "counsellor": 2, "dietitian": 1,
        "rehab_coordinator": 1,
    },
    "child": {
        "physician": 60, "nurse": 33, "psychologist": 3, "physiotherapist": 2, "dietitian": 2,
    },
    "pain": {
        "physician": 45, "nurse": 24, "assistant_nurse": 5, "physiotherapist": 14,
        "occupational_therapist": 3, "psychologist": 3, "counsellor": 3, "dietitian": 1,
        "rehab_coordinator": 2,
    },
}  # fmt: skip
_TYPES = {
    "physician": {"visit": 50, "phone": 30, "digital": 18, "home": 2},
    "nurse": {"visit": 45, "phone": 42, "digital": 9, "home": 4},
    "assistant_nurse": {"visit": 92, "phone": 8},
    "physiotherapist": {"visit": 78, "digital": 6, "phone": 6, "group": 10},
    "occupational_therapist": {"visit": 70, "home": 20, "phone": 10},
    "psychologist": {"visit": 75, "digital": 15, "phone": 10},
    "counsellor": {"visit": 70, "phone": 20, "digital": 10},
    "dietitian": {"visit": 70, "group": 20, "phone": 10},
    "rehab_coordinator": {"phone": 60, "visit": 40},
}
# Chance that a contact gets a diagnosis: at a visit, and otherwise.
_DIAGNOSIS_CHANCE = {
    "physician": (0.92, 0.55), "nurse": (0.4, 0.3), "assistant_nurse": (0.15, 0.05),
    "physiotherapist": (0.85, 0.5), "occupational_therapist": (0.6, 0.4),
    "psychologist": (0.7, 0.5), "counsellor": (0.5, 0.3), "dietitian": (0.8, 0.4),
    "rehab_coordinator": (0.3, 0.2),
}  # fmt: skip
_EVERYDAY_CODES = {
    "physician": {
        "J06.9": 14, "J02.9": 4, "J20.9": 4, "N39.0": 5, "H66.9": 3, "L30.9": 3, "R05": 3,
        "M54.5": 5, "M25.5": 4, "K59.0": 2, "Z76.0": 8, "R10.4": 3, "B34.9": 3, "F41.1": 2,
        "F32.9": 2, "M79.6": 2, "R42": 2, "R53": 2, "Z02.7": 3, "U07.1": 3,
    },
    "nurse": {
        "Z76.0": 15, "I10": 6, "J06.9": 10, "Z00.0": 5, "Z23.8": 4, "T14.1": 4, "L97": 3,
        "N39.0": 3,
    },
    "assistant_nurse": {"Z00.0": 5, "Z01.3": 5, "T14.1": 2, "Z23.8": 3},
    "physiotherapist": {
        "M54.5": 25, "M54.2": 10, "M25.5": 10, "M75.1": 10, "M17.9": 10, "M54.4": 8,
        "S93.4": 5, "M79.6": 5,
    },
    "occupational_therapist": {"M19.9": 5, "M18.9": 5, "G56.0": 4, "M79.6": 3},
    "psychologist": {"F41.1": 30, "F32.1": 25, "F43.2": 20, "F43.1": 10, "F41.0": 10},
    "counsellor": {"F43.2": 10, "Z63.0": 6, "Z56.6": 6, "F43.8": 4},
    "dietitian": {"E66.9": 10, "E11.9": 6, "K58.9": 4},
    "rehab_coordinator": {"Z56.6": 5, "Z76.8": 3},
}  # fmt: skip
_CONDITION_CODES = {
    "hypertension": ("I10",),
    "diabetes": ("E11.9",),
    "depression": ("F32.1", "F41.1", "F43.2"),
    "asthma": ("J45.9",),
    "back_pain": ("M54.5", "M54.4"),
    # Other pain codes of the cohort: never R52.2, which only the plan registers.
    "long_term_pain": ("M79.7", "F45.4", "M54.5", "R52.9", "M54.2"),
}
_TREATS = {
    "nurse": {"hypertension", "diabetes", "asthma"},
    "physiotherapist": {"back_pain", "long_term_pain"},
    "occupational_therapist": {"long_term_pain"},
    "psychologist": {"depression"},
    "counsellor": {"depression"},
    "dietitian": {"diabetes"},
}
_COVID = (day(2020, 3, 1), day(2022, 12, 31))


_MIX_TABLES = {name: weight_table(mix) for name, mix in _MIXES.items()}
_TYPE_TABLES = {name: weight_table(types) for name, types in _TYPES.items()}
_CODE_TABLES = {name: weight_table(codes) for name, codes in _EVERYDAY_CODES.items()}
_REGISTRATION_TYPES = weight_table({"visit": 70, "phone": 20, "digital": 10})


def written_code(rng: random.Random, code: str) -> str:
    """An ICD-10 code as extracts write it: with or without the dot, now and then lower case."""
    draw = rng.random()
    if draw < 0.33:
        return code.replace(".", "")
    return code.lower() if draw > 0.95 else code


class ContactMaker:
    def __init__(self, rng: random.Random, roster: Roster) -> None:
        self.rng = rng
        self.roster = roster
        self.contacts: list[Contact] = []

    def patient(self, patient: Patient) -> None:
        """All contacts of one patient in the period."""
        if patient.contact_targets is not None:
            self._planned(patient)
            return
        window = patient.window()
        if window is None:
            return
        years = (window[1] - window[0] + 1) / DAYS_PER_YEAR
        count = min(poisson(self.rng, patient.contact_rate * years), int(40 * years) + 1)
        mix = "child" if patient.age_on(window[0]) < 16 else "adult"
        for _ in range(count):
            self._background(patient, workday(self.rng, *window), mix)

    def _planned(self, patient: Patient) -> None:
        mix = "pain" if "long_term_pain" in patient.conditions else "adult"
        periods = ((PERIOD_START, BASELINE_END), (FOLLOW_UP_START, PERIOD_END))
        for (first, last), target in zip(periods, patient.contact_targets, strict=True):
            registrations = [r for r in patient.registrations if first <= r.on <= last]
            for registration in registrations:
                self._registration(patient, registration)
            for _ in range(target - len(registrations)):
                self._background(patient, workday(self.rng, first, last), mix)

    def _registration(self, patient: Patient, registration) -> None:
        rng, caregiver = self.rng, registration.caregiver
        if caregiver.profession == "physician":
            contact_type = draw(rng, _REGISTRATION_TYPES)
        else:
            contact_type = "visit" if rng.random() < 0.9 else "phone"
        codes = [registration.code]
        if rng.random() < 0.2:
            _also(codes, self._code(patient, caregiver.profession, registration.on))
        self._add(registration.on, patient, caregiver, contact_type, codes)

    def _background(self, patient: Patient, on: int, mix: str) -> None:
        rng = self.rng
        caregiver = self._caregiver(patient, draw(rng, _MIX_TABLES[mix]), on)
        profession = caregiver.profession
        contact_type = draw(rng, _TYPE_TABLES[profession])
        if contact_type == "home" and patient.age_on(on) < 75:
            contact_type = "visit"
        if profession == "nurse" and contact_type == "phone" and rng.random() < 0.01:
            # Telephone advice (sjukvårdsrådgivning) logged without a named nurse.
            self._add(on, patient, None, contact_type, [], label="sjuksköterska")
            return
        at_visit, otherwise = _DIAGNOSIS_CHANCE[profession]
        codes = []
        if rng.random() < (at_visit if contact_type == "visit" else otherwise):
            codes.append(self._code(patient, profession, on))
            if profession == "physician" and patient.conditions and rng.random() < 0.15:
                _also(codes, self._code(patient, profession, on, chronic=True))
        self._add(on, patient, caregiver, contact_type, codes)

    def _caregiver(self, patient: Patient, profession: str, on: int) -> Caregiver:
        roster = self.roster
        if profession == "physician" and patient.gp is not None and self.rng.random() < 0.6:
            gp = patient.gp if patient.gp.active(on) else roster.covering(patient.gp, on)
            if gp.active(on):
                return gp
        return roster.pick(self.rng, profession, on) or roster.pick(self.rng, "physician", on)

    def _code(self, patient: Patient, profession: str, on: int, chronic: bool = False) -> str:
        rng = self.rng
        treated = _TREATS.get(profession)
        relevant = [c for c in patient.conditions if treated is None or c in treated]
        if relevant and (chronic or rng.random() < 0.55):
            code = rng.choice(_CONDITION_CODES[rng.choice(relevant)])
        else:
            code = draw(rng, _CODE_TABLES[profession])
            if code == "U07.1" and not _COVID[0] <= on <= _COVID[1]:
                code = "J06.9"
        return written_code(rng, code)

    def _add(self, on, patient, caregiver, contact_type, codes, label: str = "") -> None:
        if not label and caregiver is not None and self.rng.random() < 0.08:
            label = self.rng.choice(LABEL_VARIANTS[caregiver.profession])
        self.contacts.append(
            (on, len(self.contacts), patient, caregiver, label, contact_type, codes)
        )


def _also(codes: list[str], code: str) -> None:
    """A second diagnosis at a contact, unless it is the first one written another way."""
    if code.replace(".", "").upper() != codes[0].replace(".", "").upper():
        codes.append(code)


def make_contacts(
    rng: random.Random,
    patients: list[Patient],
    roster: Roster,
    tick: Callable[[int], None] = lambda done: None,
) -> list[Contact]:
    """Every contact of the clinic, in date order."""
    maker = ContactMaker(rng, roster)
    for done, patient in enumerate(patients, 1):
        maker.patient(patient)
        if done % 500 == 0:
            tick(done)
    maker.contacts.sort(key=lambda contact: (contact[0], contact[1]))
    return maker.contacts
