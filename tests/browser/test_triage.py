"""Telephone triage's acceptance test (issue 5, "Done when") in a real Chromium: a nurse on
the phone at Habo types a patient's personnummer and reads her agreement; a colleague at
another clinic types the same number and finds nobody; both look-ups are in the audit log,
and the number is in none of its rows."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from painpath.access.models import AuditEvent, Role
from painpath.care import actions
from painpath.care.models import StaffMember
from painpath.care.states import StaffKind
from painpath.pathway import actions as pathway
from painpath.pathway.states import Channel, Criterion
from painpath.records import identity
from painpath.records.models import Patient
from painpath.records.professions import Profession
from tests.browser.conftest import log_in
from tests.factories import PNR_ANNA, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PATIENT_WILL = "Jag promenerar 20 minuter varje dag och gör hemövningarna."


@pytest.fixture
def anna(habo_and_annan, clinic, other_clinic):
    """Anna Åkerström at Habo (the small extract), in care with a current agreement; Tove
    answers the phone at Habo, Olle at Annan."""
    tove = make_user("tove", clinic, Role.TRIAGE)
    make_user("olle", other_clinic, Role.TRIAGE)
    patient = Patient.objects.get(id_hash=identity.personnummer_hash(PNR_ANNA))
    enrolment = pathway.enrol(
        patient, clinic, criterion=Criterion.NEW_LONG_PAIN, profession=Profession.NURSE,
        channel=Channel.PHONE, user=tove, first_name="Anna", family_name="Åkerström",
    )  # fmt: skip
    today = timezone.localdate()
    karin = StaffMember.objects.create(
        clinic=clinic, name="Karin Ek", kind=StaffKind.CAREGIVER, profession=Profession.NURSE
    )
    actions.add_member(enrolment, karin, tove, responsible=True, joined_on=today)
    actions.write_agreement(
        enrolment, tove, patient_will=PATIENT_WILL, clinic_will="Karin ringer om två veckor.",
        next_step="Återbesök hos fysioterapeuten", next_step_on=today + timedelta(days=14),
        contact="Karin Ek, 036-12 34 56", valid_from=today, valid_until=today + timedelta(days=180),
    )  # fmt: skip
    return patient


def look_up(page, personnummer: str):
    """With the keyboard only: the field has the focus when the page opens."""
    page.goto("/telefonradgivning/")
    field = page.get_by_label("Personnummer eller namn")
    expect(field).to_be_focused()
    page.keyboard.type(personnummer)
    page.keyboard.press("Enter")


def test_triage_finds_a_patient_by_personnummer_and_another_clinic_finds_nothing(
    browser, live_server, anna
):
    tove_browser = browser.new_context(locale="sv-SE", base_url=live_server.url)
    olle_browser = browser.new_context(locale="sv-SE", base_url=live_server.url)
    try:
        tove, olle = tove_browser.new_page(), olle_browser.new_page()

        log_in(tove, "tove")
        look_up(tove, PNR_ANNA)
        results = tove.locator("section.triage-results")
        expect(results).to_have_attribute("aria-live", "polite")
        expect(tove.get_by_role("heading", level=2)).to_have_text("Anna Åkerström")
        agreement = tove.get_by_role("region", name="Överenskommelse")
        expect(agreement).to_contain_text(PATIENT_WILL)
        expect(agreement).to_contain_text("Återbesök hos fysioterapeuten")
        expect(tove.get_by_role("region", name="Fast vårdkontakt")).to_contain_text("Karin Ek")
        assert tove.url.removeprefix(live_server.url) == "/telefonradgivning/"  # no ?q=

        log_in(olle, "olle")
        look_up(olle, PNR_ANNA)
        expect(olle.locator("section.triage-results")).to_contain_text("Ingen patient hittades")
        expect(olle.get_by_text(PATIENT_WILL)).to_have_count(0)
    finally:
        tove_browser.close()
        olle_browser.close()

    hit = AuditEvent.objects.get(username="tove", action="lookup")
    assert hit.patient == anna and "träff på personnummer" in hit.detail
    miss = AuditEvent.objects.get(username="olle", action="lookup")
    assert miss.patient is None and "ingen träff" in miss.detail
    assert not AuditEvent.objects.filter(username="olle", patient=anna).exists()
    number = PNR_ANNA.replace("-", "")
    for event in AuditEvent.objects.all():
        for text in (event.detail, event.path):
            assert number not in text.replace("-", "") and number[2:] not in text
