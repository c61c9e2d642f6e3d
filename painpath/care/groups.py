"""Pain-school groups (smärtskola) and staff training, as pages and indicators read them.

The rules (placed or waiting, completion) are in states.py and the changes in actions.py;
this module only counts and arranges.

Privacy in a group shared by several clinics: a user sees by name (pseudonym, and the
name from the patient's pathway at their clinic) only the participants of their own
clinics. The others are shown as counts per clinic ("3 deltagare från Annan vårdcentral"),
and on the waiting list as anonymous places in the queue, so everyone sees the order.
Attendance: each clinic marks its own patients' attendance. The host clinic does not mark
for the others: to tick a box for a person the host would have to see who they are, and
patient data follows the patient's clinic (access/policies.py).

Audit: the group page writes one VIEW per own-clinic patient it names (detail: the group);
a page that names no patient writes nothing. Every change (place, waiting list,
withdrawal, attendance) is a CHANGE with the patient.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from painpath.care.actions import on_roster
from painpath.care.models import (
    Attendance,
    GroupSession,
    PainSchoolGroup,
    Participant,
    TrainingCompletion,
)
from painpath.care.states import ParticipantStatus, StaffKind
from painpath.pathway.models import Enrolment

PLANNED, RUNNING, FINISHED = "planned", "running", "finished"
STATUS_LABELS = {PLANNED: _("Planerad"), RUNNING: _("Pågår"), FINISHED: _("Avslutad")}


def groups_for(clinics):
    """The groups any of the clinics takes part in (host or partner). A subquery rather
    than a join, so counts annotated on it are not multiplied by the user's clinics."""
    taking_part = PainSchoolGroup.objects.filter(clinics__in=clinics).values("pk")
    return PainSchoolGroup.objects.filter(pk__in=taking_part)


def status(first: date | None, last: date | None, today: date) -> str:
    """Planned before the first session's day, finished after the last's, else running."""
    if first is None or today < first:
        return PLANNED
    return FINISHED if today > last else RUNNING


def _local_day(moment: datetime) -> date:
    return timezone.localtime(moment).date()


@dataclass
class GroupLine:
    group: PainSchoolGroup
    first: date | None
    last: date | None
    placed: int
    waiting: int
    status: str

    @property
    def status_label(self):
        return STATUS_LABELS[self.status]


def group_lines(clinics, today: date | None = None) -> list[GroupLine]:
    """The groups of the list page, with counts over every clinic (numbers only)."""
    today = today or timezone.localdate()
    groups = groups_for(clinics).select_related("host").prefetch_related("sessions", "clinics")
    groups = groups.annotate(
        n_placed=Count("participants", filter=Q(participants__status=ParticipantStatus.PLACED)),
        n_waiting=Count("participants", filter=Q(participants__status=ParticipantStatus.WAITING)),
    )
    lines = []
    for group in groups:
        days = [_local_day(s.starts_at) for s in group.sessions.all()]
        first, last = (min(days), max(days)) if days else (None, None)
        lines.append(
            GroupLine(
                group, first, last, group.n_placed, group.n_waiting, status(first, last, today)
            )
        )
    return lines


def _with_attended(participants):
    return participants.annotate(
        attended=Count("attendance", filter=Q(attendance__present=True))
    ).select_related("patient", "clinic")


def _completed(participant: Participant, needed: int) -> bool:
    # The rule of actions.completed, on the annotated count (tests check they agree).
    return participant.status != ParticipantStatus.WAITING and participant.attended >= needed


def names(patients, clinics) -> dict[int, str]:
    """The patients' names from their pathways at the clinics, latest first wins."""
    found: dict[int, str] = {}
    rows = (
        Enrolment.objects.filter(patient__in=patients, clinic__in=clinics)
        .order_by("-created_at")
        .values_list("patient_id", "first_name", "family_name")
    )
    for patient_id, first, family in rows:
        full = f"{first} {family}".strip()
        if full and patient_id not in found:
            found[patient_id] = full
    return found


@dataclass
class Seat:
    """A participant as the user may see them: named when `own`, else only a clinic."""

    participant: Participant
    own: bool
    name: str = ""
    number: int | None = None  # place on the waiting list
    completed: bool = False
    marks: list = field(default_factory=list)  # per session: True, False or None


@dataclass
class Roster:
    sessions: list[GroupSession]
    placed: list[Seat]  # own clinics' participants with a place
    others: list[tuple[str, int]]  # (clinic name, placed participants) for other clinics
    waiting: list[Seat]  # the whole list in order; other clinics' entries not named
    withdrawn: list[Seat]  # own clinics'
    placed_count: int
    free: int

    @property
    def named(self) -> list[Seat]:
        return [s for s in (*self.placed, *self.waiting, *self.withdrawn) if s.own]


def roster(group: PainSchoolGroup, clinics) -> Roster:
    own_ids = {c.pk for c in clinics}
    sessions = list(group.sessions.all())
    participants = list(_with_attended(group.participants.all()))
    own = [p for p in participants if p.clinic_id in own_ids]
    named = names([p.patient_id for p in own], clinics)
    marks = _marks([p.pk for p in own])

    def seat(p: Participant, number=None) -> Seat:
        mine = p.clinic_id in own_ids
        return Seat(
            p,
            mine,
            name=named.get(p.patient_id, "") if mine else "",
            number=number,
            completed=mine and _completed(p, group.completion_sessions),
            marks=[marks.get((p.pk, s.pk)) for s in sessions] if mine else [],
        )

    placed = [p for p in participants if p.status == ParticipantStatus.PLACED]
    waiting = [p for p in participants if p.status == ParticipantStatus.WAITING]
    others = Counter(p.clinic.name for p in placed if p.clinic_id not in own_ids)
    return Roster(
        sessions=sessions,
        placed=[seat(p) for p in placed if p.clinic_id in own_ids],
        others=sorted(others.items()),
        waiting=[seat(p, n) for n, p in enumerate(waiting, 1)],
        withdrawn=[seat(p) for p in own if p.status == ParticipantStatus.WITHDRAWN],
        placed_count=len(placed),
        free=max(group.capacity - len(placed), 0),
    )


def _marks(participant_ids) -> dict[tuple[int, int], bool]:
    rows = Attendance.objects.filter(participant_id__in=participant_ids)
    return {(a.participant_id, a.session_id): a.present for a in rows}


def waiting_number(participant: Participant) -> int | None:
    """The participant's place on the waiting list (1 = next), None when not waiting."""
    if participant.status != ParticipantStatus.WAITING:
        return None
    ahead = participant.group.participants.filter(status=ParticipantStatus.WAITING).filter(
        Q(queued_at__lt=participant.queued_at)
        | Q(queued_at=participant.queued_at, id__lt=participant.pk)
    )
    return ahead.count() + 1


# --- for the indicators ------------------------------------------------------------------

FIGURES = ("placed", "waiting", "withdrawn", "completed", "attended")


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def group_figures(clinics, start: date, end: date) -> dict:
    """Pain school for the clinics' patients, in the groups whose first session falls in
    start..end (both days included):

    {"groups": groups the clinics take part in,
     "placed" / "waiting" / "withdrawn": participants by their status now,
     "completed": participants who completed the course (states.py; a withdrawn one
                  counts when they had attended enough),
     "attended": sessions attended, summed over participants,
     "by_clinic": {clinic code: the five participant figures for that clinic}}

    Participants count for the clinic that placed them (Participant.clinic), so a shared
    group's figures split between its clinics without counting anyone twice.
    """
    clinics = list(clinics)
    firsts = (
        GroupSession.objects.filter(number=1, group__clinics__in=clinics)
        .filter(starts_at__gte=_day_start(start), starts_at__lt=_day_start(end + timedelta(1)))
        .values_list("group_id", flat=True)
        .distinct()
    )
    group_ids = set(firsts)
    by_clinic = {c.code: dict.fromkeys(FIGURES, 0) for c in clinics}
    participants = _with_attended(
        Participant.objects.filter(group_id__in=group_ids, clinic__in=clinics)
    ).select_related("group")
    for p in participants:
        row = by_clinic[p.clinic.code]
        row[p.status] += 1
        row["completed"] += _completed(p, p.group.completion_sessions)
        row["attended"] += p.attended
    totals = {name: sum(row[name] for row in by_clinic.values()) for name in FIGURES}
    return {"groups": len(group_ids), **totals, "by_clinic": by_clinic}


def training_coverage(clinics, day: date, course) -> dict:
    """Of the staff on the clinics' roster on the day, how many had completed the course
    by then, for caregivers and administrators apart:

    {"caregiver": {"on_roster": n, "trained": n, "share": trained / on_roster or None},
     "administrator": {...}}
    """
    staff = on_roster(clinics, day)
    trained = set(
        TrainingCompletion.objects.filter(
            course=course, completed_on__lte=day, staff__in=staff
        ).values_list("staff_id", flat=True)
    )
    coverage = {}
    for kind in StaffKind:
        ids = set(staff.filter(kind=kind).values_list("id", flat=True))
        done = len(ids & trained)
        coverage[kind.value] = {
            "on_roster": len(ids),
            "trained": done,
            "share": done / len(ids) if ids else None,
        }
    return coverage


def completions(course, staff) -> dict[int, date]:
    """When each of the staff completed the course, for those who have."""
    rows = TrainingCompletion.objects.filter(course=course, staff__in=staff)
    return dict(rows.values_list("staff_id", "completed_on"))
