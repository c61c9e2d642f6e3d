"""A pathway patient's care team on the coordination pages (painpath/care/views_team.py):
adding members, the one responsible caregiver (fast vårdkontakt) and the team's history.

The small cast here (Lena at Habo, Olle at another clinic, Anna assessed in the pathway,
Habo's caregivers) is used by the other coordination view tests too."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from painpath.access.models import AuditEvent
from painpath.care import actions
from painpath.care.models import StaffMember, TeamMember
from painpath.care.states import StaffKind
from painpath.pathway import actions as pathway
from painpath.pathway.states import Channel, Criterion, Timepoint
from painpath.records.models import Listing, Patient
from painpath.records.professions import Profession
from tests.factories import make_user

pytestmark = pytest.mark.django_db


# --- the cast ----------------------------------------------------------------------------


def listed(clinic, pseudonym: str) -> Patient:
    patient = Patient.objects.create(id_hash=f"h-{pseudonym}", pseudonym=pseudonym)
    Listing.objects.create(patient=patient, clinic=clinic, source_key=f"l-{pseudonym}")
    return patient


def enrolled(clinic, user, pseudonym="PANNA00000001", first="Anna", family="Öberg"):
    return pathway.enrol(
        listed(clinic, pseudonym), clinic, criterion=Criterion.NEW_LONG_PAIN,
        profession=Profession.NURSE, channel=Channel.PHONE, user=user,
        first_name=first, family_name=family,
    )  # fmt: skip


def assessed(clinic, user, **names):
    """Enrolled, answered, and assessed by a physician: in care."""
    enrolment = enrolled(clinic, user, **names)
    invitation, _token = pathway.invite(enrolment, ["oempsq_sf"], user)
    enrolment = pathway.submit(enrolment, Timepoint.BASELINE, invitation=invitation)
    booking = pathway.book_assessment(
        enrolment, scheduled_at=timezone.now() - timedelta(hours=1), length_minutes=45,
        clinician=user, profession=Profession.PHYSICIAN, user=user,
    )  # fmt: skip
    return pathway.assessed(booking, user)


def caregiver(clinic, name, profession=Profession.PHYSICIAN) -> StaffMember:
    return StaffMember.objects.create(
        clinic=clinic, name=name, kind=StaffKind.CAREGIVER, profession=profession
    )


@pytest.fixture
def lena(clinic):
    return make_user("lena", clinic)  # a physician at Habo


@pytest.fixture
def olle(other_clinic):
    return make_user("olle", other_clinic)  # at another clinic: sees nothing of Habo's


@pytest.fixture
def enrolment(clinic, lena):
    return assessed(clinic, lena)


@pytest.fixture
def lind(clinic):
    return caregiver(clinic, "Dr Lind")


@pytest.fixture
def sara(clinic):
    return caregiver(clinic, "Sara Fys", Profession.PHYSIOTHERAPIST)


# --- the tests ---------------------------------------------------------------------------


def test_it_adds_a_member_with_the_profession_from_the_roster(client, lena, enrolment, sara):
    client.force_login(lena)

    response = client.post(
        reverse("care_team_add", args=[enrolment.pk]),
        {"staff": sara.pk, "profession": "", "joined_on": timezone.localdate().isoformat()},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("care_enrolment", args=[enrolment.pk])
    member = TeamMember.objects.get(enrolment=enrolment)
    assert (member.staff, member.profession, member.responsible) == (
        sara, Profession.PHYSIOTHERAPIST, False,
    )  # fmt: skip
    assert member.added_by == lena
    event = AuditEvent.objects.get(action="change", username="lena")
    assert event.patient == enrolment.patient and "Sara Fys" in event.detail


def test_the_form_offers_only_the_clinics_caregivers(client, lena, enrolment, lind, other_clinic):
    caregiver(other_clinic, "Doktor Annan")
    StaffMember.objects.create(clinic=lind.clinic, name="Ada Admin", kind=StaffKind.ADMINISTRATOR)
    client.force_login(lena)

    response = client.get(reverse("care_team_add", args=[enrolment.pk]))

    assert "Dr Lind (Läkare)" in response.text
    assert "Doktor Annan" not in response.text and "Ada Admin" not in response.text
    assert AuditEvent.objects.filter(action="view", patient=enrolment.patient).exists()


def test_a_new_responsible_keeps_the_history_and_only_one_is_responsible(
    client, lena, enrolment, lind, sara
):
    before = timezone.localdate() - timedelta(days=30)
    actions.add_member(enrolment, lind, lena, responsible=True, joined_on=before)
    client.force_login(lena)

    client.post(
        reverse("care_team_add", args=[enrolment.pk]),
        {"staff": sara.pk, "responsible": "on", "joined_on": timezone.localdate().isoformat()},
    )

    team = actions.current_team(enrolment)
    assert [(m.staff.name, m.responsible) for m in team] == [
        ("Sara Fys", True), ("Dr Lind", False),
    ]  # fmt: skip
    assert team.filter(responsible=True).count() == 1
    old = TeamMember.objects.get(staff=lind, responsible=True)
    assert (old.joined_on, old.left_on) == (before, timezone.localdate())
    page = client.get(reverse("care_enrolment", args=[enrolment.pk])).text
    assert "Teamets historik" in page and before.isoformat() in page


def test_a_member_leaves_today_and_stays_in_the_history(client, lena, enrolment, lind, sara):
    actions.add_member(enrolment, lind, lena, responsible=True)
    member = actions.add_member(enrolment, sara, lena)
    client.force_login(lena)

    response = client.post(reverse("care_team_leave", args=[enrolment.pk, member.pk]))

    assert response.status_code == 302
    member.refresh_from_db()
    assert member.left_on == timezone.localdate()
    assert [m.staff for m in actions.current_team(enrolment)] == [lind]
    assert AuditEvent.objects.filter(action="change", detail__contains="lämnar").exists()


def test_leaving_needs_a_post(client, lena, enrolment, sara):
    member = actions.add_member(enrolment, sara, lena)
    client.force_login(lena)

    response = client.get(reverse("care_team_leave", args=[enrolment.pk, member.pk]))

    assert response.status_code == 405
    member.refresh_from_db()
    assert member.left_on is None


def test_the_form_shows_its_errors(client, lena, enrolment, clinic):
    nobody = StaffMember.objects.create(clinic=clinic, name="Utan Yrke", kind=StaffKind.CAREGIVER)
    client.force_login(lena)

    empty = client.post(reverse("care_team_add", args=[enrolment.pk]), {"joined_on": ""})
    no_profession = client.post(
        reverse("care_team_add", args=[enrolment.pk]), {"staff": nobody.pk, "joined_on": "x"}
    )

    assert empty.status_code == 200
    assert "Välj en person i personallistan." in empty.text
    assert "Ange ett datum." in empty.text
    assert "Personallistan anger ingen profession för Utan Yrke" in no_profession.text
    assert "Skriv datumet som 2025-03-14." in no_profession.text
    assert 'aria-describedby="id_staff_error"' in empty.text
    assert not TeamMember.objects.exists()


def test_the_team_cannot_change_before_the_assessment(client, lena, clinic, sara):
    waiting = enrolled(clinic, lena, pseudonym="PBERTIL000001")
    client.force_login(lena)

    response = client.post(
        reverse("care_team_add", args=[waiting.pk]),
        {"staff": sara.pk, "joined_on": timezone.localdate().isoformat()},
    )

    assert response.status_code == 302
    assert not TeamMember.objects.exists()
    page = client.get(response["Location"]).text
    assert "Samordningen börjar när patienten är bedömd." in page


def test_a_responsible_cannot_be_named_from_before_the_current_ones_start(
    client, lena, enrolment, lind, sara
):
    today = timezone.localdate()
    actions.add_member(enrolment, lind, lena, responsible=True, joined_on=today)
    client.force_login(lena)

    response = client.post(
        reverse("care_team_add", args=[enrolment.pk]),
        {"staff": sara.pk, "responsible": "on", "joined_on": (today - timedelta(30)).isoformat()},
    )

    assert f"gäller från {today.isoformat()}" in response.text
    assert actions.current_team(enrolment).filter(responsible=True).count() == 1
    with pytest.raises(actions.Backdated):
        actions.add_member(enrolment, sara, lena, responsible=True, joined_on=today - timedelta(1))


def test_a_member_cannot_join_from_a_future_day(client, lena, enrolment, sara):
    client.force_login(lena)
    tomorrow = timezone.localdate() + timedelta(days=1)

    response = client.post(
        reverse("care_team_add", args=[enrolment.pk]),
        {"staff": sara.pk, "joined_on": tomorrow.isoformat()},
    )

    assert "Datumet kan inte ligga efter i dag." in response.text
    assert not enrolment.team.exists()
