"""Rehab plan and patient agreement versions on the coordination pages
(painpath/care/views_team.py), and the agreement printed for the patient."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from painpath.access.models import AuditEvent
from painpath.care import actions
from painpath.care.models import Agreement, RehabPlan
from painpath.pathway.actions import add_months
from painpath.records.professions import Profession
from tests.care.test_team import assessed, caregiver
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def lena(clinic):
    return make_user("lena", clinic)


@pytest.fixture
def enrolment(clinic, lena):
    enrolment = assessed(clinic, lena)
    actions.add_member(enrolment, caregiver(clinic, "Dr Lind"), lena, responsible=True)
    actions.add_member(enrolment, caregiver(clinic, "Sara Fys", Profession.PHYSIOTHERAPIST), lena)
    return enrolment


def agreement_fields(**changes) -> dict:
    today = timezone.localdate()
    fields = {
        "patient_will": "Jag går en promenad varje dag.",
        "clinic_will": "Vi ringer dig om två veckor.",
        "next_step": "Besök hos fysioterapeuten",
        "next_step_on": None,
        "contact": "Dr Lind via vårdcentralens telefon",
        "valid_from": today,
        "valid_until": today + timedelta(days=180),
    }
    return fields | changes


def posted_agreement(**changes) -> dict:
    return {k: v.isoformat() if isinstance(v, date) else (v or "") for k, v in
            agreement_fields(**changes).items()}  # fmt: skip


# --- rehab plan --------------------------------------------------------------------------


def test_the_plan_form_has_a_box_for_each_profession_on_the_team(client, lena, enrolment):
    client.force_login(lena)

    response = client.get(reverse("care_plan_new", args=[enrolment.pk]))

    assert "Det här gör läkare" in response.text
    assert "Det här gör fysioterapeut/sjukgymnast" in response.text
    assert "Det här gör psykolog" not in response.text
    review = add_months(timezone.localdate(), 3).isoformat()
    assert f'value="{review}"' in response.text


def test_a_new_plan_version_keeps_the_old_and_the_page_shows_the_current(client, lena, enrolment):
    actions.write_plan(
        enrolment, lena, goals="Kunna gå till affären", patient_actions="Promenera",
        review_on=timezone.localdate(), actions=[(Profession.PHYSICIAN, "Ser över medicinen")],
    )  # fmt: skip
    client.force_login(lena)

    form = client.get(reverse("care_plan_new", args=[enrolment.pk])).text
    response = client.post(
        reverse("care_plan_new", args=[enrolment.pk]),
        {
            "goals": "Kunna gå till affären och tillbaka",
            "patient_actions": "Promenera 20 minuter",
            "review_on": (timezone.localdate() + timedelta(days=60)).isoformat(),
            "action_physician": "Trappar ner oxykodon",
            "action_physiotherapist": "Träningsprogram",
        },
    )

    assert "Kunna gå till affären" in form and "Ser över medicinen" in form  # prefilled
    assert response.status_code == 302
    assert list(RehabPlan.objects.values_list("version", flat=True)) == [2, 1]
    plan = actions.current_plan(enrolment)
    assert [(a.profession, a.action) for a in plan.actions.all()] == [
        ("physician", "Trappar ner oxykodon"), ("physiotherapist", "Träningsprogram"),
    ]  # fmt: skip
    page = client.get(reverse("care_enrolment", args=[enrolment.pk])).text
    assert "Kunna gå till affären och tillbaka" in page and "Tidigare versioner" in page
    old = client.get(reverse("care_plan_version", args=[enrolment.pk, 1])).text
    assert "Ser över medicinen" in old and "gäller inte längre" in old
    assert AuditEvent.objects.filter(action="change", detail__endswith="rehabplan v2").exists()
    assert AuditEvent.objects.filter(action="view", detail__endswith="rehabplan v1").exists()


def test_the_plan_form_shows_its_errors(client, lena, enrolment):
    client.force_login(lena)
    yesterday = timezone.localdate() - timedelta(days=1)

    response = client.post(
        reverse("care_plan_new", args=[enrolment.pk]),
        {"goals": "", "patient_actions": "Promenera", "review_on": yesterday.isoformat()},
    )

    assert response.status_code == 200
    assert "Fyll i det här." in response.text
    assert "Uppföljningen kan inte ligga bakåt i tiden." in response.text
    assert not RehabPlan.objects.exists()


def test_a_missing_version_is_not_found(client, lena, enrolment):
    client.force_login(lena)

    assert client.get(reverse("care_plan_version", args=[enrolment.pk, 7])).status_code == 404
    assert client.get(reverse("care_agreement_version", args=[enrolment.pk, 7])).status_code == 404


# --- patient agreement -------------------------------------------------------------------


def test_a_first_agreement_defaults_to_the_responsible_caregiver_and_six_months(
    client, lena, enrolment
):
    client.force_login(lena)

    response = client.get(reverse("care_agreement_new", args=[enrolment.pk]))

    assert 'value="Dr Lind via vårdcentralens telefon"' in response.text
    assert f'value="{add_months(timezone.localdate(), 6).isoformat()}"' in response.text


def test_a_new_agreement_version_keeps_the_old_one(client, lena, enrolment):
    actions.write_agreement(enrolment, lena, **agreement_fields())
    client.force_login(lena)

    form = client.get(reverse("care_agreement_new", args=[enrolment.pk])).text
    response = client.post(
        reverse("care_agreement_new", args=[enrolment.pk]),
        posted_agreement(patient_will="Jag cyklar tre gånger i veckan."),
    )

    assert "Jag går en promenad varje dag." in form  # prefilled from the current one
    assert response.status_code == 302
    assert Agreement.objects.count() == 2
    assert actions.current_agreement(enrolment).patient_will == "Jag cyklar tre gånger i veckan."
    page = client.get(reverse("care_agreement_version", args=[enrolment.pk, 1])).text
    assert "Jag går en promenad varje dag." in page


def test_the_current_agreement_follows_the_validity_dates(client, lena, enrolment):
    today = timezone.localdate()
    actions.write_agreement(enrolment, lena, **agreement_fields(patient_will="Gäller nu"))
    actions.write_agreement(
        enrolment, lena, **agreement_fields(
            patient_will="Börjar nästa månad", valid_from=today + timedelta(days=30)),
    )  # fmt: skip
    client.force_login(lena)

    page = client.get(reverse("care_enrolment", args=[enrolment.pk])).text

    assert page.index("Gäller nu") < page.index("Alla versioner")
    assert "Börjar nästa månad" not in page  # version 2 is listed, not shown
    assert reverse("care_agreement_print", args=[enrolment.pk, 1]) in page


def test_an_expired_agreement_is_flagged(client, lena, enrolment):
    long_ago = timezone.localdate() - timedelta(days=400)
    actions.write_agreement(
        enrolment, lena,
        **agreement_fields(valid_from=long_ago, valid_until=long_ago + timedelta(days=180)),
    )  # fmt: skip
    client.force_login(lena)

    page = client.get(reverse("care_enrolment", args=[enrolment.pk])).text

    assert "Ingen överenskommelse gäller i dag." in page


def test_an_agreement_cannot_end_before_it_starts(client, lena, enrolment):
    client.force_login(lena)
    today = timezone.localdate()

    response = client.post(
        reverse("care_agreement_new", args=[enrolment.pk]),
        posted_agreement(valid_until=today - timedelta(days=1), contact=""),
    )

    assert response.status_code == 200
    assert f"Överenskommelsen kan inte gälla till ett datum före {today.isoformat()}." in (
        response.text
    )
    assert "Skriv vem patienten kontaktar." in response.text
    assert 'aria-describedby="id_valid_until_error"' in response.text
    assert not Agreement.objects.exists()


def test_the_printed_agreement_speaks_to_the_patient_and_is_audited(client, lena, enrolment):
    actions.write_agreement(enrolment, lena, **agreement_fields())
    client.force_login(lena)

    response = client.get(reverse("care_agreement_print", args=[enrolment.pk, 1]))

    text = response.text
    for heading in (
        "Det här har vi kommit överens om", "Det här gör du",
        "Det här gör vi på vårdcentralen", "Nästa steg",
    ):  # fmt: skip
        assert heading in text
    assert "Till Anna Öberg" in text and "Bra Liv Habo" in text
    assert "Jag går en promenad varje dag." in text and "Vi ringer dig om två veckor." in text
    assert "Om du har frågor: kontakta Dr Lind via vårdcentralens telefon." in text
    assert "Gäller från" in text and "Version 1" in text
    assert enrolment.patient.pseudonym not in text.split('<article class="care-print"')[1]
    event = AuditEvent.objects.get(action="view", detail="utskrift överenskommelse v1")
    assert event.patient == enrolment.patient and event.username == "lena"
