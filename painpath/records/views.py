from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from painpath.access.models import AuditAction
from painpath.access.policies import (
    audit,
    clinics_for,
    get_patient_for_user,
    patients_for,
    records_for,
)
from painpath.records.overview import clinic_overview


def home(request):
    clinics = clinics_for(request.user)
    chosen = request.GET.get("clinic")
    clinic = get_object_or_404(clinics, code=chosen) if chosen else clinics.first()
    overview = clinic_overview(clinic, timezone.localdate()) if clinic else None
    return render(request, "records/home.html", {"overview": overview, "clinics": clinics})


def patient_list(request):
    own = Q(contacts__clinic__in=clinics_for(request.user))
    patients = patients_for(request.user).annotate(n_contacts=Count("contacts", filter=own))
    patients = patients.order_by("pseudonym")
    page = Paginator(patients, 50).get_page(request.GET.get("sida"))
    audit(request, AuditAction.VIEW, detail=f"patientlista, sida {page.number}")
    return render(request, "records/patient_list.html", {"page": page})


def patient_detail(request, pseudonym: str):
    patient = get_patient_for_user(request, pseudonym)
    user = request.user
    context = {
        "patient": patient,
        "listings": records_for(user, patient.listings.select_related("clinic")).order_by(
            "-listed_from"
        ),
        "contacts": records_for(user, patient.contacts.select_related("caregiver")).order_by(
            "-date"
        )[:50],
        "diagnoses": records_for(user, patient.diagnoses.select_related("caregiver")).order_by(
            "-date"
        )[:50],
        "prescriptions": records_for(user, patient.prescriptions).order_by("-date")[:50],
        "sick_leaves": records_for(user, patient.sick_leaves).order_by("-start")[:20],
    }
    return render(request, "records/patient_detail.html", context)
