"""Access to patient data, in one place. Rules:

- Every page needs a login (LoginRequiredMiddleware); only the login page is open.
- A user sees a patient only when the patient is listed (in any period) at one of the
  user's clinics (ClinicMembership). Superusers are no exception: patient data follows the
  clinic, not the technical role.
- Of a patient shared with another clinic (they moved), a user sees only the records of
  their own clinics: `records_for` filters every contact, diagnosis, prescription,
  certificate and listing a view shows.
- A patient outside the user's clinics is answered exactly as a patient that does not exist
  (404), so ids cannot be probed by URL guessing.
- Every view or change of one patient's data is written to the audit log, with who, when,
  what and the address it came from. Look-ups that find nobody are logged too.
"""

import re

from django.db.models import QuerySet
from django.http import Http404, HttpRequest

from painpath.access.models import AuditAction, AuditEvent, Role
from painpath.records import identity
from painpath.records.models import Clinic, Listing, Patient


def clinics_for(user) -> QuerySet[Clinic]:
    if not user.is_authenticated:
        return Clinic.objects.none()
    return Clinic.objects.filter(memberships__user=user)


def patients_for(user) -> QuerySet[Patient]:
    return Patient.objects.filter(
        id__in=Listing.objects.filter(clinic__in=clinics_for(user)).values("patient_id")
    )


def records_for(user, records: QuerySet) -> QuerySet:
    """Only the rows (contacts, diagnoses, …) that belong to one of the user's clinics."""
    return records.filter(clinic__in=clinics_for(user))


def has_role(user, role: Role) -> bool:
    return user.is_authenticated and user.groups.filter(name=role.value).exists()


def client_ip(request: HttpRequest) -> str | None:
    # Behind a reverse proxy, let the proxy set REMOTE_ADDR; X-Forwarded-For from a client
    # could be forged, so it is never read here.
    return request.META.get("REMOTE_ADDR") or None


def audit(
    request: HttpRequest,
    action: AuditAction,
    patient: Patient | None = None,
    detail: str = "",
) -> AuditEvent:
    user = request.user if request.user.is_authenticated else None
    return AuditEvent.objects.create(
        user=user,
        username=user.get_username() if user else "",
        action=action,
        patient=patient,
        pseudonym=patient.pseudonym if patient else "",
        path=without_personnummer(request.get_full_path())[:500],
        ip_address=client_ip(request),
        detail=identity.mask_personnummer(detail)[:500],  # free text a user typed, too
    )


def get_patient_for_user(request: HttpRequest, pseudonym: str) -> Patient:
    """The patient, if the user may see them; the view is audited. Else 404, unaudited
    as a view but logged as a look-up that found nothing."""
    patient = patients_for(request.user).filter(pseudonym=pseudonym).first()
    if patient is None:
        audit(request, AuditAction.LOOKUP, detail=_missed(pseudonym))
        raise Http404("Ingen sådan patient")
    audit(request, AuditAction.VIEW, patient)
    return patient


# Ten or more digits in a row, allowing one - or + before the last four: what a
# personnummer typed into an address looks like (URL-encoded + is %2B).
_NUMBER_IN_PATH = re.compile(r"\d{6,8}(?:-|\+|%2B)?\d{4}", re.IGNORECASE)


def without_personnummer(path: str) -> str:
    """The address as the audit log keeps it: a personnummer typed into it (a patient page
    opened with a number instead of a pseudonym) is masked, never stored."""
    return _NUMBER_IN_PATH.sub("[personnummer]", path)


def _missed(value: str) -> str:
    """A pseudonym-shaped miss identifies no one and helps to see probing; a personnummer
    typed or pasted into the address never reaches the log."""
    if identity.looks_like_personnummer(value) or identity.NEAR_PNR.match(value.strip()):
        return "ingen träff (personnummer utelämnat)"
    return f"ingen träff: {value[:16]}"
