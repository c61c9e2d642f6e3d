"""The letter with the questionnaire link and its QR code (views_paper.invitation_letter):
the link is shown once, only its hash is kept."""

import re

import pytest
import segno

from painpath.access.models import AuditEvent
from painpath.pathway import actions
from painpath.pathway.models import Invitation
from painpath.pathway.states import Channel, Criterion, State
from painpath.records.models import Listing, Patient
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def lena(clinic):
    return make_user("lena", clinic)


@pytest.fixture
def enrolment(clinic, lena):
    patient = Patient.objects.create(id_hash="h-letter", pseudonym="PLETTERLETTER")
    Listing.objects.create(patient=patient, clinic=clinic)
    return actions.enrol(
        patient, clinic, criterion=Criterion.SECOND_OPINION, profession="physician",
        channel=Channel.DIGITAL, user=lena, first_name="Cecilia",
    )  # fmt: skip


def letter_url(enrolment) -> str:
    return f"/vardforlopp/{enrolment.pk}/inbjudan/"


def test_it_offers_the_baseline_set_ticked_and_a_placeholder_unticked(client, lena, enrolment):
    client.force_login(lena)

    page = client.get(letter_url(enrolment)).text

    assert re.search(r'value="oempsq_sf"[^>]*checked', page)
    assert re.search(r'value="pain_drawing"[^>]*checked', page)
    assert re.search(r'value="valmaende"(?![^>]*checked)', page)
    assert "frågornas text saknas" in page
    assert not Invitation.objects.exists()
    assert AuditEvent.objects.filter(username="lena", action="view", patient=enrolment.patient)


def test_it_makes_a_link_shown_once_in_a_letter_with_its_qr_code_and_keeps_only_the_hash(
    client, lena, enrolment
):
    client.force_login(lena)

    page = client.post(letter_url(enrolment), {"instruments": ["pain_drawing", "oempsq_sf"],
                                               "days": "14"})  # fmt: skip

    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"]
    link = re.search(r'<code class="link">(http://testserver/formular/([^/<]+)/)</code>', page.text)
    assert link, "the letter shows the link"
    link, token = link.groups()
    assert len(token) >= 43
    invitation = Invitation.objects.get()
    assert invitation.token_hash == actions.token_hash(token)
    assert token not in str(Invitation.objects.values_list()[0])
    assert invitation.instruments == ["oempsq_sf", "pain_drawing"]  # the set's own order
    assert round((invitation.expires_at - invitation.created_at).total_seconds() / 86400) == 14
    assert "Hej Cecilia!" in page.text and "Bra Liv Habo" in page.text

    svg = re.search(r"<svg[^>]*class=\"qr\".*?</svg>", page.text, re.S).group(0)
    expected = segno.make(link, error="m", micro=False).svg_inline(scale=4, omitsize=True)
    path = re.compile(r' d="([^"]+)"')
    assert path.search(svg).group(1) == path.search(expected).group(1)  # the link, encoded

    # The link opens the patient's first page; the letter cannot be shown again.
    client.logout()
    assert "Hej Cecilia!" in client.get(link.removeprefix("http://testserver")).text
    client.force_login(lena)
    assert token not in client.get(letter_url(enrolment)).text
    change = AuditEvent.objects.get(action="change", patient=enrolment.patient)
    assert token not in change.detail and token not in change.path
    enrolment.refresh_from_db()
    assert enrolment.state == State.INVITED


def test_a_lost_letter_is_replaced_by_a_new_invitation_with_a_new_link(client, lena, enrolment):
    client.force_login(lena)
    data = {"instruments": ["nrs_pain"], "days": "21"}
    first = re.search(r"/formular/([^/<]+)/", client.post(letter_url(enrolment), data).text)
    second = re.search(r"/formular/([^/<]+)/", client.post(letter_url(enrolment), data).text)

    assert first.group(1) != second.group(1)
    assert Invitation.objects.count() == 2
    client.logout()
    assert "Hej Cecilia!" in client.get(second.group(0)).text


def test_it_asks_for_at_least_one_instrument(client, lena, enrolment):
    client.force_login(lena)

    page = client.post(letter_url(enrolment), {"days": "21"})

    assert page.status_code == 200 and "Välj minst ett formulär." in page.text
    assert not Invitation.objects.exists()


def test_it_sends_the_follow_up_set_when_the_follow_up_is_due(client, lena, enrolment):
    enrolment = actions.move(enrolment, State.ANSWERED, lena)
    enrolment = actions.move(enrolment, State.ASSESSED, lena)
    enrolment = actions.move(enrolment, State.FOLLOW_UP_DUE, lena)
    client.force_login(lena)

    client.post(letter_url(enrolment), {"instruments": ["nrs_pain", "peg3"], "days": "21"})

    assert Invitation.objects.get().timepoint == "follow_up"


def test_it_makes_no_link_when_the_pathway_has_ended(client, lena, enrolment):
    actions.decline(enrolment, lena, reason="vill inte")
    client.force_login(lena)

    page = client.post(letter_url(enrolment), {"instruments": ["nrs_pain"], "days": "21"})

    assert "går det inte att bjuda in" in page.text
    assert not Invitation.objects.exists()


def test_another_clinics_enrolment_is_not_found(client, other_clinic, enrolment):
    client.force_login(make_user("olof", other_clinic))

    assert client.get(letter_url(enrolment)).status_code == 404
    assert client.post(letter_url(enrolment), {"instruments": ["nrs_pain"]}).status_code == 404
    assert not Invitation.objects.exists()
