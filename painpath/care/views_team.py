"""Coordination of one pathway patient: the overview of the clinic's patients in care, and
for each enrolment its care team, rehab plan, patient agreement (with a page to print for
the patient) and rehab meetings (views_meetings.py). Every enrolment is fetched with
get_enrolment_for_user (another clinic's is a 404), every view and change is audited, and
every change goes through care/actions.py."""

from dataclasses import dataclass
from datetime import date
from functools import wraps

from django.contrib import messages
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from painpath.access.models import AuditAction
from painpath.access.policies import audit, clinics_for
from painpath.care import actions
from painpath.care.forms_team import (
    AgreementForm,
    PlanForm,
    TeamMemberForm,
    agreement_initial,
    plan_professions,
)
from painpath.care.models import Agreement, RehabPlan, TeamMember
from painpath.pathway.lookup import get_enrolment_for_user
from painpath.pathway.models import Enrolment
from painpath.pathway.states import State
from painpath.records.professions import PROFESSIONS, Profession


def full_name(enrolment: Enrolment) -> str:
    return f"{enrolment.first_name} {enrolment.family_name}".strip()


def in_care(enrolment: Enrolment) -> bool:
    """Coordination starts at the first assessment and outlives the pathway (states.py)."""
    return (
        enrolment.state in actions.IN_CARE
        or enrolment.changes.filter(to_state=State.ASSESSED).exists()
    )


def posted(request):
    """The form's data when it was sent, even empty (which an unbound form would hide)."""
    return request.POST if request.method == "POST" else None


def viewed(request, enrolment: Enrolment, what: str) -> None:
    detail = f"samordning, vårdförlopp {enrolment.pk}: {what}"
    audit(request, AuditAction.VIEW, enrolment.patient, detail)


def done(request, enrolment: Enrolment, what: str, message: str):
    """After a change: audited, said in a message, back to the patient's care page."""
    detail = f"samordning, vårdförlopp {enrolment.pk}: {what}"
    audit(request, AuditAction.CHANGE, enrolment.patient, detail)
    messages.success(request, message)
    return redirect("care_enrolment", enrolment.pk)


def care_change(view):
    """A change of an enrolment's coordination: the view gets the enrolment (another
    clinic's is a 404); before the first assessment the change is refused."""

    @wraps(view)
    def wrapper(request, pk: int, *args, **kwargs):
        enrolment = get_enrolment_for_user(request, pk)
        if not in_care(enrolment):
            messages.error(request, _("Samordningen börjar när patienten är bedömd."))
            return redirect("care_enrolment", enrolment.pk)
        return view(request, enrolment, *args, **kwargs)

    return wrapper


# --- the overview ------------------------------------------------------------------------


@dataclass
class Row:
    enrolment: Enrolment
    name: str
    responsible: TeamMember | None
    professions: list[str]
    plan: RehabPlan | None
    plan_overdue: bool
    agreement: Agreement | None  # current today
    agreement_ended: date | None  # when the last one ran out, if none is current
    last_meeting: date | None


def _row(enrolment: Enrolment, today: date) -> Row:
    # The rules of actions.current_team / current_agreement, on prefetched rows.
    team = [
        m
        for m in enrolment.team.all()
        if m.joined_on <= today and (m.left_on is None or m.left_on > today)
    ]
    plans = sorted(enrolment.plans.all(), key=lambda p: p.version)
    agreements = sorted(enrolment.agreements.all(), key=lambda a: a.version)
    current = [a for a in agreements if a.valid_from <= today <= a.valid_until]
    ended = [a.valid_until for a in agreements if a.valid_until < today]
    meetings = [m.held_on for m in enrolment.meetings.all()]
    plan = plans[-1] if plans else None
    return Row(
        enrolment=enrolment,
        name=full_name(enrolment),
        responsible=next((m for m in team if m.responsible), None),
        professions=[Profession(p).label for p in PROFESSIONS if p in {m.profession for m in team}],
        plan=plan,
        plan_overdue=plan is not None and plan.review_on < today,
        agreement=current[-1] if current else None,
        agreement_ended=None if current else max(ended, default=None),
        last_meeting=max(meetings, default=None),
    )


def overview(request):
    clinics = clinics_for(request.user)
    today = timezone.localdate()
    enrolments = (
        Enrolment.objects.filter(clinic__in=clinics, state__in=actions.IN_CARE)
        .select_related("patient", "clinic")
        .prefetch_related(
            Prefetch("team", queryset=TeamMember.objects.select_related("staff")),
            "plans",
            "agreements",
            "meetings",
        )
        .order_by("family_name", "first_name", "pk")
    )
    rows = [_row(e, today) for e in enrolments]
    due = [(e, full_name(e), reason) for e, reason in actions.due_for_meeting(clinics, today)]
    audit(request, AuditAction.VIEW, detail="samordning: översikt")
    return render(request, "care/coordination.html", {"rows": rows, "due": due, "today": today})


# --- one enrolment -----------------------------------------------------------------------


def enrolment_care(request, pk: int):
    enrolment = get_enrolment_for_user(request, pk)
    viewed(request, enrolment, "samordning")
    plan = actions.current_plan(enrolment)
    agreement = actions.current_agreement(enrolment)
    context = {
        "enrolment": enrolment,
        "patient": enrolment.patient,
        "name": full_name(enrolment),
        "in_care": in_care(enrolment),
        "team": actions.current_team(enrolment),
        "team_history": enrolment.team.select_related("staff", "added_by").order_by(
            "joined_on", "id"
        ),
        "plan": plan,
        "plans": enrolment.plans.select_related("written_by", "meeting"),
        "agreement": agreement,
        "agreements": enrolment.agreements.select_related("written_by"),
        "meetings": [
            (m, [Profession(p).label for p in actions.meeting_professions(m)])
            for m in enrolment.meetings.prefetch_related("attendees", "plans")
        ],
        "today": timezone.localdate(),
    }
    return render(request, "care/enrolment_care.html", context)


# --- the care team -----------------------------------------------------------------------


@care_change
def team_add(request, enrolment: Enrolment):
    form = TeamMemberForm(posted(request), enrolment=enrolment)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        member = actions.add_member(
            enrolment, data["staff"], request.user, profession=data["profession"],
            responsible=data["responsible"], joined_on=data["joined_on"],
        )  # fmt: skip
        role = "fast vårdkontakt" if member.responsible else "medlem"
        message = _("%(name)s är med i teamet.") % {"name": member.staff.name}
        return done(request, enrolment, f"team: {member.staff.name} ({role})", message)
    viewed(request, enrolment, "team (formulär)")
    context = {"enrolment": enrolment, "form": form, "team": actions.current_team(enrolment)}
    return render(request, "care/team_form.html", context)


@require_POST
@care_change
def team_leave(request, enrolment: Enrolment, member_id: int):
    member = get_object_or_404(actions.current_team(enrolment), pk=member_id)
    actions.leave(member)
    message = _("%(name)s har lämnat teamet i dag.") % {"name": member.staff.name}
    if member.responsible:
        message += " " + _("Teamet har nu ingen fast vårdkontakt.")
    return done(request, enrolment, f"team: {member.staff.name} lämnar", message)


# --- the rehab plan ----------------------------------------------------------------------


@care_change
def plan_new(request, enrolment: Enrolment):
    current = actions.current_plan(enrolment)
    professions = plan_professions(enrolment, current)
    form = PlanForm(posted(request), professions=professions, plan=current)
    if request.method == "POST" and form.is_valid():
        plan = actions.write_plan(enrolment, request.user, **form.plan_kwargs())
        message = _("Rehabplanen är sparad som version %(n)s.") % {"n": plan.version}
        return done(request, enrolment, f"rehabplan v{plan.version}", message)
    viewed(request, enrolment, "ny rehabplan (formulär)")
    context = {"enrolment": enrolment, "form": form, "current": current}
    return render(request, "care/plan_form.html", context)


def plan_version(request, pk: int, version: int):
    enrolment = get_enrolment_for_user(request, pk)
    plan = get_object_or_404(enrolment.plans.select_related("written_by"), version=version)
    viewed(request, enrolment, f"rehabplan v{version}")
    current = actions.current_plan(enrolment)
    context = {"enrolment": enrolment, "plan": plan, "is_current": plan == current}
    context["today"] = timezone.localdate()
    return render(request, "care/plan_version.html", context)


# --- the patient agreement ---------------------------------------------------------------


@care_change
def agreement_new(request, enrolment: Enrolment):
    form = AgreementForm(posted(request), initial=agreement_initial(enrolment))
    if request.method == "POST" and form.is_valid():
        agreement = actions.write_agreement(enrolment, request.user, **form.cleaned_data)
        message = _("Överenskommelsen är sparad som version %(n)s.") % {"n": agreement.version}
        return done(request, enrolment, f"överenskommelse v{agreement.version}", message)
    viewed(request, enrolment, "ny överenskommelse (formulär)")
    context = {"enrolment": enrolment, "form": form}
    return render(request, "care/agreement_form.html", context)


def _agreement(request, pk: int, version: int) -> tuple[Enrolment, dict]:
    enrolment = get_enrolment_for_user(request, pk)
    agreement = get_object_or_404(
        enrolment.agreements.select_related("written_by"), version=version
    )
    context = {
        "enrolment": enrolment,
        "agreement": agreement,
        "is_current": agreement == actions.current_agreement(enrolment),
        "name": full_name(enrolment),
    }
    return enrolment, context


def agreement_version(request, pk: int, version: int):
    enrolment, context = _agreement(request, pk, version)
    viewed(request, enrolment, f"överenskommelse v{version}")
    return render(request, "care/agreement_version.html", context)


def agreement_print(request, pk: int, version: int):
    enrolment, context = _agreement(request, pk, version)
    audit(request, AuditAction.VIEW, enrolment.patient, f"utskrift överenskommelse v{version}")
    return render(request, "care/agreement_print.html", context)
