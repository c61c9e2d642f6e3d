"""Telephone triage (care/triage.py, views_triage.py): by personnummer or name, only the
user's clinics, the one-screen card and nothing else, every look-up audited without the
number or name typed."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from painpath.access.models import AuditEvent, Role
from painpath.care import actions, triage
from painpath.care.models import StaffMember
from painpath.care.states import StaffKind
from painpath.pathway import actions as pathway
from painpath.pathway.states import Channel, Criterion
from painpath.records import identity
from painpath.records.models import Patient
from painpath.records.professions import Profession
from tests.factories import PNR_ANNA, PNR_BERTIL, make_user

pytestmark = pytest.mark.django_db
URL = "/telefonradgivning/"
ANNA_COMPACT = PNR_ANNA.replace("-", "")  # 194203109147
BAD_CHECK_DIGIT = PNR_ANNA[:-1] + "8"
NOBODY = "19320801-9111"  # Skatteverket's test number (synth/testnumbers.py), in no extract here


def patient(pnr: str) -> Patient:
    return Patient.objects.get(id_hash=identity.personnummer_hash(pnr))


def enrol(clinic, pnr, first, family, user):
    return pathway.enrol(
        patient(pnr), clinic, criterion=Criterion.NEW_LONG_PAIN, profession=Profession.NURSE,
        channel=Channel.PHONE, user=user, first_name=first, family_name=family,
    )  # fmt: skip


@pytest.fixture
def tove(habo_and_annan, clinic):
    return make_user("tove", clinic, Role.TRIAGE)  # a nurse on the phone at Habo


@pytest.fixture
def olle(other_clinic):
    return make_user("olle", other_clinic, Role.TRIAGE)  # at Annan: finds no one of Habo's


@pytest.fixture
def anna(clinic, tove):
    """Anna Åkerström at Habo, in care: a team, a plan, an agreement, a booking and an open
    follow-up link."""
    enrolment = enrol(clinic, PNR_ANNA, "Anna", "Åkerström", tove)
    today = timezone.localdate()
    karin = StaffMember.objects.create(
        clinic=clinic, name="Karin Ek", kind=StaffKind.CAREGIVER, profession=Profession.NURSE
    )
    actions.add_member(enrolment, karin, tove, responsible=True, joined_on=today)
    actions.write_plan(
        enrolment, tove, goals="Orka gå till affären.", patient_actions="Promenerar dagligen.",
        review_on=today + timedelta(days=90),
        actions=[(Profession.PHYSIOTHERAPIST, "Träningsprogram för rygg och höft.")],
    )  # fmt: skip
    actions.write_agreement(
        enrolment, tove, patient_will="Jag gör hemövningarna tre gånger i veckan.",
        clinic_will="Fysioterapeuten ringer efter två veckor.", next_step="Återbesök hos läkaren",
        next_step_on=today + timedelta(days=30), contact="Ring Karin på 036-12 34 56",
        valid_from=today - timedelta(days=1), valid_until=today + timedelta(days=180),
    )  # fmt: skip
    pathway.book_assessment(
        enrolment, scheduled_at=timezone.now() + timedelta(days=10), length_minutes=45,
        clinician=tove, profession=Profession.PHYSICIAN, user=tove,
    )  # fmt: skip
    pathway.invite(enrolment, ["nrs_pain"], tove)
    return enrolment


@pytest.fixture
def bertil(clinic, tove):
    return enrol(clinic, PNR_BERTIL, "Bertil", "Öberg", tove)


def shown(response) -> str:
    """The page without its random CSRF tokens (which could hold any few characters)."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())


def results(response) -> str:
    html = shown(response)
    return html[html.index('<section class="triage-results"') :]


def look_up(client, user, query: str):
    client.force_login(user)
    return client.post(URL, {"q": query})


def test_the_page_needs_a_login(client):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith("/konto/logga-in/")


def test_the_form_has_one_labelled_field_and_posts(client, tove):
    client.force_login(tove)
    html = client.get(URL).content.decode()
    assert '<label for="triage-q">Personnummer eller namn</label>' in html
    assert 'id="triage-q" name="q"' in html and "autofocus" in html
    assert 'method="post"' in html and 'aria-live="polite"' in html


@pytest.mark.parametrize("typed", [PNR_ANNA, ANNA_COMPACT, ANNA_COMPACT[2:]])
def test_it_finds_a_patient_by_personnummer_and_shows_the_card(client, tove, anna, typed):
    response = look_up(client, tove, typed)

    html = response.content.decode()
    assert "Anna Åkerström" in html
    assert "Jag gör hemövningarna tre gånger i veckan." in html  # the agreement
    assert "Orka gå till affären." in html and "Träningsprogram för rygg och höft." in html
    assert "Karin Ek" in html  # responsible
    assert "Återbesök hos läkaren" in html and "Bedömning, 45 minuter" in html
    assert "Uppföljning efter 6 månader" not in html and "Före bedömningen" in html  # open link
    hit = AuditEvent.objects.get(action="lookup", username="tove")
    assert hit.patient == anna.patient and "träff på personnummer" in hit.detail
    assert AuditEvent.objects.filter(action="view", patient=anna.patient).count() == 1


def test_the_card_shows_the_earlier_next_step_first_and_both(anna):
    card = triage.snapshot(anna)

    assert [s.booked for s in card.next_steps] == [True, False]
    assert card.next_steps[1].on == timezone.localdate() + timedelta(days=30)
    assert card.responsible.staff.name == "Karin Ek" and card.agreement.version == 1
    assert [q.timepoint for q in card.questionnaires] == ["baseline"]


def test_the_card_leaves_out_the_rest_of_the_record(client, tove, anna):
    """Contacts with Dr Lind, diagnosis R52.2 and oxycodone are in Anna's record (the small
    extract); the card shows none of it, nor her personnummer."""
    client.force_login(tove)
    html = shown(client.get(reverse("triage_card", args=[anna.pk])))

    assert "Anna Åkerström" in html
    for never in ("Dr Lind", "R52", "Oxykodon", "N02AA05", PNR_ANNA, ANNA_COMPACT, "9147"):
        assert never not in html
    assert AuditEvent.objects.get(action="view", username="tove").patient == anna.patient


@pytest.mark.parametrize("typed", ["öberg", "ÖBERG", "bertil öb", "  Bertil   Öberg "])
def test_it_finds_by_name_with_swedish_letters_in_any_case(client, tove, anna, bertil, typed):
    response = look_up(client, tove, typed)

    result = response.context["result"]
    assert result.enrolments == [bertil]
    assert reverse("triage_card", args=[bertil.pk]) in response.content.decode()
    hit = AuditEvent.objects.get(action="lookup", username="tove")
    assert hit.patient == bertil.patient and hit.detail.endswith("träff på namn, inskrivningar: 1")


def test_a_name_search_lists_the_most_recent_first(tove, anna, bertil):
    assert triage.search(tove, "r").error  # one letter is too few
    assert triage.search(tove, "er").enrolments == [bertil, anna]  # bERtil, ÅkERström


def test_an_invalid_check_digit_is_refused_and_nothing_is_searched(client, tove, anna):
    response = look_up(client, tove, BAD_CHECK_DIGIT)

    assert "Personnumret är ogiltigt: kontrollsiffran stämmer inte." in response.content.decode()
    assert 'aria-invalid="true"' in response.content.decode()
    assert not AuditEvent.objects.filter(patient__isnull=False).exists()
    event = AuditEvent.objects.get(username="tove")
    assert event.detail == "telefonrådgivning: ogiltig sökning (personnummer)"


def test_a_number_of_the_wrong_length_is_refused(tove):
    assert "fel antal siffror" in triage.search(tove, ANNA_COMPACT[:-1]).error


def test_another_clinic_finds_nothing_and_the_miss_is_audited(client, olle, anna):
    for query in (PNR_ANNA, "Åkerström"):
        response = look_up(client, olle, query)
        assert "Ingen patient hittades" in response.content.decode()
        assert "Åkerström" not in response.content.decode().replace('value="Åkerström"', "")

    misses = AuditEvent.objects.filter(username="olle", action="lookup")
    assert [e.detail for e in misses.order_by("id")] == [
        "telefonrådgivning: ingen träff (personnummer)",
        "telefonrådgivning: ingen träff (namn)",
    ]
    assert not misses.filter(patient__isnull=False).exists()


def test_another_clinic_is_answered_as_a_patient_who_does_not_exist(client, olle, anna):
    other = shown(look_up(client, olle, PNR_ANNA))
    nobody = shown(look_up(client, olle, NOBODY))
    assert other.replace(PNR_ANNA, "X") == nobody.replace(NOBODY, "X")


def test_another_clinic_cannot_open_the_card(client, olle, anna):
    client.force_login(olle)
    assert client.get(reverse("triage_card", args=[anna.pk])).status_code == 404
    assert not AuditEvent.objects.filter(patient=anna.patient).exists()


def test_the_audit_log_never_holds_the_number_or_name_typed(client, tove, olle, anna):
    for user, query in [(tove, PNR_ANNA), (olle, PNR_ANNA), (tove, BAD_CHECK_DIGIT),
                        (tove, ANNA_COMPACT), (tove, "Åkerström"), (olle, "anna")]:  # fmt: skip
        look_up(client, user, query)

    events = AuditEvent.objects.filter(username__in=["tove", "olle"])
    assert events.count() >= 6
    for event in events:
        for secret in (ANNA_COMPACT, ANNA_COMPACT[2:8], "9147", "Åkerström", "anna"):
            assert secret not in event.detail.lower() and secret not in event.path.lower()


def test_a_listed_patient_not_in_the_pathway_is_found_but_has_no_card(client, tove, anna):
    response = look_up(client, tove, PNR_BERTIL)

    assert "inte inskriven i vårdförloppet" in response.content.decode()
    assert response.context["card"] is None
    assert AuditEvent.objects.get(action="lookup", username="tove").patient == patient(PNR_BERTIL)


def test_the_card_takes_few_queries(tove, anna, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        triage.snapshot(anna)
    with django_assert_max_num_queries(3):
        triage.search(tove, PNR_ANNA)
