"""One patient's outcomes (painpath/pathway/outcomes.py) and their page
/vardforlopp/<id>/utfall/."""

import pytest
from django.urls import reverse

from painpath.access.models import AuditAction, AuditEvent
from painpath.pathway.outcomes import IMPROVED, NO_CERTAIN_CHANGE, WORSENED, judge
from tests.factories import make_user
from tests.pathway.outcome_cast import items, nrs, peg, walk

pytestmark = pytest.mark.django_db

LOWER = {"points": 2, "percent": 30, "direction": "lower_is_better"}
HIGHER = {"points": 11, "percent": None, "direction": "higher_is_better"}


@pytest.mark.parametrize(
    ("before", "after", "mic", "verdict"),
    [
        (7, 5, LOWER, IMPROVED),  # two points
        (3, 2, LOWER, IMPROVED),  # one point, a third
        (7, 6, LOWER, NO_CERTAIN_CHANGE),
        (4, 6, LOWER, WORSENED),
        (7, 7, LOWER, NO_CERTAIN_CHANGE),
        (20, 31, HIGHER, IMPROVED),
        (31, 20, HIGHER, WORSENED),
        (20, 30, HIGHER, NO_CERTAIN_CHANGE),
        (0, 1, {"points": None, "percent": 30, "direction": "lower_is_better"},
         NO_CERTAIN_CHANGE),  # no percent of nothing
        (5, 1, None, None),
    ],
)  # fmt: skip
def test_it_judges_a_change_by_the_minimal_important_change(before, after, mic, verdict):
    assert judge(before, after, mic) == verdict


@pytest.fixture
def nurse(clinic):
    return make_user("sara", clinic)


BEFORE = (
    nrs(7)
    | peg(7, 6, 6)
    | items("phq9", 1, 1, 1, 2, 1, 1, 1, 1, 0)  # 9
    | items("gad7", 1, 1, 1, 1, 1, 1, 1)  # 7
    | items("cpaq8", 3, 3, 3, 3, 3, 3, 3, 3)
    | {"history": {"goals": "Gå promenader"}}
)
AFTER = (
    nrs(4)
    | peg(4, 6, 6)
    | items("phq9", 2, 2, 2, 2, 2, 2, 2, 2, 0)  # 16
    | items("gad7", 1, 1, 1, 1, 1, 1, 3)  # 9
    | items("cpaq8", 4, 4, 4, 4, 3, 3, 3, 3)
)


@pytest.fixture
def followed_up(clinic, nurse):
    return walk(clinic, nurse, 1, BEFORE, AFTER)


def page(enrolment) -> str:
    return reverse("pathway_outcomes", args=[enrolment.pk])


def rows(response) -> dict:
    return {o.code: o for o in response.context["result"].outcomes}


def test_it_needs_a_login(client, followed_up):
    response = client.get(page(followed_up))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_it_shows_before_after_and_change_with_the_minimal_important_change_marked(
    client, nurse, followed_up
):
    client.force_login(nurse)
    response = client.get(page(followed_up))
    assert response.status_code == 200
    found = rows(response)
    assert (found["nrs_pain"].before, found["nrs_pain"].after, found["nrs_pain"].change) == (
        7, 4, -3,
    )  # fmt: skip
    assert found["nrs_pain"].verdict == IMPROVED
    assert found["phq9"].verdict == WORSENED  # 9 → 16: seven points, the mic is five
    assert found["gad7"].verdict == NO_CERTAIN_CHANGE  # 7 → 9
    assert found["cpaq8"].verdict is None  # no published minimal important change
    html = response.content.decode()
    assert "Kliniskt betydelsefull förbättring" in html
    assert "Kliniskt betydelsefull försämring" in html
    assert "Ingen säker förändring" in html
    assert "Förändring om minst 2 poäng eller 30 % av värdet före (lägre är bättre)" in html
    assert "Ingen fastställd gräns för betydelsefull förändring" in html
    assert "\u22123" in html  # the change, with a real minus sign


def test_it_leaves_out_forms_answered_once_except_those_meant_for_both_times(client, nurse, clinic):
    enrolment = walk(clinic, nurse, 2, BEFORE, nrs(5))
    client.force_login(nurse)
    result = client.get(page(enrolment)).context["result"]
    assert [o.code for o in result.outcomes] == ["nrs_pain"]
    assert "PHQ-9" in " ".join(result.only_before)
    assert not any("nrs" in t.lower() or "anamnes" in t.lower() for t in result.only_before)


def test_it_says_how_the_indicator_counts_the_patient(client, nurse, followed_up):
    client.force_login(nurse)
    html = client.get(page(followed_up)).content.decode()
    assert "Räknas som förbättrad." in html
    assert "Smärtintensitet (NRS smärta): 7 → 4, minskat minst så mycket som krävs" in html
    assert "(PEG-3 fråga 2–3, medelvärde): 6 → 6, inte minskat" in html


def test_it_says_when_there_is_nothing_to_compare_yet(client, nurse, clinic):
    enrolment = walk(clinic, nurse, 3, BEFORE)  # assessed, not followed up
    client.force_login(nurse)
    html = client.get(page(enrolment)).content.decode()
    assert "Inget formulär är besvarat både före bedömningen och vid uppföljningen ännu." in html
    assert "Kan inte bedömas" in html


def test_it_audits_the_view_of_the_patient(client, nurse, followed_up):
    client.force_login(nurse)
    client.get(page(followed_up))
    event = AuditEvent.objects.get(username="sara", action=AuditAction.VIEW)
    assert event.patient_id == followed_up.patient_id and "utfall" in event.detail


def test_it_answers_a_colleague_at_another_clinic_as_if_there_were_no_such_pathway(
    client, other_clinic, followed_up
):
    client.force_login(make_user("anna", other_clinic))
    assert client.get(page(followed_up)).status_code == 404
    assert client.get(reverse("pathway_outcomes", args=[99999])).status_code == 404
    events = AuditEvent.objects.filter(username="anna")
    assert {e.action for e in events} == {AuditAction.LOOKUP}
    assert not events.filter(patient__isnull=False).exists()
