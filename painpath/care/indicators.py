"""Coordination's indicators for a period, as a JSON-ready dict with stable English keys,
for the indicators page, `painpath care indicators` and the improvement projects.

A *share* is always {"numerator": n, "denominator": d, "share": n / d}, and the share is
null when there is nothing to count (d = 0): "no patients" is not "0 %".

Definitions, for the clinics chosen and a period start..end (both days included). Status
figures are taken as they were on the period's last day (*end*), counts over the period:

- agreements: the *pathway patients in care* on end are the enrolments at the clinics whose
  state on end (from their history of state changes) was assessed, follow-up due or followed
  up (states.py). Of them, `current_agreement`: those with a patient agreement
  (patientöverenskommelse) written by end and valid on end (valid_from <= end <=
  valid_until); `rehab_plan`: those with any version of a rehab plan written by end.
- agreements_reviewed_on_time: the agreement versions whose valid_until fell in the period
  and has come (on or before today); of them, those followed by a newer version written on
  or before that valid_until (states.py).
- rehab_meetings: per calendar month the period touches, the meetings held at the clinics'
  enrolments; `professions_per_meeting` is the mean number of distinct professions among
  the staff attending (null in a month without meetings); `patient_present` is the share of
  meetings the patient took part in.
- pain_school: the groups any of the clinics takes part in whose first session is in the
  period, and of their participants those placed by the clinics (a shared group counts each
  clinic's own). `placed`, `waiting`, `withdrawn` by their status now; `completed`: attended
  at least the group's completion_sessions without being on the waiting list (the rule of
  actions.completed). `completion` is the share of those who were given a place (placed now,
  or withdrawn after having had one) who completed, counted only in groups whose last
  session was on or before end and today; the others are `not_yet_measurable`, kept apart.
  `attendance`: of the attendance marks made, the share marked present.
- training: per course, of the staff on the clinics' roster on end (active_from/active_to),
  caregivers and administrators apart, those who had completed the course by end.
- opioids: on end (or the extract's last prescription day, `as_of`, when the extract ends
  before end), the patients on opioids in the extract (a prescription at the clinics in
  the 180 days up to that day, opioids.py), with and without a current opioid treatment
  agreement; and the current agreements whose review date had passed by end.

`measure(name, clinics, start, end)` gives one share indicator for one period (a month, for
the improvement projects' run charts) with a note that says why when it cannot be computed.
"""

from collections import defaultdict
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from painpath.care import actions
from painpath.care.groups import training_coverage
from painpath.care.models import (
    Agreement,
    Attendance,
    GroupSession,
    Participant,
    RehabMeeting,
    RehabPlan,
    TrainingCourse,
)
from painpath.care.opioids import as_of, opioid_patients, overdue_reviews
from painpath.care.states import ParticipantStatus
from painpath.pathway.models import StateChange


def share(numerator: int, denominator: int) -> dict:
    return {
        "numerator": numerator,
        "denominator": denominator,
        "share": numerator / denominator if denominator else None,
    }


def day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _before(day: date) -> datetime:
    """The first moment after the day: 'written by day' is written_at < this."""
    return day_start(day + timedelta(days=1))


def months(start: date, end: date) -> list[tuple[date, date]]:
    """Every calendar month the period touches, clipped to the period."""
    found, first = [], start
    while first <= end:
        following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
        found.append((first, min(end, following - timedelta(days=1))))
        first = following
    return found


# --- the figures -------------------------------------------------------------------------


EARLIEST_YEAR = 2000  # before the extracts and the pathway: nothing to count
LONGEST_YEARS = 10  # a longer period is slow to count and never asked for


def years_later(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def period_problems(start: date, end: date, today: date) -> dict[str, str]:
    """What is wrong with a period, by field ("start", "end"), in Swedish; empty when it
    can be counted. The page and `painpath care indicators` both refuse such a period, so
    a date like 9999-12-31 never reaches the date arithmetic."""
    problems = {}
    if start.year < EARLIEST_YEAR:
        problems["start"] = _("Perioden kan börja tidigast %(day)s.") % {
            "day": date(EARLIEST_YEAR, 1, 1).isoformat()
        }
    latest = years_later(today, 1)
    if end > latest:
        problems["end"] = _("Perioden kan sluta senast %(day)s, ett år fram.") % {
            "day": latest.isoformat()
        }
    if not problems and end > years_later(start, LONGEST_YEARS):
        problems["end"] = _("Perioden får vara högst %(n)s år.") % {"n": LONGEST_YEARS}
    return problems


def in_care_on(clinics, day: date) -> list[int]:
    """Enrolment ids whose state on the day was one of IN_CARE, from the state history."""
    changes = (
        StateChange.objects.filter(enrolment__clinic__in=clinics, at__lt=_before(day))
        .order_by("enrolment_id", "at", "id")
        .values_list("enrolment_id", "to_state")
    )
    state = dict(changes.iterator())  # the last change of each enrolment wins
    return sorted(pk for pk, to_state in state.items() if to_state in actions.IN_CARE)


def agreement_figures(clinics, end: date) -> dict:
    ids = in_care_on(clinics, end)
    written = {"enrolment_id__in": ids, "written_at__lt": _before(end)}
    with_agreement = (
        Agreement.objects.filter(**written, valid_from__lte=end, valid_until__gte=end)
        .values("enrolment_id")
        .distinct()
        .count()
    )
    with_plan = RehabPlan.objects.filter(**written).values("enrolment_id").distinct().count()
    return {
        "patients_in_care": len(ids),
        "current_agreement": share(with_agreement, len(ids)),
        "rehab_plan": share(with_plan, len(ids)),
    }


def reviewed_on_time(clinics, start: date, end: date, today: date | None = None) -> dict:
    last = min(end, today or timezone.localdate())
    due = list(
        Agreement.objects.filter(
            enrolment__clinic__in=clinics, valid_until__gte=start, valid_until__lte=last
        ).values_list("enrolment_id", "version", "valid_until")
    )
    newer = defaultdict(list)
    rows = Agreement.objects.filter(enrolment_id__in={row[0] for row in due})
    for enrolment_id, version, written_at in rows.values_list(
        "enrolment_id", "version", "written_at"
    ):
        newer[enrolment_id].append((version, timezone.localdate(written_at)))
    on_time = sum(
        any(v > version and written <= until for v, written in newer[enrolment_id])
        for enrolment_id, version, until in due
    )
    return share(on_time, len(due))


def meeting_figures(clinics, start: date, end: date) -> dict:
    meetings = (
        RehabMeeting.objects.filter(enrolment__clinic__in=clinics)
        .filter(held_on__gte=start, held_on__lte=end)
        .prefetch_related("attendees")
    )
    by_month = defaultdict(list)
    for meeting in meetings:
        by_month[meeting.held_on.strftime("%Y-%m")].append(meeting)

    def summary(held: list) -> dict:
        professions = [len(actions.meeting_professions(m)) for m in held]
        return {
            "meetings": len(held),
            "professions_per_meeting": sum(professions) / len(held) if held else None,
            "patient_present": share(sum(m.patient_present for m in held), len(held)),
        }

    rows = [
        {"month": first.strftime("%Y-%m"), **summary(by_month[first.strftime("%Y-%m")])}
        for first, _last in months(start, end)
    ]
    return {"total": summary([m for held in by_month.values() for m in held]), "months": rows}


def pain_school_figures(clinics, start: date, end: date, today: date | None = None) -> dict:
    last_counted = min(end, today or timezone.localdate())
    firsts = GroupSession.objects.filter(
        number=1, starts_at__gte=day_start(start), starts_at__lt=_before(end)
    ).values("group_id")
    chosen = Participant.objects.filter(group_id__in=firsts, clinic__in=clinics)
    participants = chosen.select_related("group").annotate(
        attended=Count("attendance", filter=Q(attendance__present=True))
    )
    last_sessions = {}
    for group_id, starts_at in GroupSession.objects.filter(group_id__in=firsts).values_list(
        "group_id", "starts_at"
    ):
        day = timezone.localdate(starts_at)
        last_sessions[group_id] = max(day, last_sessions.get(group_id, day))
    counts = dict.fromkeys(ParticipantStatus.values, 0) | {"completed": 0}
    completed_done = given_done = not_yet = 0
    groups = set()
    for p in participants:
        groups.add(p.group_id)
        counts[p.status] += 1
        # actions.completed, on the annotated count (one query for all participants)
        done = p.status != ParticipantStatus.WAITING and p.attended >= p.group.completion_sessions
        counts["completed"] += done
        if p.placed_at is None:
            continue  # never had a place: not in the completion share
        if last_sessions[p.group_id] <= last_counted:
            given_done += 1
            completed_done += done
        else:
            not_yet += 1
    marks = Attendance.objects.filter(participant__in=chosen).aggregate(
        marks=Count("pk"), present=Count("pk", filter=Q(present=True))
    )
    return {
        "groups": len(groups),
        **counts,
        "completion": share(completed_done, given_done),
        "not_yet_measurable": not_yet,
        "attendance": share(marks["present"], marks["marks"]),
    }


def _coverage(clinics, day: date, course) -> dict:
    found = training_coverage(clinics, day, course)
    return {kind: share(v["trained"], v["on_roster"]) for kind, v in found.items()}


def training_figures(clinics, end: date) -> list[dict]:
    return [
        {"course": course.name, **_coverage(clinics, end, course)}
        for course in TrainingCourse.objects.order_by("name")
    ]


def opioid_figures(clinics, end: date) -> dict:
    day = as_of(clinics, end)
    patients = opioid_patients(clinics, day, agreed_by=end)
    with_agreement = sum(p.agreement is not None for p in patients)
    return {
        "as_of": day.isoformat(),
        "patients": len(patients),
        "with_agreement": with_agreement,
        "without_agreement": len(patients) - with_agreement,
        "agreement": share(with_agreement, len(patients)),
        "review_overdue": overdue_reviews(clinics, end).count(),
    }


def care_indicators(clinics, start: date, end: date, today: date | None = None) -> dict:
    clinics = list(clinics)
    return {
        "clinics": [clinic.code for clinic in clinics],
        "period": {"start": start.isoformat(), "end": end.isoformat()},
        "agreements": agreement_figures(clinics, end),
        "agreements_reviewed_on_time": reviewed_on_time(clinics, start, end, today),
        "rehab_meetings": meeting_figures(clinics, start, end),
        "pain_school": pain_school_figures(clinics, start, end, today),
        "training": training_figures(clinics, end),
        "opioids": opioid_figures(clinics, end),
    }


# --- one share indicator per period, for improvement projects ----------------------------

# name -> (how it is computed from (clinics, start, end), why it may have no value)
MEASURES = {
    "current_agreement": (
        lambda c, s, e: agreement_figures(c, e)["current_agreement"],
        "inga vårdförloppspatienter under behandling vid periodens slut",
    ),
    "rehab_plan": (
        lambda c, s, e: agreement_figures(c, e)["rehab_plan"],
        "inga vårdförloppspatienter under behandling vid periodens slut",
    ),
    "agreements_reviewed_on_time": (
        lambda c, s, e: reviewed_on_time(c, s, e),
        "inga överenskommelser gick ut under perioden",
    ),
    "patient_present_at_meetings": (
        lambda c, s, e: meeting_figures(c, s, e)["total"]["patient_present"],
        "inga rehabmöten under perioden",
    ),
    "pain_school_completion": (
        lambda c, s, e: pain_school_figures(c, s, e)["completion"],
        "ingen smärtskolegrupp som började under perioden har avslutats",
    ),
    "pain_school_attendance": (
        lambda c, s, e: pain_school_figures(c, s, e)["attendance"],
        "ingen närvaro registrerad i grupper som började under perioden",
    ),
    "opioid_agreement": (
        lambda c, s, e: opioid_figures(c, e)["agreement"],
        "inga patienter med opioider vid periodens slut",
    ),
}


def measure(name: str, clinics, start: date, end: date) -> dict:
    """{"numerator", "denominator", "value", "note"}: value null, and the note saying why,
    when there is nothing to count."""
    compute, why = MEASURES[name]
    found = compute(list(clinics), start, end)
    note = why if found["share"] is None else ""
    return {
        "numerator": found["numerator"],
        "denominator": found["denominator"],
        "value": found["share"],
        "note": note,
    }


def monthly(name: str, clinics, start: date, end: date) -> list[dict]:
    """The indicator month by month, each month clipped to the period."""
    clinics = list(clinics)
    return [
        {"month": first.strftime("%Y-%m"), **measure(name, clinics, first, last)}
        for first, last in months(start, end)
    ]
