"""Pain-school pages (care/views_groups.py) and their read functions (care/groups.py): a
group shared by Habo and Annan fills up, queues, moves the queue on, counts attendance
and completion, and shows each clinic only its own patients."""

import importlib
from datetime import date, datetime, time, timedelta

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from painpath.access.models import AuditAction, AuditEvent
from painpath.care import actions, courses, groups
from painpath.care.models import CourseTemplate, PainSchoolGroup, Participant, TrainingCourse
from painpath.care.states import ParticipantStatus
from painpath.records.models import Listing, Patient
from tests.factories import make_clinic, make_user

pytestmark = pytest.mark.django_db
MONDAY = date(2025, 9, 1)


def listed(clinic, pseudonym: str) -> Patient:
    patient = Patient.objects.create(id_hash=f"h-{pseudonym}", pseudonym=pseudonym)
    Listing.objects.create(patient=patient, clinic=clinic, source_key=f"l-{pseudonym}")
    return patient


def act() -> CourseTemplate:
    return CourseTemplate.objects.get_or_create(
        name=courses.ACT_PAIN_SCHOOL, defaults={"sessions": courses.ACT_PAIN_SCHOOL_SESSIONS}
    )[0]


def weekly(first: date, n: int = 6) -> list[datetime]:
    return [
        timezone.make_aware(datetime.combine(first + timedelta(weeks=i), time(14)))
        for i in range(n)
    ]


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


@pytest.fixture
def lena(clinic):
    return make_user("lena", clinic)  # Habo, the host


@pytest.fixture
def olle(other_clinic):
    return make_user("olle", other_clinic)  # Annan, the partner


@pytest.fixture
def vera(db):
    return make_user("vera", make_clinic("tredje", "Tredje vårdcentralen"))  # not in the group


@pytest.fixture
def group(clinic, other_clinic, lena):
    return actions.create_group(
        act(), name="Smärtskola hösten", host=clinic, clinics=[other_clinic], capacity=3,
        starts=weekly(MONDAY), user=lena,
    )  # fmt: skip


@pytest.fixture
def people(clinic, other_clinic):
    return {
        "anna": listed(clinic, "PHABO0000001"),
        "bo": listed(clinic, "PHABO0000002"),
        "cia": listed(other_clinic, "PANNA0000001"),
        "dan": listed(other_clinic, "PANNA0000002"),
    }


def add(client, user, group, patient):
    client.force_login(user)
    url = reverse("care_group_add", args=[group.pk])
    return client.post(url, {"pseudonym": patient.pseudonym}, follow=True)


def status_of(group, patient) -> str:
    return Participant.objects.get(group=group, patient=patient).status


def next_monday() -> date:
    today = timezone.localdate()
    return today + timedelta(days=7 - today.weekday())


def new_group(**fields) -> dict:
    return {"template": act().pk, "name": "x", "format": "on_site", "capacity": "3",
            "starts_on": next_monday().isoformat(), "at": "14:00"} | fields  # fmt: skip


def test_it_creates_a_group_with_weekly_sessions_from_the_form(client, lena, other_clinic):
    client.force_login(lena)
    monday = next_monday()
    response = client.post(
        reverse("care_group_new"),
        {"template": act().pk, "name": "Hösten", "format": "digital", "place": "Länk i 1177",
         "capacity": "3", "partners": [other_clinic.pk], "starts_on": monday.isoformat(),
         "weekday": "2", "at": "14:00"},
    )  # fmt: skip
    group = PainSchoolGroup.objects.get(name="Hösten")
    assert response.status_code == 302 and response["Location"] == f"/smartskola/{group.pk}/"
    assert {c.code for c in group.clinics.all()} == {"habo", "annan"}
    assert group.host.code == "habo" and group.completion_sessions == 5  # all but one
    starts = [timezone.localtime(s.starts_at) for s in group.sessions.all()]
    wednesday = monday + timedelta(days=2)
    assert [s.date() for s in starts] == [wednesday + timedelta(weeks=i) for i in range(6)]
    assert {s.time() for s in starts} == {time(14)}
    assert group.sessions.first().title == "Smärta och stress – vad vet vi?"


def test_it_refuses_more_completion_sessions_than_the_course_has(client, lena):
    client.force_login(lena)
    response = client.post(reverse("care_group_new"), new_group(completion_sessions="7"))
    assert response.status_code == 200 and "Kursen har bara 6 träffar." in response.text
    assert not PainSchoolGroup.objects.filter(name="x").exists()


def test_a_shared_group_fills_up_and_puts_the_next_on_the_waiting_list(
    client, group, people, lena, olle
):
    assert messages_of(add(client, lena, group, people["anna"])) == ["Plats i gruppen."]
    assert messages_of(add(client, olle, group, people["cia"])) == ["Plats i gruppen."]
    assert messages_of(add(client, lena, group, people["bo"])) == ["Plats i gruppen."]
    full = add(client, olle, group, people["dan"])
    assert messages_of(full) == ["Gruppen är full – patienten står som nr 1 på väntelistan."]
    assert status_of(group, people["dan"]) == ParticipantStatus.WAITING
    assert groups.group_figures([group.host], MONDAY, MONDAY) == {
        "groups": 1, "placed": 2, "waiting": 0, "withdrawn": 0, "completed": 0, "attended": 0,
        "by_clinic": {"habo": {"placed": 2, "waiting": 0, "withdrawn": 0, "completed": 0,
                               "attended": 0}},
    }  # fmt: skip
    change = AuditEvent.objects.filter(action=AuditAction.CHANGE, patient=people["dan"]).get()
    assert change.detail == f"smärtskolegrupp {group.pk}: väntelista nr 1"


def test_withdrawing_a_placed_participant_places_the_first_waiting(
    client, group, people, lena, olle
):
    for name, user in (("anna", lena), ("cia", olle), ("bo", lena), ("dan", olle)):
        add(client, user, group, people[name])
    anna = Participant.objects.get(patient=people["anna"])
    url = reverse("care_group_withdraw", args=[group.pk, anna.pk])
    client.force_login(lena)
    response = client.post(url, follow=True)
    assert messages_of(response) == [
        "PHABO0000001 har avbrutit. Platsen gick till en deltagare från Annan vårdcentral, "
        "som stod först på väntelistan."
    ]
    assert status_of(group, people["anna"]) == ParticipantStatus.WITHDRAWN
    assert status_of(group, people["dan"]) == ParticipantStatus.PLACED
    assert AuditEvent.objects.filter(action=AuditAction.CHANGE, patient=people["dan"]).count() == 2


def test_a_clinic_cannot_withdraw_another_clinics_participant(client, group, people, olle):
    anna = actions.add_participant(group, people["anna"], group.host)
    client.force_login(olle)
    response = client.post(reverse("care_group_withdraw", args=[group.pk, anna.pk]))
    assert response.status_code == 404
    assert status_of(group, people["anna"]) == ParticipantStatus.PLACED


def test_attendance_is_marked_per_session_and_completion_counts(client, group, people, lena):
    anna = actions.add_participant(group, people["anna"], group.host)
    bo = actions.add_participant(group, people["bo"], group.host)
    client.force_login(lena)
    for number in range(1, 6):  # Anna comes to the first five, Bo only to the third
        ticked = {f"p{anna.pk}": "on"} | ({f"p{bo.pk}": "on"} if number == 3 else {})
        client.post(reverse("care_group_attendance", args=[group.pk, number]), ticked)
    assert actions.sessions_attended(anna) == 5 and actions.completed(anna)
    assert actions.sessions_attended(bo) == 1 and not actions.completed(bo)
    assert bo.attendance.filter(present=False).count() == 4  # unticked is marked absent
    page = client.get(reverse("care_group", args=[group.pk]))
    assert "Genomgått kursen" in page.text and "5 av 5" in page.text and "1 av 5" in page.text
    seats = {s.participant.pk: s.completed for s in page.context["roster"].placed}
    assert seats == {anna.pk: True, bo.pk: False}  # as actions.completed says
    figures = groups.group_figures([group.host], MONDAY, MONDAY + timedelta(days=6))
    assert (figures["completed"], figures["attended"]) == (1, 6)


def test_the_attendance_form_has_one_labelled_checkbox_per_own_participant(
    client, group, people, olle
):
    actions.add_participant(group, people["anna"], group.host)
    cia = actions.add_participant(group, people["cia"], people["cia"].listings.get().clinic)
    client.force_login(olle)
    page = client.get(reverse("care_group_attendance", args=[group.pk, 2]))
    assert (
        "<legend>2. Värderingar – vad är viktigt för dig?, 2025-09-08 14:00</legend>" in page.text
    )
    assert f'<label for="id_p{cia.pk}">PANNA0000001</label>' in page.text
    assert "PHABO0000001" not in page.text


def test_another_clinics_participants_are_shown_as_a_count(client, group, people, lena, olle):
    actions.add_participant(group, people["anna"], group.host)
    actions.add_participant(group, people["bo"], group.host)
    actions.add_participant(group, people["cia"], people["cia"].listings.get().clinic)
    client.force_login(olle)
    page = client.get(reverse("care_group", args=[group.pk]))
    assert "2 deltagare från Bra Liv Habo" in page.text
    assert "PANNA0000001" in page.text
    assert "PHABO0000001" not in page.text and "PHABO0000002" not in page.text
    views = AuditEvent.objects.filter(action=AuditAction.VIEW)
    assert [e.pseudonym for e in views] == ["PANNA0000001"]
    assert views.get().detail == f"smärtskolegrupp {group.pk}"


def test_a_user_at_a_clinic_outside_the_group_gets_404(client, group, people, vera):
    anna = actions.add_participant(group, people["anna"], group.host)
    client.force_login(vera)
    for url in (
        reverse("care_group", args=[group.pk]),
        reverse("care_group_add", args=[group.pk]),
        reverse("care_group_attendance", args=[group.pk, 1]),
    ):
        assert client.get(url).status_code == 404
    withdraw = reverse("care_group_withdraw", args=[group.pk, anna.pk])
    assert client.post(withdraw).status_code == 404
    assert "Smärtskola hösten" not in client.get(reverse("care_groups")).text


@pytest.mark.parametrize("pseudonym", ["PANNA0000001", "PNOSUCH00000"])
def test_a_patient_not_at_the_users_clinics_cannot_be_added(client, group, people, lena, pseudonym):
    client.force_login(lena)
    response = client.post(reverse("care_group_add", args=[group.pk]), {"pseudonym": pseudonym})
    assert response.status_code == 200 and "Ingen sådan patient." in response.text
    assert not group.participants.exists()
    lookup = AuditEvent.objects.get(action=AuditAction.LOOKUP)
    assert lookup.detail == "ingen träff på pseudonym" and lookup.patient is None


def test_a_miss_never_writes_the_typed_value_to_the_log(client, group, lena):
    client.force_login(lena)
    url = reverse("care_group_add", args=[group.pk])

    client.post(url, {"pseudonym": "19121212-1212"})

    lookup = AuditEvent.objects.get(action=AuditAction.LOOKUP)
    assert "1212" not in lookup.detail and "1212" not in lookup.path


def test_a_patient_already_in_the_group_is_not_added_twice(client, group, people, lena):
    add(client, lena, group, people["anna"])
    again = add(client, lena, group, people["anna"])
    assert "Patienten finns redan i gruppen (Plats i gruppen)." in again.text
    assert group.participants.count() == 1
    lookup = AuditEvent.objects.get(action=AuditAction.LOOKUP)
    assert lookup.patient == people["anna"] and lookup.detail.endswith("ej tillagd")


def test_a_patient_of_a_clinic_outside_the_group_is_refused_and_the_lookup_audited(
    client, group, lena
):
    third = make_clinic("tredje", "Tredje vårdcentralen")
    lena.memberships.create(clinic=third)
    patient = listed(third, "PTREDJE00001")

    response = add(client, lena, group, patient)

    assert "Patientens vårdcentral deltar inte i gruppen." in response.text
    assert not group.participants.exists()
    lookup = AuditEvent.objects.get(action=AuditAction.LOOKUP)
    assert lookup.patient == patient and lookup.pseudonym == "PTREDJE00001"


@pytest.mark.parametrize("starts_on", ["9999-12-20", "0001-01-01", "2020-01-06"])
def test_a_start_date_out_of_bounds_is_refused(client, lena, starts_on):
    client.force_login(lena)

    response = client.post(reverse("care_group_new"), new_group(starts_on=starts_on))

    assert response.status_code == 200 and "Startdatum kan vara från" in response.text
    assert not PainSchoolGroup.objects.exists()


def test_a_user_without_a_clinic_is_told_so_and_creates_nothing(client):
    client.force_login(make_user("nils", None))

    response = client.post(reverse("care_group_new"), new_group())

    assert response.status_code == 200
    assert "Ditt konto är inte kopplat till någon vårdcentral" in response.text
    assert not PainSchoolGroup.objects.exists()


def test_the_users_own_clinics_are_not_offered_as_partners(client, clinic, lena, other_clinic):
    client.force_login(lena)

    partners = client.get(reverse("care_group_new")).context["form"].fields["partners"]

    assert [c.code for c in partners.queryset] == ["annan"]
    response = client.post(reverse("care_group_new"), new_group(partners=[clinic.pk]))
    assert response.status_code == 200 and not PainSchoolGroup.objects.exists()


def test_the_list_shows_counts_and_status_by_session_dates(client, group, people, lena):
    for name in ("anna", "bo"):
        actions.add_participant(group, people[name], group.host)
    client.force_login(lena)
    page = client.get(reverse("care_groups"))
    (line,) = page.context["lines"]
    assert (line.first, line.last, line.placed, line.waiting) == (
        MONDAY, MONDAY + timedelta(weeks=5), 2, 0,
    )  # fmt: skip
    assert "Smärtskola hösten" in page.text


def test_a_user_at_both_clinics_sees_each_participant_once(
    client, group, people, clinic, other_clinic
):
    both = make_user("maja", clinic)
    both.memberships.create(clinic=other_clinic)
    actions.add_participant(group, people["anna"], clinic)
    actions.add_participant(group, people["cia"], other_clinic)
    (line,) = groups.group_lines([clinic, other_clinic])
    assert (line.placed, line.waiting) == (2, 0)
    client.force_login(both)
    page = client.get(reverse("care_group", args=[group.pk]))
    assert [s.participant.patient for s in page.context["roster"].placed] == [
        people["anna"], people["cia"],
    ]  # fmt: skip
    assert "PHABO0000001" in page.text and "PANNA0000001" in page.text


def test_a_group_is_planned_then_running_then_finished():
    first, last = MONDAY, MONDAY + timedelta(weeks=5)
    assert groups.status(first, last, first - timedelta(1)) == groups.PLANNED
    assert groups.status(first, last, first) == groups.RUNNING
    assert groups.status(first, last, last) == groups.RUNNING
    assert groups.status(first, last, last + timedelta(1)) == groups.FINISHED


def test_group_figures_split_a_shared_group_by_clinic_and_window(
    group, people, clinic, other_clinic
):
    at = [timezone.make_aware(datetime(2025, 8, 1, h)) for h in range(5)]
    anna = actions.add_participant(group, people["anna"], clinic, at=at[0])
    cia = actions.add_participant(group, people["cia"], other_clinic, at=at[1])
    bo = actions.add_participant(group, people["bo"], clinic, at=at[2])
    actions.add_participant(group, people["dan"], other_clinic, at=at[3])  # waiting
    sessions = list(group.sessions.all())
    for session in sessions[:5]:
        actions.mark_attendance(session, anna, True)
    actions.mark_attendance(sessions[0], cia, True)
    actions.mark_attendance(sessions[1], cia, False)
    actions.withdraw(bo)  # dan moves up
    later = actions.create_group(
        act(), name="Våren", host=clinic, capacity=2, starts=weekly(date(2026, 2, 2))
    )
    actions.add_participant(later, people["bo"], clinic)
    both = groups.group_figures([clinic, other_clinic], date(2025, 9, 1), date(2025, 12, 31))
    assert both == {
        "groups": 1, "placed": 3, "waiting": 0, "withdrawn": 1, "completed": 1, "attended": 6,
        "by_clinic": {
            "habo": {"placed": 1, "waiting": 0, "withdrawn": 1, "completed": 1, "attended": 5},
            "annan": {"placed": 2, "waiting": 0, "withdrawn": 0, "completed": 0, "attended": 1},
        },
    }  # fmt: skip
    assert groups.group_figures([clinic], date(2025, 9, 2), date(2026, 2, 2))["groups"] == 1
    assert groups.group_figures([clinic], date(2025, 9, 2), date(2026, 2, 1))["placed"] == 0


def test_the_migration_installs_the_shipped_courses_and_removes_them():
    migration = importlib.import_module("painpath.care.migrations.0002_course_templates")
    CourseTemplate.objects.filter(name=courses.ACT_PAIN_SCHOOL).delete()
    TrainingCourse.objects.filter(name=courses.ACT_TRAINING).delete()
    migration.install(apps, None)
    template = CourseTemplate.objects.get(name=courses.ACT_PAIN_SCHOOL)
    assert template.sessions == courses.ACT_PAIN_SCHOOL_SESSIONS
    assert template.description == courses.ACT_PAIN_SCHOOL_DESCRIPTION
    course = TrainingCourse.objects.get(name=courses.ACT_TRAINING)
    assert course.description == courses.ACT_TRAINING_DESCRIPTION
    migration.remove(apps, None)
    assert not CourseTemplate.objects.filter(name=courses.ACT_PAIN_SCHOOL).exists()
    assert not TrainingCourse.objects.filter(name=courses.ACT_TRAINING).exists()
