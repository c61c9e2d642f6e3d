"""Plain factory functions and a small cast for the tests (see conventions.md)."""

import csv
from pathlib import Path

from django.contrib.auth.models import Group, User

from painpath.access.models import ClinicMembership, Role
from painpath.records.models import Clinic

# Skatteverket's test numbers (painpath/synth/testnumbers.py): no real person.
PNR_ANNA = "19420310-9147"
PNR_BERTIL = "19440514-9057"
PNR_CECILIA = "19931115-2384"


def write_extract(
    folder: Path,
    files: dict[str, list[dict] | str],
    *,
    delimiter: str = ",",
    encoding: str = "utf-8",
) -> Path:
    """Write CSV files: a list of dicts (header from the first), or raw text as it is."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        path = folder / f"{name}.csv"
        if isinstance(content, str):
            path.write_bytes(content.encode(encoding))
            continue
        with path.open("w", encoding=encoding, newline="") as out:
            writer = csv.DictWriter(out, fieldnames=list(content[0]), delimiter=delimiter)
            writer.writeheader()
            writer.writerows(content)
    return folder


def small_extract(folder: Path, **options) -> Path:
    """Three patients at Habo, two caregivers, a handful of rows in every file."""
    # fmt: off
    return write_extract(
        folder,
        {
            "patients": [
                {
                    "patient_id": PNR_ANNA,
                    "sex": "K",
                    "birth_year": "1942",
                    "clinic_id": "habo",
                    "listed_from": "2015-01-01",
                    "listed_to": "",
                },
                {
                    "patient_id": PNR_BERTIL,
                    "sex": "M",
                    "birth_year": "",
                    "clinic_id": "habo",
                    "listed_from": "",
                    "listed_to": "",
                },
                {
                    "patient_id": "P-0003",
                    "sex": "kvinna",
                    "birth_year": "1991",
                    "clinic_id": "habo",
                    "listed_from": "2020-01-01",
                    "listed_to": "2023-06-30",
                },
            ],
            "staff": [
                {
                    "caregiver_id": "hsa-1",
                    "profession": "Allmänläkare",
                    "name": "Dr Lind",
                    "clinic_id": "habo",
                },
                {
                    "caregiver_id": "hsa-2",
                    "profession": "Fysioterapeut/sjukgymnast",
                    "name": "Sara Fys",
                    "clinic_id": "habo",
                },
            ],
            "contacts": [
                {
                    "contact_id": "c1",
                    "patient_id": PNR_ANNA,
                    "date": "2021-03-04",
                    "caregiver_id": "hsa-1",
                    "profession": "",
                    "contact_type": "besök",
                },
                {
                    "contact_id": "c2",
                    "patient_id": PNR_ANNA,
                    "date": "20210405",
                    "caregiver_id": "hsa-2",
                    "profession": "",
                    "contact_type": "telefon",
                },
                {
                    "contact_id": "c3",
                    "patient_id": PNR_BERTIL,
                    "date": "2022-01-10 08:30",
                    "caregiver_id": "hsa-1",
                    "profession": "",
                    "contact_type": "Videosamtal",
                },
            ],
            "diagnoses": [
                {
                    "patient_id": PNR_ANNA,
                    "date": "2021-03-04",
                    "code": "R522",
                    "caregiver_id": "hsa-1",
                    "profession": "",
                    "contact_id": "c1",
                },
                {
                    "patient_id": PNR_ANNA,
                    "date": "2021-04-05",
                    "code": "r52.2",
                    "caregiver_id": "hsa-2",
                    "profession": "",
                    "contact_id": "c2",
                },
                {
                    "patient_id": PNR_BERTIL,
                    "date": "2022-01-10",
                    "code": "R522A",
                    "caregiver_id": "hsa-1",
                    "profession": "ST-läkare",
                    "contact_id": "c3",
                },
            ],
            "prescriptions": [
                {
                    "prescription_id": "rx1",
                    "patient_id": PNR_ANNA,
                    "date": "2021-03-04",
                    "atc": "n02aa05",
                    "product": "Oxykodon",
                    "strength_mg": "5",
                    "packages": "1",
                    "pack_size": "28",
                    "caregiver_id": "hsa-1",
                },
            ],
            "sick_leave": [
                {
                    "certificate_id": "s1",
                    "patient_id": PNR_BERTIL,
                    "start": "2022-01-10",
                    "end": "2022-02-06",
                    "code": "R52.2",
                    "extent_percent": "50",
                    "caregiver_id": "hsa-1",
                },
            ],
        },
        **options,
    )
    # fmt: on


def make_clinic(code: str = "habo", name: str = "Bra Liv Habo") -> Clinic:
    clinic, _ = Clinic.objects.get_or_create(code=code, defaults={"name": name})
    return clinic


def make_user(username: str, clinic: Clinic | None, role: Role = Role.CLINICIAN) -> User:
    user = User.objects.create_user(username, password="test-pass-123", first_name=username)
    user.groups.add(Group.objects.get_or_create(name=role.value)[0])
    if clinic is not None:
        ClinicMembership.objects.create(user=user, clinic=clinic)
    return user
