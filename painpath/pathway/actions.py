"""What happens to an enrolment: the use cases views, commands and tests call.

Every change of state is checked against states.ALLOWED and written to the enrolment's
history (StateChange) with the time and the user, in one transaction.
"""

import calendar
import hashlib
import secrets
from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone

from painpath.pathway.models import Assessment, Enrolment, Invitation, Response, StateChange
from painpath.pathway.states import (
    FOLLOW_UP_MONTHS,
    FOLLOW_UP_WINDOW_DAYS,
    INVITATION_DAYS,
    CancelledBy,
    Source,
    State,
    Timepoint,
    allowed,
)

PATIENT = "patient"  # the actor named in the history when the patient acts through a link
FOLLOW_UP_REASON = "sex månader sedan bedömningen"
SYSTEM = "system"  # ... and when painpath moves an enrolment itself (a follow-up falls due)


class NotAllowed(Exception):
    """The change is not one states.py allows from the enrolment's current state."""


def _actor(user, actor: str = "") -> str:
    return actor or (user.get_username() if user is not None else PATIENT)


@transaction.atomic
def move(
    enrolment: Enrolment,
    target: State,
    user=None,
    *,
    reason: str = "",
    cancelled_by: str = "",
    at: datetime | None = None,
    actor: str = "",
) -> Enrolment:
    """Change the state, or raise NotAllowed; the history gets a row either way it goes.
    The actor is the user, else `actor` (SYSTEM), else the patient."""
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    if not allowed(enrolment.state, target):
        raise NotAllowed(f"{enrolment.get_state_display()} → {State(target).label}")
    at = at or timezone.now()
    StateChange.objects.create(
        enrolment=enrolment,
        from_state=enrolment.state,
        to_state=target,
        at=at,
        user=user,
        actor=_actor(user, actor),
        cancelled_by=cancelled_by,
        reason=reason,
    )
    enrolment.state, enrolment.state_since = target, at
    if target in (State.DECLINED, State.CANCELLED, State.DROPPED_OUT):
        enrolment.cancelled_by, enrolment.end_reason = cancelled_by, reason
    elif target == State.IDENTIFIED:  # reopened
        enrolment.cancelled_by, enrolment.end_reason = "", ""
    enrolment.save()
    return enrolment


@transaction.atomic
def enrol(
    patient,
    clinic,
    *,
    criterion,
    profession,
    channel,
    user,
    first_name="",
    family_name="",
    at=None,
):
    at = at or timezone.now()
    enrolment = Enrolment.objects.create(
        patient=patient,
        clinic=clinic,
        criterion=criterion,
        identified_profession=profession,
        channel=channel,
        identified_by=user,
        first_name=first_name,
        family_name=family_name,
        state=State.IDENTIFIED,
        state_since=at,
    )
    StateChange.objects.create(
        enrolment=enrolment, to_state=State.IDENTIFIED, at=at, user=user, actor=_actor(user)
    )
    return enrolment


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def invite(
    enrolment: Enrolment,
    instruments: list[str],
    user,
    *,
    timepoint: str = Timepoint.BASELINE,
    days: int = INVITATION_DAYS,
    at: datetime | None = None,
) -> tuple[Invitation, str]:
    """A new link for the patient. Returns the invitation and the token, which is shown
    once (in the link or the QR code) and stored only as its hash."""
    at = at or timezone.now()
    # A new link ends the older ones of the timepoint: a lost letter must not open the answers.
    _open_links(enrolment, timepoint, at).update(expires_at=at)
    token = secrets.token_urlsafe(32)  # 256 bits: not guessable
    invitation = Invitation.objects.create(
        enrolment=enrolment,
        timepoint=timepoint,
        token_hash=token_hash(token),
        instruments=list(instruments),
        created_by=user,
        expires_at=at + timedelta(days=days),
    )
    if timepoint == Timepoint.BASELINE and enrolment.state in (State.IDENTIFIED, State.INVITED):
        move(enrolment, State.INVITED, user, at=at)
    return invitation, token


def _open_links(enrolment: Enrolment, timepoint: str, at: datetime):
    return Invitation.objects.filter(
        enrolment=enrolment, timepoint=timepoint, submitted_at__isnull=True, expires_at__gt=at
    )


def opened(invitation: Invitation, at: datetime | None = None) -> None:
    """The patient opened the link (the first time counts)."""
    if invitation.opened_at is None:
        invitation.opened_at = at or timezone.now()
        invitation.save(update_fields=["opened_at"])


def find_invitation(token: str, now: datetime | None = None) -> Invitation | None:
    """The invitation a token opens, or None when it is unknown, expired, already submitted
    or its pathway has ended: the caller says no without telling which."""
    now = now or timezone.now()
    invitation = (
        Invitation.objects.select_related("enrolment").filter(token_hash=token_hash(token)).first()
    )
    if invitation is None or invitation.submitted_at or invitation.expires_at <= now:
        return None
    if invitation.enrolment.state in (State.DECLINED, State.CANCELLED, State.DROPPED_OUT):
        return None
    return invitation


@transaction.atomic
def save_answers(
    enrolment: Enrolment,
    timepoint: str,
    instrument: str,
    answers: dict,
    score: dict,
    *,
    source: str,
    user=None,
    invitation: Invitation | None = None,
) -> Response:
    """Keep the answers as they are so far (the patient may come back to them)."""
    response, _ = Response.objects.update_or_create(
        enrolment=enrolment,
        timepoint=timepoint,
        instrument=instrument,
        defaults={
            "answers": answers,
            "score": score,
            "source": source,
            "entered_by": user,
            "invitation": invitation,
        },
    )
    return response


@transaction.atomic
def submit(
    enrolment: Enrolment,
    timepoint: str,
    *,
    user=None,
    invitation: Invitation | None = None,
    at: datetime | None = None,
) -> Enrolment:
    """The answers of a timepoint are final: the invitation is used up and the pathway moves
    on (baseline → answered; follow-up → followed up)."""
    at = at or timezone.now()
    Response.objects.filter(enrolment=enrolment, timepoint=timepoint).update(submitted_at=at)
    # Every open link of the timepoint is used up, whichever way the answers came.
    _open_links(enrolment, timepoint, at).update(submitted_at=at)
    if invitation is not None:
        invitation.refresh_from_db(fields=["submitted_at"])
    target = State.ANSWERED if timepoint == Timepoint.BASELINE else State.FOLLOWED_UP
    if allowed(enrolment.state, target):
        enrolment = move(enrolment, target, user, at=at)
    return enrolment


def book_assessment(enrolment, *, scheduled_at, length_minutes, clinician, profession, user):
    return Assessment.objects.create(
        enrolment=enrolment,
        scheduled_at=scheduled_at,
        length_minutes=length_minutes,
        clinician=clinician,
        profession=profession,
        booked_by=user,
    )


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or that month's last day (31 Aug + 6 → 28/29 Feb)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@transaction.atomic
def assessed(assessment: Assessment, user, at: datetime | None = None) -> Enrolment:
    """The assessment took place: the follow-up falls due six months later."""
    at = at or timezone.now()
    assessment.done_at = at
    assessment.save(update_fields=["done_at"])
    enrolment = move(assessment.enrolment, State.ASSESSED, user, at=at)
    enrolment.follow_up_due_on = add_months(timezone.localdate(at), FOLLOW_UP_MONTHS)
    enrolment.save(update_fields=["follow_up_due_on"])
    return enrolment


def cancel_assessment(assessment: Assessment, *, cancelled_by: str, at=None) -> Assessment:
    assessment.cancelled_at = at or timezone.now()
    assessment.cancelled_by = cancelled_by
    assessment.save(update_fields=["cancelled_at", "cancelled_by"])
    return assessment


def open_due_follow_ups(today: date | None = None, clinics=None) -> int:
    """Assessed enrolments (of `clinics`, else all) whose follow-up window has opened become
    follow_up_due, moved by painpath itself."""
    today = today or timezone.localdate()
    opens = today + timedelta(days=FOLLOW_UP_WINDOW_DAYS)
    due = Enrolment.objects.filter(state=State.ASSESSED, follow_up_due_on__lte=opens)
    if clinics is not None:
        due = due.filter(clinic__in=clinics)
    count = 0
    for enrolment in due:
        move(enrolment, State.FOLLOW_UP_DUE, actor=SYSTEM, reason=FOLLOW_UP_REASON)
        count += 1
    return count


def decline(enrolment, user, reason: str = "") -> Enrolment:
    return move(enrolment, State.DECLINED, user, reason=reason, cancelled_by=CancelledBy.PATIENT)


def cancel(enrolment, user, *, cancelled_by: str, reason: str = "") -> Enrolment:
    return move(enrolment, State.CANCELLED, user, reason=reason, cancelled_by=cancelled_by)


def drop_out(enrolment, user, *, reason: str) -> Enrolment:
    if not reason.strip():
        raise ValueError("a drop-out needs its reason")
    return move(enrolment, State.DROPPED_OUT, user, reason=reason, cancelled_by=CancelledBy.PATIENT)


def reopen(enrolment, user, reason: str = "") -> Enrolment:
    return move(enrolment, State.IDENTIFIED, user, reason=reason)


__all__ = [
    "PATIENT",
    "SYSTEM",
    "NotAllowed",
    "Source",
    "assessed",
    "book_assessment",
    "cancel",
    "cancel_assessment",
    "decline",
    "drop_out",
    "enrol",
    "find_invitation",
    "invite",
    "move",
    "open_due_follow_ups",
    "opened",
    "reopen",
    "save_answers",
    "submit",
]
