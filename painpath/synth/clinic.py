"""A synthetic vårdcentral as an EHR extract (shared/spec/extract-format.md), shaped like Habo.

`write_clinic` writes the six CSV files of the extract contract for a clinic of about
`patients` listed patients, 2020-01-01 to 2024-10-31. At the default size (any seed) the
R52.2 deep-dive of the extract reproduces the Habo report (shared/seeds): 124 patients in
2020-2023 with the report's professions, combinations, continuity, frequent attenders and
sick leave, and 34 in the 2024 follow-up with the physician handover. See cohort.py for how,
and for the two places where the report does not add up.

Nothing here is real: a patient id is one of Skatteverket's published test personnummer or an
opaque id (identity.py), names are drawn from lists of common names, and the same seed always
gives the same files, byte for byte. Each part of the clinic draws from its own random stream
(seeded with the seed, the clinic id and the part), so changing one generator leaves the
others' output as it was, and two clinics of a region differ.
"""

import csv
import random
import re
from collections.abc import Callable
from pathlib import Path

from painpath.synth.activity import make_contacts
from painpath.synth.cohort import HABO_LISTED, plan_cohort
from painpath.synth.identity import ID_FORMS, short_form_allowed, written
from painpath.synth.medication import PRODUCTS, atc_for, make_prescriptions
from painpath.synth.population import Patient, build_population, population_size
from painpath.synth.sickleave import make_certificates
from painpath.synth.staffing import LABEL_VARIANTS, build_roster
from painpath.synth.timeline import ISO

Progress = Callable[[str, int, int], None]
HABO_LISTED_ON_REFERENCE_DAY = 10598  # the report: listed in January 2024, of about 10,600
MIN_PATIENTS = 100
COLUMNS = {
    "patients.csv": ["patient_id", "sex", "birth_year", "listed_from", "listed_to", "clinic_id"],
    "staff.csv": ["caregiver_id", "profession", "name", "clinic_id"],
    "contacts.csv": [
        "contact_id", "patient_id", "date", "caregiver_id", "profession", "contact_type",
        "clinic_id",
    ],
    "diagnoses.csv": ["patient_id", "date", "code", "caregiver_id", "profession", "contact_id"],
    "prescriptions.csv": [
        "prescription_id", "patient_id", "date", "atc", "product", "strength_mg", "packages",
        "pack_size", "caregiver_id", "profession",
    ],
    "sick_leave.csv": [
        "certificate_id", "patient_id", "start", "end", "code", "extent_percent", "caregiver_id",
    ],
}  # fmt: skip
CLINIC_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")


def write_clinic(
    out_dir: Path,
    *,
    patients: int = HABO_LISTED,
    seed: int = 1,
    clinic_id: str = "habo",
    progress: Progress | None = None,
) -> dict[str, int]:
    """Write the extract into `out_dir` (created if missing, files overwritten); return the
    number of rows per file name.

    `patients` is the size of the listing, as a clinic states it: Habo's "about 10,600" had
    10,598 listed on 2023-12-31, and the same share is listed here; patients who left during
    2020-2023 or joined in 2024 come on top. `progress(step, done, total)` is called now and
    then, `done` and `total` counting patients for the generating steps and files for the
    writing. Raises ValueError for a bad argument, and OSError when `out_dir` cannot be
    written, before any work is done.
    """
    if patients < MIN_PATIENTS:
        raise ValueError(f"patients must be at least {MIN_PATIENTS}, got {patients}")
    if not CLINIC_ID.match(clinic_id):
        raise ValueError(f"clinic_id must be lower-case letters, digits, - or _: {clinic_id!r}")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    for name in COLUMNS:  # fail now, not after a minute of work, if a file cannot be written
        (out_dir / name).open("a", encoding="utf-8").close()

    report = progress or (lambda step, done, total: None)
    scale = patients / HABO_LISTED
    listed = round(patients * HABO_LISTED_ON_REFERENCE_DAY / HABO_LISTED)

    def stream(part: str) -> random.Random:
        return random.Random(f"{seed}:{clinic_id}:{part}")

    total = population_size(listed)
    report("Listade patienter", 0, total)
    roster = build_roster(stream("staff"), scale, clinic_id)
    population = build_population(stream("patients"), listed, roster, clinic_id)
    plan = plan_cohort(stream("cohort"), population, roster, scale)
    report("Listade patienter", total, total)

    def ticker(step: str) -> Callable[[int], None]:
        return lambda done: report(step, done, total)

    contacts = make_contacts(stream("contacts"), population, roster, ticker("Kontakter"))
    report("Kontakter", total, total)
    in_baseline = set(plan.baseline)
    cohort = plan.baseline + [p for p in plan.follow_up if p not in in_baseline]
    prescriptions = make_prescriptions(
        stream("prescriptions"), population, roster, cohort, scale, ticker("Förskrivningar")
    )
    report("Förskrivningar", total, total)
    certificates = make_certificates(
        stream("sick-leave"), population, roster, plan.certificates, ticker("Sjukskrivningar")
    )
    report("Sjukskrivningar", total, total)

    ids = _PatientIds(stream("ids"), population)
    files = {
        "patients.csv": (
            [ids.primary(p), p.sex, p.birth_year, ISO[p.listed_from],
             ISO[p.listed_to] if p.listed_to else "", clinic_id]
            for p in population
        ),
        "staff.csv": ([c.caregiver_id, c.label, c.name, clinic_id] for c in roster.caregivers),
        **_activity_rows(stream("rows"), ids, clinic_id, contacts),
        "prescriptions.csv": (
            [f"{clinic_id}-r{n:07d}", ids.row(p), ISO[on], atc_for(product, on),
             PRODUCTS[product][1], PRODUCTS[product][2], packages, pack_size, c.caregiver_id, ""]
            for n, (on, _, p, product, packages, pack_size, c) in enumerate(prescriptions, 1)
        ),
        "sick_leave.csv": (
            [f"{clinic_id}-s{n:06d}", ids.row(c.patient), ISO[c.start], ISO[c.end], c.code,
             c.extent, c.caregiver.caregiver_id]
            for n, c in enumerate(certificates, 1)
        ),
    }  # fmt: skip
    counts = {}
    for done, name in enumerate(COLUMNS):
        report("Skriver filer", done, len(COLUMNS))
        counts[name] = _write(out_dir / name, COLUMNS[name], files[name])
    report("Skriver filer", len(COLUMNS), len(COLUMNS))
    return counts


def _activity_rows(rng: random.Random, ids: "_PatientIds", clinic_id: str, contacts) -> dict:
    """contacts.csv and diagnoses.csv: each diagnosis names the contact it was set at."""
    contact_ids = [f"{clinic_id}-k{n:07d}" for n in range(1, len(contacts) + 1)]
    return {
        "contacts.csv": (
            [contact_id, ids.row(p), ISO[on], c.caregiver_id if c else "", label, kind,
             clinic_id]
            for contact_id, (on, _, p, c, label, kind, _) in zip(
                contact_ids, contacts, strict=True
            )
        ),
        "diagnoses.csv": (
            [ids.row(p), ISO[on], code, c.caregiver_id, _sometimes_label(rng, c.profession),
             contact_id]
            for contact_id, (on, _, p, c, _, _, codes) in zip(contact_ids, contacts, strict=True)
            for code in codes
        ),
    }  # fmt: skip


def _sometimes_label(rng: random.Random, profession: str) -> str:
    """Most diagnosis rows leave the profession to the caregiver's; a few write it out."""
    return rng.choice(LABEL_VARIANTS[profession]) if rng.random() < 0.05 else ""


def _write(path: Path, header: list[str], lines) -> int:
    lines = list(lines)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(lines)
    return len(lines)


class _PatientIds:
    """How each patient's id is written in a row: a personnummer mostly in one form, now and
    then in another.

    Real extracts are put together from several systems, so the same person may appear as
    `19400107-9120` in one row and `194001079120` in the next: the importer must see one.
    """

    def __init__(self, rng: random.Random, population: list[Patient]) -> None:
        self._random = rng.random  # looked up once: called for every row written
        self._forms: dict[Patient, list[str]] = {}
        for patient in population:
            if patient.number is None:
                self._forms[patient] = [patient.patient_id]
                continue
            forms = [patient.id_form] + [f for f in ID_FORMS if f != patient.id_form]
            if not short_form_allowed(patient.birth_year):
                forms.remove("short")
            self._forms[patient] = [written(patient.number, form) for form in forms]

    def primary(self, patient: Patient) -> str:
        return self._forms[patient][0]

    def row(self, patient: Patient) -> str:
        forms = self._forms[patient]
        if len(forms) > 1 and self._random() < 0.1:
            return forms[1 + int(self._random() * (len(forms) - 1))]
        return forms[0]
