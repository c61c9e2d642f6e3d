"""The coordination overview and access to every coordination page
(painpath/care/views_team.py, views_meetings.py): only the user's clinics, everything
audited, another clinic's enrolment a 404 like one that does not exist."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from painpath.access.models import AuditEvent
from painpath.care import actions
from painpath.care.models import RehabMeeting, TeamMember
from painpath.records.professions import Profession
from tests.care.test_team import assessed, caregiver, enrolled
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def lena(clinic):
    return make_user("lena", clinic)


@pytest.fixture
def olle(other_clinic):
    return make_user("olle", other_clinic)


@pytest.fixture
def lind(clinic):
    return caregiver(clinic, "Dr Lind")


@pytest.fixture
def enrolment(clinic, lena, lind):
    enrolment = assessed(clinic, lena)
    actions.add_member(enrolment, lind, lena, responsible=True)
    actions.write_plan(
        enrolment, lena, goals="Kunna gå till affären", patient_actions="Promenera",
        review_on=timezone.localdate() + timedelta(days=30),
    )  # fmt: skip
    actions.write_agreement(
        enrolment, lena, patient_will="Promenera", clinic_will="Ringa", next_step="Besök",
        contact="Dr Lind", valid_from=timezone.localdate(),
        valid_until=timezone.localdate() + timedelta(days=180),
    )  # fmt: skip
    return enrolment


def pages(enrolment, member_id=1) -> list[tuple[str, str, list]]:
    pk = enrolment.pk
    return [
        ("get", "care_enrolment", [pk]),
        ("get", "care_team_add", [pk]),
        ("post", "care_team_add", [pk]),
        ("post", "care_team_leave", [pk, member_id]),
        ("get", "care_plan_new", [pk]),
        ("post", "care_plan_new", [pk]),
        ("get", "care_plan_version", [pk, 1]),
        ("get", "care_agreement_new", [pk]),
        ("post", "care_agreement_new", [pk]),
        ("get", "care_agreement_version", [pk, 1]),
        ("get", "care_agreement_print", [pk, 1]),
        ("get", "care_meeting_new", [pk]),
        ("post", "care_meeting_new", [pk]),
    ]


def test_every_page_needs_a_login(client, enrolment):
    for method, name, args in [("get", "care_overview", []), *pages(enrolment)]:
        response = getattr(client, method)(reverse(name, args=args))

        assert response.status_code == 302, name
        assert response["Location"].startswith("/konto/logga-in/")


def test_another_clinic_gets_404_on_every_page_and_the_look_up_is_logged(
    client, enrolment, olle, lind
):
    member = TeamMember.objects.get(enrolment=enrolment)
    client.force_login(olle)

    for method, name, args in pages(enrolment, member.pk):
        data = {"staff": lind.pk, "decisions": "x", "held_on": "2025-01-01"}
        response = getattr(client, method)(reverse(name, args=args), *(
            [data] if method == "post" else []))  # fmt: skip

        assert response.status_code == 404, name
        assert "PANNA" not in response.text and "Anna" not in response.text

    assert AuditEvent.objects.filter(username="olle", action="lookup").count() == 13
    assert not AuditEvent.objects.filter(username="olle", patient=enrolment.patient).exists()
    member.refresh_from_db()
    assert member.left_on is None
    assert not RehabMeeting.objects.exists()


def test_the_overview_lists_the_clinics_patients_in_care(
    client, lena, enrolment, clinic, other_clinic
):
    enrolled(clinic, lena, pseudonym="PBERTIL000001", first="Bertil", family="Ek")  # not yet
    assessed(other_clinic, make_user("eva", other_clinic), pseudonym="PANNAN0000001",
             first="Cecilia", family="Annan")  # fmt: skip
    client.force_login(lena)

    response = client.get(reverse("care_overview"))

    text = response.text
    assert "Anna Öberg" in text and "PANNA00000001" in text
    assert "Bertil" not in text and "Cecilia" not in text
    assert reverse("care_enrolment", args=[enrolment.pk]) in text
    assert "Dr Lind" in text and "Läkare" in text
    review = (timezone.localdate() + timedelta(days=30)).isoformat()
    assert f"v1, följs upp {review}" in text and "Datumet har passerat" not in text
    valid_until = (timezone.localdate() + timedelta(days=180)).isoformat()
    assert valid_until in text
    event = AuditEvent.objects.get(username="lena", action="view")
    assert event.patient is None and event.detail == "samordning: översikt"


def test_the_overview_flags_a_passed_review_and_a_missing_agreement(client, lena, clinic, lind):
    enrolment = assessed(clinic, lena)
    long_ago = timezone.localdate() - timedelta(days=400)
    actions.write_plan(
        enrolment, lena, goals="Mål", patient_actions="Gör", review_on=long_ago,
    )  # fmt: skip
    actions.write_agreement(
        enrolment, lena, patient_will="P", clinic_will="V", next_step="N", contact="K",
        valid_from=long_ago, valid_until=long_ago + timedelta(days=180),
    )  # fmt: skip
    client.force_login(lena)

    text = client.get(reverse("care_overview")).text

    assert "Datumet har passerat" in text
    assert f"Ingen gällande (gick ut {(long_ago + timedelta(days=180)).isoformat()})" in text
    assert '<strong class="care-flag">Ingen</strong>' in text  # no responsible caregiver


def test_the_overview_lists_who_is_due_for_a_rehab_meeting_and_why(
    client, lena, enrolment, clinic, lind
):
    actions.add_member(enrolment, caregiver(clinic, "Sara Fys", Profession.PHYSIOTHERAPIST), lena)
    lonely = assessed(clinic, lena, pseudonym="PBERTIL000001", first="Bertil", family="Ek")
    actions.add_member(lonely, lind, lena)  # one profession: no meeting needed
    client.force_login(lena)

    text = client.get(reverse("care_overview")).text
    due = text.split("Patienter som behöver rehabmöte")[2].split("</table>")[0]

    assert "Anna Öberg" in due and "inget rehabmöte ännu" in due
    assert "Bertil" not in due
    assert reverse("care_meeting_new", args=[enrolment.pk]) in due

    actions.record_meeting(
        enrolment, lena, held_on=timezone.localdate(), attendees=[lind], decisions="Fortsätt"
    )
    text = client.get(reverse("care_overview")).text
    assert "Ingen patient behöver rehabmöte just nu." in text
    assert f"<td>{timezone.localdate().isoformat()}</td>" in text  # the last meeting


def test_the_care_page_shows_team_plan_agreement_and_is_audited(client, lena, enrolment):
    client.force_login(lena)

    response = client.get(reverse("care_enrolment", args=[enrolment.pk]))

    text = response.text
    assert "Anna Öberg" in text and "Fast vårdkontakt" in text and "Dr Lind" in text
    assert "Kunna gå till affären" in text and "Skriv ut till patienten" in text
    assert AuditEvent.objects.filter(
        username="lena", action="view", patient=enrolment.patient, detail__contains="samordning"
    ).exists()


def test_the_enrolment_page_links_to_coordination_once_assessed(client, lena, enrolment, clinic):
    waiting = enrolled(clinic, lena, pseudonym="PBERTIL000001")
    client.force_login(lena)
    link = "Samordning: team, plan och överenskommelse"

    assessed_page = client.get(reverse("pathway_enrolment", args=[enrolment.pk])).text
    waiting_page = client.get(reverse("pathway_enrolment", args=[waiting.pk])).text

    assert link in assessed_page and reverse("care_enrolment", args=[enrolment.pk]) in (
        assessed_page
    )
    assert link not in waiting_page
