"""Patients walked through the pathway with real answers, for the outcome and indicator
tests: plain functions over painpath/pathway/actions.py and the instruments package."""

from datetime import UTC, datetime, timedelta

from painpath.pathway import actions, instruments
from painpath.pathway.states import Channel, Criterion, Source, State, Timepoint
from painpath.records.models import Listing, Patient

T0 = datetime(2025, 2, 3, 9, 0, tzinfo=UTC)


def listed_patient(clinic, n: int) -> Patient:
    patient = Patient.objects.create(id_hash=f"h-{clinic.code}-{n}", pseudonym=f"PO{n:011d}")
    Listing.objects.create(patient=patient, clinic=clinic, source_key=f"l-{clinic.code}-{n}")
    return patient


def nrs(value: int) -> dict:
    return {"nrs_pain": {"1": value}}


def peg(pain: int, enjoyment: int, activity: int) -> dict:
    return {"peg3": {"1": pain, "2": enjoyment, "3": activity}}


def items(code: str, *values) -> dict:
    """The instrument's items answered in order: items("gad7", 1, 1, 0, …)."""
    ids = [item.id for item in instruments.get(code).items]
    return {code: dict(zip(ids, values, strict=False))}


def answer(enrolment, timepoint: str, forms: dict, at: datetime, invitation=None):
    for code, given in forms.items():
        inst = instruments.get(code, clinic=enrolment.clinic)
        actions.save_answers(
            enrolment, timepoint, code, given, instruments.score(inst, given),
            source=Source.LINK, invitation=invitation,
        )  # fmt: skip
    return actions.submit(enrolment, timepoint, invitation=invitation, at=at)


def walk(clinic, user, n: int, before: dict, after: dict | None = None, *, start=T0, **enrol):
    """Enrolled at `start`, baseline answered after 5 days, assessed after 14 (45 minutes),
    and with `after`, followed up 190 days after the assessment."""
    options = {"criterion": Criterion.NEW_LONG_PAIN, "profession": "nurse",
               "channel": Channel.PHONE} | enrol  # fmt: skip
    enrolment = actions.enrol(listed_patient(clinic, n), clinic, user=user, at=start, **options)
    invitation, _token = actions.invite(enrolment, list(before), user, at=start)
    enrolment = answer(enrolment, Timepoint.BASELINE, before, start + timedelta(5), invitation)
    booked = actions.book_assessment(
        enrolment, scheduled_at=start + timedelta(14), length_minutes=45, clinician=user,
        profession="physician", user=user,
    )  # fmt: skip
    enrolment = actions.assessed(booked, user, at=start + timedelta(14))
    if after is None:
        return enrolment
    enrolment = actions.move(enrolment, State.FOLLOW_UP_DUE, None, at=start + timedelta(180))
    invitation, _token = actions.invite(
        enrolment, list(after), user, timepoint=Timepoint.FOLLOW_UP, at=start + timedelta(180)
    )
    return answer(enrolment, Timepoint.FOLLOW_UP, after, start + timedelta(204), invitation)
