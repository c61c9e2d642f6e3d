"""The summary before the visit (painpath/pathway/summary.py and its page): scores, bands,
cut-offs, what is missing, the pain drawing, the history form, and the PHQ-9 alert."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from painpath.pathway import actions, instruments, summary
from painpath.pathway.models import Response
from painpath.pathway.states import Channel, Criterion, Source, Timepoint
from painpath.records.models import Listing, Patient
from tests.factories import make_user

pytestmark = pytest.mark.django_db

# ÖMPSQ-SF: 10 (over a year) + 8 + (10-2) + (10-3) + 7 + 6 + 8 + (10-3) + 7 + 6 = 74
OEMPSQ_HIGH = {"1": 10, "2": 8, "3": 2, "4": 3, "5": 7, "6": 6, "7": 8, "8": 3, "9": 7, "10": 6}
# 1 + 1 + (10-9) + (10-9) + 1 + 1 + 1 + (10-9) + 1 + 1 = 10
OEMPSQ_LOW = {"1": 1, "2": 1, "3": 9, "4": 9, "5": 1, "6": 1, "7": 1, "8": 9, "9": 1, "10": 1}
PHQ9_ITEM9 = {**{str(n): 1 for n in range(1, 9)}, "9": 2, "difficulty": 1}


@pytest.fixture
def lena(clinic):
    return make_user("lena", clinic)


@pytest.fixture
def enrolment(clinic, lena):
    patient = Patient.objects.create(id_hash="h-anna", pseudonym="PANNA00000001")
    Listing.objects.create(patient=patient, clinic=clinic, source_key="l-anna")
    enrolment = actions.enrol(
        patient, clinic, criterion=Criterion.NEW_LONG_PAIN, profession="nurse",
        channel=Channel.PHONE, user=lena, first_name="Anna",
    )  # fmt: skip
    actions.invite(enrolment, ["oempsq_sf", "pain_drawing", "history", "phq9"], lena)
    return enrolment


def answer(enrolment, code, answers, timepoint=Timepoint.BASELINE, *, scored=True):
    instrument = instruments.get(code)
    score = instruments.score(instrument, answers) if scored else {}
    return actions.save_answers(enrolment, timepoint, code, answers, score, source=Source.LINK)


def test_it_gives_the_total_and_the_cut_off_reached_from_the_saved_score(enrolment):
    answer(enrolment, "oempsq_sf", OEMPSQ_HIGH)

    (oempsq,) = summary.summarise(enrolment).scored

    assert (oempsq.total, oempsq.max, oempsq.complete) == (74, 100, True)
    assert oempsq.cutoff == {
        "value": 50, "label": "Hög risk för långvarig funktionsnedsättning", "reached": True,
    }  # fmt: skip


def test_a_low_score_does_not_reach_the_cut_off(enrolment):
    answer(enrolment, "oempsq_sf", OEMPSQ_LOW)

    (oempsq,) = summary.summarise(enrolment).scored

    assert oempsq.total == 10 and oempsq.cutoff["reached"] is False


def test_answers_saved_without_a_score_are_scored_with_the_shared_scoring(enrolment):
    answer(enrolment, "oempsq_sf", OEMPSQ_HIGH, scored=False)
    assert Response.objects.get().score == {}

    (oempsq,) = summary.summarise(enrolment).scored

    assert oempsq.total == 74 and oempsq.cutoff["reached"]


def test_it_says_which_items_are_missing_in_their_own_words(enrolment):
    answer(enrolment, "oempsq_sf", {k: v for k, v in OEMPSQ_HIGH.items() if k != "4"})

    (oempsq,) = summary.summarise(enrolment).scored

    assert oempsq.missing == ["Jag kan sova på natten."]
    assert oempsq.complete is False and oempsq.prorated


def test_it_lists_what_was_asked_for_and_not_begun(enrolment):
    answer(enrolment, "oempsq_sf", OEMPSQ_HIGH)

    result = summary.summarise(enrolment)

    assert result.not_answered == [
        instruments.get(code).title for code in ("pain_drawing", "history", "phq9")
    ]


def test_subscales_are_named(enrolment):
    answer(enrolment, "cpaq8", {str(n): 3 for n in range(1, 9)})

    (cpaq,) = summary.summarise(enrolment).scored

    assert cpaq.subscales == [("Aktivitet trots smärta", 12), ("Villighet att ha ont", 12)]


def test_the_pain_drawing_lists_and_draws_the_marked_regions(enrolment):
    regions = ["neck", "lower_back", "shoulder_left", "hip_right", "upper_leg_left"]
    answer(enrolment, "pain_drawing", {"regions": regions})

    drawing = summary.summarise(enrolment).drawing

    assert drawing.widespread is True
    labels = {region: label for region, label, _group in instruments.BODY_REGIONS}
    assert sorted(drawing.regions) == sorted(labels[region] for region in regions)
    assert "Nacke" in drawing.regions and "Axel, vänster" in drawing.regions
    marked = [shape for shape in drawing.shapes if shape[-1]]
    assert 5 <= len(marked) < len(drawing.shapes)


def test_the_history_form_is_read_as_questions_and_answers(enrolment):
    answer(enrolment, "history", {
        "treatments": "Fysioterapi 2023, viss effekt", "sick_leave": True,
        "sick_leave_extent": 50, "occupation": "working",
    })  # fmt: skip

    (history,) = summary.summarise(enrolment).texts

    answers = dict(history.answers_text)
    assert "Fysioterapi 2023, viss effekt" in answers.values()
    assert {"Ja", "50 %", "Arbetar"} <= set(answers.values())


def test_a_phq9_item_9_answer_raises_the_alert(enrolment):
    answer(enrolment, "phq9", PHQ9_ITEM9)

    result = summary.summarise(enrolment)

    ((title, text),) = result.alerts
    assert "PHQ-9" in title and "fråga 9" in text
    assert summary.enrolments_with_alerts([enrolment.pk]) == {enrolment.pk}


def test_no_alert_when_item_9_is_0(enrolment):
    answer(enrolment, "phq9", {**PHQ9_ITEM9, "9": 0})

    assert summary.summarise(enrolment).alerts == []
    assert summary.enrolments_with_alerts([enrolment.pk]) == set()


def test_the_page_shows_the_alert_first_then_scores_drawing_and_history(client, enrolment, lena):
    answer(enrolment, "phq9", PHQ9_ITEM9)
    answer(enrolment, "oempsq_sf", OEMPSQ_HIGH)
    answer(enrolment, "pain_drawing", {"regions": ["neck", "jaw_left"]})
    answer(enrolment, "history", {"goals": "Kunna gå i skogen igen"})
    client.force_login(lena)

    response = client.get(reverse("pathway_summary", args=[enrolment.pk]))

    text = response.text
    assert response.status_code == 200
    assert text.index('role="alert"') < text.index("<h2")
    assert "Hög risk för långvarig funktionsnedsättning" in text and "74" in text
    assert "Käke, vänster" in text and "Nacke" in text and 'class="marked"' in text
    assert "Kunna gå i skogen igen" in text
    assert "inofficiell översättning" in text


def test_the_alert_is_also_on_the_enrolment_page_and_in_the_worklist(client, enrolment, lena):
    answer(enrolment, "phq9", PHQ9_ITEM9)
    client.force_login(lena)

    detail = client.get(reverse("pathway_enrolment", args=[enrolment.pk]))
    work = client.get(reverse("pathway_worklist"))

    assert 'role="alert"' in detail.text and "PHQ-9 fråga 9" in detail.text
    assert "Observera svar" in work.text


def test_the_summary_shows_a_short_booking_flagged(client, enrolment, lena):
    actions.book_assessment(
        enrolment, scheduled_at=timezone.now() + timedelta(days=2), length_minutes=30,
        clinician=lena, profession="physician", user=lena,
    )  # fmt: skip
    client.force_login(lena)

    response = client.get(reverse("pathway_summary", args=[enrolment.pk]))

    assert "30 minuter" in response.text
    assert "Kortare än de 45 minuter rutinen anger" in response.text


def test_the_follow_up_summary_shows_the_follow_up_answers(client, enrolment, lena):
    answer(enrolment, "oempsq_sf", OEMPSQ_HIGH)
    answer(enrolment, "oempsq_sf", OEMPSQ_LOW, Timepoint.FOLLOW_UP)
    client.force_login(lena)

    response = client.get(reverse("pathway_summary", args=[enrolment.pk]) + "?tidpunkt=follow_up")

    (oempsq,) = response.context["summary"].scored
    assert oempsq.total == 10
    assert "Sammanfattning av uppföljningen" in response.text


def test_the_scores_table_is_named_by_its_heading_for_a_screen_reader(client, enrolment, lena):
    answer(enrolment, "oempsq_sf", OEMPSQ_HIGH)
    client.force_login(lena)

    response = client.get(reverse("pathway_summary", args=[enrolment.pk]))

    assert '<h2 id="poang">Poäng</h2>' in response.text
    assert '<table class="scores" aria-labelledby="poang">' in response.text
