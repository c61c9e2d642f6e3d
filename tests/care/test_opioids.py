"""Opioid patients from the extract and their treatment agreements (painpath/care/opioids.py,
views_opioids.py): the window, the clinic, the OME total, the form's checks and the pages."""

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from painpath.access.models import AuditEvent
from painpath.care import actions
from painpath.care.indicators import opioid_figures
from painpath.care.models import OpioidAgreement, StaffMember
from painpath.care.opioids import opioid_patients, overdue_reviews
from painpath.care.states import OPIOID_LOOKBACK_DAYS, StaffKind
from painpath.records.models import Listing, Patient, Prescription
from painpath.records.professions import Profession
from tests.factories import make_user

pytestmark = pytest.mark.django_db
DAY = date(2026, 3, 2)


def listed(clinic, pseudonym: str) -> Patient:
    patient = Patient.objects.create(id_hash=f"h-{pseudonym}", pseudonym=pseudonym)
    Listing.objects.create(patient=patient, clinic=clinic, source_key=f"l-{pseudonym}")
    return patient


def prescribe(patient, clinic, on: date, atc="N02AA05", product="Oxykodon", **amount):
    amount = {"strength_mg": 5.0, "packages": 1.0, "pack_size": 28.0} | amount
    n = Prescription.objects.count()
    return Prescription.objects.create(
        source_key=f"rx{n}", patient=patient, clinic=clinic, date=on, atc=atc, product=product,
        **amount,
    )  # fmt: skip


def staff(clinic, name="Dr Lind", profession=Profession.PHYSICIAN) -> StaffMember:
    return StaffMember.objects.create(
        clinic=clinic, name=name, kind=StaffKind.CAREGIVER, profession=profession
    )


def agree(patient, clinic, prescriber, agreed_on=DAY, review_on=None, atc="N02AA05", mg=40.0):
    return actions.write_opioid_agreement(
        patient, clinic, atc=atc, substance="Oxikodon", max_daily_mg=mg, prescriber=prescriber,
        agreed_on=agreed_on, review_on=review_on or agreed_on + timedelta(days=90),
    )  # fmt: skip


@pytest.fixture
def lena(clinic):
    return make_user("lena", clinic)


@pytest.fixture
def olle(other_clinic):
    return make_user("olle", other_clinic)


# --- who is on opioids ---------------------------------------------------------------------


def test_it_counts_prescriptions_in_the_window_and_not_outside(clinic):
    anna, bo = listed(clinic, "PANNA"), listed(clinic, "PBO")
    prescribe(anna, clinic, DAY)  # the last day counts
    prescribe(anna, clinic, DAY - timedelta(days=OPIOID_LOOKBACK_DAYS - 1))  # the first day
    prescribe(anna, clinic, DAY + timedelta(days=1))  # after the day: not yet
    prescribe(bo, clinic, DAY - timedelta(days=OPIOID_LOOKBACK_DAYS))  # one day too early

    found = opioid_patients([clinic], DAY)

    assert [(p.patient.pseudonym, p.prescriptions) for p in found] == [("PANNA", 2)]


def test_it_counts_only_opioids_and_methadone(clinic):
    anna, bo, cia = listed(clinic, "PANNA"), listed(clinic, "PBO"), listed(clinic, "PCIA")
    prescribe(anna, clinic, DAY, atc="N07BC02", product="Metadon")
    prescribe(bo, clinic, DAY, atc="N02BE01", product="Paracetamol")
    prescribe(cia, clinic, DAY, atc="N07BC01", product="Buprenorfin, beroende")

    assert [p.patient.pseudonym for p in opioid_patients([clinic], DAY)] == ["PANNA"]


def test_another_clinics_prescriptions_are_not_counted(clinic, other_clinic):
    anna = listed(clinic, "PANNA")
    prescribe(anna, other_clinic, DAY)

    assert opioid_patients([clinic], DAY) == []
    assert len(opioid_patients([other_clinic], DAY)) == 1


def test_it_sums_oral_morphine_equivalents_and_keeps_the_latest_product(clinic):
    anna = listed(clinic, "PANNA")
    prescribe(anna, clinic, DAY - timedelta(days=30))  # 5 mg × 28 × 1.5 = 210
    prescribe(anna, clinic, DAY, atc="N02AX02", product="Tramadol", strength_mg=50.0,
              packages=2.0, pack_size=30.0)  # fmt: skip  # 50 × 60 × 0.2 = 600

    [entry] = opioid_patients([clinic], DAY)

    assert entry.ome_mg == pytest.approx(810.0)
    assert (entry.latest_product, entry.latest_atc, entry.latest_on) == ("Tramadol", "N02AX02", DAY)


@pytest.mark.parametrize(
    ("atc", "amount"),
    [("N02AB03", {}), ("N02AA05", {"pack_size": None}), ("N02AA05", {"strength_mg": None})],
)
def test_the_total_is_unknown_when_any_part_is_missing(clinic, atc, amount):
    anna = listed(clinic, "PANNA")
    prescribe(anna, clinic, DAY)
    prescribe(anna, clinic, DAY, atc=atc, **amount)

    assert opioid_patients([clinic], DAY)[0].ome_mg is None


def test_patients_without_a_current_agreement_come_first(clinic):
    anna, bo, cia = listed(clinic, "PANNA"), listed(clinic, "PBO"), listed(clinic, "PCIA")
    for patient in (anna, bo, cia):
        prescribe(patient, clinic, DAY)
    doctor = staff(clinic)
    agree(anna, clinic, doctor)
    ended = agree(cia, clinic, doctor, agreed_on=DAY - timedelta(days=10))
    ended.ended_on = DAY
    ended.save()
    agree(bo, clinic, doctor, agreed_on=DAY + timedelta(days=1))  # not yet agreed

    found = [(p.patient.pseudonym, p.agreement is not None) for p in opioid_patients([clinic], DAY)]

    assert found == [("PBO", False), ("PCIA", False), ("PANNA", True)]


def test_overdue_reviews_are_current_agreements_past_their_review_date(clinic):
    doctor = staff(clinic)
    late = agree(listed(clinic, "PA"), clinic, doctor, DAY - timedelta(100), DAY - timedelta(1))
    agree(listed(clinic, "PB"), clinic, doctor, DAY - timedelta(100), DAY)  # due today: not late
    ended = agree(listed(clinic, "PC"), clinic, doctor, DAY - timedelta(100), DAY - timedelta(5))
    ended.ended_on = DAY - timedelta(days=1)
    ended.save()

    assert list(overdue_reviews([clinic], DAY)) == [late]


# --- the pages ---------------------------------------------------------------------------------


def test_the_list_shows_patients_without_an_agreement_first_and_is_audited(client, clinic, lena):
    today = timezone.localdate()
    anna, bo = listed(clinic, "PANNA"), listed(clinic, "PBO")
    prescribe(anna, clinic, today)
    prescribe(bo, clinic, today)
    agree(bo, clinic, staff(clinic), agreed_on=today)
    client.force_login(lena)

    response = client.get(reverse("care_opioids"))

    text = response.text
    assert "Patienter med opioider utan behandlingsavtal" in text
    assert text.index('data-row="PANNA"') < text.index('data-row="PBO"')
    assert reverse("patient_detail", args=["PANNA"]) in text
    assert reverse("care_opioid_new", args=["PANNA"]) in text
    event = AuditEvent.objects.get(username="lena", action="view")
    assert event.patient is None


def test_another_clinic_sees_none_of_the_patients(client, clinic, olle):
    prescribe(listed(clinic, "PANNA"), clinic, timezone.localdate())
    client.force_login(olle)

    response = client.get(reverse("care_opioids"))

    assert response.status_code == 200 and "PANNA" not in response.text


def _posted(doctor, **changes):
    today = timezone.localdate()
    return {
        "substance": "N02AA05", "max_daily_mg": "40", "prescriber": doctor.pk,
        "agreed_on": today.isoformat(), "review_on": (today + timedelta(days=90)).isoformat(),
        "tapering_plan": "Minska med 10 % varannan vecka.",
    } | changes  # fmt: skip


def test_a_new_agreement_is_saved_with_its_oral_morphine_equivalents(client, clinic, lena):
    anna, doctor = listed(clinic, "PANNA"), staff(clinic)
    client.force_login(lena)

    response = client.post(
        reverse("care_opioid_new", args=["PANNA"]), _posted(doctor, max_daily_mg="80")
    )

    agreement = OpioidAgreement.objects.get(patient=anna)
    assert response.status_code == 302
    assert response["Location"] == reverse("care_opioid", args=[agreement.pk])
    assert (agreement.max_daily_ome, agreement.clinic, agreement.written_by) == (
        120.0,
        clinic,
        lena,
    )
    assert AuditEvent.objects.filter(action="change", patient=anna, username="lena").exists()
    page = client.get(response["Location"]).text
    assert "120" in page and "över 90 mg morfinekvivalenter per dygn" in page


def test_a_dose_below_90_mg_ome_gives_no_warning(client, clinic, lena):
    listed(clinic, "PANNA")
    client.force_login(lena)
    response = client.post(reverse("care_opioid_new", args=["PANNA"]), _posted(staff(clinic)))

    page = client.get(response["Location"]).text
    assert "60" in page and "över 90 mg" not in page


def test_a_patch_has_no_conversion_factor(client, clinic, lena):
    listed(clinic, "PANNA")
    client.force_login(lena)
    form = client.get(reverse("care_opioid_new", args=["PANNA"])).text
    assert "Fentanyl, plåster (N02AB03; saknar omräkningsfaktor)" in form

    response = client.post(
        reverse("care_opioid_new", args=["PANNA"]),
        _posted(staff(clinic), substance="N02AB03", max_daily_mg="0,6"),
    )

    assert OpioidAgreement.objects.get().max_daily_ome is None
    assert "saknar omräkningsfaktor" in client.get(response["Location"]).text


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"max_daily_mg": "0"}, "max_daily_mg", "större än 0 mg"),
        ({"max_daily_mg": "-5"}, "max_daily_mg", "0 eller större"),
        ({"max_daily_mg": "5000"}, "max_daily_mg", "kan inte vara över 1000 mg"),
        ({"max_daily_mg": "mycket"}, "max_daily_mg", "Skriv ett tal"),
        ({"substance": "N02BE01"}, "substance", "Välj ett giltigt alternativ"),
        ({"review_on": "2020-01-01"}, "review_on", "efter avtalsdagen"),
        ({"tapering_plan": ""}, "tapering_plan", "Skriv nedtrappningsplanen"),
        ({"prescriber": ""}, "prescriber", "Välj vem som förskriver"),
    ],
)
def test_the_form_says_what_to_correct(client, clinic, lena, changes, field, message):
    listed(clinic, "PANNA")
    client.force_login(lena)

    response = client.post(
        reverse("care_opioid_new", args=["PANNA"]), _posted(staff(clinic), **changes)
    )

    assert response.status_code == 200 and not OpioidAgreement.objects.exists()
    assert message in response.text
    assert re.search(f'aria-describedby="[^"]*id_{field}_error"', response.text)


def test_the_prescriber_is_a_caregiver_of_the_clinic_physicians_first(client, clinic, lena):
    listed(clinic, "PANNA")
    staff(clinic, "Anna Fys", Profession.PHYSIOTHERAPIST)
    staff(clinic, "Östen Läkare")
    StaffMember.objects.create(clinic=clinic, name="Reception", kind=StaffKind.ADMINISTRATOR)
    client.force_login(lena)

    text = client.get(reverse("care_opioid_new", args=["PANNA"])).text

    assert text.index("Östen Läkare") < text.index("Anna Fys")
    assert "Reception" not in text


def test_another_clinics_patient_and_agreement_are_not_found(client, clinic, olle):
    anna = listed(clinic, "PANNA")
    agreement = agree(anna, clinic, staff(clinic))
    client.force_login(olle)

    assert client.get(reverse("care_opioid_new", args=["PANNA"])).status_code == 404
    assert client.get(reverse("care_opioid", args=[agreement.pk])).status_code == 404
    assert client.post(reverse("care_opioid_end", args=[agreement.pk])).status_code == 404
    assert OpioidAgreement.objects.get().ended_on is None
    assert not AuditEvent.objects.filter(username="olle", patient=anna).exists()


def test_ending_an_agreement_ends_it_today(client, clinic, lena):
    anna = listed(clinic, "PANNA")
    agreement = agree(anna, clinic, staff(clinic), agreed_on=timezone.localdate())
    client.force_login(lena)

    response = client.post(reverse("care_opioid_end", args=[agreement.pk]))

    assert response.status_code == 302
    assert OpioidAgreement.objects.get().ended_on == timezone.localdate()
    assert AuditEvent.objects.filter(action="change", patient=anna).exists()
    assert client.get(reverse("care_opioid_end", args=[agreement.pk])).status_code == 405


def test_the_list_names_agreements_whose_review_is_overdue(client, clinic, lena):
    today = timezone.localdate()
    agree(
        listed(clinic, "PANNA"), clinic, staff(clinic), today - timedelta(100), today - timedelta(3)
    )
    client.force_login(lena)

    text = client.get(reverse("care_opioids")).text

    overdue = text[text.index("Omprövning försenad") :]
    assert "PANNA" in overdue and (today - timedelta(3)).isoformat() in overdue


def test_an_extract_that_ends_before_today_is_read_on_its_last_day(client, clinic, lena):
    anna = listed(clinic, "PANNA")
    ended = timezone.localdate() - timedelta(days=400)
    prescribe(anna, clinic, ended)
    client.force_login(lena)

    page = client.get(reverse("care_opioids"))

    assert f"recept till och med {ended.isoformat()}" in page.text
    assert [p.patient for p in page.context["without"]] == [anna]
    figures = opioid_figures([clinic], timezone.localdate())
    assert (figures["as_of"], figures["without_agreement"]) == (ended.isoformat(), 1)


def test_an_agreement_made_after_the_extract_ended_counts(client, clinic, lena):
    anna = listed(clinic, "PANNA")
    prescribe(anna, clinic, timezone.localdate() - timedelta(days=20))
    agree(anna, clinic, staff(clinic), agreed_on=timezone.localdate())
    client.force_login(lena)

    page = client.get(reverse("care_opioids"))

    assert [p.patient for p in page.context["with_agreement"]] == [anna]
    assert opioid_figures([clinic], timezone.localdate())["with_agreement"] == 1
