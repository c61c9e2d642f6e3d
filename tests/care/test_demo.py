"""The demo clinic's coordination (painpath/care/demo.py, `painpath democare`)."""

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from painpath.access.demo import create_demo_users
from painpath.care import actions
from painpath.care.demo import seed_care, triage_patients
from painpath.care.models import (
    Agreement,
    OpioidAgreement,
    PainSchoolGroup,
    RehabMeeting,
    StaffMember,
    TrainingCompletion,
)
from painpath.care.states import ParticipantStatus, StaffKind
from painpath.pathway import demo as pathway_demo
from painpath.pathway.models import Enrolment
from painpath.records import identity
from painpath.records.models import Caregiver, Diagnosis, Listing, Patient, Prescription
from painpath.records.professions import Profession
from tests.factories import PNR_ANNA

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 23)
PROFESSIONS = [Profession.PHYSICIAN, Profession.PHYSIOTHERAPIST, Profession.PSYCHOLOGIST]


@pytest.fixture
def habo(clinic):
    """Habo with 40 listed R52.2 patients, three caregivers, the demo users, the pathway's
    demo, and oxycodone for ten patients."""
    for n, profession in enumerate(PROFESSIONS * 2):
        Caregiver.objects.create(
            source_id=f"c{n}", name=f"Vård Givare {n}", profession=profession, clinic=clinic
        )
    for n in range(40):
        patient = Patient.objects.create(id_hash=f"h{n}", pseudonym=f"PCARE{n:08d}")
        Listing.objects.create(patient=patient, clinic=clinic, source_key=f"l{n}")
        Diagnosis.objects.create(
            patient=patient, clinic=clinic, date=date(2024, 5, 1), code="R52.2", source_key=f"d{n}"
        )
        if n < 10:
            Prescription.objects.create(
                patient=patient, clinic=clinic, date=date(2024, 10, 1) - timedelta(days=n),
                atc="N02AA05", product="Oxikodon", source_key=f"rx{n}",
            )  # fmt: skip
    create_demo_users(clinic)
    pathway_demo.build_demo(clinic, today=TODAY)
    return clinic


def test_it_shows_every_part_of_coordination(habo):
    made = seed_care(habo, today=TODAY)
    assert made["staff"] == StaffMember.objects.filter(clinic=habo).count() > 6
    assert StaffMember.objects.filter(kind=StaffKind.ADMINISTRATOR).count() >= 2
    in_care = Enrolment.objects.filter(clinic=habo, state__in=actions.IN_CARE)
    assert made["teams"] == in_care.count() > 3
    assert all(actions.responsible(e, TODAY) for e in in_care)
    assert Agreement.objects.count() and RehabMeeting.objects.count()
    current = [e for e in in_care if actions.current_agreement(e, TODAY)]
    assert 0 < len(current) < in_care.count()  # some current, some missing or run out
    running = PainSchoolGroup.objects.get(name__contains="hösten")
    assert running.sessions.filter(starts_at__date__lt=TODAY).exists()
    assert running.sessions.filter(starts_at__date__gt=TODAY).exists()
    assert running.participants.filter(status=ParticipantStatus.WAITING).count() == 2
    assert running.clinics.count() == 2  # shared with the demo's other clinic
    assert TrainingCompletion.objects.count() == made["trainings"] > 0
    assert made["opioid_agreements"] == OpioidAgreement.objects.count() == 2  # 10 patients, 1 in 5
    assert Enrolment.objects.filter(clinic=habo, family_name="").count() == 0


def test_running_it_again_adds_nothing(habo):
    seed_care(habo, today=TODAY)
    assert seed_care(habo, today=TODAY) == {
        "staff": 0, "teams": 0, "groups": 0, "trainings": 0, "opioid_agreements": 0,
        "triage": 0,
    }  # fmt: skip


def test_the_command_says_what_it_made_and_refuses_an_unknown_clinic(habo):
    out = StringIO()
    call_command("democare", clinic="habo", stdout=out)
    assert "smärtskolegrupper" in out.getvalue()
    with pytest.raises(CommandError, match="Ingen vårdcentral"):
        call_command("democare", clinic="nowhere")


def test_triage_demo_touches_only_published_test_numbers(habo_and_annan, clinic):
    """A patient whose number is not on Skatteverket's list (here: a stored number whose
    hash is not a test number's, standing in for a real person) is never enrolled."""
    stranger = Patient.objects.create(
        id_hash="not-a-test-number", pseudonym="PSTRANGER0001",
        personnummer_encrypted=identity.encrypt(PNR_ANNA.replace("-", "")),
    )  # fmt: skip
    Listing.objects.create(patient=stranger, clinic=clinic, source_key="stranger")
    create_demo_users(clinic)

    enrolled = {e.patient.pseudonym for e in triage_patients(clinic)}

    assert enrolled and "PSTRANGER0001" not in enrolled
