"""Telephone triage's page (telefonrådgivning): one field, "Personnummer eller namn", and the
patient's card (care/triage.py).

The search is a POST, not a GET with ?q=: a personnummer in a URL ends up in the browser's
history, in the server's and any proxy's access logs, and in the audit log's `path`. The
price is that the browser's back button asks before sending the form again; the card of a
name search has its own address (triage_card) and a link back to a new search.

Every look-up is audited: a hit as a look-up of each patient found, a miss (nobody, or a
patient of another clinic, answered alike) as a look-up without a patient, an invalid number
too. The detail names the kind of search and the number of hits, never the number or the
name typed. Showing a card is a view of that patient.
"""

from django.db import transaction
from django.shortcuts import render

from painpath.access.models import AuditAction
from painpath.access.policies import audit
from painpath.care import triage
from painpath.pathway.lookup import get_enrolment_for_user

TEMPLATE = "care/triage.html"
KINDS = {triage.PERSONNUMMER: "personnummer", triage.NAME: "namn"}


def triage_lookup(request):
    if request.method != "POST":
        return render(request, TEMPLATE, {"query": ""})
    query = request.POST.get("q", "")[:200]
    result = triage.search(request.user, query)
    shown = None
    if result.kind == triage.PERSONNUMMER and len(result.enrolments) == 1:
        shown = result.enrolments[0]
    _audit_search(request, result, shown)
    card = triage.snapshot(shown) if shown else None
    context = {"query": query, "result": result, "card": card}
    return render(request, TEMPLATE, context)


def triage_card(request, pk: int):
    enrolment = get_enrolment_for_user(request, pk)  # 404, logged, outside the user's clinics
    _audit_card(request, enrolment)
    return render(request, TEMPLATE, {"query": "", "card": triage.snapshot(enrolment)})


def _audit_card(request, enrolment) -> None:
    audit(request, AuditAction.VIEW, enrolment.patient, f"telefonrådgivning: kort {enrolment.pk}")


# One transaction for all of a look-up's events: SQLite has one writer at a time, and under
# load each extra write transaction is another wait for its lock (benchmarks/README.md).
@transaction.atomic
def _audit_search(request, result: triage.Result, shown) -> None:
    if not result.kind:
        return
    kind = KINDS[result.kind]
    if result.error:
        audit(request, AuditAction.LOOKUP, detail=f"telefonrådgivning: ogiltig sökning ({kind})")
        return
    patients = result.patients
    if not patients:
        audit(request, AuditAction.LOOKUP, detail=f"telefonrådgivning: ingen träff ({kind})")
        return
    hits = len(result.enrolments)
    for patient in patients:
        detail = f"telefonrådgivning: träff på {kind}, inskrivningar: {hits}"
        audit(request, AuditAction.LOOKUP, patient, detail)
    if shown is not None:
        _audit_card(request, shown)
