"""The one way a view fetches an enrolment: only from the user's own clinics."""

from django.http import Http404

from painpath.access.models import AuditAction
from painpath.access.policies import audit, clinics_for
from painpath.pathway.models import Enrolment


def get_enrolment_for_user(request, pk: int) -> Enrolment:
    """The enrolment, if it is at one of the user's clinics; else 404, as for one that does
    not exist, logged as a look-up that found nothing (as the patient look-up is). The
    caller audits what it then shows or changes."""
    enrolment = (
        Enrolment.objects.select_related("patient", "clinic", "identified_by")
        .filter(pk=pk, clinic__in=clinics_for(request.user))
        .first()
    )
    if enrolment is None:
        audit(request, AuditAction.LOOKUP, detail=f"ingen inskrivning i vårdförloppet: {pk}")
        raise Http404("Ingen sådan inskrivning")
    return enrolment
