"""Staff entering a patient's answers from paper (painpath/pathway/views_paper.py):
scoped to the user's clinics, audited, saved as paper with who entered them."""

import pytest

from painpath.access.models import AuditEvent
from painpath.pathway import actions
from painpath.pathway.models import Response
from painpath.pathway.states import Channel, Criterion, State, Timepoint
from painpath.records.models import Listing, Patient
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def lena(clinic):
    return make_user("lena", clinic)


@pytest.fixture
def colleague_elsewhere(other_clinic):
    return make_user("olof", other_clinic)


@pytest.fixture
def enrolment(clinic, lena):
    patient = Patient.objects.create(id_hash="h-paper", pseudonym="PPAPERPAPERPA")
    Listing.objects.create(patient=patient, clinic=clinic)
    return actions.enrol(
        patient, clinic, criterion=Criterion.NEW_LONG_PAIN, profession="nurse",
        channel=Channel.VISIT, user=lena, first_name="Bertil",
    )  # fmt: skip


def base(enrolment, timepoint="baseline") -> str:
    return f"/vardforlopp/{enrolment.pk}/svar/{timepoint}/"


def test_it_lists_the_timepoints_default_instruments_with_how_far_each_has_come(
    client, lena, enrolment
):
    actions.save_answers(enrolment, "baseline", "nrs_pain", {"1": 6}, {}, source="link")
    client.force_login(lena)

    page = client.get(base(enrolment))

    assert page.status_code == 200
    for title in ("Smärtintensitet (NRS 0–10)", "Smärtteckning", "PHQ-9"):
        assert title in page.text
    assert "Alla frågor besvarade" in page.text and "Patienten via länk" in page.text
    assert f'href="{base(enrolment)}pain_drawing/"' in page.text
    assert AuditEvent.objects.filter(
        username="lena", action="view", patient=enrolment.patient
    ).exists()


def test_it_lists_the_open_links_instruments_when_there_is_one(client, lena, enrolment):
    actions.invite(enrolment, ["gad7", "nrs_pain"], lena)
    client.force_login(lena)

    page = client.get(base(enrolment)).text

    assert page.index("GAD-7") < page.index("Smärtintensitet") and "PHQ-9" not in page


def test_it_saves_paper_answers_as_paper_with_who_entered_them_and_audits_the_change(
    client, lena, enrolment
):
    client.force_login(lena)
    form = client.get(base(enrolment) + "oempsq_sf/")
    assert form.status_code == 200 and 'name="q-1"' in form.text

    given = {f"q-{n}": "5" for n in range(2, 11)}  # item 1 blank on the paper
    saved = client.post(base(enrolment) + "oempsq_sf/", given)

    assert saved.status_code == 302 and saved["Location"] == base(enrolment)
    response = Response.objects.get(instrument="oempsq_sf")
    assert (response.source, response.entered_by, response.timepoint) == ("paper", lena, "baseline")
    assert response.answers["2"] == 5 and "1" not in response.answers
    assert response.score["missing"] == ["1"]
    change = AuditEvent.objects.get(action="change", patient=enrolment.patient)
    assert (change.username, change.patient) == ("lena", enrolment.patient)
    assert "oempsq_sf" in change.detail
    listed = client.get(base(enrolment)).text
    assert (
        "Svaren på Frågeformulär om smärtproblem, kortversion (ÖMPSQ-SF) är sparade. "
        "1 fråga saknar svar." in listed
    )
    assert "1 fråga utan svar" in listed


def test_a_value_the_item_does_not_have_is_refused_on_the_form(client, lena, enrolment):
    client.force_login(lena)

    page = client.post(base(enrolment) + "nrs_pain/", {"q-1": "12"})

    assert page.status_code == 200
    assert 'id="id_q-1_error"' in page.text and 'aria-describedby="id_q-1_error"' in page.text
    assert not Response.objects.exists()


def test_staff_see_the_answers_given_so_far_to_change_them(client, lena, enrolment):
    actions.save_answers(enrolment, "baseline", "pain_drawing", {"regions": ["neck"]}, {},
                         source="link")  # fmt: skip
    client.force_login(lena)

    page = client.get(base(enrolment) + "pain_drawing/").text

    assert 'id="region-neck" value="neck" checked' in page


def test_marking_as_submitted_moves_the_pathway_on_and_closes_the_open_link(
    client, lena, enrolment
):
    invitation, token = actions.invite(enrolment, ["nrs_pain"], lena)
    client.force_login(lena)
    client.post(base(enrolment) + "nrs_pain/", {"q-1": "4"})

    done = client.post(base(enrolment))

    assert done.status_code == 302
    enrolment.refresh_from_db()
    invitation.refresh_from_db()
    assert enrolment.state == State.ANSWERED and invitation.submitted_at
    assert Response.objects.get().submitted_at
    assert client.get(f"/formular/{token}/").status_code == 404
    assert AuditEvent.objects.filter(
        action="change", patient=enrolment.patient, detail__contains="inskickade"
    ).exists()


def test_the_follow_up_is_entered_apart_from_the_baseline(client, lena, enrolment):
    client.force_login(lena)
    client.post(base(enrolment, "follow_up") + "nrs_pain/", {"q-1": "2"})

    assert Response.objects.get().timepoint == Timepoint.FOLLOW_UP
    listed = client.get(base(enrolment, "follow_up")).text
    assert "Smärtintensitet" in listed and "din sjukhistoria" not in listed


@pytest.mark.parametrize("path", ["", "nrs_pain/"])
def test_another_clinics_enrolment_is_not_found_and_the_look_up_is_logged(
    client, colleague_elsewhere, enrolment, path
):
    client.force_login(colleague_elsewhere)

    assert client.get(base(enrolment) + path).status_code == 404
    assert client.post(base(enrolment) + path, {"q-1": "3"}).status_code == 404
    assert not Response.objects.exists()
    enrolment.refresh_from_db()
    assert enrolment.state == State.IDENTIFIED
    assert not AuditEvent.objects.filter(patient=enrolment.patient).exists()
    assert AuditEvent.objects.filter(username="olof", action="lookup").count() == 2


def test_an_unknown_timepoint_or_instrument_is_not_found(client, lena, enrolment):
    client.force_login(lena)

    assert client.get(base(enrolment, "someday")).status_code == 404
    assert client.get(base(enrolment) + "sf36/").status_code == 404


def test_the_pages_need_a_login(client, enrolment):
    assert client.get(base(enrolment)).status_code == 302
    assert client.get(base(enrolment) + "nrs_pain/").status_code == 302
