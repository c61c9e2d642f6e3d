"""The deep-dive and prescription figures computed a second way, to check `painpath cohort`.

Plain Python over the extract's CSV files as `painpath synth clinic` writes them: no Ibis, no
pandas, no Django, nothing from painpath. Everything the contract
(shared/spec/extract-format.md) says about reading an extract is done again here (encodings,
delimiters, date forms, ICD-10 and personnummer forms, profession and sex labels), so a
figure that agrees with painpath's agrees through the importer and the analytics alike.
Rows the contract says are rejected (bad date, unknown patient, unknown profession, missing
required value, bad personnummer) are left out, as the importer leaves them out.
"""

import csv
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

# The accepted labels, copied from painpath/records/professions.py as data: the point of this
# module is not to share code with what it checks.
PROFESSION_LABELS = {
    "physician": (
        "läkare", "allmänläkare", "specialist i allmänmedicin", "st-läkare", "at-läkare",
        "bt-läkare", "underläkare", "physician", "doctor", "gp", "general practitioner",
    ),
    "nurse": (
        "sjuksköterska", "distriktssköterska", "legitimerad sjuksköterska", "nurse",
        "registered nurse", "district nurse",
    ),
    "assistant_nurse": ("undersköterska", "assistant nurse", "assistant_nurse"),
    "physiotherapist": (
        "fysioterapeut", "sjukgymnast", "fysioterapeut/sjukgymnast", "sjukgymnast/fysioterapeut",
        "physiotherapist", "physical therapist",
    ),
    "occupational_therapist": (
        "arbetsterapeut", "occupational therapist", "occupational_therapist",
    ),
    "psychologist": ("psykolog", "ptp-psykolog", "psychologist"),
    "counsellor": ("kurator", "counsellor", "counselor", "social worker"),
    "rehab_coordinator": (
        "rehabkoordinator", "rehabiliteringskoordinator", "rehab coordinator", "rehab_coordinator",
    ),
    "dietitian": ("dietist", "dietitian", "dietician"),
}  # fmt: skip
_PROFESSION = {label: code for code, labels in PROFESSION_LABELS.items() for label in labels}
_PROFESSION.update({code: code for code in PROFESSION_LABELS})
_SEX = {"k": "female", "kvinna": "female", "f": "female", "female": "female", "w": "female"}
_SEX |= {"m": "male", "man": "male", "male": "male"}
# Cohort patients per band of contacts in the period: not in the contract, but painpath
# shows it (the chart of contacts per patient), so it is checked too.
CONTACT_BANDS = (
    ("0", 0, 0), ("1–5", 1, 5), ("6–10", 6, 10), ("11–20", 11, 20), ("21–50", 21, 50),
    ("51–100", 51, 100), (">100", 101, float("inf")),
)  # fmt: skip
_PERSONNUMMER = re.compile(r"^(\d{2})?(\d{6})([-+]?)(\d{4})$")


class Rejected(ValueError):
    """A value that makes the importer reject its row."""


@dataclass
class Patient:
    sex: str = "unknown"
    birth_year: int | None = None
    listings: list[tuple[date | None, date | None]] = field(default_factory=list)

    def listed_on(self, day: date) -> bool:
        if not self.listings:
            return True
        return any(
            (start is None or start <= day) and (end is None or end >= day)
            for start, end in self.listings
        )


@dataclass
class Extract:
    patients: dict[str, Patient]
    contacts: list[tuple[str, date]]  # patient, date
    diagnoses: list[tuple[str, date, str, str | None, str | None]]  # +code, caregiver, profession
    prescriptions: list[tuple[str, date, str]]  # patient, date, ATC (upper case)
    sick_leave: list[tuple[str, date, date, str | None]]  # patient, start, end, code


def icd10(code: str) -> str:
    """`r522a` -> `R52.2A`: upper case, the dot after the category."""
    compact = code.strip().upper().replace(".", "")
    return compact if len(compact) <= 3 else f"{compact[:3]}.{compact[3:]}"


def parse_date(text: str) -> date:
    text = text.strip()
    for form in ("%Y-%m-%d", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y%m%d"):
        try:
            return datetime.strptime(text, form).date()
        except ValueError:
            pass
    raise Rejected(f"bad date {text!r}")


def patient_key(text: str, today: date) -> str:
    """A personnummer or samordningsnummer as 12 digits; any other id as written."""
    text = text.strip()
    if not text:
        raise Rejected("missing patient_id")
    match = _PERSONNUMMER.match(text)
    if not match:
        return text
    century, born, separator, serial = match.groups()
    yy, month, day = int(born[:2]), int(born[2:4]), int(born[4:6])
    day -= 60 if day > 60 else 0  # samordningsnummer: birth day + 60
    digits = born + serial
    weighted = [int(d) * (2 - i % 2) for i, d in enumerate(digits[:9])]
    if (10 - sum(w // 10 + w % 10 for w in weighted) % 10) % 10 != int(digits[9]):
        raise Rejected(f"bad check digit {text!r}")
    try:
        if century:
            year = int(century + born[:2])
            date(year, month, day)
        else:
            # The most recent century that does not make them born in the future; `+`: 100+.
            year = today.year // 100 * 100 + yy
            if date(year, month, day) > today:
                year -= 100
            if separator == "+":
                year -= 100
            date(year, month, day)
    except ValueError as error:
        raise Rejected(f"bad birth date in {text!r}") from error
    return f"{year:04d}{born[2:]}{serial}"


def profession(label: str) -> str | None:
    label = " ".join(label.split()).lower()
    if not label:
        return None
    if label not in _PROFESSION:
        raise Rejected(f"unknown profession {label!r}")
    return _PROFESSION[label]


def read_rows(path: Path):
    """Each row as a dict with lower-case column names; nothing when the file is absent."""
    if not path.exists():
        return
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252")
    lines = text.splitlines()
    if not lines:
        return
    delimiter = ";" if lines[0].count(";") > lines[0].count(",") else ","
    reader = csv.reader(lines, delimiter=delimiter)
    header = [name.strip().lower() for name in next(reader)]
    for values in reader:
        if any(v.strip() for v in values):
            yield {name: value.strip() for name, value in zip(header, values, strict=False)}


def _unique(rows, id_column: str):
    """Drop repeats: the importer identifies rows by id where given, else by content."""
    seen = set()
    for row in rows:
        key = row.get(id_column) or tuple(sorted(row.items()))
        if key not in seen:
            seen.add(key)
            yield row


def read_extract(folder: Path, today: date | None = None) -> Extract:
    folder, today = Path(folder), today or date.today()
    patients: dict[str, Patient] = {}
    for row in read_rows(folder / "patients.csv"):
        try:
            key = patient_key(row["patient_id"], today)
            start = parse_date(row["listed_from"]) if row.get("listed_from") else None
            end = parse_date(row["listed_to"]) if row.get("listed_to") else None
            if row.get("birth_year"):
                birth_year = int(row["birth_year"])
            elif row.get("birth_date"):
                birth_year = parse_date(row["birth_date"]).year
            else:
                birth_year = int(key[:4]) if key.isdigit() and len(key) == 12 else None
        except (Rejected, ValueError):
            continue
        patient = patients.setdefault(key, Patient())
        patient.sex = _SEX.get(row.get("sex", "").lower(), "unknown")
        patient.birth_year = birth_year
        if start or end:
            patient.listings.append((start, end))

    staff: dict[str, str | None] = {}
    for row in read_rows(folder / "staff.csv"):
        try:
            staff[row["caregiver_id"]] = profession(row["profession"])
        except Rejected:
            continue

    def known(text: str) -> str:
        key = patient_key(text, today)
        if key not in patients:
            raise Rejected(f"unknown patient {text!r}")
        return key

    def registered_by(row) -> tuple[str | None, str | None]:
        caregiver = row.get("caregiver_id") or None
        return caregiver, profession(row.get("profession", "")) or staff.get(caregiver)

    def rows(name: str, id_column: str, required: tuple[str, ...]):
        for row in _unique(read_rows(folder / name), id_column):
            if all(row.get(column) for column in required):
                yield row

    contacts, diagnoses, prescriptions, sick_leave = [], [], [], []
    for row in rows("contacts.csv", "contact_id", ("patient_id", "date")):
        try:
            registered_by(row)  # an unknown label rejects the row
            contacts.append((known(row["patient_id"]), parse_date(row["date"])))
        except Rejected:
            continue
    for row in rows("diagnoses.csv", "", ("patient_id", "date", "code")):
        try:
            caregiver, code = registered_by(row)
            diagnoses.append(
                (known(row["patient_id"]), parse_date(row["date"]), icd10(row["code"]),
                 caregiver, code)
            )  # fmt: skip
        except Rejected:
            continue
    for row in rows("prescriptions.csv", "prescription_id", ("patient_id", "date", "atc")):
        try:
            registered_by(row)
            prescriptions.append(
                (known(row["patient_id"]), parse_date(row["date"]), row["atc"].upper())
            )
        except Rejected:
            continue
    for row in rows("sick_leave.csv", "certificate_id", ("patient_id", "start", "end")):
        try:
            code = icd10(row["code"]) if row.get("code") else None
            sick_leave.append(
                (known(row["patient_id"]), parse_date(row["start"]), parse_date(row["end"]), code)
            )
        except Rejected:
            continue
    return Extract(patients, contacts, diagnoses, prescriptions, sick_leave)


def deep_dive(
    extract: Extract, diagnoses: list[str], start: date, end: date, threshold: int = 10
) -> dict:
    """The contract's deep-dive keys for the whole extract (one clinic)."""
    wanted = list(dict.fromkeys(icd10(code) for code in diagnoses))

    def in_set(code: str | None) -> bool:
        return code is not None and any(code.startswith(prefix) for prefix in wanted)

    professions: dict[str, set[str]] = defaultdict(set)
    caregivers: dict[str, set[str]] = defaultdict(set)
    by_profession_caregivers: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    without_caregiver: set[str] = set()
    cohort: set[str] = set()
    for patient, on, code, caregiver, profession_code in extract.diagnoses:
        if not (start <= on <= end and in_set(code)):
            continue
        cohort.add(patient)
        if profession_code:
            professions[patient].add(profession_code)
        if caregiver:
            caregivers[patient].add(caregiver)
            if profession_code:
                by_profession_caregivers[patient][profession_code].add(caregiver)
        else:
            without_caregiver.add(patient)

    members = [extract.patients[p] for p in cohort]
    listed = sum(1 for p in extract.patients.values() if p.listed_on(end))
    years = [p.birth_year for p in members if p.birth_year is not None]
    per_patient = Counter(len(professions[p]) for p in cohort)
    combinations = Counter(
        tuple(sorted(professions[p])) for p in cohort if len(professions[p]) >= 2
    )
    several = {
        p: {code for code, ids in by_profession_caregivers[p].items() if len(ids) >= 2}
        for p in cohort
    }
    multi = sum(n for size, n in per_patient.items() if size >= 2)
    return {
        "diagnoses": wanted,
        "period": {"from": start.isoformat(), "to": end.isoformat()},
        "patients": len(cohort),
        "listed_patients": listed,
        "share_of_listed": round(len(cohort) / listed, 4) if listed else None,
        "sex": {s: sum(1 for p in members if p.sex == s) for s in ("female", "male", "unknown")},
        "birth_year": {"min": min(years, default=None), "max": max(years, default=None)},
        "by_profession": dict(Counter(code for p in cohort for code in professions[p])),
        "professions_per_patient": {str(size): n for size, n in sorted(per_patient.items())},
        "combinations": [
            {"professions": list(codes), "patients": n}
            for codes, n in sorted(combinations.items(), key=lambda item: (-item[1], item[0]))
        ],
        "multi_profession": {
            "patients": multi,
            "share": round(multi / len(cohort), 4) if cohort else None,
        },
        "single_profession_same_caregiver": sum(
            1
            for p in cohort
            if len(professions[p]) == 1 and len(caregivers[p]) == 1 and p not in without_caregiver
        ),
        "same_profession_several_caregivers": {
            "patients": sum(1 for p in cohort if several[p]),
            "by_profession": dict(Counter(code for p in cohort for code in several[p])),
        },
        "contacts": _contacts(extract, cohort, start, end, threshold),
        "sick_leave": _sick_leave(extract, in_set, start, end),
    }


def _contacts(extract: Extract, cohort: set[str], start: date, end: date, threshold: int):
    counts = Counter(patient for patient, on in extract.contacts if start <= on <= end)
    ordered = sorted(counts.values(), reverse=True)
    # Competition rank: one more than the number of patients with more contacts.
    rank = {n: ordered.index(n) + 1 for n in set(ordered)}
    top = sorted(
        (rank[counts[p]], counts[p]) for p in cohort if counts[p] and rank[counts[p]] <= 10
    )
    return {
        "threshold": threshold,
        "frequent_attenders": sum(1 for p in cohort if counts[p] > threshold),
        "clinic_top10": [{"rank": r, "contacts": n} for r, n in top],
        "per_patient": [
            {"band": band, "patients": sum(1 for p in cohort if low <= counts[p] <= high)}
            for band, low, high in CONTACT_BANDS
        ],
    }


def _sick_leave(extract: Extract, in_set, start: date, end: date) -> dict:
    certificates = defaultdict(list)
    for patient, first, last, code in extract.sick_leave:
        if in_set(code) and first <= end and last >= start:
            certificates[patient].append((first, last))
    spells = []  # (patient, length in days)
    for patient, periods in certificates.items():
        periods.sort()
        first, last = periods[0]
        for next_first, next_last in periods[1:]:
            if (next_first - last).days <= 1:  # overlapping or the next day: the same spell
                last = max(last, next_last)
            else:
                spells.append((patient, (last - first).days + 1))
                first, last = next_first, next_last
        spells.append((patient, (last - first).days + 1))
    sexes = Counter(extract.patients[p].sex for p in certificates)
    return {
        "patients": len(certificates),
        "female": sexes["female"],
        "male": sexes["male"],
        "spells": len(spells),
        "under_90_days": sum(1 for _, days in spells if days < 90),
        "longest_days": max((days for _, days in spells), default=None),
    }


def prescriptions(extract: Extract, atc: list[str], start: date, end: date) -> dict:
    prefixes = tuple(code.strip().upper() for code in atc)
    rows = [
        p
        for p, on, code in extract.prescriptions
        if start <= on <= end and code.startswith(prefixes)
    ]
    return {
        "atc": list(dict.fromkeys(prefixes)),
        "period": {"from": start.isoformat(), "to": end.isoformat()},
        "prescriptions": len(rows),
        "patients": len(set(rows)),
    }
