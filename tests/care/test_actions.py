"""Coordination's use cases (painpath/care/actions.py) against the rules in states.py."""

from datetime import date, datetime, time

import pytest
from django.utils import timezone

from painpath.care import actions
from painpath.care.models import CourseTemplate, StaffMember
from painpath.care.states import ParticipantStatus, StaffKind
from painpath.pathway import actions as pathway
from painpath.pathway.states import Channel, Criterion, Timepoint
from painpath.records.models import Clinic, Listing, Patient
from painpath.records.professions import Profession
from tests.factories import make_user

pytestmark = pytest.mark.django_db
DAY = date(2026, 3, 2)


def _patient(clinic: Clinic, n: int) -> Patient:
    patient = Patient.objects.create(id_hash=f"a{n}", pseudonym=f"PACT{n:08d}")
    Listing.objects.create(patient=patient, clinic=clinic, source_key=f"act{n}")
    return patient


@pytest.fixture
def enrolment(clinic):
    user = make_user("sara", clinic)
    return pathway.enrol(
        _patient(clinic, 1), clinic, criterion=Criterion.values[0],
        profession=Profession.NURSE, channel=Channel.PHONE, user=user,
        first_name="Åsa", family_name="Öberg",
    )  # fmt: skip


def _staff(clinic, name, profession=Profession.PHYSICIAN):
    return StaffMember.objects.create(
        clinic=clinic, name=name, kind=StaffKind.CAREGIVER, profession=profession
    )


def test_it_keeps_one_responsible_and_the_history_of_who_it_was(enrolment, clinic):
    first, second = _staff(clinic, "Lena"), _staff(clinic, "Pia", Profession.PHYSIOTHERAPIST)
    actions.add_member(enrolment, first, None, responsible=True, joined_on=date(2026, 1, 5))
    actions.add_member(enrolment, second, None, responsible=True, joined_on=DAY)
    assert actions.responsible(enrolment, date(2026, 2, 1)).staff == first
    assert actions.responsible(enrolment, DAY).staff == second
    today = {(m.staff.name, m.responsible) for m in actions.current_team(enrolment, DAY)}
    assert today == {("Lena", False), ("Pia", True)}  # Lena stays on the team
    assert enrolment.team.count() == 3  # Lena responsible, Lena member, Pia responsible


def test_it_adds_a_member_once(enrolment, clinic):
    lena = _staff(clinic, "Lena")
    one = actions.add_member(enrolment, lena, None, joined_on=DAY)
    assert actions.add_member(enrolment, lena, None, joined_on=DAY) == one


def test_a_member_who_left_is_not_on_the_team_from_that_day(enrolment, clinic):
    member = actions.add_member(enrolment, _staff(clinic, "Lena"), None, joined_on=date(2026, 1, 1))
    actions.leave(member, DAY)
    assert actions.current_team(enrolment, date(2026, 3, 1)).count() == 1
    assert actions.current_team(enrolment, DAY).count() == 0


def test_plans_are_kept_in_versions_with_what_each_profession_does(enrolment):
    fields = {"goals": "Gå till affären", "patient_actions": "Promenera", "review_on": DAY}
    actions.write_plan(enrolment, None, **fields)
    plan = actions.write_plan(
        enrolment, None, **fields | {"goals": "Gå till skogen"},
        actions=[(Profession.PHYSIOTHERAPIST, "Träning"), (Profession.PSYCHOLOGIST, " ")],
    )  # fmt: skip
    assert [p.version for p in enrolment.plans.all()] == [2, 1]
    current = actions.current_plan(enrolment)
    assert current == plan and current.goals == "Gå till skogen"
    assert [(a.profession, a.action) for a in current.actions.all()] == [
        (Profession.PHYSIOTHERAPIST, "Träning")
    ]


def _agreement(enrolment, valid_from, valid_until, will="Promenera"):
    return actions.write_agreement(
        enrolment, None, patient_will=will, clinic_will="Följa upp", next_step="Besök",
        contact="Lena", valid_from=valid_from, valid_until=valid_until,
    )  # fmt: skip


def test_the_current_agreement_is_the_latest_valid_on_the_day(enrolment):
    _agreement(enrolment, date(2026, 1, 1), date(2026, 6, 30), "Först")
    _agreement(enrolment, date(2026, 4, 1), date(2026, 9, 30), "Sedan")
    assert actions.current_agreement(enrolment, date(2026, 3, 31)).patient_will == "Först"
    assert actions.current_agreement(enrolment, date(2026, 4, 1)).patient_will == "Sedan"
    assert actions.current_agreement(enrolment, date(2026, 9, 30)).version == 2
    assert actions.current_agreement(enrolment, date(2026, 10, 1)) is None


def test_a_meeting_can_write_the_next_plan_version(enrolment, clinic):
    people = [_staff(clinic, "Lena"), _staff(clinic, "Pia", Profession.PHYSIOTHERAPIST)]
    meeting = actions.record_meeting(
        enrolment, None, held_on=DAY, attendees=people, decisions="Mer träning",
        plan={"goals": "Cykla", "patient_actions": "Cykla", "review_on": DAY},
    )  # fmt: skip
    assert actions.meeting_professions(meeting) == sorted(
        [Profession.PHYSICIAN, Profession.PHYSIOTHERAPIST]
    )
    assert actions.current_plan(enrolment).meeting == meeting


def _group(clinic, capacity=2, clinics=()):
    template = CourseTemplate.objects.create(name="ACT", sessions=["Ett", "Två", "Tre"])
    starts = [timezone.make_aware(datetime.combine(date(2026, 2, d), time(14))) for d in (2, 9, 16)]
    return actions.create_group(
        template, name="Våren", host=clinic, clinics=clinics, capacity=capacity, starts=starts
    )


def test_a_full_group_queues_and_a_withdrawal_places_the_first_in_the_queue(clinic, other_clinic):
    group = _group(clinic, clinics=[other_clinic])
    people = [
        _patient(clinic, 1),
        _patient(other_clinic, 2),
        _patient(clinic, 3),
        _patient(clinic, 4),
    ]
    at = [timezone.make_aware(datetime(2026, 1, 1, h)) for h in range(4)]
    taken = [
        actions.add_participant(group, p, p.listings.get().clinic, at=when)
        for p, when in zip(people, at, strict=True)
    ]
    assert [t.status for t in taken] == [ParticipantStatus.PLACED] * 2 + [
        ParticipantStatus.WAITING
    ] * 2
    assert actions.withdraw(taken[0]) == taken[2]
    taken[2].refresh_from_db()
    assert taken[2].status == ParticipantStatus.PLACED
    assert actions.withdraw(taken[3]) is None  # a waiting one leaves: no one moves up


def test_a_clinic_outside_the_group_cannot_add(clinic, other_clinic):
    group = _group(clinic)
    with pytest.raises(actions.NotInGroup):
        actions.add_participant(group, _patient(other_clinic, 9), other_clinic)


def test_completion_needs_the_groups_number_of_sessions(clinic):
    group = _group(clinic)  # three sessions: completed with two
    person = actions.add_participant(group, _patient(clinic, 1), clinic)
    first, second, _third = group.sessions.all()
    actions.mark_attendance(first, person, True)
    actions.mark_attendance(second, person, False)
    assert not actions.completed(person)
    actions.mark_attendance(second, person, True)  # corrected, not added
    assert actions.sessions_attended(person) == 2 and actions.completed(person)


def test_a_group_needs_a_time_for_every_session(clinic):
    template = CourseTemplate.objects.create(name="ACT", sessions=["Ett", "Två"])
    with pytest.raises(ValueError, match="2 träffar"):
        actions.create_group(template, name="x", host=clinic, capacity=5, starts=[])


def test_opioid_agreements_carry_oral_morphine_equivalents(clinic):
    patient, doctor = _patient(clinic, 1), _staff(clinic, "Lena")
    fields = {"prescriber": doctor, "agreed_on": DAY, "review_on": DAY, "max_daily_mg": 40.0}
    oxy = actions.write_opioid_agreement(
        patient, clinic, atc="N02AA05", substance="Oxikodon", **fields
    )
    patch = actions.write_opioid_agreement(
        patient, clinic, atc="N02AB03", substance="Fentanyl", **fields
    )
    assert oxy.max_daily_ome == 60.0 and patch.max_daily_ome is None
    patch.ended_on = DAY
    patch.save()
    assert list(actions.current_opioid_agreements([clinic], DAY)) == [oxy]


def test_a_member_joining_later_does_not_yet_make_the_team_due_for_a_meeting(enrolment, clinic):
    invitation, _token = pathway.invite(enrolment, ["oempsq_sf"], None)
    pathway.submit(enrolment, Timepoint.BASELINE, invitation=invitation)
    booking = pathway.book_assessment(
        enrolment, scheduled_at=timezone.now(), length_minutes=45, clinician=None,
        profession=Profession.PHYSICIAN, user=None,
    )  # fmt: skip
    enrolment = pathway.assessed(booking, None)
    actions.add_member(enrolment, _staff(clinic, "Lena"), None, joined_on=date(2026, 1, 1))
    physio = _staff(clinic, "Pia", Profession.PHYSIOTHERAPIST)
    actions.add_member(enrolment, physio, None, joined_on=date(2026, 4, 1))
    assert actions.due_for_meeting([clinic], DAY) == []
    assert [e for e, _ in actions.due_for_meeting([clinic], date(2026, 4, 1))] == [enrolment]
