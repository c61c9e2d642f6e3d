"""What happens in coordination: the use cases that views, commands, the demo and tests
call. The rules they keep are written in states.py."""

from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta

from django.db import transaction
from django.db.models import Max, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from painpath.analytics.prescriptions import OME_PER_MG
from painpath.care.models import (
    Agreement,
    Attendance,
    CourseTemplate,
    GroupSession,
    OpioidAgreement,
    PainSchoolGroup,
    Participant,
    PlanAction,
    RehabMeeting,
    RehabPlan,
    StaffMember,
    TeamMember,
    TrainingCompletion,
    TrainingCourse,
)
from painpath.care.states import REHAB_MEETING_EVERY_DAYS, ParticipantStatus
from painpath.pathway.models import Enrolment
from painpath.pathway.states import State

# Pathway patients in care (states.py): assessed, follow-up due or followed up.
IN_CARE = (State.ASSESSED, State.FOLLOW_UP_DUE, State.FOLLOWED_UP)


class Backdated(ValueError):
    """A responsible caregiver named from a day before the current one's start."""


class NotInGroup(ValueError):
    """The patient's clinic does not take part in the group."""


# --- care team -------------------------------------------------------------------------


def current_team(enrolment: Enrolment, day: date | None = None) -> QuerySet[TeamMember]:
    day = day or timezone.localdate()
    return (
        enrolment.team.select_related("staff")
        .filter(joined_on__lte=day)
        .filter(Q(left_on__isnull=True) | Q(left_on__gt=day))
    )


def responsible_since(enrolment: Enrolment) -> date | None:
    """When the responsible caregiver who has not left began (a new one cannot be named
    from an earlier day: there would be two at once)."""
    open_rows = enrolment.team.filter(responsible=True, left_on__isnull=True)
    return open_rows.order_by("-joined_on").values_list("joined_on", flat=True).first()


def responsible(enrolment: Enrolment, day: date | None = None) -> TeamMember | None:
    return current_team(enrolment, day).filter(responsible=True).first()


@transaction.atomic
def add_member(
    enrolment: Enrolment,
    staff: StaffMember,
    user,
    *,
    profession: str = "",
    responsible: bool = False,
    joined_on: date | None = None,
) -> TeamMember:
    """Add a person to the team. Naming a responsible caregiver ends the previous one's
    responsibility on the same day (they stay on the team as a member)."""
    joined_on = joined_on or timezone.localdate()
    Enrolment.objects.select_for_update().get(pk=enrolment.pk)  # one responsible at a time
    if responsible and (since := responsible_since(enrolment)) and since > joined_on:
        raise Backdated(f"fast vårdkontakt sedan {since}, kan inte ersättas från {joined_on}")
    if responsible:
        for previous in current_team(enrolment, joined_on).filter(responsible=True):
            previous.left_on = joined_on
            previous.save(update_fields=["left_on"])
            if previous.staff_id != staff.pk:
                TeamMember.objects.create(
                    enrolment=enrolment,
                    staff=previous.staff,
                    profession=previous.profession,
                    joined_on=joined_on,
                    added_by=user,
                )
        # the new responsible's own member row (if any) ends: one row per person at a time
        current_team(enrolment, joined_on).filter(staff=staff).update(left_on=joined_on)
    elif current_team(enrolment, joined_on).filter(staff=staff).exists():
        return current_team(enrolment, joined_on).get(staff=staff)
    return TeamMember.objects.create(
        enrolment=enrolment,
        staff=staff,
        profession=profession or staff.profession,
        responsible=responsible,
        joined_on=joined_on,
        added_by=user,
    )


def leave(member: TeamMember, on: date | None = None) -> TeamMember:
    member.left_on = on or timezone.localdate()
    member.save(update_fields=["left_on"])
    return member


# --- rehab plan and patient agreement ----------------------------------------------------


def _next_version(model, enrolment: Enrolment) -> int:
    latest = model.objects.filter(enrolment=enrolment).aggregate(v=Max("version"))["v"]
    return (latest or 0) + 1


@transaction.atomic
def write_plan(
    enrolment: Enrolment,
    user,
    *,
    goals: str,
    patient_actions: str,
    review_on: date,
    actions: Sequence[tuple[str, str]] = (),
    meeting: RehabMeeting | None = None,
    at: datetime | None = None,
) -> RehabPlan:
    """A new version of the rehab plan; `actions` are (profession, what they do)."""
    Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    plan = RehabPlan.objects.create(
        enrolment=enrolment,
        version=_next_version(RehabPlan, enrolment),
        written_at=at or timezone.now(),
        written_by=user,
        goals=goals,
        patient_actions=patient_actions,
        review_on=review_on,
        meeting=meeting,
    )
    PlanAction.objects.bulk_create(
        PlanAction(plan=plan, profession=profession, action=text)
        for profession, text in actions
        if text.strip()
    )
    return plan


def current_plan(enrolment: Enrolment) -> RehabPlan | None:
    return enrolment.plans.prefetch_related("actions").order_by("-version").first()


@transaction.atomic
def write_agreement(enrolment: Enrolment, user, *, at: datetime | None = None, **fields):
    """A new version of the patient agreement (fields as on Agreement)."""
    Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    return Agreement.objects.create(
        enrolment=enrolment,
        version=_next_version(Agreement, enrolment),
        written_at=at or timezone.now(),
        written_by=user,
        **fields,
    )


def current_agreement(enrolment: Enrolment, day: date | None = None) -> Agreement | None:
    """The latest version valid on the day (states.py)."""
    day = day or timezone.localdate()
    return (
        enrolment.agreements.filter(valid_from__lte=day, valid_until__gte=day)
        .order_by("-version")
        .first()
    )


# --- rehab meetings ----------------------------------------------------------------------


@transaction.atomic
def record_meeting(
    enrolment: Enrolment,
    user,
    *,
    held_on: date,
    attendees: Iterable[StaffMember],
    decisions: str,
    patient_present: bool = False,
    others_present: str = "",
    plan: dict | None = None,
) -> RehabMeeting:
    """The meeting, and a new plan version from its decisions when `plan` is given
    (keyword arguments of write_plan)."""
    meeting = RehabMeeting.objects.create(
        enrolment=enrolment,
        held_on=held_on,
        patient_present=patient_present,
        others_present=others_present,
        decisions=decisions,
        recorded_by=user,
    )
    meeting.attendees.set(attendees)
    if plan:
        write_plan(enrolment, user, meeting=meeting, **plan)
    return meeting


def meeting_professions(meeting: RehabMeeting) -> list[str]:
    """The distinct professions present (from the attendees' roster entries)."""
    return sorted({s.profession for s in meeting.attendees.all() if s.profession})


def due_for_meeting(clinics, today: date | None = None) -> list[tuple[Enrolment, str]]:
    """Enrolments due for a rehab meeting with the reason, by the rule in states.py."""
    today = today or timezone.localdate()
    enrolments = (
        Enrolment.objects.filter(clinic__in=clinics, state__in=IN_CARE)
        .select_related("patient", "clinic")
        .prefetch_related("team", "meetings", "plans")
        .order_by("pk")
    )
    due = []
    for enrolment in enrolments:
        team = [
            m
            for m in enrolment.team.all()
            if m.joined_on <= today and (m.left_on is None or m.left_on > today)
        ]
        if len({m.profession for m in team}) < 2:
            continue
        meetings = list(enrolment.meetings.all())
        plans = sorted(enrolment.plans.all(), key=lambda p: p.version)
        if not meetings:
            due.append((enrolment, _("inget rehabmöte ännu")))
        elif plans and plans[-1].review_on <= today:
            day = plans[-1].review_on.isoformat()
            due.append((enrolment, _("planen skulle följas upp %(day)s") % {"day": day}))
        elif not plans and meetings[0].held_on + timedelta(REHAB_MEETING_EVERY_DAYS) <= today:
            due.append((enrolment, _("sex månader sedan senaste mötet")))
    return due


# --- pain school ----------------------------------------------------------------------


@transaction.atomic
def create_group(
    template: CourseTemplate,
    *,
    name: str,
    host,
    clinics=(),
    capacity: int,
    starts: Sequence[datetime],
    user=None,
    completion_sessions: int | None = None,
    **fields,
) -> PainSchoolGroup:
    """A group with one session per template session, at the given times. By default a
    participant completes the course by attending all sessions but one."""
    if len(starts) != len(template.sessions):
        raise ValueError(
            f"kursen har {len(template.sessions)} träffar, men {len(starts)} tider angavs"
        )
    n = len(template.sessions)
    group = PainSchoolGroup.objects.create(
        template=template,
        name=name,
        host=host,
        capacity=capacity,
        completion_sessions=completion_sessions or max(n - 1, 1),
        created_by=user,
        **fields,
    )
    group.clinics.set({host, *clinics})
    GroupSession.objects.bulk_create(
        GroupSession(group=group, number=i, title=title, starts_at=when)
        for i, (title, when) in enumerate(zip(template.sessions, starts, strict=True), 1)
    )
    return group


@transaction.atomic
def add_participant(group, patient, clinic, user=None, at=None) -> Participant:
    """Place the patient if the group has room, else put them last on the waiting list.
    The group row is locked, so two clinics adding at once cannot both take the last
    place."""
    group = PainSchoolGroup.objects.select_for_update().get(pk=group.pk)
    if not group.clinics.filter(pk=clinic.pk).exists():
        raise NotInGroup(f"{clinic} deltar inte i gruppen {group}")
    at = at or timezone.now()
    placed = group.participants.filter(status=ParticipantStatus.PLACED).count()
    has_room = placed < group.capacity
    return Participant.objects.create(
        group=group,
        patient=patient,
        clinic=clinic,
        status=ParticipantStatus.PLACED if has_room else ParticipantStatus.WAITING,
        queued_at=at,
        placed_at=at if has_room else None,
        added_by=user,
    )


@transaction.atomic
def withdraw(participant: Participant, at=None) -> Participant | None:
    """The participant leaves; if they had a place, the first on the waiting list gets it.
    Returns the participant who was placed, if any."""
    group = PainSchoolGroup.objects.select_for_update().get(pk=participant.group_id)
    at = at or timezone.now()
    had_place = participant.status == ParticipantStatus.PLACED
    participant.status, participant.withdrawn_at = ParticipantStatus.WITHDRAWN, at
    participant.save(update_fields=["status", "withdrawn_at"])
    if not had_place:
        return None
    first = group.participants.filter(status=ParticipantStatus.WAITING).first()
    if first:
        first.status, first.placed_at = ParticipantStatus.PLACED, at
        first.save(update_fields=["status", "placed_at"])
    return first


def mark_attendance(session: GroupSession, participant: Participant, present: bool):
    Attendance.objects.update_or_create(
        session=session, participant=participant, defaults={"present": present}
    )


def sessions_attended(participant: Participant) -> int:
    return participant.attendance.filter(present=True).count()


def completed(participant: Participant) -> bool:
    return (
        participant.status != ParticipantStatus.WAITING
        and sessions_attended(participant) >= participant.group.completion_sessions
    )


# --- staff training ----------------------------------------------------------------------


def record_training(
    course: TrainingCourse, staff: StaffMember, completed_on: date, user=None
) -> TrainingCompletion:
    completion, _ = TrainingCompletion.objects.update_or_create(
        course=course, staff=staff, defaults={"completed_on": completed_on, "recorded_by": user}
    )
    return completion


def on_roster(clinics, day: date) -> QuerySet[StaffMember]:
    return StaffMember.objects.filter(clinic__in=clinics).filter(
        Q(active_from__isnull=True) | Q(active_from__lte=day),
        Q(active_to__isnull=True) | Q(active_to__gte=day),
    )


# --- opioid treatment agreements ---------------------------------------------------------


def ome_factor(atc: str) -> float | None:
    """Oral morphine equivalents per mg, by the longest matching prefix (as the
    prescription analytics do); None for patches and substances without a factor."""
    code = atc.strip().upper()
    matches = [prefix for prefix in OME_PER_MG if code.startswith(prefix)]
    return OME_PER_MG[max(matches, key=len)] if matches else None


def write_opioid_agreement(patient, clinic, user=None, **fields) -> OpioidAgreement:
    factor = ome_factor(fields["atc"])
    ome = round(fields["max_daily_mg"] * factor, 1) if factor is not None else None
    return OpioidAgreement.objects.create(
        patient=patient, clinic=clinic, written_by=user, max_daily_ome=ome, **fields
    )


def current_opioid_agreements(clinics, day: date) -> QuerySet[OpioidAgreement]:
    return OpioidAgreement.objects.filter(clinic__in=clinics, agreed_on__lte=day).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=day)
    )


def end_opioid_agreement(agreement: OpioidAgreement, on: date) -> OpioidAgreement:
    """The agreement ends on the day: no longer current from then on."""
    agreement.ended_on = on
    agreement.save(update_fields=["ended_on"])
    return agreement
