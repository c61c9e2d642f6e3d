"""`import_extract`: load an EHR extract (shared/spec/extract-format.md) into the database.

- Every row is validated; a bad row is kept out, with its file, line and reason, and the
  valid rows are imported. A file that cannot be used stops the whole import (ExtractError).
- One transaction: an interrupted import leaves the database as it was.
- Idempotent: rows are upserted on `source_key`, a digest of what the row itself states:
  its id where the extract gives one (contact_id, prescription_id, certificate_id, with the
  row's clinic_id, since two clinics' systems may number alike), else its content. Values
  painpath derives (a profession from the caregiver, a clinic from the listing) are never
  part of the key, so a later extract that corrects them updates rows instead of adding.
  Two identical contacts without contact_id on one day therefore count once; one id used
  twice in a file for different content is an error for the second row.
- The clinic a row belongs to: see Lookups.clinic_for_row.
"""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import connection, transaction
from django.db.models import Model

from painpath.ingest import fields as f
from painpath.ingest.lookups import Lookups
from painpath.ingest.readers import Table, read_extract
from painpath.ingest.upsert import Upsert
from painpath.records import identity
from painpath.records.models import (
    Caregiver,
    Contact,
    Diagnosis,
    Listing,
    Patient,
    Prescription,
    SickLeave,
)

BATCH = 5000
# Column order of each table's tuples; the unique key first (see Upsert).
PATIENT_COLUMNS = [
    "id_hash",
    "pseudonym",
    "personnummer_encrypted",
    "external_id",
    "sex",
    "birth_year",
]
LISTING_COLUMNS = ["source_key", "patient", "clinic", "listed_from", "listed_to"]
CAREGIVER_COLUMNS = ["source_id", "profession", "name", "clinic"]
CONTACT_COLUMNS = [
    "source_key",
    "source_id",
    "patient",
    "clinic",
    "date",
    "caregiver",
    "profession",
    "contact_type",
]
DIAGNOSIS_COLUMNS = [
    "source_key",
    "patient",
    "clinic",
    "date",
    "code",
    "caregiver",
    "profession",
    "contact_source_id",
]
PRESCRIPTION_COLUMNS = [
    "source_key",
    "source_id",
    "patient",
    "clinic",
    "date",
    "atc",
    "product",
    "strength_mg",
    "packages",
    "pack_size",
    "caregiver",
    "profession",
]
SICK_LEAVE_COLUMNS = [
    "source_key", "source_id", "patient", "clinic", "start", "end", "code", "extent_percent",
    "caregiver",
]  # fmt: skip
Progress = Callable[[str, int, int], None]


@dataclass
class FileSummary:
    source: str
    read: int = 0
    imported: int = 0
    rejected: int = 0
    new: int = 0


@dataclass
class Reject:
    source: str
    line: int
    reason: str
    row: dict


@dataclass
class ImportResult:
    files: dict[str, FileSummary] = field(default_factory=dict)
    rejects: list[Reject] = field(default_factory=list)
    clinics: set[int] = field(default_factory=set)

    @property
    def imported(self) -> int:
        return sum(s.imported for s in self.files.values())

    @property
    def exit_code(self) -> int:
        """0 every row imported; 3 some rejected, the rest imported; 2 nothing imported."""
        if not self.rejects:
            return 0
        return 3 if self.imported else 2


def digest(*parts) -> str:
    return hashlib.blake2b("\x1f".join(map(str, parts)).encode(), digest_size=16).hexdigest()


def import_extract(
    path: Path, *, default_clinic: str | None = None, progress: Progress | None = None
) -> ImportResult:
    """Import the extract at `path`; raises ExtractError when nothing can be imported."""
    tables = read_extract(path)
    with transaction.atomic():
        result = _Importer(tables, default_clinic, progress).run()
    if connection.vendor == "postgresql":
        # Fresh statistics, or the planner's first analytics queries crawl (engines.md trap 3).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return result


class _Importer:
    def __init__(self, tables: dict[str, Table], default_clinic: str | None, progress):
        self.tables = tables
        self.progress = progress or (lambda source, done, total: None)
        self.result = ImportResult()
        self.find = Lookups(default_clinic)
        self.line = 0  # the line being converted, for messages about earlier lines
        self.seen_ids: dict[str, tuple[int, int]] = {}  # key -> (line, content hash)
        # Dates as the engine stores them (ISO text on SQLite); None stays NULL.
        self.day = connection.ops.adapt_datefield_value
        # Only what this extract states overwrites what an earlier one said.
        columns = set(tables["patients"].columns)
        self.patient_update = [c for c in ("sex", "birth_year") if c in columns]
        if "birth_date" in columns and "birth_year" not in self.patient_update:
            self.patient_update.append("birth_year")

    def run(self) -> ImportResult:
        # file: (row converter, model, columns with the unique key first, columns a later
        # extract may change). Converters return a tuple in the columns' order.
        steps = {
            "patients": (self.patients, Listing, LISTING_COLUMNS, ["listed_to"]),
            "staff": (self.staff, Caregiver, CAREGIVER_COLUMNS, CAREGIVER_COLUMNS[1:]),
            "contacts": (self.contacts, Contact, CONTACT_COLUMNS, CONTACT_COLUMNS[1:]),
            "diagnoses": (self.diagnoses, Diagnosis, DIAGNOSIS_COLUMNS, DIAGNOSIS_COLUMNS[1:]),
            "prescriptions": (
                self.prescriptions, Prescription, PRESCRIPTION_COLUMNS, PRESCRIPTION_COLUMNS[1:]
            ),
            "sick_leave": (self.sick_leave, SickLeave, SICK_LEAVE_COLUMNS, SICK_LEAVE_COLUMNS[1:]),
        }  # fmt: skip
        for name, table in self.tables.items():
            convert, model, columns, update = steps[name]
            self.each_row(table, convert, model, Upsert(model, columns, update))
        self.result.clinics = self.find.clinics_used
        return self.result

    def each_row(self, table: Table, convert, model: type[Model], upsert: Upsert):
        summary = self.result.files[table.name] = FileSummary(table.source)
        before = model.objects.count()
        batch: dict[str, tuple] = {}
        total = len(table)
        for done, (line, row, problem) in enumerate(table.rows(), start=1):
            summary.read += 1
            self.line = line
            try:
                if problem:
                    raise f.RowError(problem)
                values = convert(row)
            except f.RowError as error:
                summary.rejected += 1
                self.result.rejects.append(Reject(table.source, line, str(error), row))
            else:
                summary.imported += 1
                batch[values[0]] = values  # the same row twice in one batch: written once
                if len(batch) >= BATCH:
                    self.flush(upsert, batch)
            if done % 2000 == 0:
                self.progress(table.source, done, total)
        self.flush(upsert, batch)
        self.progress(table.source, total, total)
        summary.new = model.objects.count() - before
        if table.name == "patients":
            self.find.load_patients()
        if table.name == "staff":
            self.find.load_caregivers()

    def flush(self, upsert: Upsert, batch: dict[str, tuple]):
        rows = list(batch.values())
        batch.clear()
        if upsert.model is Listing and rows:
            rows = self.save_patients(rows)
        upsert.write(rows)

    def id_key(self, kind: str, row: dict, source_id: str, content: tuple) -> str:
        """The key of a row the extract gives an id; the same id again with other content
        in this import is an error (last-wins would silently move a contact between
        patients)."""
        key = digest(kind, row.get("clinic_id", "").strip(), source_id)
        first_line, first_content = self.seen_ids.setdefault(key, (self.line, hash(content)))
        if first_content != hash(content):
            raise f.RowError(f"{kind}_id: samma id som rad {first_line}, med annat innehåll")
        return key

    # -- one converter per file: row -> tuple of column values, or RowError ----------------

    def whose_when_by_whom(self, row: dict, date_column: str = "date") -> tuple:
        """What most rows state: the patient (pk, id hash), the day, the profession the row
        states, and the caregiver (pk) with the profession that counts (stated, else the
        caregiver's)."""
        patient_pk, patient_hash = self.find.patient(row)
        day = f.parse_date(row[date_column], date_column)
        stated = f.parse_profession(row.get("profession", ""))
        caregiver_pk, profession = self.find.caregiver(row, stated)
        return patient_pk, patient_hash, day, stated, caregiver_pk, profession

    def patients(self, row: dict) -> tuple:
        raw = row["patient_id"].strip()
        if not raw:
            raise f.RowError("patient_id: värde saknas")
        who = self.find.identify(raw)
        birth_year = f.parse_year(
            row.get("birth_year", "") or row.get("birth_date", ""), "birth_year"
        )
        listed_from = f.parse_optional_date(row.get("listed_from", ""), "listed_from")
        listed_to = f.parse_optional_date(row.get("listed_to", ""), "listed_to")
        if listed_from and listed_to and listed_to < listed_from:
            raise f.RowError("listed_to: före listed_from")
        clinic = self.find.clinic(row.get("clinic_id", ""))
        person = (
            who.id_hash,
            who.pseudonym,
            identity.encrypt(who.personnummer) if who.personnummer else "",
            who.external_id or "",
            f.parse_sex(row.get("sex", "")),
            birth_year or who.birth_year,
        )
        # The listing waits in the batch with its patient; save_patients() writes the
        # patient first and puts the patient's key in place of `person`.
        key = digest("listing", who.id_hash, clinic.code, listed_from)
        return (key, person, clinic.pk, self.day(listed_from), self.day(listed_to))

    def save_patients(self, listings: list[tuple]) -> list[tuple]:
        people = {listing[1][0]: listing[1] for listing in listings}
        Upsert(Patient, PATIENT_COLUMNS, self.patient_update).write(list(people.values()))
        hashes = list(people)
        for start in range(0, len(hashes), 500):
            chunk = hashes[start : start + 500]
            self.find.patient_ids.update(
                Patient.objects.filter(id_hash__in=chunk).values_list("id_hash", "id")
            )
        ids = self.find.patient_ids
        return [(key, ids[person[0]], *rest) for key, person, *rest in listings]

    def staff(self, row: dict) -> tuple:
        source_id = f.parse_id(row["caregiver_id"], "caregiver_id")
        if not source_id:
            raise f.RowError("caregiver_id: värde saknas")
        profession = f.parse_profession(row["profession"])
        if not profession:
            raise f.RowError("profession: värde saknas")
        clinic = self.find.clinic(row["clinic_id"]) if row.get("clinic_id", "").strip() else None
        name = f.parse_text(row.get("name", ""), "name", 200)
        return (source_id, profession, name, clinic.pk if clinic else None)

    def contacts(self, row: dict) -> tuple:
        patient_pk, patient_hash, day, stated, caregiver_pk, profession = self.whose_when_by_whom(
            row
        )
        contact_type = f.parse_contact_type(row.get("contact_type", ""))
        clinic_pk = self.find.clinic_for_row(row, patient_pk, day)
        source_id = f.parse_id(row.get("contact_id", ""), "contact_id")
        content = (patient_hash, day, caregiver_pk, stated, contact_type)
        key = (
            self.id_key("contact", row, source_id, content)
            if source_id
            else digest("contact", row.get("clinic_id", "").strip(), *content)
        )
        return (
            key, source_id, patient_pk, clinic_pk, self.day(day), caregiver_pk, profession,
            contact_type,
        )  # fmt: skip

    def diagnoses(self, row: dict) -> tuple:
        patient_pk, patient_hash, day, stated, caregiver_pk, profession = self.whose_when_by_whom(
            row
        )
        code = f.parse_icd10(row["code"])
        contact_source_id = f.parse_id(row.get("contact_id", ""), "contact_id")
        key = digest(
            "diagnosis", row.get("clinic_id", "").strip(), patient_hash, day, code,
            caregiver_pk, stated, contact_source_id,
        )  # fmt: skip
        return (
            key, patient_pk, self.find.clinic_for_row(row, patient_pk, day), self.day(day),
            code, caregiver_pk, profession, contact_source_id,
        )  # fmt: skip

    def prescriptions(self, row: dict) -> tuple:
        patient_pk, patient_hash, day, stated, caregiver_pk, profession = self.whose_when_by_whom(
            row
        )
        atc = f.parse_atc(row["atc"])
        amounts = [
            f.parse_number(row.get(name, ""), name)
            for name in ("strength_mg", "packages", "pack_size")
        ]
        product = f.parse_text(row.get("product", ""), "product", 200)
        source_id = f.parse_id(row.get("prescription_id", ""), "prescription_id")
        content = (patient_hash, day, atc, product, *amounts, caregiver_pk, stated)
        key = (
            self.id_key("prescription", row, source_id, content)
            if source_id
            else digest("prescription", row.get("clinic_id", "").strip(), *content)
        )
        return (
            key, source_id, patient_pk, self.find.clinic_for_row(row, patient_pk, day),
            self.day(day), atc, product, *amounts, caregiver_pk, profession,
        )  # fmt: skip

    def sick_leave(self, row: dict) -> tuple:
        patient_pk, patient_hash, start, _, caregiver_pk, _ = self.whose_when_by_whom(row, "start")
        end = f.parse_date(row["end"], "end")
        if end < start:
            raise f.RowError("end: före start")
        code = f.parse_icd10(row["code"]) if row.get("code", "").strip() else ""
        extent = f.parse_percent(row.get("extent_percent", ""), "extent_percent")
        source_id = f.parse_id(row.get("certificate_id", ""), "certificate_id")
        content = (patient_hash, start, end, code, extent, caregiver_pk)
        key = (
            self.id_key("certificate", row, source_id, content)
            if source_id
            else digest("sick_leave", row.get("clinic_id", "").strip(), *content)
        )
        return (
            key, source_id, patient_pk, self.find.clinic_for_row(row, patient_pk, start),
            self.day(start), self.day(end), code, extent, caregiver_pk,
        )  # fmt: skip
