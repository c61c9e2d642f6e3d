import pytest
from playwright.sync_api import expect

from painpath.access.models import AuditEvent
from painpath.ingest.actions import run_import
from painpath.records import identity
from painpath.records.models import Patient
from tests.browser.conftest import log_in
from tests.factories import PNR_ANNA, make_user, small_extract

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def habo(tmp_path, clinic, other_clinic):
    run_import(small_extract(tmp_path / "habo"), rejects_path=tmp_path / "r.csv")
    make_user("lena", clinic)
    make_user("anna", other_clinic)
    return Patient.objects.get(id_hash=identity.personnummer_hash(PNR_ANNA))


def test_a_clinician_logs_in_sees_the_clinic_and_opens_a_patient(page, habo):
    log_in(page, "lena")

    expect(page.get_by_role("heading", level=1)).to_have_text("Bra Liv Habo")
    # The stylesheet is served by the app itself (no CDN): the page is styled.
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(247, 249, 251)"
    expect(page.locator('[data-figure="contacts"]')).to_have_text("3")
    expect(page.locator('[data-figure="period"]')).to_have_text("2021-03-04 – 2022-01-10")
    page.get_by_role("link", name="Patienter").click()
    page.get_by_role("link", name=habo.pseudonym).click()

    expect(page.get_by_role("heading", level=1)).to_contain_text(habo.pseudonym)
    expect(page.get_by_text("19420310-9147")).to_be_visible()
    assert AuditEvent.objects.filter(username="lena", action="view", patient=habo).count() == 1


def test_a_user_of_another_clinic_finds_nothing_by_url(page, habo):
    log_in(page, "anna")

    response = page.goto(f"/patienter/{habo.pseudonym}/")

    assert response.status == 404
    expect(page.get_by_text("19420310")).to_have_count(0)
    assert AuditEvent.objects.filter(username="anna", action="lookup").count() == 1


def test_a_wrong_password_is_refused_with_a_message_a_screen_reader_announces(page, habo):
    log_in(page, "lena", password="fel")

    expect(page.get_by_role("alert")).to_contain_text("användarnamn")
    expect(page.get_by_label("Lösenord")).to_be_visible()
