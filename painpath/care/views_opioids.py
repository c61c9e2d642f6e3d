"""Opioid treatment agreements, under /samordning/opioidavtal/: the patients on opioids in
the extract (those without an agreement first), a new agreement for a patient, one
agreement, ending it, and the agreements whose review is overdue."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from painpath.access.models import AuditAction
from painpath.access.policies import audit, clinics_for, get_patient_for_user, patients_for
from painpath.care import actions
from painpath.care.forms_opioids import HIGH_OME_PER_DAY, OpioidAgreementForm
from painpath.care.models import OpioidAgreement
from painpath.care.opioids import (
    as_of,
    opioid_patients,
    overdue_reviews,
    window,
)


def opioid_list(request):
    clinics, today = clinics_for(request.user), timezone.localdate()
    day = as_of(clinics, today)  # the extract's last day, when it ends before today
    patients = opioid_patients(clinics, day, agreed_by=today)
    audit(request, AuditAction.VIEW, detail="opioidpatienter och behandlingsavtal")
    context = {
        "without": [p for p in patients if p.agreement is None],
        "with_agreement": [p for p in patients if p.agreement is not None],
        "overdue": overdue_reviews(clinics, today),
        "window": window(day),
        "extract_ends": day if day < today else None,
        "has_clinics": clinics.exists(),
    }
    return render(request, "care/opioid_list.html", context)


def opioid_new(request, pseudonym: str):
    patient = get_patient_for_user(request, pseudonym)  # audited view, or 404
    clinic = clinics_for(request.user).filter(listings__patient=patient).distinct().first()
    data = request.POST if request.method == "POST" else None
    form = OpioidAgreementForm(data, clinic=clinic, today=timezone.localdate())
    if data is not None and form.is_valid():
        fields = form.agreement_fields()
        agreement = actions.write_opioid_agreement(patient, clinic, request.user, **fields)
        audit(request, AuditAction.CHANGE, patient, f"opioidavtal {agreement.pk} skrivet")
        messages.success(request, _("Behandlingsavtalet är sparat."))
        return redirect("care_opioid", agreement.pk)
    current = actions.current_opioid_agreements([clinic], timezone.localdate())
    context = {"patient": patient, "form": form, "current": current.filter(patient=patient)}
    return render(request, "care/opioid_form.html", context)


def _agreement_for_user(request, pk: int) -> OpioidAgreement:
    """The agreement, when it is one of the user's clinics' and patients'; else 404, logged
    as a look-up that found nothing."""
    agreement = (
        OpioidAgreement.objects.filter(
            pk=pk, clinic__in=clinics_for(request.user), patient__in=patients_for(request.user)
        )
        .select_related("patient", "clinic", "prescriber")
        .first()
    )
    if agreement is None:
        audit(request, AuditAction.LOOKUP, detail=f"ingen träff: opioidavtal {pk}")
        raise Http404("Inget sådant avtal")
    return agreement


def opioid_detail(request, pk: int):
    agreement = _agreement_for_user(request, pk)
    audit(request, AuditAction.VIEW, agreement.patient, f"opioidavtal {pk}")
    today = timezone.localdate()
    context = {
        "agreement": agreement,
        "high": (agreement.max_daily_ome or 0) >= HIGH_OME_PER_DAY,
        "high_limit": HIGH_OME_PER_DAY,
        "current": agreement.ended_on is None or agreement.ended_on > today,
        "overdue": agreement.review_on < today,
    }
    return render(request, "care/opioid_detail.html", context)


@require_POST
def opioid_end(request, pk: int):
    agreement = _agreement_for_user(request, pk)
    if agreement.ended_on is None:
        actions.end_opioid_agreement(agreement, timezone.localdate())
        audit(request, AuditAction.CHANGE, agreement.patient, f"opioidavtal {pk} avslutat")
        messages.success(request, _("Behandlingsavtalet är avslutat."))
    return redirect("care_opioid", pk)
