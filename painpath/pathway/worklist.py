"""Who is waiting for what: the pathway's worklist for a set of clinics on a given day.

Each section is a function of (clinics, today), so tests pass fixed dates and the page
passes timezone.localdate(). Nothing here moves an enrolment: the page calls
actions.open_due_follow_ups first, but the follow-up sections read the dates themselves,
so they are right whether or not that has run.

The sections, and what takes a row out of them:
- invitations: the newest link of a timepoint not yet submitted, while the pathway waits
  for it (baseline: invited; follow-up: assessed or follow-up due, window still open).
- to book: baseline answers are in, and no assessment is booked.
- booked: assessments booked and neither done nor cancelled.
- follow-ups due: six months after the assessment ± FOLLOW_UP_WINDOW_DAYS, and no
  follow-up link waiting for answers.
- overdue: the follow-up window closed without follow-up answers.
"""

from dataclasses import dataclass, replace
from datetime import date, timedelta

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from painpath.pathway.models import Assessment, Enrolment, Invitation
from painpath.pathway.states import ASSESSMENT_MINUTES, FOLLOW_UP_WINDOW_DAYS, State, Timepoint
from painpath.pathway.summary import enrolments_with_alerts

WINDOW = timedelta(days=FOLLOW_UP_WINDOW_DAYS)
BEFORE_ASSESSMENT = (State.IDENTIFIED, State.INVITED, State.ANSWERED)
WAITING_FOR_FOLLOW_UP = (State.ASSESSED, State.FOLLOW_UP_DUE)


@dataclass(frozen=True)
class Row:
    """One line of the worklist. `on` is the date the section sorts by."""

    enrolment: Enrolment
    on: date
    days: int  # waiting (invitations, to book), until (booked, due) or overdue, in days
    invitation: Invitation | None = None
    assessment: Assessment | None = None
    alert: bool = False

    @property
    def expires_on(self) -> date | None:
        return timezone.localdate(self.invitation.expires_at) if self.invitation else None

    @property
    def short(self) -> bool:
        """Booked for less than the routine's 45 minutes."""
        return self.assessment is not None and self.assessment.length_minutes < ASSESSMENT_MINUTES


@dataclass(frozen=True)
class Section:
    key: str
    rows: list[Row]

    def __len__(self):
        return len(self.rows)


def _enrolments(clinics) -> QuerySet[Enrolment]:
    return Enrolment.objects.filter(clinic__in=clinics).select_related("patient", "clinic")


def _newest_open_invitations(clinics) -> QuerySet[Invitation]:
    newer = Invitation.objects.filter(
        enrolment=OuterRef("enrolment"), timepoint=OuterRef("timepoint"), id__gt=OuterRef("id")
    )
    return (
        Invitation.objects.filter(enrolment__clinic__in=clinics, submitted_at__isnull=True)
        .exclude(Exists(newer))
        .select_related("enrolment__patient", "enrolment__clinic")
    )


def _open_bookings() -> QuerySet[Assessment]:
    return Assessment.objects.filter(done_at__isnull=True, cancelled_at__isnull=True)


def unanswered_invitations(clinics, today: date) -> list[Row]:
    """Links sent and not answered, the oldest first; `days` is how long ago it was sent."""
    invitations = _newest_open_invitations(clinics)
    baseline = invitations.filter(timepoint=Timepoint.BASELINE, enrolment__state=State.INVITED)
    follow_up = invitations.filter(
        timepoint=Timepoint.FOLLOW_UP,
        enrolment__state__in=WAITING_FOR_FOLLOW_UP,
        enrolment__follow_up_due_on__gte=today - WINDOW,
    )
    rows = []
    for invitation in [*baseline, *follow_up]:
        sent = timezone.localdate(invitation.created_at)
        rows.append(Row(invitation.enrolment, sent, (today - sent).days, invitation=invitation))
    return sorted(rows, key=lambda row: (row.on, row.enrolment.pk))


def awaiting_booking(clinics, today: date) -> list[Row]:
    """Answered, and no assessment booked; `days` since the answers came in."""
    booked = _open_bookings().filter(enrolment=OuterRef("pk"))
    enrolments = _enrolments(clinics).filter(state=State.ANSWERED).exclude(Exists(booked))
    rows = []
    for enrolment in enrolments:
        answered = timezone.localdate(enrolment.state_since)
        rows.append(Row(enrolment, answered, (today - answered).days))
    return sorted(rows, key=lambda row: (row.on, row.enrolment.pk))


def booked_assessments(clinics, today: date) -> list[Row]:
    """Bookings not yet done or cancelled, by time; `days` until the visit (negative: it
    has passed and was not marked as done)."""
    bookings = (
        _open_bookings()
        .filter(enrolment__clinic__in=clinics, enrolment__state__in=BEFORE_ASSESSMENT)
        .select_related("enrolment__patient", "enrolment__clinic", "clinician")
        .order_by("scheduled_at", "pk")
    )
    rows = []
    for booking in bookings:
        day = timezone.localdate(booking.scheduled_at)
        rows.append(Row(booking.enrolment, day, (day - today).days, assessment=booking))
    return rows


def follow_ups_due(clinics, today: date) -> list[Row]:
    """Inside the follow-up window and no follow-up link waiting; `days` until the
    six months are up (negative: past them, window still open)."""
    waiting_link = _newest_open_invitations(clinics).filter(
        enrolment=OuterRef("pk"), timepoint=Timepoint.FOLLOW_UP
    )
    enrolments = (
        _enrolments(clinics)
        .filter(
            state__in=WAITING_FOR_FOLLOW_UP,
            follow_up_due_on__lte=today + WINDOW,
            follow_up_due_on__gte=today - WINDOW,
        )
        .exclude(Exists(waiting_link))
        .order_by("follow_up_due_on", "pk")
    )
    return [Row(e, e.follow_up_due_on, (e.follow_up_due_on - today).days) for e in enrolments]


def overdue_follow_ups(clinics, today: date) -> list[Row]:
    """The window closed without follow-up answers; `days` since it closed."""
    enrolments = (
        _enrolments(clinics)
        .filter(state__in=WAITING_FOR_FOLLOW_UP, follow_up_due_on__lt=today - WINDOW)
        .order_by("follow_up_due_on", "pk")
    )
    return [
        Row(e, e.follow_up_due_on, (today - (e.follow_up_due_on + WINDOW)).days) for e in enrolments
    ]


SECTIONS = (
    ("invitations", unanswered_invitations),
    ("to_book", awaiting_booking),
    ("booked", booked_assessments),
    ("follow_ups_due", follow_ups_due),
    ("overdue", overdue_follow_ups),
)


def build(clinics, today: date, *, newest_first: bool = False) -> list[Section]:
    """Every section, rows sorted by their date, alerts (PHQ-9 item 9) marked."""
    sections = [Section(key, function(clinics, today)) for key, function in SECTIONS]
    alerting = enrolments_with_alerts({row.enrolment.pk for s in sections for row in s.rows})
    return [
        Section(
            section.key,
            sorted(
                (replace(row, alert=row.enrolment.pk in alerting) for row in section.rows),
                key=lambda row: (row.on, row.enrolment.pk),
                reverse=newest_first,
            ),
        )
        for section in sections
    ]


def record_reminder(invitation: Invitation, at=None) -> Invitation:
    """Staff reminded the patient of an unanswered link (by phone, a message, a letter)."""
    invitation.reminded_at = at or timezone.now()
    invitation.save(update_fields=["reminded_at"])
    return invitation
