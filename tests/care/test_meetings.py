"""Recording a rehab meeting (painpath/care/views_meetings.py), with or without a new
version of the rehab plan from its decisions."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from painpath.access.models import AuditEvent
from painpath.care import actions
from painpath.care.models import RehabMeeting, RehabPlan
from painpath.records.professions import Profession
from tests.care.test_team import assessed, caregiver
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def lena(clinic):
    return make_user("lena", clinic)


@pytest.fixture
def lind(clinic):
    return caregiver(clinic, "Dr Lind")


@pytest.fixture
def sara(clinic):
    return caregiver(clinic, "Sara Fys", Profession.PHYSIOTHERAPIST)


@pytest.fixture
def enrolment(clinic, lena, lind, sara):
    enrolment = assessed(clinic, lena)
    actions.add_member(enrolment, lind, lena, responsible=True)
    actions.add_member(enrolment, sara, lena)
    actions.write_plan(
        enrolment, lena, goals="Kunna gå till affären", patient_actions="Promenera",
        review_on=timezone.localdate() + timedelta(days=30),
        actions=[(Profession.PHYSICIAN, "Ser över medicinen")],
    )  # fmt: skip
    return enrolment


def meeting(lind, sara, **changes) -> dict:
    return {
        "held_on": timezone.localdate().isoformat(),
        "attendees": [lind.pk, sara.pk],
        "patient_present": "on",
        "others_present": "Maken",
        "decisions": "Fysioterapi två gånger i veckan.",
    } | changes


def test_it_records_a_meeting_without_changing_the_plan(client, lena, enrolment, lind, sara):
    client.force_login(lena)

    response = client.post(
        reverse("care_meeting_new", args=[enrolment.pk]),
        meeting(lind, sara, **{"plan-goals": ""}),  # ignored: the box is not ticked
    )

    assert response.status_code == 302
    recorded = RehabMeeting.objects.get()
    assert set(recorded.attendees.all()) == {lind, sara}
    assert (recorded.patient_present, recorded.others_present) == (True, "Maken")
    assert recorded.recorded_by == lena
    assert RehabPlan.objects.count() == 1
    page = client.get(reverse("care_enrolment", args=[enrolment.pk])).text
    assert "Fysioterapi två gånger i veckan." in page
    assert "<dd>Läkare, Fysioterapeut/sjukgymnast</dd>" in page
    assert "var med" in page and "Maken" in page
    event = AuditEvent.objects.get(action="change", username="lena")
    assert "rehabmöte" in event.detail and event.patient == enrolment.patient


def test_the_form_starts_from_the_team_and_the_current_plan(client, lena, enrolment, clinic):
    caregiver(clinic, "Kim Psykolog", Profession.PSYCHOLOGIST)  # on the roster, not the team
    client.force_login(lena)

    response = client.get(reverse("care_meeting_new", args=[enrolment.pk]))

    assert "Dr Lind (Läkare)" in response.text and "Kim Psykolog (Psykolog)" in response.text
    assert response.text.count('name="attendees"') == 3
    assert response.text.count('id="id_attendees_0" checked') == 1  # Dr Lind, on the team
    assert 'id="id_attendees_1" checked' not in response.text  # Kim, by name order
    assert "Kunna gå till affären" in response.text  # the plan fields, prefilled
    assert "Uppdatera planen utifrån besluten" in response.text


def test_a_meeting_that_updates_the_plan_makes_a_version_linked_to_it(
    client, lena, enrolment, lind, sara
):
    client.force_login(lena)
    review = timezone.localdate() + timedelta(days=90)

    response = client.post(
        reverse("care_meeting_new", args=[enrolment.pk]),
        meeting(lind, sara, update_plan="on", **{
            "plan-goals": "Kunna gå till affären och bära kassarna",
            "plan-patient_actions": "Promenera och styrketräna",
            "plan-review_on": review.isoformat(),
            "plan-action_physician": "Ser över medicinen",
            "plan-action_physiotherapist": "Styrketräning",
        }),
    )  # fmt: skip

    assert response.status_code == 302
    recorded = RehabMeeting.objects.get()
    plan = actions.current_plan(enrolment)
    assert (plan.version, plan.meeting, plan.review_on) == (2, recorded, review)
    assert plan.goals == "Kunna gå till affären och bära kassarna"
    assert {a.profession for a in plan.actions.all()} == {"physician", "physiotherapist"}
    assert RehabPlan.objects.get(version=1).meeting is None
    assert AuditEvent.objects.filter(detail__endswith="och rehabplan v2").exists()
    page = client.get(reverse("care_enrolment", args=[enrolment.pk])).text
    assert "Version 2 skrevs utifrån mötet" in page


def test_a_ticked_plan_update_with_errors_saves_nothing(client, lena, enrolment, lind, sara):
    client.force_login(lena)

    response = client.post(
        reverse("care_meeting_new", args=[enrolment.pk]),
        meeting(lind, sara, update_plan="on", **{"plan-goals": "", "plan-review_on": ""}),
    )

    assert response.status_code == 200
    assert "Rätta det som är markerat i den nya planen." in response.text
    assert "Fyll i det här." in response.text
    assert not RehabMeeting.objects.exists() and RehabPlan.objects.count() == 1


def test_a_meeting_cannot_be_in_the_future(client, lena, enrolment, lind, sara):
    client.force_login(lena)
    tomorrow = timezone.localdate() + timedelta(days=1)

    response = client.post(
        reverse("care_meeting_new", args=[enrolment.pk]),
        meeting(lind, sara, held_on=tomorrow.isoformat(), decisions=""),
    )

    assert response.status_code == 200
    assert "Mötet kan inte ha hållits i framtiden." in response.text
    assert "Fyll i det här." in response.text  # the decisions
    assert 'aria-describedby="id_held_on_error"' in response.text
    assert not RehabMeeting.objects.exists()


def test_a_meeting_may_have_one_attendee(client, lena, enrolment, lind, sara):
    client.force_login(lena)

    response = client.post(
        reverse("care_meeting_new", args=[enrolment.pk]),
        meeting(lind, sara, attendees=[lind.pk], patient_present=""),
    )

    assert response.status_code == 302
    assert list(RehabMeeting.objects.get().attendees.all()) == [lind]
