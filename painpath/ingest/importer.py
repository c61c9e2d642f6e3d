"""`import_extract`: load an EHR extract (shared/spec/extract-format.md) into the database.

- Every row is validated; a bad row is kept out, with its file, line and reason, and the
  valid rows are imported. A file that cannot be used stops the whole import (ExtractError).
- One transaction: an interrupted import leaves the database as it was.
- Idempotent: rows are upserted on `source_key`, a digest of the row's id where the extract
  gives one (contact_id, prescription_id, certificate_id, caregiver_id, patient_id), else of
  its content. So two identical contacts without contact_id on one day count once.
- Which clinic a row belongs to: its own clinic_id where the file has one, else the clinic
  of the patient's latest listing, else the import's default clinic.
"""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import connection, transaction
from django.db.models import Model

from painpath.ingest import fields as f
from painpath.ingest.readers import ExtractError, Table, read_extract
from painpath.ingest.upsert import Upsert
from painpath.records import identity
from painpath.records.models import (
    Caregiver,
    Clinic,
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
        self.default_clinic_code = default_clinic
        self.progress = progress or (lambda source, done, total: None)
        self.result = ImportResult()
        self.clinics: dict[str, Clinic] = {c.code: c for c in Clinic.objects.all()}
        self.identities: dict[str, identity.PatientIdentity | Exception] = {}
        self.patient_ids: dict[str, int] = {}
        self.home_clinic: dict[int, int] = {}
        self.caregivers: dict[str, tuple[int, str]] = {}
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
            "staff": (self.staff, Caregiver, CAREGIVER_COLUMNS, ["profession", "name", "clinic"]),
            "contacts": (self.contacts, Contact, CONTACT_COLUMNS, CONTACT_COLUMNS[1:]),
            "diagnoses": (self.diagnoses, Diagnosis, DIAGNOSIS_COLUMNS, ["clinic"]),
            "prescriptions": (
                self.prescriptions, Prescription, PRESCRIPTION_COLUMNS, PRESCRIPTION_COLUMNS[1:]
            ),
            "sick_leave": (self.sick_leave, SickLeave, SICK_LEAVE_COLUMNS, SICK_LEAVE_COLUMNS[1:]),
        }  # fmt: skip
        self.load_patient_ids()
        self.load_caregivers()
        for name, table in self.tables.items():
            convert, model, columns, update = steps[name]
            self.each_row(table, convert, model, Upsert(model, columns, update))
        return self.result

    # -- shared look-ups -------------------------------------------------------------------

    def clinic(self, code: str) -> Clinic:
        code = code.strip()
        if not code:
            return self.default_clinic()
        if code not in self.clinics:
            self.clinics[code] = Clinic.objects.create(code=code, name=code)
        self.result.clinics.add(self.clinics[code].pk)
        return self.clinics[code]

    def default_clinic(self) -> Clinic:
        if self.default_clinic_code:
            return self.clinic(self.default_clinic_code)
        if len(self.clinics) > 1:
            raise ExtractError(
                "rader utan clinic_id, och databasen har flera vårdcentraler: ange --clinic KOD"
            )
        if not self.clinics:
            self.default_clinic_code = "vardcentral"
            self.clinics["vardcentral"] = Clinic.objects.create(
                code="vardcentral", name="Vårdcentralen"
            )
        else:
            self.default_clinic_code = next(iter(self.clinics))
        return self.clinic(self.default_clinic_code)

    def identify(self, raw: str) -> identity.PatientIdentity:
        if raw not in self.identities:
            try:
                self.identities[raw] = identity.identify(raw)
            except identity.InvalidPersonnummer as error:
                self.identities[raw] = error
        found = self.identities[raw]
        if isinstance(found, Exception):
            raise f.RowError(f"patient_id: {found}")
        return found

    def patient(self, row: dict) -> tuple[int, str]:
        raw = row["patient_id"].strip()
        if not raw:
            raise f.RowError("patient_id: värde saknas")
        who = self.identify(raw)
        pk = self.patient_ids.get(who.id_hash)
        if pk is None:
            raise f.RowError("patient_id: okänd patient (finns inte i patients eller databasen)")
        return pk, who.id_hash

    def caregiver(self, row: dict, profession: str) -> tuple[int | None, str]:
        """(caregiver pk, profession): the row's profession, else the caregiver's."""
        source_id = row.get("caregiver_id", "").strip()
        if not source_id:
            return None, profession
        if source_id not in self.caregivers:  # named in a row but not in staff: keep it
            made = Caregiver.objects.create(source_id=source_id, profession=profession)
            self.caregivers[source_id] = (made.pk, profession)
        pk, own = self.caregivers[source_id]
        return pk, profession or own

    def row_clinic(self, row: dict, patient_pk: int) -> int:
        if row.get("clinic_id", "").strip():
            return self.clinic(row["clinic_id"]).pk
        if patient_pk in self.home_clinic:
            return self.home_clinic[patient_pk]
        return self.default_clinic().pk

    def load_patient_ids(self):
        self.patient_ids = dict(Patient.objects.values_list("id_hash", "id"))
        self.home_clinic = {}
        listings = Listing.objects.order_by("listed_from").values_list("patient_id", "clinic_id")
        for patient_pk, clinic_pk in listings.iterator(chunk_size=10000):
            self.home_clinic[patient_pk] = clinic_pk  # the last (latest listed_from) wins

    def load_caregivers(self):
        rows = Caregiver.objects.values_list("source_id", "id", "profession")
        self.caregivers = {source: (pk, prof) for source, pk, prof in rows}

    # -- the row loop ----------------------------------------------------------------------

    def each_row(self, table: Table, convert, model: type[Model], upsert: Upsert):
        summary = self.result.files[table.name] = FileSummary(table.source)
        before = model.objects.count()
        batch: dict[str, tuple] = {}
        total = len(table)
        for done, (line, row) in enumerate(table.rows(), start=1):
            summary.read += 1
            try:
                values = convert(row, table)
            except f.RowError as error:
                summary.rejected += 1
                self.result.rejects.append(Reject(table.source, line, str(error), row))
            else:
                summary.imported += 1
                batch[values[0]] = values  # a row repeated in one batch: the last wins
                if len(batch) >= BATCH:
                    self.flush(upsert, batch)
            if done % 2000 == 0:
                self.progress(table.source, done, total)
        self.flush(upsert, batch)
        self.progress(table.source, total, total)
        summary.new = model.objects.count() - before
        if table.name == "patients":
            self.load_patient_ids()
        if table.name == "staff":
            self.load_caregivers()

    def flush(self, upsert: Upsert, batch: dict[str, tuple]):
        rows = list(batch.values())
        batch.clear()
        if upsert.model is Listing and rows:
            rows = self.save_patients(rows)
        upsert.write(rows)

    # -- one converter per file: row -> tuple of column values, or RowError --------------

    def patients(self, row: dict, table: Table) -> tuple:
        raw = row["patient_id"].strip()
        if not raw:
            raise f.RowError("patient_id: värde saknas")
        who = self.identify(raw)
        birth_year = f.parse_year(
            row.get("birth_year", "") or row.get("birth_date", ""), "birth_year"
        )
        listed_from = f.parse_optional_date(row.get("listed_from", ""), "listed_from")
        listed_to = f.parse_optional_date(row.get("listed_to", ""), "listed_to")
        if listed_from and listed_to and listed_to < listed_from:
            raise f.RowError("listed_to: före listed_from")
        clinic = self.clinic(row.get("clinic_id", ""))
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
            self.patient_ids.update(
                Patient.objects.filter(id_hash__in=chunk).values_list("id_hash", "id")
            )
        return [(key, self.patient_ids[person[0]], *rest) for key, person, *rest in listings]

    def staff(self, row: dict, table: Table) -> tuple:
        source_id = row["caregiver_id"].strip()
        if not source_id:
            raise f.RowError("caregiver_id: värde saknas")
        profession = f.parse_profession(row["profession"])
        if not profession:
            raise f.RowError("profession: värde saknas")
        clinic = self.clinic(row["clinic_id"]) if row.get("clinic_id", "").strip() else None
        name = row.get("name", "").strip()[:200]
        return (source_id, profession, name, clinic.pk if clinic else None)

    def contacts(self, row: dict, table: Table) -> tuple:
        patient_pk, patient_hash = self.patient(row)
        day = f.parse_date(row["date"], "date")
        caregiver_pk, profession = self.caregiver(
            row, f.parse_profession(row.get("profession", ""))
        )
        clinic_pk = self.row_clinic(row, patient_pk)
        contact_type = f.parse_contact_type(row.get("contact_type", ""))
        source_id = row.get("contact_id", "").strip()
        key = (
            digest("contact", source_id)
            if source_id
            else digest(
                "contact", patient_hash, day, caregiver_pk, profession, contact_type, clinic_pk
            )
        )
        return (
            key, source_id, patient_pk, clinic_pk, self.day(day), caregiver_pk, profession,
            contact_type,
        )  # fmt: skip

    def diagnoses(self, row: dict, table: Table) -> tuple:
        patient_pk, patient_hash = self.patient(row)
        day = f.parse_date(row["date"], "date")
        code = f.parse_icd10(row["code"])
        caregiver_pk, profession = self.caregiver(
            row, f.parse_profession(row.get("profession", ""))
        )
        contact_source_id = row.get("contact_id", "").strip()
        key = digest(
            "diagnosis", patient_hash, day, code, caregiver_pk, profession, contact_source_id
        )
        return (
            key, patient_pk, self.row_clinic(row, patient_pk), self.day(day), code, caregiver_pk,
            profession, contact_source_id,
        )  # fmt: skip

    def prescriptions(self, row: dict, table: Table) -> tuple:
        patient_pk, patient_hash = self.patient(row)
        day = f.parse_date(row["date"], "date")
        atc = f.parse_atc(row["atc"])
        caregiver_pk, profession = self.caregiver(
            row, f.parse_profession(row.get("profession", ""))
        )
        amounts = [
            f.parse_number(row.get(name, ""), name)
            for name in ("strength_mg", "packages", "pack_size")
        ]
        product = row.get("product", "").strip()[:200]
        source_id = row.get("prescription_id", "").strip()
        key = (
            digest("prescription", source_id)
            if source_id
            else digest("prescription", patient_hash, day, atc, product, *amounts, caregiver_pk)
        )
        return (
            key, source_id, patient_pk, self.row_clinic(row, patient_pk), self.day(day), atc,
            product, *amounts, caregiver_pk, profession,
        )  # fmt: skip

    def sick_leave(self, row: dict, table: Table) -> tuple:
        patient_pk, patient_hash = self.patient(row)
        start = f.parse_date(row["start"], "start")
        end = f.parse_date(row["end"], "end")
        if end < start:
            raise f.RowError("end: före start")
        code = f.parse_icd10(row["code"]) if row.get("code", "").strip() else ""
        extent = f.parse_percent(row.get("extent_percent", ""), "extent_percent")
        caregiver_pk, _ = self.caregiver(row, "")
        source_id = row.get("certificate_id", "").strip()
        key = (
            digest("sick_leave", source_id)
            if source_id
            else digest("sick_leave", patient_hash, start, end, code, extent, caregiver_pk)
        )
        return (
            key, source_id, patient_pk, self.row_clinic(row, patient_pk), self.day(start),
            self.day(end), code, extent, caregiver_pk,
        )  # fmt: skip
