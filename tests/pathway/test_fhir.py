"""Instruments as FHIR R4 Questionnaire and answers as QuestionnaireResponse
(painpath/pathway/instruments/fhir.py), validated by parsing with fhir.resources R4B."""

import json
from datetime import UTC, datetime

import pytest
from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

from painpath.pathway import actions, instruments
from painpath.pathway.instruments import InvalidDefinition, fhir
from painpath.pathway.instruments.definition import load
from painpath.pathway.states import Channel, Criterion, Source, Timepoint
from painpath.records import identity
from painpath.records.models import Patient
from tests.factories import PNR_ANNA, make_user

AT = datetime(2025, 3, 4, 10, 30, tzinfo=UTC)


def round_trip(model, resource: dict) -> dict:
    """Parse with the R4B model and dump again: what a FHIR consumer would read."""
    parsed = model.model_validate(json.loads(json.dumps(resource)))
    return parsed.model_dump(mode="json", exclude_none=True)


@pytest.mark.parametrize("code", instruments.ORDER)
def test_every_instrument_exports_as_an_r4_questionnaire_that_imports_unchanged(code):
    inst = instruments.get(code)

    resource = fhir.questionnaire(inst)

    assert round_trip(Questionnaire, resource) == resource
    assert resource["url"] == f"urn:painpath:questionnaire:{code}"
    assert [item["linkId"] for item in resource["item"]] == [item.id for item in inst.items]
    back = load(fhir.from_questionnaire(resource), "export")
    assert back.items == inst.items and back.scoring == inst.scoring
    assert (back.bands, back.cutoff, back.minimal_change, back.alerts) == (
        inst.bands, inst.cutoff, inst.minimal_change, inst.alerts
    )  # fmt: skip
    assert (back.status, back.licence, back.unconfirmed) == (
        inst.status, inst.licence, inst.unconfirmed
    )  # fmt: skip


def test_the_pain_drawing_is_a_repeating_choice_of_the_region_codes():
    (item,) = fhir.questionnaire(instruments.get("pain_drawing"))["item"]

    assert (item["type"], item["repeats"]) == ("choice", True)
    codings = [option["valueCoding"] for option in item["answerOption"]]
    assert {c["system"] for c in codings} == {"urn:painpath:body-region"}
    assert [c["code"] for c in codings] == [r for r, _l, _g in instruments.BODY_REGIONS]
    assert codings[0]["display"] == "Käke, vänster"


def test_a_scale_carries_its_range_and_anchors_and_a_placeholder_is_a_draft():
    items = fhir.questionnaire(instruments.get("oempsq_sf"))["item"]

    duration, pain = items[0], items[1]
    assert (
        duration["type"] == "choice" and duration["answerOption"][0]["valueCoding"]["code"] == "1"
    )
    assert pain["type"] == "integer"
    bounds = {e["url"].rsplit("/", 1)[1]: e.get("valueInteger") for e in pain["extension"]}
    assert (bounds["minValue"], bounds["maxValue"]) == (0, 10)
    assert [child["text"] for child in pain["item"]] == [
        "Ingen smärta", "Så ont som det över huvud taget kan göra"
    ]  # fmt: skip
    assert fhir.questionnaire(instruments.get("valmaende"))["status"] == "draft"


def test_answers_export_as_a_questionnaire_response_with_the_score_and_come_back():
    inst = instruments.get("phq9")
    given = {"1": 2, "2": "3", "3": 1, "4": 2, "5": 0, "6": 1, "7": 0, "8": 0, "9": 1}

    resource = fhir.questionnaire_response(inst, given, pseudonym="PTESTPSEUDONYM", authored=AT)

    assert round_trip(QuestionnaireResponse, resource) == resource
    assert resource["questionnaire"] == "urn:painpath:questionnaire:phq9|1"
    assert resource["subject"] == {
        "identifier": {"system": "urn:painpath:pseudonym", "value": "PTESTPSEUDONYM"}
    }
    assert resource["status"] == "completed" and resource["authored"].startswith("2025-03-04")
    ninth = resource["item"][8]["answer"][0]["valueCoding"]
    assert (ninth["code"], ninth["display"]) == ("1", "Flera dagar")
    score = {part["url"]: part for part in resource["extension"][0]["extension"]}
    assert score["total"]["valueDecimal"] == 10 and score["cutoffReached"]["valueBoolean"]
    assert "fråga 9" in score["alert"]["valueString"]
    assert fhir.answers_from_response(inst, resource) == {k: int(v) for k, v in given.items()}


def test_a_pain_drawing_and_a_history_form_with_text_answers_export_and_come_back():
    drawing, history = instruments.get("pain_drawing"), instruments.get("history")
    marked = {"regions": ["neck", "hip_left", "shoulder_right", "upper_arm_left"]}
    told = {
        "treatments": "Fysioterapi 2023: lite bättre.\nAkupunktur: ingen effekt.",
        "sick_leave": True,
        "sick_leave_extent": 50,
        "sick_leave_weeks": 12,
        "occupation": "working",
    }

    drawn = fhir.questionnaire_response(drawing, marked, pseudonym="PX", completed=False)
    written = fhir.questionnaire_response(history, told, pseudonym="PX", authored=AT)

    assert round_trip(QuestionnaireResponse, drawn) == drawn
    assert round_trip(QuestionnaireResponse, written) == written
    assert drawn["status"] == "in-progress"
    assert [a["valueCoding"]["code"] for a in drawn["item"][0]["answer"]] == sorted(
        marked["regions"]
    )
    drawn_score = {part["url"]: part for part in drawn["extension"][0]["extension"]}
    assert drawn_score["widespread"]["valueBoolean"] is True
    answers = {item["linkId"]: item["answer"][0] for item in written["item"]}
    assert answers["treatments"] == {"valueString": told["treatments"]}
    assert answers["sick_leave"] == {"valueBoolean": True}
    assert answers["occupation"]["valueCoding"]["display"] == "Arbetar"
    assert fhir.answers_from_response(drawing, drawn) == {"regions": sorted(marked["regions"])}
    assert fhir.answers_from_response(history, written) == told


def test_an_empty_pain_drawing_stays_an_answer_of_no_regions():
    drawing = instruments.get("pain_drawing")

    resource = fhir.questionnaire_response(drawing, {"regions": []}, pseudonym="PX")

    assert round_trip(QuestionnaireResponse, resource) == resource
    assert fhir.answers_from_response(drawing, resource) == {"regions": []}


def test_a_response_with_an_answer_out_of_range_is_not_exported():
    with pytest.raises(instruments.InvalidAnswer, match="fråga 2: 12 går inte"):
        fhir.questionnaire_response(instruments.get("oempsq_sf"), {"2": 12}, pseudonym="PX")


@pytest.mark.django_db
def test_a_saved_response_names_the_patient_by_pseudonym_never_by_personnummer(clinic):
    known = identity.identify(PNR_ANNA)
    patient = Patient.objects.create(
        id_hash=known.id_hash,
        pseudonym=known.pseudonym,
        personnummer_encrypted=identity.encrypt(known.personnummer),
        birth_year=known.birth_year,
    )
    nurse = make_user("sara", clinic)
    enrolment = actions.enrol(
        patient, clinic, criterion=Criterion.NEW_LONG_PAIN, profession="nurse",
        channel=Channel.PHONE, user=nurse, first_name="Anna", at=AT,
    )  # fmt: skip
    inst = instruments.get("oempsq_sf", clinic=clinic)
    given = {str(n): 5 for n in range(1, 11)}
    saved = actions.save_answers(
        enrolment, Timepoint.BASELINE, "oempsq_sf", given, instruments.score(inst, given),
        source=Source.PAPER, user=nurse,
    )  # fmt: skip

    resource = fhir.response_resource(saved)

    assert round_trip(QuestionnaireResponse, resource) == resource
    assert resource["subject"]["identifier"]["value"] == patient.pseudonym
    assert resource["status"] == "in-progress"  # saved, not yet submitted
    text = json.dumps(resource)
    digits = known.personnummer
    for form in (digits, digits[2:], f"{digits[:8]}-{digits[8:]}", f"{digits[2:8]}-{digits[8:]}"):
        assert form not in text
    assert "Anna" not in text


def test_a_foreign_questionnaire_without_our_extension_imports_unscored():
    foreign = {
        "resourceType": "Questionnaire",
        "name": "SleepCheck",
        "title": "Sömn",
        "status": "active",
        "item": [
            {"linkId": "intro", "type": "display", "text": "Om din sömn."},
            {
                "linkId": "g",
                "type": "group",
                "item": [
                    {"linkId": "q1", "type": "boolean", "text": "Sover du gott?", "required": True},
                    {"linkId": "q2", "type": "string", "text": "Hur då?"},
                    {
                        "linkId": "q3",
                        "type": "choice",
                        "text": "Hur ofta vaknar du?",
                        "answerOption": [
                            {"valueCoding": {"code": "0", "display": "Aldrig"}},
                            {"valueCoding": {"code": "1", "display": "Ibland"}},
                        ],
                    },
                ],
            },
        ],
    }

    inst = load(fhir.from_questionnaire(foreign), "sleep.json")

    assert (inst.code, inst.status, inst.scoring.method) == ("sleep_check", "official", "none")
    assert [(i.id, i.kind, i.required) for i in inst.items] == [
        ("q1", "yesno", True), ("q2", "text", False), ("q3", "choice", False)
    ]  # fmt: skip
    assert inst.items[2].options == [(0, "Aldrig"), (1, "Ibland")]
    assert inst.instructions == "Om din sömn."


@pytest.mark.parametrize(
    ("item", "message"),
    [
        ({"linkId": "d", "type": "date", "text": "När?"}, "frågan 'd': typen 'date' stöds inte"),
        (
            {"linkId": "v", "type": "choice", "text": "?", "answerValueSet": "urn:x"},
            "frågan 'v': svarsalternativen ska vara answerOption.valueCoding",
        ),
    ],
)
def test_a_questionnaire_asking_what_painpath_cannot_is_refused_by_item(item, message):
    foreign = {"resourceType": "Questionnaire", "name": "X", "status": "active", "item": [item]}

    with pytest.raises(InvalidDefinition, match=message):
        fhir.from_questionnaire(foreign, "x.json")
