"""The catalogue's entries measured on painpath's own registers: the course a training
indicator names, and months before a register was kept in painpath, which say so rather
than count 0."""

from datetime import date

import pytest

from painpath.care import actions as care
from painpath.care.courses import ACT_TRAINING
from painpath.care.models import StaffMember, TrainingCourse
from painpath.care.states import StaffKind
from painpath.improvement import catalogue
from painpath.pathway import actions as pathway
from painpath.pathway.states import Channel, Criterion
from painpath.records.models import Listing, Patient
from painpath.records.professions import Profession

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 23)
FEB, MAR, APR = date(2026, 2, 1), date(2026, 3, 1), date(2026, 4, 1)


def measured(key: str, clinic, months) -> dict:
    found = catalogue.measure(key, {}, [clinic], months, TODAY)
    return {month: (v.numerator, v.denominator, v.note) for month, v in found.items()}


def test_the_training_indicator_counts_the_act_course_whatever_else_is_registered(clinic):
    lena = StaffMember.objects.create(
        clinic=clinic, name="Lena", kind=StaffKind.CAREGIVER, profession=Profession.PHYSICIAN
    )
    care.record_training(TrainingCourse.objects.get(name=ACT_TRAINING), lena, date(2026, 2, 10))
    TrainingCourse.objects.create(name="AAA brandskydd")  # first by name; nobody took it

    assert measured("training_caregivers", clinic, [FEB, MAR]) == {
        FEB: (1, 1, ""),  # completed on the 10th: on the month's last day it counts
        MAR: (1, 1, ""),
    }
    found = catalogue.measure("training_caregivers", {"course": "Okänd"}, [clinic], [FEB], TODAY)
    assert found[FEB].value is None and found[FEB].note == "utbildningen finns inte i painpath"


def test_a_month_before_a_register_was_kept_in_painpath_says_so_and_later_ones_count(clinic):
    assert measured("rehab_meetings", clinic, [MAR]) == {
        MAR: (None, None, "inget är registrerat i painpath ännu")
    }
    patient = Patient.objects.create(id_hash="h-1", pseudonym="PMEET0000001")
    Listing.objects.create(patient=patient, clinic=clinic, source_key="l-1")
    enrolment = pathway.enrol(
        patient, clinic, criterion=Criterion.NEW_LONG_PAIN, profession=Profession.NURSE,
        channel=Channel.PHONE, user=None,
    )  # fmt: skip
    care.record_meeting(enrolment, None, held_on=date(2026, 3, 10), attendees=[], decisions="x")

    assert measured("rehab_meetings", clinic, [FEB, MAR, APR]) == {
        FEB: (None, None, "inget registrerat i painpath före 2026-03"),
        MAR: (1, None, ""),
        APR: (0, None, ""),  # kept in painpath by then: a month without meetings is a 0
    }
