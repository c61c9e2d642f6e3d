"""Staff training (care/views_training.py, groups.training_coverage): coverage of
caregivers and administrators on a day, recording completions, and the roster."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from painpath.access.models import AuditAction, AuditEvent
from painpath.care import actions, courses, groups
from painpath.care.models import StaffMember, TrainingCourse
from painpath.care.states import StaffKind
from painpath.records.professions import Profession
from tests.factories import make_user

pytestmark = pytest.mark.django_db
CAREGIVER, ADMIN = StaffKind.CAREGIVER, StaffKind.ADMINISTRATOR


def person(clinic, name, kind=CAREGIVER, active_from=None, active_to=None):
    profession = Profession.NURSE if kind == CAREGIVER else ""
    return StaffMember.objects.create(
        clinic=clinic, name=name, kind=kind, profession=profession,
        active_from=active_from, active_to=active_to,
    )  # fmt: skip


@pytest.fixture
def course(db):
    return TrainingCourse.objects.get_or_create(name=courses.ACT_TRAINING)[0]


@pytest.fixture
def lena(clinic):
    return make_user("lena", clinic)


@pytest.fixture
def roster(clinic, other_clinic, course):
    """Habo: caregivers Ada (from 2024), Bea (left mid-2024), Cai (from 2025); administrators
    Dag and Eva. Annan: Olof, trained, who never counts for Habo."""
    ada = person(clinic, "Ada", active_from=date(2024, 1, 1))
    bea = person(clinic, "Bea", active_to=date(2024, 6, 30))
    cai = person(clinic, "Cai", active_from=date(2025, 1, 1))
    dag = person(clinic, "Dag", ADMIN)
    eva = person(clinic, "Eva", ADMIN)
    olof = person(other_clinic, "Olof", ADMIN)
    for who, day in ((ada, date(2024, 3, 1)), (bea, date(2024, 2, 1)),
                     (cai, date(2025, 2, 1)), (dag, date(2025, 6, 1)),
                     (olof, date(2024, 1, 1))):  # fmt: skip
        actions.record_training(course, who, day)
    return {p.name: p for p in (ada, bea, cai, dag, eva, olof)}


def figures(on_roster, trained, share):
    return {"on_roster": on_roster, "trained": trained, "share": share}


@pytest.mark.parametrize(
    ("day", "caregivers", "administrators"),
    [
        (date(2024, 5, 1), figures(2, 2, 1.0), figures(2, 0, 0.0)),  # Cai not yet employed
        (date(2025, 1, 15), figures(2, 1, 0.5), figures(2, 0, 0.0)),  # Bea left; Cai untrained
        (date(2025, 3, 1), figures(2, 2, 1.0), figures(2, 0, 0.0)),
        (date(2025, 7, 1), figures(2, 2, 1.0), figures(2, 1, 0.5)),  # Dag trained in June
    ],
)
def test_coverage_counts_the_roster_on_the_day_and_completions_by_then(
    roster, clinic, course, day, caregivers, administrators
):
    assert groups.training_coverage([clinic], day, course) == {
        "caregiver": caregivers,
        "administrator": administrators,
    }


def test_coverage_with_nobody_on_the_roster_has_no_share(clinic, course):
    assert groups.training_coverage([clinic], date(2025, 1, 1), course) == {
        "caregiver": figures(0, 0, None),
        "administrator": figures(0, 0, None),
    }


def test_the_page_shows_coverage_on_the_chosen_day_with_a_chart(client, roster, lena, course):
    client.force_login(lena)
    page = client.get(reverse("care_training"), {"datum": "2025-07-01"})
    (item,) = [i for i in page.context["courses"] if i["course"] == course]
    assert [(r["kind"], r["trained"], r["on_roster"], r["percent"]) for r in item["rows"]] == [
        ("Vårdpersonal", 2, 2, 100),
        ("Administrativ personal", 1, 2, 50),
    ]
    assert "<svg" in page.text and "50 %" in page.text and "Utbildade den 2025-07-01" in page.text


def test_the_page_counts_today_without_a_date(client, roster, lena):
    client.force_login(lena)
    page = client.get(reverse("care_training"))
    assert page.context["day"] == timezone.localdate()


def test_completions_are_recorded_for_the_ticked_staff(client, roster, lena, course):
    client.force_login(lena)
    url = reverse("care_training_record", args=[course.pk])
    page = client.get(url)
    assert "Ada, Sjuksköterska – genomförd 2024-03-01" in page.text and "Olof" not in page.text
    eva = roster["Eva"]
    response = client.post(url, {"completed_on": "2025-08-01", "administrator": [eva.pk]})
    assert response.status_code == 302
    assert eva.trainings.get(course=course).completed_on == date(2025, 8, 1)
    event = AuditEvent.objects.get(action=AuditAction.CHANGE, user=lena)
    assert (
        event.patient is None
        and event.detail == f"utbildning {course.pk} genomförd 2025-08-01: Eva"
    )


def test_another_clinics_staff_cannot_be_ticked(client, roster, lena, course):
    client.force_login(lena)
    olof = roster["Olof"]
    url = reverse("care_training_record", args=[course.pk])
    response = client.post(url, {"completed_on": "2025-08-01", "administrator": [olof.pk]})
    assert response.status_code == 200
    assert olof.trainings.get().completed_on == date(2024, 1, 1)  # unchanged


def test_a_completion_needs_a_past_day_and_someone_ticked(client, roster, lena, course):
    client.force_login(lena)
    url = reverse("care_training_record", args=[course.pk])
    tomorrow = (timezone.localdate() + timedelta(1)).isoformat()
    later = client.post(url, {"completed_on": tomorrow, "caregiver": [roster["Cai"].pk]})
    assert "Datumet har inte varit ännu." in later.text
    nobody = client.post(url, {"completed_on": "2025-08-01"})
    assert "Kryssa i vem eller vilka som har genomfört den." in nobody.text
    assert not AuditEvent.objects.filter(user=lena).exists()


def test_the_roster_adds_staff_and_requires_a_caregivers_profession(client, clinic, lena):
    client.force_login(lena)
    url = reverse("care_staff")
    fields = {"clinic": clinic.pk, "name": "Gun", "kind": CAREGIVER, "active_from": "2025-01-01"}
    refused = client.post(url, fields)
    assert "Ange vårdpersonalens profession." in refused.text
    assert client.post(url, {**fields, "profession": Profession.PHYSIOTHERAPIST}).status_code == 302
    admin = {"clinic": clinic.pk, "name": "Hans", "kind": ADMIN, "profession": Profession.NURSE}
    assert client.post(url, admin).status_code == 302
    assert {(s.name, s.kind, s.profession) for s in StaffMember.objects.all()} == {
        ("Gun", CAREGIVER, Profession.PHYSIOTHERAPIST),
        ("Hans", ADMIN, ""),  # an administrator has no profession
    }
    events = AuditEvent.objects.filter(action=AuditAction.CHANGE, user=lena, patient=None)
    assert events.count() == 2


def test_the_roster_lists_only_the_users_clinics(client, roster, lena, other_clinic):
    client.force_login(lena)
    page = client.get(reverse("care_staff"))
    assert "Ada" in page.text and "Olof" not in page.text
    refused = client.post(
        reverse("care_staff"), {"clinic": other_clinic.pk, "name": "X", "kind": ADMIN}
    )
    assert refused.status_code == 200 and not StaffMember.objects.filter(name="X").exists()


def test_an_end_before_the_start_is_refused(client, clinic, lena):
    client.force_login(lena)
    data = {"clinic": clinic.pk, "name": "Ines", "kind": ADMIN,
            "active_from": "2025-05-01", "active_to": "2025-04-01"}  # fmt: skip
    assert "Slutdatumet ligger före startdatumet." in client.post(reverse("care_staff"), data).text
