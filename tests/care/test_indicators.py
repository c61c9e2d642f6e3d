"""Coordination's indicators (painpath/care/indicators.py), each figure exactly on small
hand-built data, and nothing to count giving null rather than 0 %."""

import json
from datetime import date, datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from painpath.access.models import AuditEvent
from painpath.care import actions
from painpath.care.indicators import care_indicators, measure, monthly, months, years_later
from painpath.care.models import CourseTemplate, StaffMember, TrainingCourse
from painpath.care.states import StaffKind
from painpath.pathway import actions as pathway
from painpath.pathway.states import Channel, Criterion, State
from painpath.records.models import Listing, Patient, Prescription
from painpath.records.professions import Profession
from tests.factories import make_user

pytestmark = pytest.mark.django_db
START, END, TODAY = date(2026, 1, 1), date(2026, 3, 31), date(2026, 6, 1)


def at(day: date, hour=10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def listed(clinic, pseudonym: str) -> Patient:
    patient = Patient.objects.create(id_hash=f"h-{pseudonym}", pseudonym=pseudonym)
    Listing.objects.create(patient=patient, clinic=clinic, source_key=f"l-{pseudonym}")
    return patient


def enrolled(clinic, pseudonym, assessed_on: date | None = None, dropped_on: date | None = None):
    """A pathway enrolment, answered in December and assessed on the day given."""
    enrolment = pathway.enrol(
        listed(clinic, pseudonym), clinic, criterion=Criterion.NEW_LONG_PAIN,
        profession=Profession.NURSE, channel=Channel.PHONE, user=None, at=at(date(2025, 12, 1)),
    )  # fmt: skip
    pathway.move(enrolment, State.ANSWERED, at=at(date(2025, 12, 2)))
    if assessed_on:
        pathway.move(enrolment, State.ASSESSED, at=at(assessed_on))
    if dropped_on:
        pathway.move(enrolment, State.DROPPED_OUT, at=at(dropped_on), reason="flyttat")
    return enrolment


def staff(clinic, name, profession=Profession.PHYSICIAN, kind=StaffKind.CAREGIVER, **dates):
    return StaffMember.objects.create(
        clinic=clinic, name=name, kind=kind, profession=profession, **dates
    )


def agreement(enrolment, valid_from, valid_until, written_on):
    return actions.write_agreement(
        enrolment, None, at=at(written_on), patient_will="Promenera", clinic_will="Fysioterapi",
        next_step="Återbesök", contact="Lena", valid_from=valid_from, valid_until=valid_until,
    )  # fmt: skip


def plan(enrolment, written_on):
    actions.write_plan(
        enrolment, None, goals="Gå", patient_actions="Gå", review_on=END, at=at(written_on)
    )


def test_nothing_to_count_gives_null_shares_not_zero(clinic):
    result = care_indicators([clinic], START, END, today=TODAY)

    for figure in (
        result["agreements"]["current_agreement"],
        result["agreements"]["rehab_plan"],
        result["agreements_reviewed_on_time"],
        result["rehab_meetings"]["total"]["patient_present"],
        result["pain_school"]["completion"],
        result["pain_school"]["attendance"],
        result["opioids"]["agreement"],
    ):
        assert figure == {"numerator": 0, "denominator": 0, "share": None}
    assert result["rehab_meetings"]["total"]["professions_per_meeting"] is None
    assert result["training"]  # the course shipped with painpath, no one on the roster
    for course in result["training"]:
        assert course["caregiver"]["share"] is None and course["administrator"]["share"] is None
    assert [m["month"] for m in result["rehab_meetings"]["months"]] == [
        "2026-01",
        "2026-02",
        "2026-03",
    ]


def test_patients_in_care_on_the_last_day_with_agreement_and_plan(clinic, other_clinic):
    anna = enrolled(clinic, "PA", assessed_on=date(2026, 1, 10))
    bo = enrolled(clinic, "PB", assessed_on=date(2026, 2, 1))
    enrolled(clinic, "PC")  # answered, never assessed: not in care
    enrolled(clinic, "PD", assessed_on=date(2026, 1, 5), dropped_on=date(2026, 3, 1))  # left
    late = enrolled(clinic, "PE", assessed_on=date(2026, 4, 2))  # assessed after the period
    elsewhere = enrolled(other_clinic, "PF", assessed_on=date(2026, 1, 10))
    agreement(anna, date(2026, 1, 10), date(2026, 7, 10), date(2026, 1, 10))
    agreement(bo, date(2026, 2, 1), date(2026, 3, 30), date(2026, 2, 1))  # ran out before END
    agreement(late, date(2026, 3, 1), date(2026, 9, 1), date(2026, 4, 2))  # written after END
    agreement(elsewhere, date(2026, 1, 10), date(2026, 7, 10), date(2026, 1, 10))
    plan(bo, date(2026, 2, 1))
    plan(anna, date(2026, 4, 5))  # written after the period: not counted

    figures = care_indicators([clinic], START, END, today=TODAY)["agreements"]

    assert figures["patients_in_care"] == 2
    assert figures["current_agreement"] == {"numerator": 1, "denominator": 2, "share": 0.5}
    assert figures["rehab_plan"] == {"numerator": 1, "denominator": 2, "share": 0.5}


def test_an_agreement_is_reviewed_on_time_when_a_newer_version_comes_by_its_last_day(clinic):
    a = enrolled(clinic, "PA", assessed_on=date(2025, 12, 10))
    b = enrolled(clinic, "PB", assessed_on=date(2025, 12, 10))
    c = enrolled(clinic, "PC", assessed_on=date(2025, 12, 10))
    agreement(a, date(2025, 12, 10), date(2026, 2, 1), date(2025, 12, 10))
    agreement(a, date(2026, 2, 1), date(2026, 8, 1), date(2026, 2, 1))  # on its last day
    agreement(b, date(2025, 12, 10), date(2026, 2, 1), date(2025, 12, 10))
    agreement(b, date(2026, 2, 3), date(2026, 8, 1), date(2026, 2, 2))  # a day late
    agreement(c, date(2025, 12, 10), date(2026, 3, 1), date(2025, 12, 10))  # never renewed
    agreement(c, date(2025, 12, 10), date(2026, 4, 1), date(2025, 12, 11))  # ends after END

    result = care_indicators([clinic], START, END, today=TODAY)

    # a v1, b v1 and c v1 ran out in the period; b's newer version came a day late
    assert result["agreements_reviewed_on_time"] == {
        "numerator": 2,
        "denominator": 3,
        "share": 2 / 3,
    }


def test_an_agreement_not_yet_run_out_is_not_counted(clinic):
    a = enrolled(clinic, "PA", assessed_on=date(2025, 12, 10))
    agreement(a, date(2025, 12, 10), date(2026, 3, 15), date(2025, 12, 10))

    result = care_indicators([clinic], START, END, today=date(2026, 3, 10))

    assert result["agreements_reviewed_on_time"]["denominator"] == 0


def test_rehab_meetings_per_month_with_professions_and_the_patient(clinic):
    a = enrolled(clinic, "PA", assessed_on=date(2025, 12, 10))
    doctor, physio = staff(clinic, "Lena"), staff(clinic, "Pia", Profession.PHYSIOTHERAPIST)
    doctor2 = staff(clinic, "Olof")
    meet = lambda day, who, present: actions.record_meeting(  # noqa: E731
        a, None, held_on=day, attendees=who, decisions="x", patient_present=present
    )
    meet(date(2026, 1, 5), [doctor, physio], True)  # 2 professions
    meet(date(2026, 1, 20), [doctor, doctor2], False)  # 1 profession
    meet(date(2026, 3, 3), [doctor, physio], True)
    meet(date(2026, 4, 1), [doctor, physio], True)  # after the period

    figures = care_indicators([clinic], START, END, today=TODAY)["rehab_meetings"]

    january, february, march = figures["months"]
    assert (january["month"], january["meetings"], january["professions_per_meeting"]) == (
        "2026-01",
        2,
        1.5,
    )
    assert january["patient_present"] == {"numerator": 1, "denominator": 2, "share": 0.5}
    assert february["meetings"] == 0 and february["professions_per_meeting"] is None
    assert february["patient_present"]["share"] is None
    assert march["meetings"] == 1 and march["professions_per_meeting"] == 2
    assert figures["total"]["meetings"] == 3
    assert figures["total"]["patient_present"]["numerator"] == 2


def _group(clinic, first_day: date, name="Våren", clinics=(), capacity=2):
    template, _ = CourseTemplate.objects.get_or_create(name="ACT", sessions=["1", "2", "3"])
    starts = [at(first_day + timedelta(weeks=w), 14) for w in range(3)]
    return actions.create_group(
        template, name=name, host=clinic, clinics=clinics, capacity=capacity, starts=starts
    )  # three sessions: completed with two


def test_pain_school_placed_waiting_withdrawn_completed_and_attendance(clinic, other_clinic):
    finished = _group(clinic, date(2026, 2, 2), clinics=[other_clinic])  # ends 16 Feb
    running = _group(clinic, date(2026, 3, 23), name="Sen")  # ends 6 April, after END
    _group(clinic, date(2025, 11, 3), name="Förra")  # started before the period
    people = [listed(clinic, f"P{n}") for n in range(5)]
    anna, bo, cia, _dan = (
        actions.add_participant(finished, p, clinic, at=at(date(2026, 1, d)))
        for p, d in zip(people[:4], (1, 2, 3, 4), strict=True)
    )  # anna and bo placed, cia and dan waiting
    elsewhere = actions.add_participant(finished, listed(other_clinic, "PX"), other_clinic)
    actions.withdraw(bo)  # cia takes bo's place; dan still waits
    s1, s2, s3 = finished.sessions.all()
    for session, mark in ((s1, True), (s2, True), (s3, False)):
        actions.mark_attendance(session, anna, mark)
    actions.mark_attendance(s1, bo, True)
    actions.mark_attendance(s2, cia, True)
    actions.mark_attendance(s3, cia, False)
    actions.mark_attendance(s1, elsewhere, True)  # another clinic's: not counted
    eva = actions.add_participant(running, people[4], clinic)
    actions.mark_attendance(running.sessions.first(), eva, True)

    figures = care_indicators([clinic], START, END, today=TODAY)["pain_school"]

    assert {k: figures[k] for k in ("groups", "placed", "waiting", "withdrawn", "completed")} == {
        "groups": 2, "placed": 3, "waiting": 1, "withdrawn": 1, "completed": 1,
    }  # fmt: skip
    # finished group, given a place: anna (completed), bo (withdrew), cia (one session)
    assert figures["completion"] == {"numerator": 1, "denominator": 3, "share": 1 / 3}
    assert figures["not_yet_measurable"] == 1  # eva, in the group still running
    assert figures["attendance"] == {"numerator": 5, "denominator": 7, "share": 5 / 7}
    assert actions.completed(anna) and not actions.completed(cia)  # the rule agrees


def test_training_coverage_counts_the_roster_on_the_day(clinic, other_clinic):
    act = TrainingCourse.objects.create(name="ACT")
    lena, pia = staff(clinic, "Lena"), staff(clinic, "Pia", Profession.PHYSIOTHERAPIST)
    staff(clinic, "Gone", active_to=date(2026, 3, 1))  # left before END
    staff(clinic, "New", active_from=date(2026, 4, 1))  # not yet on the roster
    reception = staff(clinic, "Reception", "", StaffKind.ADMINISTRATOR)
    staff(clinic, "Sekreterare", "", StaffKind.ADMINISTRATOR)
    actions.record_training(act, lena, date(2026, 2, 1))
    actions.record_training(act, pia, date(2026, 4, 1))  # after END
    actions.record_training(act, reception, date(2026, 1, 1))
    actions.record_training(act, staff(other_clinic, "Annan"), date(2026, 1, 1))

    courses = care_indicators([clinic], START, END, today=TODAY)["training"]

    [course] = [c for c in courses if c["course"] == "ACT"]  # beside the one shipped
    assert course["caregiver"] == {"numerator": 1, "denominator": 2, "share": 0.5}
    assert course["administrator"] == {"numerator": 1, "denominator": 2, "share": 0.5}


def test_opioid_patients_with_and_without_an_agreement_on_the_last_day(clinic, other_clinic):
    doctor = staff(clinic, "Lena")
    for n, day in enumerate((END, END - timedelta(days=10), END - timedelta(days=179))):
        patient = listed(clinic, f"PO{n}")
        Prescription.objects.create(
            source_key=f"rx{n}", patient=patient, clinic=clinic, date=day, atc="N02AA05"
        )
        if n == 0:
            actions.write_opioid_agreement(
                patient, clinic, atc="N02AA05", substance="Oxikodon", max_daily_mg=20.0,
                prescriber=doctor, agreed_on=START, review_on=date(2026, 3, 1),
            )  # fmt: skip
    Prescription.objects.create(
        source_key="rx-late", patient=listed(clinic, "PLATE"), clinic=clinic,
        date=END + timedelta(days=1), atc="N02AA05",
    )  # fmt: skip

    figures = care_indicators([clinic], START, END, today=TODAY)["opioids"]

    assert (figures["patients"], figures["with_agreement"], figures["without_agreement"]) == (
        3,
        1,
        2,
    )
    assert figures["agreement"]["share"] == pytest.approx(1 / 3)
    assert figures["review_overdue"] == 1
    assert care_indicators([other_clinic], START, END, today=TODAY)["opioids"]["patients"] == 0


def test_measure_gives_the_share_or_a_note_saying_why_not(clinic):
    a = enrolled(clinic, "PA", assessed_on=date(2026, 2, 10))
    agreement(a, date(2026, 2, 10), date(2026, 8, 10), date(2026, 2, 10))

    january = measure("current_agreement", [clinic], date(2026, 1, 1), date(2026, 1, 31))
    february = measure("current_agreement", [clinic], date(2026, 2, 1), date(2026, 2, 28))

    assert january["value"] is None and january["denominator"] == 0 and "inga" in january["note"]
    assert february == {"numerator": 1, "denominator": 1, "value": 1.0, "note": ""}
    by_month = monthly("current_agreement", [clinic], START, END)
    assert [(m["month"], m["value"]) for m in by_month] == [
        ("2026-01", None),
        ("2026-02", 1.0),
        ("2026-03", 1.0),
    ]


def test_months_are_clipped_to_the_period():
    assert months(date(2025, 12, 15), date(2026, 1, 10)) == [
        (date(2025, 12, 15), date(2025, 12, 31)),
        (date(2026, 1, 1), date(2026, 1, 10)),
    ]


# --- the page and its JSON ----------------------------------------------------------------


@pytest.fixture
def lena(clinic):
    return make_user("lena", clinic)


def test_the_page_shows_the_figures_charts_and_a_json_link_and_is_audited(client, clinic, lena):
    today = timezone.localdate()
    a = enrolled(clinic, "PHEMLIG", assessed_on=today - timedelta(days=20))
    doctor, physio = staff(clinic, "Lena"), staff(clinic, "Pia", Profession.PHYSIOTHERAPIST)
    actions.record_meeting(
        a, None, held_on=today, attendees=[doctor, physio], decisions="x", patient_present=True
    )
    client.force_login(lena)

    response = client.get(reverse("care_indicators"))

    text = response.text
    assert response.status_code == 200
    assert 'data-row="current_agreement"' in text and "kan inte beräknas" in text
    assert "Hämta som JSON" in text and "format=json" in text
    assert 'data-chart="meetings"' in text and "<svg" in text
    assert "PHEMLIG" not in text  # aggregates only
    event = AuditEvent.objects.get(username="lena", action="view")
    assert event.patient is None and "habo" in event.detail


def test_the_json_is_the_same_dict(client, clinic, lena):
    client.force_login(lena)

    response = client.get(
        reverse("care_indicators"), {"start": "2026-01-01", "end": "2026-03-31", "format": "json"}
    )

    assert response["Content-Type"] == "application/json"
    assert response.json() == json.loads(
        json.dumps(care_indicators([clinic], START, END))
    )  # tuples and keys as JSON gives them
    assert AuditEvent.objects.filter(username="lena", action="export", patient=None).exists()


def test_another_clinic_is_not_found_as_json_and_refused_on_the_page(client, clinic, other_clinic):
    client.force_login(make_user("olle", other_clinic))

    as_json = client.get(reverse("care_indicators"), {"clinic": "habo", "format": "json"})
    page = client.get(reverse("care_indicators"), {"clinic": "habo"})

    assert as_json.status_code == 404
    assert page.status_code == 200 and "Du har inte tillgång till vårdcentralen habo" in page.text
    own = client.get(reverse("care_indicators"), {"format": "json"}).json()
    assert own["clinics"] == ["annan"] and own["agreements"]["patients_in_care"] == 0


def test_a_period_that_ends_before_it_starts_is_refused(client, clinic, lena):
    client.force_login(lena)

    page = client.get(reverse("care_indicators"), {"start": "2026-03-01", "end": "2026-01-01"})
    as_json = client.get(
        reverse("care_indicators"), {"start": "2026-03-01", "end": "2026-01-01", "format": "json"}
    )

    assert "Slutdatum kan inte vara före startdatum" in page.text
    assert as_json.status_code == 400 and "end" in as_json.json()["errors"]
    assert not AuditEvent.objects.filter(action__in=["view", "export"]).exists()


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"end": "9999-12-31"}, "end", "Perioden kan sluta senast"),
        ({"start": "0001-01-01"}, "start", "Perioden kan börja tidigast 2000-01-01"),
        ({"start": "1000-01-01", "end": "2026-01-01"}, "start", "tidigast 2000-01-01"),
        ({"start": "2005-01-01", "end": "2026-01-01"}, "end", "Perioden får vara högst 10 år"),
        ({"start": "9999-12-30", "end": "9999-12-31"}, "end", "Perioden kan sluta senast"),
    ],
)
def test_a_period_out_of_bounds_is_refused_with_a_message(client, lena, query, field, message):
    client.force_login(lena)

    page = client.get(reverse("care_indicators"), query)
    as_json = client.get(reverse("care_indicators"), query | {"format": "json"})

    assert page.status_code == 200 and message in page.text
    assert as_json.status_code == 400
    assert message in as_json.json()["errors"][field][0]["message"]
    assert not AuditEvent.objects.filter(action__in=["view", "export"]).exists()


def test_a_period_of_ten_years_up_to_a_year_ahead_is_counted(client, lena):
    client.force_login(lena)
    today = timezone.localdate()
    end = years_later(today, 1)
    start = years_later(end, -10)

    as_json = client.get(
        reverse("care_indicators"),
        {"start": start.isoformat(), "end": end.isoformat(), "format": "json"},
    )

    assert as_json.status_code == 200
    assert len(as_json.json()["rehab_meetings"]["months"]) == 121
