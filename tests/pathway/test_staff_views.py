"""The clinician's pages of the pathway (painpath/pathway/views_staff.py): access, the
actions each state allows and refuses, the history, the 45-minute flag and reminders."""

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from painpath.access.models import AuditEvent, Role
from painpath.pathway import actions
from painpath.pathway.models import Assessment, Enrolment, Invitation, StateChange
from painpath.pathway.states import Channel, Criterion, State, Timepoint
from painpath.records.models import Listing, Patient
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def listed(clinic, pseudonym: str) -> Patient:
    patient = Patient.objects.create(id_hash=f"h-{pseudonym}", pseudonym=pseudonym)
    Listing.objects.create(patient=patient, clinic=clinic, source_key=f"l-{pseudonym}")
    return patient


@pytest.fixture
def lena(clinic):
    return make_user("lena", clinic)  # a physician at Habo


@pytest.fixture
def olle(other_clinic):
    return make_user("olle", other_clinic)  # at another clinic: sees nothing of Habo's


@pytest.fixture
def anna(clinic):
    return listed(clinic, "PANNA00000001")


@pytest.fixture
def enrolment(anna, clinic, lena):
    return actions.enrol(
        anna, clinic, criterion=Criterion.NEW_LONG_PAIN, profession="nurse",
        channel=Channel.PHONE, user=lena, first_name="Anna",
    )  # fmt: skip


@pytest.fixture
def answered(enrolment, lena):
    invitation, _token = actions.invite(enrolment, ["oempsq_sf"], lena)
    return actions.submit(enrolment, Timepoint.BASELINE, invitation=invitation)


def book(enrolment, user, minutes=45):
    return actions.book_assessment(
        enrolment, scheduled_at=timezone.now() + timedelta(days=3), length_minutes=minutes,
        clinician=user, profession="physician", user=user,
    )  # fmt: skip


def state_of(enrolment) -> str:
    return Enrolment.objects.get(pk=enrolment.pk).state


PAGES = [
    ("pathway_worklist", False),
    ("pathway_enrolment", True),
    ("pathway_summary", True),
    ("pathway_book_assessment", True),
]


@pytest.mark.parametrize(("name", "needs_id"), PAGES)
def test_every_page_needs_a_login(client, enrolment, name, needs_id):
    response = client.get(reverse(name, args=[enrolment.pk] if needs_id else []))

    assert response.status_code == 302 and response["Location"].startswith("/konto/logga-in/")


@pytest.mark.parametrize(
    "name", ["pathway_enrolment", "pathway_summary", "pathway_book_assessment"]
)
def test_another_clinics_enrolment_is_not_found_and_the_look_up_is_logged(
    client, enrolment, olle, name
):
    client.force_login(olle)

    response = client.get(reverse(name, args=[enrolment.pk]))

    assert response.status_code == 404
    assert "PANNA" not in response.text
    assert AuditEvent.objects.filter(username="olle", action="lookup").exists()
    assert not AuditEvent.objects.filter(username="olle", patient=enrolment.patient).exists()


@pytest.mark.parametrize("name", ["pathway_decline", "pathway_cancel", "pathway_reopen"])
def test_another_clinic_cannot_change_the_enrolment(client, enrolment, olle, name):
    client.force_login(olle)

    response = client.post(reverse(name, args=[enrolment.pk]), {f"{name[8:]}-reason": "x"})

    assert response.status_code == 404
    assert state_of(enrolment) == State.IDENTIFIED


def test_the_enrolment_form_offers_the_three_criteria_in_full(client, anna, lena):
    client.force_login(lena)

    response = client.get(reverse("pathway_enrol", args=[anna.pseudonym]))

    assert response.status_code == 200
    for criterion in Criterion:
        assert (
            f'value="{criterion.value}"' in response.text and str(criterion.label) in response.text
        )
    assert 'type="radio" name="channel"' in response.text
    assert AuditEvent.objects.filter(action="view", patient=anna, username="lena").exists()


def test_a_nurse_enrols_a_patient_and_the_history_begins(client, anna, clinic):
    tove = make_user("tove", clinic, Role.TRIAGE)
    client.force_login(tove)
    page = client.get(reverse("pathway_enrol", args=[anna.pseudonym]))
    assert page.context["form"]["profession"].value() == "nurse"  # telephone advice: a nurse

    response = client.post(
        reverse("pathway_enrol", args=[anna.pseudonym]),
        {"criterion": "second_opinion", "profession": "nurse", "channel": "digital",
         "first_name": "Anna", "family_name": "Ödmark"},
    )  # fmt: skip

    enrolment = Enrolment.objects.get(patient=anna)
    assert (enrolment.family_name, enrolment.name_key) == ("Ödmark", "anna ödmark")
    assert response.status_code == 302
    assert response["Location"] == reverse("pathway_enrolment", args=[enrolment.pk])
    assert (enrolment.criterion, enrolment.channel, enrolment.identified_by) == (
        "second_opinion", "digital", tove,
    )  # fmt: skip
    assert list(enrolment.changes.values_list("to_state", "actor")) == [("identified", "tove")]
    assert AuditEvent.objects.filter(action="change", patient=anna, username="tove").exists()


def test_the_enrolment_form_says_what_is_missing(client, anna, lena):
    client.force_login(lena)

    response = client.post(reverse("pathway_enrol", args=[anna.pseudonym]), {})

    assert response.status_code == 200
    assert "Välj ett av de tre kriterierna." in response.text
    assert 'aria-invalid="true"' in response.text
    assert not Enrolment.objects.exists()


def test_a_second_open_enrolment_is_refused_and_points_to_the_first(client, enrolment, lena):
    client.force_login(lena)

    response = client.post(
        reverse("pathway_enrol", args=[enrolment.patient.pseudonym]),
        {"criterion": "new_long_pain", "profession": "physician", "channel": "visit"},
    )

    assert response.status_code == 200
    assert Enrolment.objects.count() == 1
    assert "redan ett öppet vårdförlopp" in response.text
    assert reverse("pathway_enrolment", args=[enrolment.pk]) in response.text


def test_a_patient_of_another_clinic_cannot_be_enrolled(client, anna, olle):
    client.force_login(olle)

    response = client.post(
        reverse("pathway_enrol", args=[anna.pseudonym]),
        {"criterion": "new_long_pain", "profession": "physician", "channel": "visit"},
    )

    assert response.status_code == 404
    assert not Enrolment.objects.exists()


def test_the_detail_shows_the_enrolment_and_its_history_and_is_audited(client, enrolment, lena):
    client.force_login(lena)

    response = client.get(reverse("pathway_enrolment", args=[enrolment.pk]))

    assert response.status_code == 200
    text = response.text
    assert "Första kontakt för smärta som varat mer än 3 månader" in text
    assert "Telefon" in text and "Sjuksköterska" in text and "Identifierad" in text
    assert 'data-state="identified"' in text
    event = AuditEvent.objects.get(action="view", patient=enrolment.patient)
    assert event.path == f"/vardforlopp/{enrolment.pk}/"


def test_the_detail_offers_only_what_the_state_allows(client, enrolment, lena):
    client.force_login(lena)
    url = reverse("pathway_enrolment", args=[enrolment.pk])

    forms = client.get(url).context["state_forms"]
    assert set(forms) == {"decline", "cancel", "drop_out"}

    actions.cancel(enrolment, lena, cancelled_by="clinic", reason="flyttat")
    response = client.get(url)
    assert set(response.context["state_forms"]) == {"reopen"}
    assert not response.context["can_book"] and not response.context["can_invite"]


def test_declining_is_kept_in_the_history_with_user_and_reason(client, enrolment, lena):
    client.force_login(lena)

    response = client.post(
        reverse("pathway_decline", args=[enrolment.pk]), {"decline-reason": "vill vänta"}
    )

    assert response.status_code == 302
    change = StateChange.objects.filter(enrolment=enrolment).last()
    assert (change.to_state, change.user, change.reason, change.cancelled_by) == (
        "declined", lena, "vill vänta", "patient",
    )  # fmt: skip
    assert AuditEvent.objects.filter(action="change", patient=enrolment.patient).exists()
    page = client.get(reverse("pathway_enrolment", args=[enrolment.pk]))
    assert "vill vänta" in page.text and "Tackade nej" in page.text


def test_a_cancellation_says_who_cancelled(client, enrolment, lena):
    client.force_login(lena)

    client.post(
        reverse("pathway_cancel", args=[enrolment.pk]),
        {"cancel-cancelled_by": "clinic", "cancel-reason": "remiss till smärtklinik"},
    )

    enrolment.refresh_from_db()
    assert (enrolment.state, enrolment.cancelled_by) == (State.CANCELLED, "clinic")
    page = client.get(reverse("pathway_enrolment", args=[enrolment.pk]))
    assert "Vårdcentralen" in page.text and "remiss till smärtklinik" in page.text


def test_a_drop_out_needs_its_reason(client, answered, lena):
    client.force_login(lena)

    response = client.post(reverse("pathway_drop_out", args=[answered.pk]), {"drop_out-reason": ""})

    assert response.status_code == 200
    assert "Skriv orsaken" in response.text
    assert state_of(answered) == State.ANSWERED


def test_a_change_the_state_no_longer_allows_is_refused_with_a_message(client, answered, lena):
    actions.assessed(book(answered, lena), lena)
    client.force_login(lena)

    response = client.post(
        reverse("pathway_decline", args=[answered.pk]), {"decline-reason": ""}, follow=True
    )

    assert "Det gick inte" in response.text and "Bedömd" in response.text
    assert state_of(answered) == State.ASSESSED


def test_a_pathway_is_reopened_only_when_no_other_is_open(client, enrolment, anna, clinic, lena):
    actions.decline(enrolment, lena)
    second = actions.enrol(
        anna, clinic, criterion=Criterion.SECOND_OPINION, profession="physician",
        channel=Channel.VISIT, user=lena,
    )  # fmt: skip
    client.force_login(lena)
    url = reverse("pathway_reopen", args=[enrolment.pk])

    response = client.post(url, {"reopen-reason": ""}, follow=True)
    assert "redan ett öppet vårdförlopp" in response.text
    assert state_of(enrolment) == State.DECLINED

    actions.cancel(second, lena, cancelled_by="patient", reason="ångrade sig")
    client.post(url, {"reopen-reason": "ringde tillbaka"})
    assert state_of(enrolment) == State.IDENTIFIED


def test_a_booking_under_45_minutes_asks_first_then_is_flagged(client, answered, lena):
    client.force_login(lena)
    url = reverse("pathway_book_assessment", args=[answered.pk])
    data = {"scheduled_at": "2025-03-14T13:30", "length_minutes": "30",
            "clinician": lena.pk, "profession": "physician"}  # fmt: skip

    asked = client.post(url, data)
    assert asked.status_code == 200 and not Assessment.objects.exists()
    assert "Kortare än de 45 minuter rutinen anger" in asked.text
    assert 'name="shorter_ok"' in asked.text

    booked = client.post(url, data | {"shorter_ok": "on"}, follow=True)
    booking = Assessment.objects.get()
    assert (booking.length_minutes, booking.clinician, booking.booked_by) == (30, lena, lena)
    assert timezone.localtime(booking.scheduled_at).strftime("%Y-%m-%d %H:%M") == "2025-03-14 13:30"
    assert booked.text.count("Kortare än de 45 minuter rutinen anger") >= 2  # message and row


def test_a_45_minute_booking_is_not_flagged(client, answered, lena):
    client.force_login(lena)

    response = client.post(
        reverse("pathway_book_assessment", args=[answered.pk]),
        {"scheduled_at": "2025-03-14T13:30", "length_minutes": "45", "clinician": lena.pk,
         "profession": "physician"},
        follow=True,
    )  # fmt: skip

    assert Assessment.objects.get().length_minutes == 45
    assert "Kortare än de 45 minuter" not in response.text


def test_the_booking_form_offers_the_clinics_own_staff_and_45_minutes(client, answered, lena, olle):
    client.force_login(lena)

    form = client.get(reverse("pathway_book_assessment", args=[answered.pk])).context["form"]

    assert list(form.fields["clinician"].queryset) == [lena]
    assert form["length_minutes"].value() == 45


def test_the_assessment_is_marked_done_and_the_follow_up_falls_due(client, answered, lena):
    booking = book(answered, lena)
    client.force_login(lena)

    client.post(reverse("pathway_assessment_done", args=[answered.pk, booking.pk]))

    answered.refresh_from_db()
    assert answered.state == State.ASSESSED and answered.follow_up_due_on is not None
    assert Assessment.objects.get().done_at is not None
    assert answered.changes.last().user == lena


def test_an_assessment_cannot_be_marked_done_before_the_answers(client, enrolment, lena):
    booking = book(enrolment, lena)
    client.force_login(lena)

    response = client.post(
        reverse("pathway_assessment_done", args=[enrolment.pk, booking.pk]), follow=True
    )

    assert "Det gick inte" in response.text
    assert state_of(enrolment) == State.IDENTIFIED
    assert Assessment.objects.get().done_at is None


def test_a_booking_is_cancelled_saying_by_whom(client, answered, lena):
    booking = book(answered, lena)
    client.force_login(lena)
    url = reverse("pathway_assessment_cancel", args=[answered.pk, booking.pk])

    assert client.post(url, {}).status_code == 200  # who cancelled is asked for
    client.post(url, {"cancelled_by": "patient"})

    booking.refresh_from_db()
    assert booking.cancelled_at is not None and booking.cancelled_by == "patient"
    page = client.get(reverse("pathway_enrolment", args=[answered.pk]))
    assert "av Patienten" in page.text and page.context["can_book"]


def test_a_reminder_is_recorded_and_audited(client, enrolment, lena):
    invitation, _token = actions.invite(enrolment, ["oempsq_sf"], lena)
    client.force_login(lena)

    response = client.post(reverse("pathway_remind", args=[enrolment.pk, invitation.pk]))

    assert response.status_code == 302 and response["Location"] == reverse("pathway_worklist")
    invitation.refresh_from_db()
    assert invitation.reminded_at is not None
    assert AuditEvent.objects.filter(
        action="change", patient=enrolment.patient, detail__contains="påminnelse"
    ).exists()


def test_an_expired_link_is_not_reminded_of_but_renewed(client, enrolment, lena):
    invitation, _token = actions.invite(
        enrolment, ["oempsq_sf"], lena, at=datetime(2024, 1, 1, tzinfo=UTC)
    )
    client.force_login(lena)

    response = client.post(
        reverse("pathway_remind", args=[enrolment.pk, invitation.pk]), follow=True
    )

    assert Invitation.objects.get().reminded_at is None
    assert "Länken har gått ut" in response.text


def test_the_worklist_shows_the_users_clinics_with_counts(
    client, enrolment, lena, olle, other_clinic
):
    actions.invite(enrolment, ["oempsq_sf"], lena)
    theirs = actions.enrol(
        listed(other_clinic, "POLLE00000001"), other_clinic, criterion="new_long_pain",
        profession="nurse", channel="phone", user=olle,
    )  # fmt: skip
    actions.invite(theirs, ["oempsq_sf"], olle)
    client.force_login(lena)

    response = client.get(reverse("pathway_worklist"))

    assert response.status_code == 200
    assert "PANNA00000001" in response.text and "POLLE00000001" not in response.text
    assert "Inbjudna, inte besvarade" in response.text and "(1)" in response.text
    assert reverse("pathway_enrolment", args=[enrolment.pk]) in response.text
    assert "Påminn" in response.text
    assert AuditEvent.objects.filter(username="lena", detail__contains="arbetslista").exists()


def test_the_worklist_moves_assessed_patients_on_when_their_follow_up_window_opens(
    client, answered, lena
):
    booking = book(answered, lena)
    actions.assessed(booking, lena, at=timezone.now() - timedelta(days=170))
    client.force_login(lena)

    response = client.get(reverse("pathway_worklist"))

    assert state_of(answered) == State.FOLLOW_UP_DUE
    assert len(response.context["sections"]["follow_ups_due"]) == 1


def test_the_nav_and_the_patient_page_lead_to_the_pathway(client, anna, lena):
    client.force_login(lena)

    response = client.get(reverse("patient_detail", args=[anna.pseudonym]))

    assert reverse("pathway_worklist") in response.text
    assert reverse("pathway_enrol", args=[anna.pseudonym]) in response.text
    assert "Skriv in i vårdförloppet" in response.text


def test_the_detail_leads_to_the_invitation_letter_and_to_paper_entry(client, enrolment, lena):
    client.force_login(lena)

    response = client.get(reverse("pathway_enrolment", args=[enrolment.pk]))

    assert reverse("pathway_invitation", args=[enrolment.pk]) in response.text
    assert reverse("pathway_paper", args=[enrolment.pk, "baseline"]) in response.text


def test_an_expired_link_in_the_worklist_offers_a_new_one(client, enrolment, lena):
    actions.invite(enrolment, ["oempsq_sf"], lena, at=timezone.now() - timedelta(days=30))
    client.force_login(lena)

    response = client.get(reverse("pathway_worklist"))

    assert "har gått ut" in response.text and "Ny länk" in response.text
    assert reverse("pathway_invitation", args=[enrolment.pk]) in response.text
    assert "Påminn" not in response.text


def test_the_pages_are_in_english_when_chosen(client, enrolment, lena):
    client.force_login(lena)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})

    worklist = client.get(reverse("pathway_worklist"))
    detail = client.get(reverse("pathway_enrolment", args=[enrolment.pk]))

    assert "Pathway: who is waiting for what" in worklist.text
    assert "First contact for pain lasting more than 3 months" in detail.text
    assert "The patient declines" in detail.text


def test_the_detail_gives_the_follow_up_window_and_says_when_it_has_passed(client, answered, lena):
    actions.assessed(book(answered, lena), lena, at=timezone.now() - timedelta(days=150))
    client.force_login(lena)
    url = reverse("pathway_enrolment", args=[answered.pk])

    assert "svar från" in client.get(url).text and "Försenad" not in client.get(url).text

    Enrolment.objects.filter(pk=answered.pk).update(
        follow_up_due_on=timezone.localdate() - timedelta(days=31)
    )
    assert "Försenad" in client.get(url).text


def test_after_the_assessment_the_detail_leads_to_before_and_after(client, answered, lena):
    client.force_login(lena)
    url = reverse("pathway_enrolment", args=[answered.pk])
    outcomes = reverse("pathway_outcomes", args=[answered.pk])
    assert outcomes not in client.get(url).text

    actions.assessed(book(answered, lena), lena)

    assert outcomes in client.get(url).text
