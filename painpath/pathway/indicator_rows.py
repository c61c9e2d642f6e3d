"""The indicators' rows (painpath/pathway/indicators.py) from the app database: one row per
enrolment of the clinics asked for, with its history, submitted answers and assessments.

Times become the clinic's local dates here, so the arithmetic deals in days only. Four
queries whatever the number of enrolments.
"""

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from django.utils import timezone

from painpath.pathway.indicators import Answered, Booking, Change, EnrolmentRow, indicators
from painpath.pathway.models import Assessment, Enrolment, Response, StateChange
from painpath.pathway.states import Timepoint


def clinic_indicators(clinics, start: date, end: date, today: date | None = None) -> dict:
    """The indicators for the clinics (a list or queryset of Clinic), their codes first."""
    clinics = list(clinics)
    result = {"clinics": sorted(clinic.code for clinic in clinics)}
    today = today or timezone.localdate()
    return result | indicators(load_rows(clinics), start, end, today=today)


def load_rows(clinics: Iterable) -> list[EnrolmentRow]:
    """Every enrolment at the clinics (Clinic objects or a queryset of them)."""
    enrolments = list(
        Enrolment.objects.filter(clinic__in=clinics).select_related("clinic").order_by("id")
    )
    return rows_for(enrolments)


def rows_for(enrolments: list[Enrolment]) -> list[EnrolmentRow]:
    ids = [e.id for e in enrolments]
    history = defaultdict(list)
    for c in StateChange.objects.filter(enrolment_id__in=ids).order_by("at", "id"):
        history[c.enrolment_id].append(
            Change(
                on=timezone.localdate(c.at),
                from_state=c.from_state,
                to_state=c.to_state,
                cancelled_by=c.cancelled_by,
                reason=c.reason,
            )
        )
    answered = defaultdict(lambda: {Timepoint.BASELINE: {}, Timepoint.FOLLOW_UP: {}})
    submitted = Response.objects.filter(enrolment_id__in=ids, submitted_at__isnull=False)
    for r in submitted:
        answered[r.enrolment_id][r.timepoint][r.instrument] = Answered(r.answers, r.score)
    bookings = defaultdict(list)
    for a in Assessment.objects.filter(enrolment_id__in=ids).order_by("scheduled_at"):
        bookings[a.enrolment_id].append(
            Booking(
                on=timezone.localdate(a.scheduled_at),
                length_minutes=a.length_minutes,
                cancelled_by=(a.cancelled_by or "unknown") if a.cancelled_at else "",
            )
        )
    return [
        EnrolmentRow(
            id=e.id,
            clinic=e.clinic.code,
            criterion=e.criterion,
            profession=e.identified_profession,
            channel=e.channel,
            history=tuple(history[e.id]),
            baseline=answered[e.id][Timepoint.BASELINE],
            follow_up=answered[e.id][Timepoint.FOLLOW_UP],
            assessments=tuple(bookings[e.id]),
        )
        for e in enrolments
    ]
