"""The Vendelsö indicators' arithmetic (painpath/pathway/indicators.py) on hand-made rows."""

import json
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from painpath.access.models import AuditEvent
from painpath.pathway import actions, instruments
from painpath.pathway import indicators as ind
from painpath.pathway.indicators import Answered, Booking, Change, EnrolmentRow
from painpath.pathway.states import (
    ASSESSMENT_MINUTES,
    WAY,
    CancelledBy,
    Channel,
    Criterion,
    State,
)
from tests.factories import make_user
from tests.pathway.outcome_cast import T0, items, listed_patient, nrs, walk

START, END, TODAY = date(2025, 1, 1), date(2025, 12, 31), date(2026, 3, 1)


def history(*steps) -> tuple[Change, ...]:
    """("2025-01-10", "identified"), ("2025-02-01", "invited"), … from state to state."""
    changes, before = [], ""
    for step in steps:
        day, state, *rest = step
        reason = rest[0] if rest else ""
        who = rest[1] if len(rest) > 1 else ""
        changes.append(Change(date.fromisoformat(day), before, state, who, reason))
        before = state
    return tuple(changes)


def answered(**scores) -> dict[str, Answered]:
    """nrs_pain=7 (a total), peg3=(pain, enjoyment, activity), pdi=30."""
    out = {}
    for code, value in scores.items():
        if code == "peg3":
            items = dict(zip(("1", "2", "3"), value, strict=True))
            total = sum(value) / 3 if None not in value else None
            out[code] = Answered(items, {"total": total, "complete": None not in value})
        else:
            out[code] = Answered({}, {"total": value, "complete": value is not None})
    return out


def row(rid=1, steps=(("2025-02-01", "identified"),), before=None, after=None, **kw):
    defaults = {"criterion": "new_long_pain", "profession": "nurse", "channel": "phone"}
    return EnrolmentRow(
        id=rid, clinic="habo", history=history(*steps), baseline=before or {},
        follow_up=after or {}, **(defaults | kw),
    )  # fmt: skip


FOLLOWED_UP = (
    ("2025-01-05", "identified"),
    ("2025-01-06", "invited"),
    ("2025-01-10", "answered"),
    ("2025-01-20", "assessed"),
    ("2025-06-20", "follow_up_due"),
    ("2025-07-15", "followed_up"),
)


def improved_of(before, after) -> dict:
    return ind.indicators([row(steps=FOLLOWED_UP, before=before, after=after)], START, END,
                          today=TODAY)["improved"]  # fmt: skip


def test_it_counts_a_fall_of_two_points_in_pain_as_improved():
    result = improved_of(answered(nrs_pain=5), answered(nrs_pain=3))
    assert (result["improved"], result["measurable"], result["share"]) == (1, 1, 1.0)
    assert result["by_rule"] == {"pain": 1, "interference": 0}


def test_it_counts_a_fall_of_thirty_percent_in_pain_under_two_points_as_improved():
    # 3 → 2 is one point, but a third of the pain.
    assert improved_of(answered(nrs_pain=3), answered(nrs_pain=2))["improved"] == 1


def test_it_does_not_count_a_smaller_fall_in_pain_as_improved():
    result = improved_of(answered(nrs_pain=8), answered(nrs_pain=7))
    assert (result["improved"], result["not_improved"], result["share"]) == (0, 1, 0.0)


def test_it_takes_the_peg_pain_item_when_there_is_no_nrs_at_both_times():
    before = answered(nrs_pain=6, peg3=(6, 5, 5))
    after = answered(peg3=(4, 5, 5))  # NRS not asked at follow-up
    result = improved_of(before, after)
    assert (result["improved"], result["by_rule"]["pain"]) == (1, 1)


def test_it_counts_less_interference_by_the_peg_items_as_improved_without_less_pain():
    # PEG items 2–3: mean 5.5 → 3.85 is exactly 30 % less.
    before, after = answered(nrs_pain=6, peg3=(6, 5, 6)), answered(nrs_pain=6, peg3=(6, 3.5, 4.2))
    result = improved_of(before, after)
    assert result["by_rule"] == {"pain": 0, "interference": 1}
    assert result["improved"] == 1


def test_it_takes_the_pdi_when_peg_interference_is_not_at_both_times():
    before = answered(nrs_pain=6, pdi=40)
    assert improved_of(before, answered(nrs_pain=6, pdi=31))["by_rule"]["interference"] == 1
    assert improved_of(before, answered(nrs_pain=6, pdi=32))["improved"] == 0


def test_it_counts_a_patient_without_both_measurements_as_not_measurable_not_as_not_improved():
    before, after = answered(nrs_pain=7), answered(pdi=20)  # different measures: no pair
    result = improved_of(before, after)
    assert result["not_measurable"] == 1
    assert (result["measurable"], result["not_improved"], result["improved"]) == (0, 0, 0)
    assert result["share"] is None  # "kan inte beräknas", never 0 %
    assert result["followed_up"] == 1


def test_it_does_not_take_an_incomplete_total():
    before = answered(pdi=40)
    after = {"pdi": Answered({}, {"total": 10, "complete": False})}
    assert improved_of(before, after)["not_measurable"] == 1


def test_it_does_not_count_more_pain_as_improved_even_by_percent():
    assert improved_of(answered(nrs_pain=4), answered(nrs_pain=8))["improved"] == 0


def test_it_divides_the_improved_by_the_measurable_only():
    rows = [
        row(1, FOLLOWED_UP, answered(nrs_pain=8), answered(nrs_pain=4)),  # improved
        row(2, FOLLOWED_UP, answered(nrs_pain=8), answered(nrs_pain=8)),  # not improved
        row(3, FOLLOWED_UP, answered(nrs_pain=8), answered(nrs_pain=2)),  # improved
        row(4, FOLLOWED_UP, answered(nrs_pain=8), {}),  # not measurable
    ]
    result = ind.indicators(rows, START, END, today=TODAY)["improved"]
    assert (result["improved"], result["measurable"], result["not_measurable"]) == (2, 3, 1)
    assert result["share"] == 0.6667
    assert result["definition"] == ind.IMPROVED_DEFINITION


def test_it_counts_improvement_among_those_followed_up_in_the_period_only():
    before, after = answered(nrs_pain=8), answered(nrs_pain=2)
    late = (*FOLLOWED_UP[:-1], ("2026-01-01", "followed_up"))
    rows = [row(1, FOLLOWED_UP, before, after), row(2, late, before, after)]
    assert ind.indicators(rows, START, END, today=TODAY)["improved"]["followed_up"] == 1


def test_it_counts_the_offered_in_the_period_with_both_ends_included():
    rows = [
        row(1, (("2024-12-31", "identified"),)),
        row(2, (("2025-01-01", "identified"),), criterion="second_opinion", channel="digital"),
        row(3, (("2025-12-31", "identified"),), profession="physician"),
        row(4, (("2026-01-01", "identified"),)),
    ]
    offered = ind.indicators(rows, START, END, today=TODAY)["offered"]
    assert offered["count"] == 2
    assert offered["by_criterion"] == {
        "new_long_pain": 1, "not_assessed_2_years": 0, "second_opinion": 1,
    }  # fmt: skip
    assert offered["by_channel"] == {"phone": 1, "digital": 1, "visit": 0}
    assert offered["by_profession"] == {"nurse": 1, "physician": 1, "psychologist": 0}


def test_it_names_other_identifying_professions_when_they_occur():
    rows = [row(1, profession="physiotherapist")]
    by = ind.indicators(rows, START, END, today=TODAY)["offered"]["by_profession"]
    assert by == {"nurse": 0, "physician": 0, "psychologist": 0, "physiotherapist": 1}


def test_it_counts_each_stage_reached_or_passed_by_those_offered():
    rows = [
        row(1, FOLLOWED_UP),
        row(2, FOLLOWED_UP[:3]),  # answered
        row(3, (("2025-03-01", "identified"), ("2025-03-02", "answered"))),  # paper, no link
        row(4, (("2025-03-01", "identified"), ("2025-03-05", "declined"))),
        row(5, (("2024-03-01", "identified"), ("2025-03-05", "invited"))),  # offered before
    ]
    reached = ind.indicators(rows, START, END, today=TODAY)["stages"]["reached"]
    assert reached == {
        "identified": 4, "invited": 3, "answered": 3, "assessed": 1, "follow_up_due": 1,
        "followed_up": 1,
    }  # fmt: skip


def test_it_reads_the_stage_reached_up_to_the_day_of_the_report():
    rows = [row(1, FOLLOWED_UP)]
    reached = ind.indicators(rows, START, END, today=date(2025, 1, 15))["stages"]["reached"]
    assert (reached["answered"], reached["assessed"]) == (1, 0)


def test_it_counts_ends_by_the_stage_before_the_end_from_the_history():
    rows = [
        row(1, (*FOLLOWED_UP[:4], ("2025-03-01", "dropped_out", "orkar inte"))),
        row(2, (*FOLLOWED_UP[:3], ("2025-02-01", "cancelled", "flyttat", "patient"))),
        row(3, (*FOLLOWED_UP[:2], ("2025-02-01", "cancelled", "", "clinic"))),
        row(4, (*FOLLOWED_UP[:1], ("2025-01-07", "declined", "vill inte"))),
        row(5, (*FOLLOWED_UP[:4], ("2025-05-01", "dropped_out", "Orkar inte "))),
    ]
    ends = ind.indicators(rows, START, END, today=TODAY)["ends"]
    assert (ends["count"], ends["declined"], ends["cancelled"], ends["dropped_out"]) == (
        5, 1, 2, 2,
    )  # fmt: skip
    assert ends["cancelled_by"] == {"patient": 1, "clinic": 1}
    assert ends["by_stage"]["assessed"] == {"declined": 0, "cancelled": 0, "dropped_out": 2}
    assert ends["by_stage"]["answered"] == {"declined": 0, "cancelled": 1, "dropped_out": 0}
    assert ends["by_stage"]["invited"] == {"declined": 0, "cancelled": 1, "dropped_out": 0}
    assert ends["by_stage"]["identified"] == {"declined": 1, "cancelled": 0, "dropped_out": 0}
    assert ends["by_reason"][0] == {"reason": "orkar inte", "count": 2}
    assert {"reason": None, "count": 1} in ends["by_reason"]


def test_it_counts_only_the_last_end_in_the_period_and_its_own_stage_after_a_reopening():
    steps = (
        *FOLLOWED_UP[:3],
        ("2025-02-01", "cancelled", "sjuk", "patient"),
        ("2025-04-01", "identified"),
        ("2025-05-01", "declined", "vill inte"),
    )
    ends = ind.indicators([row(1, steps)], START, END, today=TODAY)["ends"]
    assert (ends["count"], ends["declined"], ends["cancelled"]) == (1, 1, 0)
    assert ends["by_stage"]["identified"]["declined"] == 1


def test_it_counts_ends_in_the_period_only():
    steps = (*FOLLOWED_UP[:2], ("2026-01-01", "cancelled", "", "clinic"))
    assert ind.indicators([row(1, steps)], START, END, today=TODAY)["ends"]["count"] == 0


def test_it_counts_assessments_booked_shorter_than_45_minutes():
    bookings = (
        Booking(date(2025, 2, 1), 45),
        Booking(date(2025, 3, 1), 30),
        Booking(date(2025, 4, 1), 30, cancelled_by="patient"),
        Booking(date(2024, 4, 1), 20),
    )
    result = ind.indicators([row(1, assessments=bookings)], START, END, today=TODAY)
    assert result["assessments"] == {
        "definition": ind.ASSESSMENTS_DEFINITION,
        "minutes": 45,
        "scheduled": 2,
        "under_minutes": 1,
        "cancelled": {"patient": 1, "clinic": 0},
    }


def test_it_refuses_a_period_that_ends_before_it_starts():
    with pytest.raises(ValueError, match="after"):
        ind.indicators([], END, START, today=TODAY)


def test_it_gives_every_key_for_an_empty_clinic():
    result = ind.indicators([], START, END, today=TODAY)
    assert list(result) == ["period", "as_of", "offered", "stages", "improved", "ends",
                            "assessments"]  # fmt: skip
    assert result["improved"]["share"] is None
    assert result["stages"]["reached"]["identified"] == 0


def test_its_vocabulary_is_the_pathways():
    assert tuple(WAY) == ind.WAY
    assert set(ind.STOPS) == {"declined", "cancelled", "dropped_out"}
    assert tuple(Criterion.values) == ind.CRITERIA
    assert tuple(Channel.values) == ind.CHANNELS
    assert tuple(CancelledBy.values) == ind.CANCELLED_BY
    assert ind.ASSESSMENT_MINUTES == ASSESSMENT_MINUTES


@pytest.mark.parametrize(
    ("code", "rule"),
    [("nrs_pain", ind.PAIN_MIC), ("peg3", ind.PEG_INTERFERENCE_MIC), ("pdi", ind.PDI_MIC)],
)
def test_its_thresholds_are_the_instruments_minimal_important_changes(code, rule):
    mic = instruments.mic(instruments.get(code))
    assert (mic["points"], mic["percent"]) == (rule.points, rule.percent)
    assert mic["direction"] == "lower_is_better"


def test_its_peg_items_are_the_instruments():
    items = [item.id for item in instruments.get("peg3").items]
    assert items == [ind.PEG_PAIN_ITEM, *ind.PEG_INTERFERENCE_ITEMS]


def test_the_module_needs_no_django():
    import subprocess
    import sys

    code = (
        "import sys, painpath.pathway.indicators; "
        "sys.exit(1 if any(m.startswith('django') for m in sys.modules) else 0)"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


# The indicators of the app database: `painpath pathway indicators` and the page.

PERIOD = {"start": "2025-01-01", "end": "2025-12-31"}
PERIOD_ARGS = ["--from", PERIOD["start"], "--to", PERIOD["end"]]


@pytest.fixture
def pathway(clinic, other_clinic):
    """At Habo, four enrolled in February 2025: one improved (NRS 7 → 4), one not (7 → 7),
    one followed up without a pain or interference measure, one who dropped out after the
    invitation. At Annan, one improved."""

    nurse, colleague = make_user("sara", clinic), make_user("anna", other_clinic)
    walk(clinic, nurse, 1, nrs(7), nrs(4))
    walk(clinic, nurse, 2, nrs(7), nrs(7), profession="physician", channel=Channel.VISIT)
    walk(clinic, nurse, 3, nrs(7), items("gad7", 1, 1, 1, 1, 1, 1, 1))
    quitter = actions.enrol(
        listed_patient(clinic, 4), clinic, criterion=Criterion.SECOND_OPINION,
        profession="psychologist", channel=Channel.DIGITAL, user=nurse, at=T0,
    )  # fmt: skip
    actions.invite(quitter, ["nrs_pain"], nurse, at=T0)
    actions.move(quitter, State.DROPPED_OUT, nurse, reason="Orkar inte", at=T0 + timedelta(9))
    walk(other_clinic, colleague, 5, nrs(8), nrs(2))
    return {"nurse": nurse, "colleague": colleague}


def pathway_command(*args) -> str:
    out = StringIO()
    call_command("pathway", "indicators", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_the_command_prints_the_indicators_as_json(pathway):
    result = json.loads(pathway_command(*PERIOD_ARGS, "--clinic", "habo"))
    assert result["clinics"] == ["habo"]
    assert result["period"] == {"start": "2025-01-01", "end": "2025-12-31"}
    assert result["offered"]["count"] == 4
    assert result["offered"]["by_profession"] == {"nurse": 2, "physician": 1, "psychologist": 1}
    assert result["stages"]["reached"]["followed_up"] == 3
    improved = result["improved"]
    assert (improved["improved"], improved["measurable"], improved["not_measurable"]) == (1, 2, 1)
    assert improved["share"] == 0.5
    assert improved["definition"] == ind.IMPROVED_DEFINITION
    assert result["ends"]["by_stage"]["invited"]["dropped_out"] == 1
    assert result["ends"]["by_reason"] == [{"reason": "Orkar inte", "count": 1}]
    assert result["assessments"]["scheduled"] == 3


@pytest.mark.django_db
def test_the_command_counts_every_clinic_without_clinic(pathway):
    result = json.loads(pathway_command(*PERIOD_ARGS))
    assert result["clinics"] == ["annan", "habo"]
    assert result["offered"]["count"] == 5


@pytest.mark.django_db
def test_the_command_prints_a_table(pathway):
    text = pathway_command(*PERIOD_ARGS, "--clinic", "habo", "--format", "table")
    assert "Andel förbättrade" in text and "50,0\u00a0%" in text


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--clinic", "nowhere"], "Ingen vårdcentral med koden 'nowhere'"),
        (["--to", "2024-01-01"], "ligger efter"),
    ],
)
def test_the_command_says_what_is_wrong(pathway, args, message):
    with pytest.raises(CommandError, match=message):
        pathway_command(*PERIOD_ARGS, *args)
    with pytest.raises(CommandError, match="ÅÅÅÅ-MM-DD"):
        pathway_command("--from", "1/1/2025", "--to", "2025-12-31")


def page(client, user, query=None):
    client.force_login(user)
    return client.get(reverse("pathway_indicators"), query or {})


@pytest.mark.django_db
def test_the_page_needs_a_login(client):
    response = client.get(reverse("pathway_indicators"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_the_page_shows_the_figures_with_their_definitions_and_charts(client, pathway):
    response = page(client, pathway["nurse"], PERIOD)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<dd data-figure="offered">4</dd>' in html
    assert '<strong data-figure="improved_share">50,0\u00a0%</strong>' in html
    assert "1 av 2 patienter med mått före och efter; 1 uppföljda utan sådana mått" in html
    assert ind.IMPROVED_DEFINITION in html
    assert ind.OFFERED_LABEL in html
    assert 'data-chart="stages"' in html and 'data-chart="ends"' in html
    assert html.count("<svg") == 2


@pytest.mark.django_db
def test_the_page_counts_only_the_users_clinics(client, pathway):
    result = page(client, pathway["colleague"], PERIOD).context["result"]
    assert result["clinics"] == ["annan"]
    assert (result["offered"]["count"], result["improved"]["improved"]) == (1, 1)


@pytest.mark.django_db
def test_the_page_refuses_a_clinic_that_is_not_the_users(client, pathway):
    response = page(client, pathway["colleague"], PERIOD | {"clinics": "habo"})
    assert response.context["result"] is None
    assert "Du har inte tillgång till vårdcentralen habo." in response.content.decode()


@pytest.mark.django_db
def test_the_page_says_the_share_cannot_be_computed_rather_than_zero(client, pathway):
    html = page(client, pathway["nurse"], {"start": "2025-01-01", "end": "2025-03-01"}).content
    html = html.decode()
    assert '<strong data-figure="improved_share">kan inte beräknas</strong>' in html
    assert "0,0\u00a0%" not in html and "0,0 %" not in html


@pytest.mark.django_db
def test_the_page_opens_on_the_last_twelve_months(client, pathway):
    result = page(client, pathway["nurse"]).context["result"]
    today = timezone.localdate()
    assert result["period"]["end"] == today.isoformat()
    assert (today - date.fromisoformat(result["period"]["start"])).days in (364, 365)


@pytest.mark.django_db
def test_the_page_says_when_the_period_is_backwards(client, pathway):
    response = page(client, pathway["nurse"], {"start": "2025-12-31", "end": "2025-01-01"})
    assert response.context["result"] is None
    assert "Slutdatum kan inte vara före startdatum." in response.content.decode()


@pytest.mark.django_db
def test_the_page_is_audited_without_naming_a_patient(client, pathway):
    page(client, pathway["nurse"], PERIOD)
    event = AuditEvent.objects.get(username="sara", detail__startswith="vårdförloppsindikatorer")
    assert event.patient is None and "habo 2025-01-01..2025-12-31" in event.detail


@pytest.mark.django_db
def test_the_page_tells_a_user_without_a_clinic_why_it_is_empty(client):

    html = page(client, make_user("ensam", None)).content.decode()
    assert "inte kopplat till någon vårdcentral" in html
