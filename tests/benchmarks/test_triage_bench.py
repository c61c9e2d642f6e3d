"""The triage benchmark's data and look-ups find what the benchmark says they find: every
personnummer is a hit with a whole card at Habo and a miss at another clinic, every name
finds its patient. (Correctness only: timing belongs to `make bench`.)"""

import pytest

from benchmarks.triage_bench import look_ups
from painpath.access.models import Role
from painpath.care import triage
from painpath.care.demo import triage_patients
from tests.factories import PNR_ANNA, PNR_BERTIL, make_user

pytestmark = pytest.mark.django_db


def test_every_look_up_of_the_benchmark_finds_what_it_should(habo_and_annan, clinic, other_clinic):
    nurse = make_user("triage", clinic, Role.TRIAGE)
    elsewhere = make_user("annan", other_clinic)

    enrolments = triage_patients(clinic)
    assert triage_patients(clinic) == enrolments  # once: a second run adds nothing
    queries = look_ups(enrolments)

    assert sorted(queries["hit"]) == sorted([PNR_ANNA, PNR_BERTIL])
    for number in queries["hit"]:
        found = triage.search(nurse, number)
        assert len(found.enrolments) == 1
        card = triage.snapshot(found.enrolments[0])
        assert card.agreement and card.plan and card.next_steps and card.questionnaires
        assert not triage.search(elsewhere, number).found
    for name in queries["name"]:
        assert set(triage.search(nurse, name).enrolments) & set(enrolments)
