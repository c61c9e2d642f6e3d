"""The one way a view fetches an improvement project: only from the user's own clinics."""

from django.http import Http404

from painpath.access.models import AuditAction
from painpath.access.policies import audit, clinics_for
from painpath.improvement.models import Project


def get_project_for_user(request, pk: int) -> Project:
    """The project, if it belongs to one of the user's clinics; else 404, as for one that
    does not exist, logged as a look-up that found nothing. The caller audits what it
    then changes (project pages show aggregates only, so viewing is not audited)."""
    project = (
        Project.objects.select_related("clinic")
        .filter(pk=pk, clinic__in=clinics_for(request.user))
        .first()
    )
    if project is None:
        audit(request, AuditAction.LOOKUP, detail=f"inget förbättringsarbete: {pk}")
        raise Http404("Inget sådant förbättringsarbete")
    return project
