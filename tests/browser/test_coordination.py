"""Coordination's acceptance test (issue 5, "Done when") in a real Chromium: Lena, a
clinician at Habo, gathers an assessed pathway patient's care team, writes the rehab plan
and the patient agreement, prints the agreement for the patient, records a rehab meeting
that updates the plan; and runs a pain-school group shared with another clinic, with a
waiting list and attendance. Every field is reached by its label and every check is on
what the page shows; the audit log is read at the end.

The pathway part (enrolled, answered, assessed) is set up with the pathway's actions, as
the walkthrough test has already driven it through the pages."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from painpath.access.models import AuditAction, AuditEvent
from painpath.care import courses
from painpath.care.models import CourseTemplate, StaffMember
from painpath.care.states import StaffKind
from painpath.pathway import actions as pathway
from painpath.pathway.actions import add_months
from painpath.pathway.states import Channel, Criterion, Timepoint
from painpath.records.models import Listing, Patient
from painpath.records.professions import Profession
from tests.browser.conftest import every_field_has_a_label, log_in, watch
from tests.factories import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ANNA, BERTIL, CECILIA = "PCOORDANNA0001", "PCOORDBERT0002", "PCOORDCECI0003"
GOALS = "Jag vill kunna gå till affären själv och orka leka med barnbarnen."
PHYSIO_DOES = "Sara lär Anna hemövningar för nacke och axlar, en gång i veckan i sex veckor."
PHYSICIAN_DOES = "Lena ser över värktabletterna och trappar ner dem."
PATIENT_DOES = "Anna går en promenad på 20 minuter varje dag och gör hemövningarna."
PATIENT_WILL = "Jag promenerar 20 minuter varje dag och gör övningarna från Sara."
CLINIC_WILL = "Sara träffar dig varje vecka. Lena ringer dig om fyra veckor."
NEXT_STEP = "Återbesök hos fysioterapeuten Sara"
DECISIONS = "Anna fortsätter med övningarna. Sara ökar till två träffar i veckan."
NEW_GOALS = "Jag vill kunna gå till affären och bära hem matkassarna själv."

WEEKDAYS = ["måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag"]
MONTHS = "januari februari mars april maj juni juli augusti september oktober november december"


def in_swedish(day) -> str:
    """The date as a Swedish letter writes it: "tisdag 3 juni 2025"."""
    return f"{WEEKDAYS[day.weekday()]} {day.day} {MONTHS.split()[day.month - 1]} {day.year}"


def listed(clinic, pseudonym: str) -> Patient:
    patient = Patient.objects.create(id_hash=f"h-{pseudonym}", pseudonym=pseudonym)
    Listing.objects.create(patient=patient, clinic=clinic, source_key=f"l-{pseudonym}")
    return patient


@pytest.fixture
def habo(clinic, other_clinic):
    """Lena at Habo; Anna Öberg enrolled, answered and assessed (in care); Bertil and
    Cecilia listed at Habo; Habo's roster: a physician, a physiotherapist and a psychologist
    who is not on Anna's team."""
    lena = make_user("lena", clinic)
    enrolment = pathway.enrol(
        listed(clinic, ANNA), clinic, criterion=Criterion.NEW_LONG_PAIN,
        profession=Profession.NURSE, channel=Channel.PHONE, user=lena,
        first_name="Anna", family_name="Öberg",
    )  # fmt: skip
    invitation, _token = pathway.invite(enrolment, ["oempsq_sf"], lena)
    enrolment = pathway.submit(enrolment, Timepoint.BASELINE, invitation=invitation)
    booking = pathway.book_assessment(
        enrolment, scheduled_at=timezone.now() - timedelta(hours=1), length_minutes=45,
        clinician=lena, profession=Profession.PHYSICIAN, user=lena,
    )  # fmt: skip
    pathway.assessed(booking, lena)
    listed(clinic, BERTIL)
    listed(clinic, CECILIA)
    for name, profession in [
        ("Dr Lena Lind", Profession.PHYSICIAN),
        ("Sara Fys", Profession.PHYSIOTHERAPIST),
        ("Petra Psyk", Profession.PSYCHOLOGIST),
    ]:
        StaffMember.objects.create(
            clinic=clinic, name=name, kind=StaffKind.CAREGIVER, profession=profession
        )
    # A live-server test empties every table after it, the migration's course rows too.
    CourseTemplate.objects.get_or_create(
        name=courses.ACT_PAIN_SCHOOL, defaults={"sessions": courses.ACT_PAIN_SCHOOL_SESSIONS}
    )
    return enrolment


def menu(page, name: str) -> None:
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name=name).click()


def submit(page, name: str) -> None:
    """The form is sent with the keyboard: focus on the button, Enter."""
    page.get_by_role("button", name=name).focus()
    page.keyboard.press("Enter")


def status(page):
    return page.get_by_role("status").first


def test_a_clinician_coordinates_an_assessed_patients_care(page, live_server, habo):
    today = timezone.localdate()
    enrolment = habo
    problems = watch(page, live_server)
    log_in(page, "lena")

    # 1. The overview, from the main menu: Anna has neither a fast vårdkontakt nor a plan.
    menu(page, "Samordning")
    expect(page.get_by_role("heading", level=1)).to_have_text("Samordning")
    in_care = page.get_by_role("region", name="Patienter i vårdförloppet")
    row = in_care.get_by_role("row", name="Anna Öberg")
    expect(row).to_contain_text(ANNA)
    expect(row).to_contain_text("Ingen plan")
    row.get_by_role("link", name="Anna Öberg").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Samordning för patient {ANNA}")
    expect(page.get_by_text("Ingen i teamet ännu.")).to_be_visible()

    # The physiotherapist joins the team as a member ...
    page.get_by_role("link", name="Lägg till i teamet").click()
    every_field_has_a_label(page)
    page.get_by_label("Vem").select_option(label="Sara Fys (Fysioterapeut/sjukgymnast)")
    expect(page.get_by_label("Med i teamet från")).to_have_value(today.isoformat())
    expect(page.get_by_label("Fast vårdkontakt")).not_to_be_checked()
    submit(page, "Lägg till")
    expect(status(page)).to_have_text("Sara Fys är med i teamet.")

    # ... and the physician as the responsible caregiver, the box ticked with the keyboard.
    page.get_by_role("link", name="Lägg till i teamet").click()
    expect(page.get_by_text("I teamet nu: Sara Fys (Fysioterapeut/sjukgymnast)")).to_be_visible()
    page.get_by_label("Vem").select_option(label="Dr Lena Lind (Läkare)")
    page.get_by_label("Fast vårdkontakt").focus()
    page.keyboard.press("Space")
    expect(page.get_by_label("Fast vårdkontakt")).to_be_checked()
    expect(page.get_by_label("Fast vårdkontakt")).to_have_accessible_description(
        "Den som var fast vårdkontakt är det inte längre, men är kvar i teamet."
    )
    submit(page, "Lägg till")
    expect(status(page)).to_have_text("Dr Lena Lind är med i teamet.")
    team = page.get_by_role("table", name="Teamet i dag")
    expect(team.get_by_role("row", name="Dr Lena Lind")).to_contain_text("Fast vårdkontakt")
    expect(team.get_by_role("row", name="Sara Fys")).to_contain_text("Medlem")
    expect(team.get_by_role("row", name="Sara Fys")).to_contain_text("Fysioterapeut/sjukgymnast")

    # The rehab plan: the goals in Anna's words, a box for each profession on the team.
    page.get_by_role("link", name="Skriv rehabplan").click()
    every_field_has_a_label(page)
    page.get_by_label("Mål, med patientens egna ord").fill(GOALS)
    page.get_by_label("Det här gör läkare").fill(PHYSICIAN_DOES)
    page.get_by_label("Det här gör fysioterapeut/sjukgymnast").fill(PHYSIO_DOES)
    expect(page.get_by_label("Det här gör psykolog")).to_have_count(0)  # not on the team
    page.get_by_label("Det här gör patienten").fill(PATIENT_DOES)
    review_on = add_months(today, 3)
    expect(page.get_by_label("Planen följs upp")).to_have_value(review_on.isoformat())
    submit(page, "Spara ny version")
    expect(status(page)).to_have_text("Rehabplanen är sparad som version 1.")
    plan = page.get_by_role("region", name="Rehabplan")
    for text in (GOALS, PHYSICIAN_DOES, PHYSIO_DOES, PATIENT_DOES, review_on.isoformat()):
        expect(plan).to_contain_text(text)

    # The agreement: sent once without what Anna will do, the error is tied to its field.
    page.get_by_role("link", name="Skriv överenskommelse").click()
    every_field_has_a_label(page)
    contact = page.get_by_label("Om patienten har frågor: kontakta")
    expect(contact).to_have_value("Dr Lena Lind via vårdcentralens telefon")
    page.get_by_label("Det här gör vårdcentralen").fill(CLINIC_WILL)
    page.get_by_label("Nästa steg", exact=True).fill(NEXT_STEP)
    next_step_on = today + timedelta(days=14)
    page.get_by_label("Nästa steg, datum").fill(next_step_on.isoformat())
    submit(page, "Spara ny version")
    expect(page.get_by_role("alert")).to_contain_text("Rätta uppgiften som är markerad nedan.")
    patient_will = page.get_by_label("Det här gör patienten")
    expect(patient_will).to_have_attribute("aria-invalid", "true")
    expect(patient_will).to_have_accessible_description("Fyll i det här.")
    expect(page.get_by_label("Nästa steg", exact=True)).to_have_value(NEXT_STEP)  # kept
    patient_will.fill(PATIENT_WILL)
    submit(page, "Spara ny version")
    expect(status(page)).to_have_text("Överenskommelsen är sparad som version 1.")
    agreement = page.get_by_role("region", name="Överenskommelse med patienten")
    expect(agreement).to_contain_text(PATIENT_WILL)
    expect(agreement).to_contain_text(f"{NEXT_STEP}, {next_step_on.isoformat()}")

    # The printable agreement: what Anna does, the next step and whom to call, in Swedish.
    agreement.get_by_role("link", name="Skriv ut till patienten").click()
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    letter = page.get_by_role("article", name="Det här har vi kommit överens om")
    expect(letter.get_by_text("Till Anna Öberg")).to_be_visible()
    for heading, text in [
        ("Det här gör du", PATIENT_WILL),
        ("Det här gör vi på vårdcentralen", CLINIC_WILL),
        ("Nästa steg", f"{NEXT_STEP}\nDatum: {in_swedish(next_step_on)}"),
        ("Om du har frågor", "Om du har frågor: kontakta Dr Lena Lind via vårdcentralens telefon."),
    ]:
        heading = letter.get_by_role("heading", level=2, name=heading, exact=True)
        expect(heading).to_be_visible()
        following = heading.locator("xpath=following-sibling::p[1]")
        expect(following).to_have_text(text, use_inner_text=True)
    valid_until = add_months(today, 6)
    expect(letter).to_contain_text(
        f"till {valid_until.day} {MONTHS.split()[valid_until.month - 1]}"
    )
    # On paper: the letter only, no menu, no instructions for the clinician.
    main_menu = page.get_by_role("navigation", name="Huvudmeny")
    expect(main_menu).to_be_visible()
    page.emulate_media(media="print")
    expect(main_menu).to_be_hidden()
    expect(page.get_by_role("button", name="Logga ut")).to_be_hidden()
    expect(page.get_by_text("Skriv ut sidan (Ctrl+P)")).to_be_hidden()
    expect(letter).to_be_visible()
    expect(letter.get_by_text(PATIENT_WILL)).to_be_visible()
    page.emulate_media(media="screen")
    expect(main_menu).to_be_visible()

    # 2. With two professions on her team and no meeting yet, Anna is due for a rehab
    # meeting; one with the two on the team, whose decisions update the plan.
    menu(page, "Samordning")
    due = page.get_by_role("region", name="Patienter som behöver rehabmöte")
    due.get_by_role("row", name="Anna Öberg").get_by_role("link", name="För in rehabmöte").click()
    every_field_has_a_label(page)
    expect(page.get_by_label("Datum för mötet")).to_have_value(today.isoformat())
    attendees = page.get_by_role("group", name="Vilka från vårdcentralen var med?")
    expect(attendees.get_by_label("Dr Lena Lind (Läkare)")).to_be_checked()  # the team
    expect(attendees.get_by_label("Sara Fys (Fysioterapeut/sjukgymnast)")).to_be_checked()
    expect(attendees.get_by_label("Petra Psyk (Psykolog)")).not_to_be_checked()
    page.get_by_label("Patienten var med").check()
    page.get_by_label("Beslut", exact=True).fill(DECISIONS)
    page.get_by_label("Uppdatera planen utifrån besluten").check()
    new_plan = page.get_by_role("group", name="Ny version av rehabplanen")
    goals = new_plan.get_by_label("Mål, med patientens egna ord")
    expect(goals).to_have_value(GOALS)  # from the current plan
    goals.fill(NEW_GOALS)
    submit(page, "Spara rehabmötet")
    expect(status(page)).to_have_text("Rehabmötet är sparat. Rehabplanen är sparad som version 2.")
    meeting = page.get_by_role("article", name=f"Rehabmöte {today.isoformat()}")
    expect(meeting).to_contain_text("Läkare, Fysioterapeut/sjukgymnast")
    expect(meeting).to_contain_text("Dr Lena Lind (Läkare), Sara Fys (Fysioterapeut/sjukgymnast)")
    expect(meeting).not_to_contain_text("Petra Psyk")
    expect(meeting).to_contain_text(DECISIONS)
    plan = page.get_by_role("region", name="Rehabplan")
    expect(plan).to_contain_text(NEW_GOALS)
    expect(plan).to_contain_text(f"(efter rehabmötet {today.isoformat()})")
    expect(plan.get_by_role("link", name="Version 1")).to_be_visible()
    meeting.get_by_role("link", name="Version 2 skrevs utifrån mötet").click()
    expect(page.get_by_text(NEW_GOALS)).to_be_visible()
    expect(page.get_by_text(PHYSIO_DOES)).to_be_visible()  # the rest carried over

    # The overview now shows the fast vårdkontakt, both professions and the plan; the
    # meeting is held and the plan's review is ahead, so no meeting is due.
    menu(page, "Samordning")
    expect(page.get_by_text("Ingen patient behöver rehabmöte just nu.")).to_be_visible()
    row = page.get_by_role("region", name="Patienter i vårdförloppet").get_by_role("row")
    row = row.filter(has_text=ANNA)
    expect(row).to_contain_text("Dr Lena Lind")
    expect(row).to_contain_text("Läkare, Fysioterapeut/sjukgymnast")
    expect(row).to_contain_text(f"v2, följs upp {review_on.isoformat()}")
    expect(row).to_contain_text(valid_until.isoformat())

    # The audit log: her views of Anna's care and each change, the agreement among them.
    patient = enrolment.patient
    mine = AuditEvent.objects.filter(username="lena", patient=patient)
    detail = f"samordning, vårdförlopp {enrolment.pk}: "
    assert mine.filter(action=AuditAction.VIEW, detail=detail + "samordning").exists()
    changes = set(mine.filter(action=AuditAction.CHANGE).values_list("detail", flat=True))
    assert changes == {
        detail + "team: Sara Fys (medlem)",
        detail + "team: Dr Lena Lind (fast vårdkontakt)",
        detail + "rehabplan v1",
        detail + "överenskommelse v1",
        detail + f"rehabmöte {today.isoformat()} och rehabplan v2",
    }
    assert mine.filter(action=AuditAction.VIEW, detail="utskrift överenskommelse v1").exists()
    assert problems == []


def test_a_pain_school_group_fills_up_and_takes_attendance(page, live_server, habo):
    today = timezone.localdate()
    problems = watch(page, live_server)
    log_in(page, "lena")

    # A group at Habo shared with Annan, two places, made through the page.
    menu(page, "Smärtskola")
    page.get_by_role("link", name="Ny grupp").click()
    every_field_has_a_label(page)
    course = page.get_by_label("Kurs", exact=True)
    expect(course.locator("option:checked")).to_have_text(courses.ACT_PAIN_SCHOOL)
    page.get_by_label("Gruppens namn").fill("Smärtskola hösten, Habo")
    page.get_by_role("group", name="Form").get_by_label("På plats").check()
    page.get_by_label("Plats eller länk").fill("Samlingsrummet, plan 2")
    page.get_by_label("Antal platser").fill("2")
    page.get_by_role("group", name="Fler vårdcentraler som deltar").get_by_label(
        "Annan vårdcentral"
    ).check()
    page.get_by_label("Startdatum").fill(today.isoformat())
    page.get_by_label("Klockslag").fill("13:30")
    submit(page, "Skapa gruppen")
    expect(status(page)).to_have_text("Gruppen är skapad.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Smärtskola hösten, Habo")
    expect(page.get_by_text("Annan vårdcentral, Bra Liv Habo")).to_be_visible()
    expect(page.get_by_text("2, varav 0 tagna och 2 lediga")).to_be_visible()
    sessions = page.get_by_role("table", name="Träffar")
    expect(sessions.get_by_role("row")).to_have_count(1 + len(courses.ACT_PAIN_SCHOOL_SESSIONS))
    expect(sessions.get_by_role("row", name="Smärta och stress")).to_contain_text(
        f"{today.isoformat()} 13:30"
    )

    # Two patients get a place; the third is told she is first on the waiting list.
    for pseudonym, said in [
        (ANNA, "Plats i gruppen."),
        (BERTIL, "Plats i gruppen."),
        (CECILIA, "Gruppen är full – patienten står som nr 1 på väntelistan."),
    ]:
        page.get_by_role("link", name="Lägg till en patient").click()
        every_field_has_a_label(page)
        page.get_by_label("Patientens pseudonym").fill(pseudonym)
        page.keyboard.press("Enter")
        expect(status(page)).to_have_text(said)
    expect(page.get_by_text("2, varav 2 tagna och 0 lediga")).to_be_visible()
    waiting = page.get_by_role("list", name="Väntelista")
    expect(waiting.get_by_role("listitem")).to_have_count(1)
    expect(waiting).to_contain_text(CECILIA)

    # Attendance at the first session: Anna came, Bertil did not.
    page.get_by_role("link", name="Närvaro, träff 1").click()
    every_field_has_a_label(page)
    page.get_by_label(f"Anna Öberg ({ANNA})").check()
    expect(page.get_by_label(BERTIL)).not_to_be_checked()
    submit(page, "Spara närvaron")
    expect(status(page)).to_have_text("Närvaron är sparad.")
    participants = page.get_by_role("table", name="Deltagare")
    anna = participants.get_by_role("row", name=ANNA)
    expect(anna).to_contain_text("närvarande")
    expect(anna).to_contain_text("1 av 5")
    bertil = participants.get_by_role("row", name=BERTIL)
    expect(bertil).to_contain_text("frånvarande")
    expect(bertil).to_contain_text("0 av 5")

    details = set(
        AuditEvent.objects.filter(username="lena", action=AuditAction.CHANGE)
        .exclude(patient=None)
        .values_list("pseudonym", "detail")
    )
    group = "smärtskolegrupp " + page.url.rstrip("/").rsplit("/", 1)[-1]
    assert details == {
        (ANNA, f"{group}: plats"),
        (BERTIL, f"{group}: plats"),
        (CECILIA, f"{group}: väntelista nr 1"),
        (ANNA, f"{group}: träff 1 närvarande"),
        (BERTIL, f"{group}: träff 1 frånvarande"),
    }
    assert problems == []
