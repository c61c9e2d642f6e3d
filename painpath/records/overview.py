"""The clinic's data at a glance: what the first page after login shows."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Max, Min, Q

from painpath.ingest.models import ImportRun
from painpath.records.models import Clinic, Contact, Diagnosis, Listing, Prescription, SickLeave


def listed_on(day: date) -> Q:
    """Listings in force on `day` (no dates: always)."""
    return (Q(listed_from__isnull=True) | Q(listed_from__lte=day)) & (
        Q(listed_to__isnull=True) | Q(listed_to__gte=day)
    )


@dataclass
class Overview:
    clinic: Clinic
    listed_today: int
    patients: int
    contacts: int
    diagnoses: int
    prescriptions: int
    sick_leaves: int
    first_day: date | None
    last_day: date | None
    last_import: ImportRun | None


def clinic_overview(clinic: Clinic, today: date) -> Overview:
    listings = Listing.objects.filter(clinic=clinic)
    contacts = Contact.objects.filter(clinic=clinic)
    span = contacts.aggregate(first=Min("date"), last=Max("date"))
    return Overview(
        clinic=clinic,
        listed_today=listings.filter(listed_on(today)).values("patient").distinct().count(),
        patients=listings.values("patient").distinct().count(),
        contacts=contacts.count(),
        diagnoses=Diagnosis.objects.filter(clinic=clinic).count(),
        prescriptions=Prescription.objects.filter(clinic=clinic).count(),
        sick_leaves=SickLeave.objects.filter(clinic=clinic).count(),
        first_day=span["first"],
        last_day=span["last"],
        last_import=ImportRun.objects.filter(clinics=clinic).order_by("-finished_at").first(),
    )
