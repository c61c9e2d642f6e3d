"""The patient's questionnaires in a real Chromium on a phone-sized screen: what only a
browser can show (the drawn body toggling its checkboxes, nothing wider than the screen,
the keyboard)."""

import pytest
from playwright.sync_api import expect

from painpath.pathway import actions
from painpath.pathway.models import Response
from painpath.records.models import Patient
from tests.factories import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 360, "height": 740}


@pytest.fixture
def link(clinic):
    nurse = make_user("sara", clinic)
    patient = Patient.objects.create(id_hash="h-browser", pseudonym="PBROWSERBROWS")
    enrolment = actions.enrol(
        patient, clinic, criterion="new_long_pain", profession="nurse", channel="phone",
        user=nurse, first_name="Anna",
    )  # fmt: skip
    _invitation, token = actions.invite(enrolment, ["pain_drawing", "nrs_pain"], nurse)
    return f"/formular/{token}/"


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(locale="sv-SE", base_url=live_server.url, viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_tap_on_the_drawn_body_ticks_the_region_and_draws_it_filled(phone, link):
    phone.goto(link)
    expect(phone.get_by_role("heading", level=1)).to_have_text("Hej Anna!")
    assert _fits(phone)
    phone.get_by_role("link", name="Börja").click()
    expect(phone.get_by_text("Formulär 1 av 2")).to_be_visible()
    assert _fits(phone)

    phone.evaluate("document.querySelector('.bodymap .figure').scrollIntoView()")
    neck = phone.get_by_role("checkbox", name="Nacke")
    area = phone.locator("#region-neck ~ svg .area").first
    box = area.bounding_box()
    scrolled = phone.evaluate("window.scrollY")
    phone.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    expect(neck).to_be_checked()
    assert phone.evaluate("window.scrollY") == scrolled  # the drawing stays where it was
    fill = area.evaluate("el => getComputedStyle(el).fill")
    assert fill == "rgb(198, 40, 40)"
    phone.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    expect(neck).not_to_be_checked()

    # The lower back is drawn on the back only: a tap there ticks it and nothing else.
    back = phone.locator("#region-lower_back ~ svg .area").first.bounding_box()
    phone.mouse.click(back["x"] + back["width"] / 2, back["y"] + back["height"] / 2)
    ticked = phone.locator(".bodymap input:checked")
    expect(ticked).to_have_count(1)
    expect(phone.get_by_role("checkbox", name="Nedre delen av ryggen (ländryggen)")).to_be_checked()

    # The keyboard: Tab reaches the boxes, in view, and Space ticks one.
    phone.get_by_role("checkbox", name="Bröstkorg").focus()
    phone.keyboard.press("Shift+Tab")
    phone.keyboard.press("Shift+Tab")
    phone.keyboard.press("Shift+Tab")
    expect(neck).to_be_focused()
    assert neck.evaluate(
        "el => { const r = el.getBoundingClientRect(); "
        "return r.width > 10 && r.top >= 0 && r.bottom <= innerHeight; }"
    )
    phone.keyboard.press("Space")
    expect(neck).to_be_checked()
    phone.get_by_role("button", name="Spara och gå vidare").click()

    expect(phone.get_by_text("Formulär 2 av 2")).to_be_visible()
    assert Response.objects.get(instrument="pain_drawing").answers == {
        "regions": ["neck", "lower_back"]
    }


def test_a_scale_answered_with_a_tap_on_its_number_is_kept(phone, link):
    phone.goto(link + "2/")
    phone.get_by_text("7", exact=True).click()
    expect(phone.get_by_role("radio", name="7")).to_be_checked()
    box = phone.get_by_role("radio", name="7").locator("xpath=..").bounding_box()
    assert box["height"] >= 44 and box["width"] >= 44  # a thumb's target
    assert _fits(phone)
    phone.get_by_role("button", name="Nästa: skicka in").click()

    expect(phone.get_by_role("heading", level=1)).to_have_text("Skicka in dina svar")
    assert Response.objects.get(instrument="nrs_pain").answers == {"1": 7}
