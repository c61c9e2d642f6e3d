"""The demo clinic's pathway patients (painpath/pathway/demo.py, `painpath demopathway`)."""

from collections import Counter
from datetime import date, datetime, time, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from painpath.access.demo import create_demo_users
from painpath.pathway import demo, instruments
from painpath.pathway.indicator_rows import load_rows
from painpath.pathway.indicators import improvement
from painpath.pathway.models import Assessment, Enrolment, Invitation, Response, StateChange
from painpath.pathway.states import FOLLOW_UP_WINDOW_DAYS, State, Timepoint
from painpath.records.models import Diagnosis, Listing, Patient

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 23)
MORNING = timezone.make_aware(datetime.combine(TODAY, time.min))
EVENING = timezone.make_aware(datetime.combine(TODAY, time.max))


@pytest.fixture
def habo(clinic):
    """Habo with 30 listed patients who have R52.2 (or a sub-code), 3 who have another
    diagnosis, 2 with R52.2 who have left, and the demo users."""
    for n in range(35):
        patient = Patient.objects.create(id_hash=f"h{n}", pseudonym=f"PDEMO{n:08d}")
        left = n >= 33
        Listing.objects.create(
            patient=patient, clinic=clinic, source_key=f"l{n}",
            listed_to=date(2024, 1, 1) if left else None,
        )  # fmt: skip
        code = "M54.5" if 30 <= n < 33 else ("R52.2A" if n % 4 == 0 else "R52.2")
        Diagnosis.objects.create(
            patient=patient, clinic=clinic, date=date(2023, 5, 1), code=code, source_key=f"d{n}"
        )
    create_demo_users(clinic)
    return clinic


def build(clinic, **options):
    return demo.build_demo(clinic, today=TODAY, **options)


def test_it_enrols_patients_in_every_state(habo):
    assert build(habo) == {"created": len(demo.STORIES), "kept": 0}
    states = Counter(Enrolment.objects.values_list("state", flat=True))
    assert set(states) == set(State.values)
    assert 20 <= sum(states.values()) <= 30


def test_it_enrols_only_listed_patients_of_the_cohort(habo):
    build(habo)
    enrolled = Patient.objects.filter(enrolments__isnull=False)
    assert not enrolled.filter(diagnoses__code="M54.5").exists()
    assert not enrolled.filter(listings__listed_to__isnull=False).exists()


def test_it_shows_every_detour_of_the_routine(habo):
    build(habo)
    now = MORNING
    invited = Enrolment.objects.filter(state=State.INVITED)
    latest = [e.invitations.order_by("-created_at").first() for e in invited]
    assert sum(i.expires_at < now and not i.submitted_at for i in latest) == 1
    alerts = [
        r for r in Response.objects.filter(instrument="phq9", enrolment__state=State.ANSWERED)
        if r.score["alerts"]
    ]  # fmt: skip
    assert len(alerts) == 1
    booked = Assessment.objects.filter(enrolment__state=State.ANSWERED, scheduled_at__gt=now)
    assert sorted(booked.values_list("length_minutes", flat=True)) == [30, 45]
    done = Assessment.objects.filter(done_at__isnull=False)
    assert sorted(done.values_list("length_minutes", flat=True))[:2] == [30, 45]
    due = Enrolment.objects.filter(state=State.FOLLOW_UP_DUE)
    overdue = [e for e in due if e.follow_up_due_on + timedelta(FOLLOW_UP_WINDOW_DAYS) < TODAY]
    assert len(overdue) == 1 and due.count() == 2
    not_sent = due.exclude(invitations__timepoint=Timepoint.FOLLOW_UP)
    assert not_sent.count() == 1  # the worklist's to-do: questionnaires to send
    cancelled = Enrolment.objects.filter(state=State.CANCELLED)
    assert set(cancelled.values_list("cancelled_by", flat=True)) == {"patient", "clinic"}
    dropped = Enrolment.objects.filter(state=State.DROPPED_OUT)
    assert dropped.count() == 3 and all(e.end_reason for e in dropped)
    assert Assessment.objects.filter(cancelled_by="patient").count() == 1
    reopened = StateChange.objects.filter(from_state=State.CANCELLED, to_state=State.IDENTIFIED)
    assert reopened.count() == 1


def test_its_follow_ups_are_improved_not_improved_and_one_not_measurable(habo):
    build(habo)
    followed_up = [row for row in load_rows([habo]) if row.history[-1].to_state == "followed_up"]
    verdicts = Counter(improvement(row).improved for row in followed_up)
    assert verdicts[True] >= 2 and verdicts[False] >= 1 and verdicts[None] == 1


def test_its_dates_are_in_the_past_except_bookings_to_come(habo):
    build(habo)
    assert not StateChange.objects.filter(at__gt=EVENING).exists()
    assert not Response.objects.filter(submitted_at__gt=EVENING).exists()
    assert not Invitation.objects.filter(created_at__gt=EVENING).exists()
    assert Assessment.objects.filter(scheduled_at__gt=EVENING, done_at__isnull=True).count() == 2
    # All within the last year: the default period of the indicators page shows it all.
    assert not StateChange.objects.filter(at__lt=MORNING - timedelta(days=364)).exists()


def test_its_answers_are_the_instruments_and_scored_by_them(habo):
    build(habo)
    responses = Response.objects.select_related("enrolment")
    assert responses.filter(timepoint=Timepoint.FOLLOW_UP).exists()
    for response in responses:
        inst = instruments.get(response.instrument)
        assert response.score == instruments.score(inst, response.answers)
    baseline_codes = {i.code for i in instruments.for_timepoint("baseline")}
    assert set(responses.values_list("instrument", flat=True)) == baseline_codes


def test_it_makes_no_duplicates_when_run_again(habo):
    build(habo)
    counts = (Enrolment.objects.count(), StateChange.objects.count(), Response.objects.count())
    assert build(habo) == {"created": 0, "kept": len(demo.STORIES)}
    assert counts == (
        Enrolment.objects.count(), StateChange.objects.count(), Response.objects.count(),
    )  # fmt: skip


def snapshot():
    return sorted(
        Response.objects.values_list("enrolment__patient_id", "timepoint", "instrument", "answers")
    )


def test_it_chooses_the_same_patients_and_answers_every_time(habo):
    build(habo)
    first = snapshot()
    assert build(habo, reset=True) == {"created": len(demo.STORIES), "kept": 0}
    assert snapshot() == first
    assert Enrolment.objects.count() == len(demo.STORIES)


def test_it_asks_for_the_demo_users_first(clinic):
    with pytest.raises(demo.DemoError, match="demousers"):
        demo.build_demo(clinic)


def test_the_command_says_what_it_did_and_what_went_wrong(habo):
    out = StringIO()
    call_command("demopathway", "--clinic", "habo", stdout=out)
    assert f"{len(demo.STORIES)} demopatienter inskrivna" in out.getvalue()
    with pytest.raises(CommandError, match="Ingen vårdcentral"):
        call_command("demopathway", "--clinic", "nowhere")
