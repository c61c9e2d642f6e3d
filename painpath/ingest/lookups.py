"""What the importer looks up while it reads rows: clinics, patients, caregivers, and the
clinic a row belongs to. Loaded once, kept in memory, updated as the import writes."""

from bisect import bisect_right
from datetime import date

from painpath.ingest import fields as f
from painpath.ingest.readers import ExtractError
from painpath.records import identity
from painpath.records.models import Caregiver, Clinic, Listing, Patient

MAX_ID = 100  # the length of the id columns (records/models.py)


class Lookups:
    def __init__(self, default_clinic: str | None):
        self.default_clinic_code = default_clinic
        self.clinics: dict[str, Clinic] = {c.code: c for c in Clinic.objects.all()}
        self.clinics_used: set[int] = set()
        self.identities: dict[str, identity.PatientIdentity | Exception] = {}
        self.patient_ids: dict[str, int] = {}
        # patient pk -> (listed_from ordinals, clinic pks), sorted; no date sorts first.
        self.listings: dict[int, tuple[list[int], list[int]]] = {}
        self.caregivers: dict[str, tuple[int, str]] = {}
        self.load_patients()
        self.load_caregivers()

    def clinic(self, code: str) -> Clinic:
        code = code.strip()
        if not code:
            return self.default_clinic()
        if len(code) > 64:
            raise f.RowError("clinic_id: längre än 64 tecken")
        if code not in self.clinics:
            self.clinics[code] = Clinic.objects.create(code=code, name=code)
        self.clinics_used.add(self.clinics[code].pk)
        return self.clinics[code]

    def default_clinic(self) -> Clinic:
        if self.default_clinic_code:
            return self.clinic(self.default_clinic_code)
        if len(self.clinics) > 1:
            raise ExtractError(
                "rader utan clinic_id, och databasen har flera vårdcentraler: ange --clinic KOD"
            )
        if not self.clinics:
            self.clinics["vardcentral"] = Clinic.objects.create(
                code="vardcentral", name="Vårdcentralen"
            )
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
        if found.external_id and len(found.external_id) > MAX_ID:
            raise f.RowError(f"patient_id: längre än {MAX_ID} tecken")
        return found

    def patient(self, row: dict) -> tuple[int, str]:
        """(patient pk, id hash) of the row's patient_id, who must be known."""
        raw = row["patient_id"].strip()
        if not raw:
            raise f.RowError("patient_id: värde saknas")
        who = self.identify(raw)
        pk = self.patient_ids.get(who.id_hash)
        if pk is None:
            raise f.RowError("patient_id: okänd patient (finns inte i patients eller databasen)")
        return pk, who.id_hash

    def caregiver(self, row: dict, stated: str) -> tuple[int | None, str]:
        """(caregiver pk, profession): the row's stated profession, else the caregiver's."""
        source_id = f.parse_id(row.get("caregiver_id", ""), "caregiver_id")
        if not source_id:
            return None, stated
        if source_id not in self.caregivers:  # named in a row but not in staff: keep it
            made = Caregiver.objects.create(source_id=source_id, profession=stated)
            self.caregivers[source_id] = (made.pk, stated)
        pk, own = self.caregivers[source_id]
        return pk, stated or own

    def clinic_for_row(self, row: dict, patient_pk: int, day: date) -> int:
        """The row's own clinic_id; else the clinic where the patient was listed on the
        row's day (the latest listing begun by then); else the import's default clinic."""
        if row.get("clinic_id", "").strip():
            return self.clinic(row["clinic_id"]).pk
        if patient_pk in self.listings:
            starts, clinics = self.listings[patient_pk]
            return clinics[max(bisect_right(starts, day.toordinal()) - 1, 0)]
        return self.default_clinic().pk

    def load_patients(self):
        self.patient_ids = dict(Patient.objects.values_list("id_hash", "id"))
        found: dict[int, list[tuple[int, int]]] = {}
        rows = Listing.objects.values_list("patient_id", "listed_from", "clinic_id")
        for patient_pk, listed_from, clinic_pk in rows.iterator(chunk_size=10000):
            start = listed_from.toordinal() if listed_from else 0
            found.setdefault(patient_pk, []).append((start, clinic_pk))
        self.listings = {}
        for patient_pk, spans in found.items():
            spans.sort()  # in Python: databases disagree on where NULL sorts
            self.listings[patient_pk] = ([s for s, _ in spans], [c for _, c in spans])

    def load_caregivers(self):
        rows = Caregiver.objects.values_list("source_id", "id", "profession")
        self.caregivers = {source: (pk, prof) for source, pk, prof in rows}
