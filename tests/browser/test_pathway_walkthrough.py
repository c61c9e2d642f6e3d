"""The structured pathway's acceptance test (issue 4, "Done when") in a real Chromium: one
patient walked through by the people who do it, each in their own browser, the patient on a
phone-sized screen. Everything is asserted on what they see, except the six months that pass
in the middle, which the test makes pass by rewriting the dates in the database."""

import json
import re
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import F
from django.utils import timezone
from playwright.sync_api import expect

from painpath.access.models import Role
from painpath.pathway.actions import add_months
from painpath.pathway.indicators import IMPROVED_DEFINITION
from painpath.pathway.models import Assessment, Enrolment, Invitation, Response, StateChange
from painpath.records.models import Listing, Patient
from tests.browser.conftest import log_in
from tests.factories import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PSEUDONYM = "PWALKANNA00001"
PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}

OEMPSQ = "Frågeformulär om smärtproblem, kortversion (ÖMPSQ-SF)"
DRAWING = "Smärtteckning"
NRS = "Smärtintensitet (NRS 0–10)"
PEG = "PEG – smärta, livsglädje och aktivitet"

# The patient's ÖMPSQ-SF: (the question, the answer tapped, its points). Item 1 scores the
# duration 1–10; items 3, 4 and 8 are reversed (10 − the answer).
OEMPSQ_ANSWERS = [
    ("Hur länge har du haft ditt nuvarande smärtproblem?", "3–6 månader", 7),
    ("Hur ont har du haft den senaste veckan?", "7", 7),
    ("Jag kan utföra lätt arbete i en timme.", "3", 7),
    ("Jag kan sova på natten.", "4", 6),
    ("Hur spänd eller ängslig har du känt dig", "6", 6),
    ("besvärats av att känna dig nedstämd", "5", 5),
    ("risken är att din nuvarande smärta blir långvarig", "8", 8),
    ("chansen är att du om tre månader klarar", "2", 8),
    ("När smärtan ökar är det ett tecken", "6", 6),
    ("Jag borde inte utföra mina vanliga sysslor", "5", 5),
]
OEMPSQ_TOTAL = sum(points for _question, _answer, points in OEMPSQ_ANSWERS)  # 65: over 50
REGIONS = ["Nacke", "Axel, höger", "Nedre delen av ryggen (ländryggen)", "Höft och säte, vänster"]
NRS_QUESTION = "Hur ont har du haft i genomsnitt den senaste veckan?"
PEG_QUESTIONS = ("din genomsnittliga smärta", "påverkat din livsglädje", "din allmänna aktivitet")


@pytest.fixture
def people(browser, live_server):
    """A new browser (context) per person, and every console error, page error and request
    off the live server recorded in `people.problems`."""
    contexts, problems = [], []

    def open_browser(**options):
        context = browser.new_context(locale="sv-SE", base_url=live_server.url, **options)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.on("console", lambda m: m.type == "error" and problems.append(f"console: {m.text}"))
        page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
        page.on(
            "request",
            lambda r: r.url.startswith(("data:", live_server.url)) or problems.append(r.url),
        )
        return page

    open_browser.problems = problems
    yield open_browser
    for context in contexts:
        context.close()


@pytest.fixture
def habo(clinic):
    """Habo's staff, and its listed patients (Anna among others)."""
    make_user("tove", clinic, Role.TRIAGE)  # a nurse on the phone (telefonrådgivning)
    make_user("lena", clinic)  # a physician
    for n, pseudonym in enumerate(["PWALKOTHER0001", PSEUDONYM]):
        patient = Patient.objects.create(id_hash=f"h-walk-{n}", pseudonym=pseudonym)
        Listing.objects.create(patient=patient, clinic=clinic, source_key=f"l-walk-{n}")


def test_one_patient_walks_the_whole_pathway_and_counts_as_improved(people, habo):
    today = timezone.localdate()

    # 1. Tove, a nurse on the phone, finds Anna in the patient list and enrols her.
    nurse = people()
    log_in(nurse, "tove")
    menu(nurse, "Patienter")
    nurse.get_by_role("link", name=PSEUDONYM).click()
    nurse.get_by_role("link", name="Skriv in i vårdförloppet").click()
    nurse.get_by_label("Första kontakt för smärta som varat mer än 3 månader").check()
    nurse.get_by_label("Identifierad av (profession)").select_option(label="Sjuksköterska")
    nurse.get_by_label("Telefon").check()
    nurse.get_by_label("Tilltalsnamn i formulären").fill("Anna")
    nurse.get_by_role("button", name="Skriv in").click()
    expect(nurse.get_by_role("status")).to_have_text("Patienten är inskriven i vårdförloppet.")
    expect(nurse.get_by_role("heading", level=1)).to_have_text(
        f"Vårdförlopp för patient {PSEUDONYM}"
    )

    # ... and makes the baseline invitation: ÖMPSQ-SF, the pain drawing, NRS and PEG-3 only.
    nurse.get_by_role("link", name="Bjud in till formulären").click()
    link = make_link(nurse, [OEMPSQ, DRAWING, NRS, PEG])

    # 2. Anna opens the link on her phone: her first name, nothing else about her.
    phone = people(**PHONE)
    phone.goto(link)
    expect(phone.get_by_role("heading", level=1)).to_have_text("Hej Anna!")
    assert PSEUDONYM not in phone.content()
    phone.get_by_role("link", name="Börja").tap()

    expect(phone.get_by_text("Formulär 1 av 4")).to_be_visible()
    expect(phone.get_by_role("heading", level=1)).to_have_text(OEMPSQ)
    for question, answer, _points in OEMPSQ_ANSWERS:
        tap_answer(phone, question, answer)
    phone.get_by_role("button", name="Spara och gå vidare").tap()

    # The pain drawing: taps on the drawn body, not on the list of names.
    expect(phone.get_by_text("Formulär 2 av 4")).to_be_visible()
    for region in REGIONS:
        tap_on_body(phone, region)
    expect(phone.get_by_role("checkbox", checked=True)).to_have_count(len(REGIONS))
    phone.get_by_role("button", name="Spara och gå vidare").tap()

    expect(phone.get_by_text("Formulär 3 av 4")).to_be_visible()
    tap_answer(phone, NRS_QUESTION, "7")
    phone.get_by_role("button", name="Spara och gå vidare").tap()

    expect(phone.get_by_text("Formulär 4 av 4")).to_be_visible()
    for question, answer in zip(PEG_QUESTIONS, ["7", "6", "6"], strict=True):
        tap_answer(phone, question, answer)
    phone.get_by_role("button", name="Nästa: skicka in").tap()

    expect(phone.get_by_role("heading", level=1)).to_have_text("Skicka in dina svar")
    expect(phone.get_by_text("Klart", exact=True)).to_have_count(4)
    phone.get_by_role("button", name="Skicka in").tap()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Tack för dina svar!")

    # Opening the link again is refused, plainly, with the answer a link that never existed
    # gets (404). Chromium notes any page answered 404 in the console: that one line is the
    # refusal itself, not an error of the page, so it is taken off the list of problems.
    with phone.expect_console_message(lambda m: "404" in m.text) as noted:
        refused = phone.goto(link)
    assert refused.status == 404
    people.problems.remove(f"console: {noted.value.text}")
    expect(phone.get_by_role("heading", level=1)).to_have_text("Länken fungerar inte")
    assert PSEUDONYM not in phone.content() and "Anna" not in phone.content()

    # 3. Lena, a physician, finds Anna on the worklist and reads the summary before the visit.
    doctor = people()
    log_in(doctor, "lena")
    menu(doctor, "Vårdförlopp")
    to_book = doctor.get_by_role("region", name="Besvarade, bedömning inte bokad")
    to_book.get_by_role("row", name=PSEUDONYM).get_by_role("link", name="Sammanfattning").click()

    expect(doctor.get_by_role("heading", level=1)).to_have_text("Sammanfattning före bedömningen")
    scores = doctor.get_by_role("table", name="Poäng")
    oempsq = scores.get_by_role("row", name=OEMPSQ)
    expect(oempsq).to_contain_text(f"{OEMPSQ_TOTAL} / 100")
    expect(oempsq).to_contain_text("≥ 50: Hög risk för långvarig funktionsnedsättning")
    expect(scores.get_by_role("row", name=NRS)).to_contain_text("7 / 10")
    expect(scores.get_by_role("row", name=PEG)).to_contain_text("6,3 / 10")
    drawing = doctor.get_by_role("region", name="Smärtteckning")
    expect(drawing).to_contain_text("4 områden markerade.")
    marked = drawing.get_by_role("list")
    expect(marked.get_by_role("listitem")).to_have_count(len(REGIONS))
    for region in REGIONS:
        expect(marked.get_by_text(region, exact=True)).to_be_visible()

    # She books the first assessment: 45 minutes, as the routine says, so no warning.
    doctor.get_by_role("link", name=f"Vårdförlopp för patient {PSEUDONYM}").click()
    doctor.get_by_role("link", name="Boka bedömning").click()
    doctor.get_by_label("Tid för bedömningen").fill(f"{today.isoformat()}T08:00")
    expect(doctor.get_by_label("Längd i minuter")).to_have_value("45")
    doctor.get_by_role("button", name="Boka").click()
    expect(doctor.get_by_role("status")).to_have_text("Bedömningen är bokad.")
    expect(
        doctor.get_by_text(f"Bedömning bokad {today.isoformat()} 08:00, 45 minuter.")
    ).to_be_visible()
    expect(doctor.get_by_text("Kortare än de 45 minuter rutinen anger")).to_have_count(0)

    # The visit takes place; she marks it done.
    doctor.get_by_role("button", name="Markera som bedömd").click()
    expect(doctor.get_by_role("status")).to_contain_text("Markerad som bedömd.")
    expect(doctor.get_by_role("row", name="Gjord")).to_contain_text("45")

    # 4. Six months pass. No sleeping: everything recorded so far is moved back six months in
    # the database with the ORM (the only look at internals in this test).
    six_months_pass(today)

    # The worklist shows the follow-up as due; the nurse sends the follow-up questionnaires.
    menu(nurse, "Vårdförlopp")
    due = nurse.get_by_role("region", name="Uppföljning aktuell (6 månader)")
    due.get_by_role("row", name=PSEUDONYM).get_by_role(
        "link", name="Skicka uppföljningsformulären"
    ).click()
    follow_up_link = make_link(nurse, [NRS, PEG])

    # Anna answers on her phone, with clearly less pain and less impact on her life.
    phone.goto(follow_up_link)
    expect(phone.get_by_role("heading", level=1)).to_have_text("Hej Anna!")
    phone.get_by_role("link", name="Börja").tap()
    expect(phone.get_by_text("Formulär 1 av 2")).to_be_visible()
    tap_answer(phone, NRS_QUESTION, "3")
    phone.get_by_role("button", name="Spara och gå vidare").tap()
    expect(phone.get_by_text("Formulär 2 av 2")).to_be_visible()
    for question, answer in zip(PEG_QUESTIONS, ["3", "2", "2"], strict=True):
        tap_answer(phone, question, answer)
    phone.get_by_role("button", name="Nästa: skicka in").tap()
    phone.get_by_role("button", name="Skicka in").tap()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Tack för dina svar!")

    # 5. The indicators for a period covering the enrolment and the follow-up.
    start, end = add_months(today, -7), today
    menu(doctor, "Vårdförlopp")
    doctor.get_by_role("link", name="Indikatorer för vårdförloppet").click()
    period = doctor.get_by_role("group", name="Period", exact=True)
    period.get_by_label("Från").fill(start.isoformat())
    period.get_by_label("Till och med").fill(end.isoformat())
    doctor.get_by_role("button", name="Visa indikatorerna").click()

    offered = doctor.get_by_role("table", name="Erbjudna under perioden")
    expect(
        offered.get_by_role("row", name=re.compile(r"^Erbjudna ")).get_by_role("cell")
    ).to_have_text("1")
    improved = doctor.get_by_role("table", name="Minskad smärta eller påverkan på dagligt liv")
    for label, value in [
        ("Uppföljda under perioden", "1"),
        ("Mätbara (nämnare)", "1"),
        ("Förbättrade (täljare)", "1"),
        ("Ej förbättrade", "0"),
        ("Andel förbättrade", "100,0 %"),
    ]:
        expect(improved.get_by_role("row", name=label).get_by_role("cell")).to_have_text(value)
    expect(doctor.get_by_text("1 av 1 patient med mått före och efter")).to_be_visible()
    # The rule, in words, right beside the figure.
    definition = doctor.get_by_text("Definition av förbättrad:")
    expect(definition.locator("xpath=..")).to_contain_text(IMPROVED_DEFINITION)

    # `painpath pathway indicators` says the same.
    out = StringIO()
    call_command(
        "pathway", "indicators", "--from", start.isoformat(), "--to", end.isoformat(), stdout=out
    )
    result = json.loads(out.getvalue())
    assert result["offered"]["count"] == 1
    assert {key: result["improved"][key] for key in ("followed_up", "measurable", "improved")} == {
        "followed_up": 1,
        "measurable": 1,
        "improved": 1,
    }
    assert result["improved"]["share"] == 1.0
    assert result["improved"]["definition"] == IMPROVED_DEFINITION

    assert people.problems == []


def menu(page, name: str) -> None:
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name=name).click()


def make_link(page, titles: list[str]) -> str:
    """On the invitation page: tick exactly these questionnaires, make the link, read it."""
    chosen = page.get_by_role("group", name="Formulär")
    for box in chosen.get_by_role("checkbox").all():
        box.uncheck()
    for title in titles:
        chosen.get_by_role("checkbox", name=title, exact=True).check()
    page.get_by_role("button", name="Skapa länk och brev").click()
    shown_once = page.get_by_role("status").filter(has_text="Länken visas bara nu.")
    link = shown_once.get_by_text(re.compile(r"/formular/")).inner_text().strip()
    assert link.startswith("http")
    return link


def tap_answer(phone, question: str, answer: str) -> None:
    item = phone.get_by_role("group", name=question)
    choice = item.get_by_role("radio", name=answer, exact=True)
    choice.tap()
    expect(choice).to_be_checked()


def tap_on_body(phone, region: str) -> None:
    """A tap on the region where it is drawn on the body: its checkbox's label holds the
    region's drawing, laid over the figure."""
    box = phone.get_by_role("checkbox", name=region, exact=True)
    drawn = phone.locator("label", has=box).locator("svg rect").first
    drawn.scroll_into_view_if_needed()
    area = drawn.bounding_box()
    phone.touchscreen.tap(area["x"] + area["width"] / 2, area["y"] + area["height"] / 2)
    expect(box).to_be_checked()


def six_months_pass(today) -> None:
    """Move everything that has happened back six months, as if the first half of the test
    had taken place then: the history's times, the invitation and answers, the assessment,
    and the day the follow-up falls due."""
    delta = timedelta(days=(today - add_months(today, -6)).days)
    StateChange.objects.update(at=F("at") - delta)
    Invitation.objects.update(
        created_at=F("created_at") - delta,
        expires_at=F("expires_at") - delta,
        opened_at=F("opened_at") - delta,
        submitted_at=F("submitted_at") - delta,
    )
    Response.objects.update(submitted_at=F("submitted_at") - delta)
    Assessment.objects.update(scheduled_at=F("scheduled_at") - delta, done_at=F("done_at") - delta)
    for enrolment in Enrolment.objects.all():
        enrolment.created_at -= delta
        enrolment.state_since -= delta
        enrolment.follow_up_due_on = add_months(enrolment.follow_up_due_on, -6)
        enrolment.save(update_fields=["created_at", "state_since", "follow_up_due_on"])
