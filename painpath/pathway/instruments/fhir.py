"""Instruments as FHIR R4 Questionnaire, answers as QuestionnaireResponse, and a
Questionnaire read back into our definition format; every resource validated with
fhir.resources' R4B models (8.x defaults to R5, see shared/spec/engines.md).

How items map (Structured Data Capture conventions, so other FHIR tools render them):
- scale → integer with minValue/maxValue and itemControl "slider"; its anchors are child
  display items with itemControl "lower"/"upper".
- choice → choice with answerOption valueCoding (code = the value, ordinalValue for
  numbers); regions (the body map) → choice, repeats, codes from urn:painpath:body-region.
- text → text (maxLength), number → integer or decimal with minValue/maxValue,
  yesno → boolean; an item's help is a child display item with itemControl "help".
What FHIR has no element for (scoring, bands, cut-off, minimal change, alerts, recall,
status, source, unconfirmed facts) travels in one extension as our JSON, so an exported
instrument imports unchanged.

The patient is never named: the subject is the pseudonym as an identifier
(urn:painpath:pseudonym); a personnummer never reaches this module.
"""

import json
import re
from datetime import datetime

from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
from pydantic import ValidationError

from painpath.pathway.instruments.definition import Instrument, InvalidDefinition, Item
from painpath.pathway.instruments.scoring import clean
from painpath.pathway.instruments.scoring import score as compute_score

PSEUDONYM = "urn:painpath:pseudonym"
REGION_SYSTEM = "urn:painpath:body-region"
DEFINITION_URL = "urn:painpath:fhir:definition"  # our JSON for what FHIR cannot say
SCORE_URL = "urn:painpath:fhir:score"
ITEM_CONTROL = "http://hl7.org/fhir/StructureDefinition/questionnaire-itemControl"
CONTROL_SYSTEM = "http://hl7.org/fhir/questionnaire-item-control"
MIN_VALUE = "http://hl7.org/fhir/StructureDefinition/minValue"
MAX_VALUE = "http://hl7.org/fhir/StructureDefinition/maxValue"
ORDINAL = "http://hl7.org/fhir/StructureDefinition/ordinalValue"
NATIVE = {"title", "version", "language", "instructions", "licence", "items"}
NATIVE |= {"option_sets", "item_defaults"}  # expanded into the items


def url(inst: Instrument) -> str:
    clinic = f"{inst.clinic}:" if inst.clinic else ""
    return f"urn:painpath:questionnaire:{clinic}{inst.code}"


def _answer_system(inst: Instrument, item: Item) -> str:
    return REGION_SYSTEM if item.kind == "regions" else f"{url(inst)}:answers:{item.id}"


def _control(code: str) -> dict:
    coding = {"system": CONTROL_SYSTEM, "code": code}
    return {"url": ITEM_CONTROL, "valueCodeableConcept": {"coding": [coding]}}


def _bound(extension_url: str, value) -> dict:
    kind = "valueInteger" if isinstance(value, int) else "valueDecimal"
    return {"url": extension_url, kind: value}


def _display(link_id: str, text: str, control: str) -> dict:
    return {"linkId": link_id, "type": "display", "text": text, "extension": [_control(control)]}


def _coding(inst: Instrument, item: Item, value, label: str) -> dict:
    coding = {"system": _answer_system(inst, item), "code": str(value), "display": label}
    if isinstance(value, int):
        coding["extension"] = [{"url": ORDINAL, "valueDecimal": value}]
    return coding


def _question(inst: Instrument, item: Item) -> dict:
    entry = {"linkId": item.id, "text": item.text, "required": item.required}
    extensions, children = [], []
    if item.kind == "scale":
        entry["type"] = "integer"
        extensions = [_control("slider"), _bound(MIN_VALUE, item.min), _bound(MAX_VALUE, item.max)]
        if item.anchors:
            children += [
                _display(f"{item.id}.lower", item.anchors[0], "lower"),
                _display(f"{item.id}.upper", item.anchors[1], "upper"),
            ]
    elif item.kind in ("choice", "regions"):
        entry["type"] = "choice"
        entry["answerOption"] = [
            {"valueCoding": _coding(inst, item, value, label)} for value, label in item.options
        ]
        if item.kind == "regions":
            entry["repeats"] = True
    elif item.kind == "number":
        whole = all(isinstance(b, int) for b in (item.min, item.max) if b is not None)
        entry["type"] = "integer" if whole else "decimal"
        bounds = ((MIN_VALUE, item.min), (MAX_VALUE, item.max))
        extensions = [_bound(u, b) for u, b in bounds if b is not None]
    elif item.kind == "text":
        entry["type"], entry["maxLength"] = "text", item.max
    elif item.kind == "yesno":
        entry["type"] = "boolean"
    if item.help:
        children.append(_display(f"{item.id}.help", item.help, "help"))
    if extensions:
        entry["extension"] = extensions
    if children:
        entry["item"] = children
    return entry


def _resource_id(inst: Instrument) -> str:
    name = f"{inst.clinic}-{inst.code}" if inst.clinic else inst.code
    return re.sub(r"[^A-Za-z0-9.-]", "-", name)[:64]  # FHIR ids have no underscore


def _name(code: str) -> str:
    return "".join(part.capitalize() for part in code.split("_")) or "Instrument"


def questionnaire(inst: Instrument) -> dict:
    """The instrument as a FHIR R4 Questionnaire (JSON-ready dict), validated."""
    extra = {key: value for key, value in inst.definition.items() if key not in NATIVE}
    resource = {
        "resourceType": "Questionnaire",
        "id": _resource_id(inst),
        "url": url(inst),
        "version": inst.version,
        "name": _name(inst.code),
        "title": inst.title,
        "status": "draft" if inst.status == "placeholder" else "active",
        "language": inst.language,
        "extension": [
            {"url": DEFINITION_URL, "valueString": json.dumps(extra, ensure_ascii=False)}
        ],
        "item": [_question(inst, item) for item in inst.items],
    }
    if inst.instructions:
        resource["description"] = inst.instructions
    if inst.licence:
        resource["copyright"] = inst.licence
    return _validated(Questionnaire, resource)


def _validated(model, resource: dict) -> dict:
    return model.model_validate(resource).model_dump(mode="json", exclude_none=True)


def _answers(inst: Instrument, item: Item, value) -> list[dict]:
    if item.kind == "regions":
        labels = dict(item.options)
        return [{"valueCoding": _coding(inst, item, r, labels[r])} for r in value]
    if item.kind == "choice":
        return [{"valueCoding": _coding(inst, item, value, item.label(value))}]
    if item.kind == "yesno":
        return [{"valueBoolean": value}]
    if item.kind == "text":
        return [{"valueString": value}]
    if isinstance(value, float):
        return [{"valueDecimal": value}]
    return [{"valueInteger": value}]


def _score_extension(result: dict) -> dict:
    parts: list[dict] = []

    def number(name, value):
        if value is not None:
            parts.append({"url": name, "valueDecimal": value})

    number("total", result.get("total"))
    number("max", result.get("max"))
    for name, value in result.get("subscales", {}).items():
        pair = [{"url": "name", "valueString": name}, {"url": "value", "valueDecimal": value}]
        parts.append({"url": "subscale", "extension": pair})
    if result.get("band"):
        parts.append({"url": "band", "valueString": result["band"]})
    cutoff = result.get("cutoff")
    if cutoff and cutoff.get("reached") is not None:
        parts.append({"url": "cutoffReached", "valueBoolean": cutoff["reached"]})
    parts += [{"url": "alert", "valueString": text} for text in result.get("alerts", [])]
    parts += [{"url": "missing", "valueString": item} for item in result.get("missing", [])]
    parts.append({"url": "complete", "valueBoolean": bool(result.get("complete"))})
    if "widespread" in result:
        parts.append({"url": "widespread", "valueBoolean": result["widespread"]})
    return {"url": SCORE_URL, "extension": parts}


def questionnaire_response(
    inst: Instrument,
    answers: dict,
    *,
    pseudonym: str,
    authored: datetime | None = None,
    completed: bool = True,
    score: dict | None = None,
    resource_id: str | None = None,
) -> dict:
    """Answers as a FHIR R4 QuestionnaireResponse (JSON-ready dict), validated. The subject
    is the patient's pseudonym; the score (computed unless given) rides in an extension."""
    cleaned = clean(inst, answers)
    result = score if score else compute_score(inst, answers)
    resource = {
        "resourceType": "QuestionnaireResponse",
        "questionnaire": f"{url(inst)}|{inst.version}",
        "status": "completed" if completed else "in-progress",
        "subject": {"identifier": {"system": PSEUDONYM, "value": pseudonym}},
        "extension": [_score_extension(result)],
        "item": [
            {"linkId": item.id, "text": item.text, "answer": _answers(inst, item, cleaned[item.id])}
            for item in inst.items
            if item.id in cleaned
        ],
    }
    if resource_id:
        resource["id"] = resource_id
    if authored:
        resource["authored"] = authored.isoformat()
    return _validated(QuestionnaireResponse, resource)


def response_resource(response) -> dict:
    """A saved pathway Response (painpath.pathway.models) as a QuestionnaireResponse."""
    from painpath.pathway.instruments.registry import get

    enrolment = response.enrolment
    inst = get(response.instrument, clinic=enrolment.clinic)
    return questionnaire_response(
        inst,
        response.answers,
        pseudonym=enrolment.patient.pseudonym,
        authored=response.submitted_at or response.updated_at,
        completed=response.submitted_at is not None,
        score=response.score or None,
        resource_id=f"response-{response.pk}",
    )


def answers_from_response(inst: Instrument, resource: dict) -> dict:
    """The answers of a QuestionnaireResponse, as the app stores them."""
    parsed = QuestionnaireResponse.model_validate(resource)
    found = {}
    for entry in parsed.item or []:
        item = inst.item(entry.linkId)
        values = []
        for answer in entry.answer or []:
            if answer.valueCoding is not None:
                values.append(_option_value(item, answer.valueCoding.code))
            elif answer.valueBoolean is not None or answer.valueString is not None:
                values.append(
                    next(v for v in (answer.valueBoolean, answer.valueString) if v is not None)
                )
            else:
                values.append(
                    _number(
                        next(v for v in (answer.valueInteger, answer.valueDecimal) if v is not None)
                    )
                )
        # A body map with nothing marked is an answer (no pain) and comes as no values.
        found[item.id] = values if item.kind == "regions" else values[0]
    return found


def _option_value(item: Item, code: str):
    for value, _label in item.options:
        if str(value) == code:
            return value
    return code


# Reading a Questionnaire back (`painpath instruments add FILE`).


def _controls(entry) -> set[str]:
    return {
        coding.code
        for ext in entry.extension or []
        if ext.url == ITEM_CONTROL and ext.valueCodeableConcept
        for coding in ext.valueCodeableConcept.coding or []
    }


def _extension_value(entry, extension_url: str):
    for ext in entry.extension or []:
        if ext.url == extension_url:
            return next((v for v in (ext.valueInteger, ext.valueDecimal) if v is not None), None)
    return None


def _number(value):
    if value is None:
        return None
    return int(value) if float(value).is_integer() else float(value)


def _option(coding) -> tuple:
    code = coding.code
    value = int(code) if code is not None and re.fullmatch(r"-?\d+", code) else code
    return value, coding.display or str(code)


def _item_from(entry, where: str) -> dict:
    path = f"{where}: frågan {entry.linkId!r}"
    children = entry.item or []
    displays = [child for child in children if child.type == "display"]
    by_control = {control: child.text for child in displays for control in _controls(child)}
    found = {"id": entry.linkId, "text": entry.text or "", "required": bool(entry.required)}
    if by_control.get("help"):
        found["help"] = by_control["help"]
    kind = entry.type
    low, high = _extension_value(entry, MIN_VALUE), _extension_value(entry, MAX_VALUE)
    if kind == "boolean":
        found["kind"] = "yesno"
    elif kind in ("string", "text"):
        found["kind"] = "text"
        if entry.maxLength:
            found["max"] = entry.maxLength
    elif kind == "integer" and "slider" in _controls(entry):
        found.update(kind="scale", min=_number(low), max=_number(high))
        if by_control.get("lower") and by_control.get("upper"):
            found["anchors"] = [by_control["lower"], by_control["upper"]]
    elif kind in ("integer", "decimal"):
        found["kind"] = "number"
        if low is not None:
            found["min"] = _number(low)
        if high is not None:
            found["max"] = _number(high)
    elif kind in ("choice", "open-choice"):
        codings = [o.valueCoding for o in entry.answerOption or [] if o.valueCoding]
        others = [o for o in entry.answerOption or [] if not o.valueCoding]
        if not codings or others:
            raise InvalidDefinition(f"{path}: svarsalternativen ska vara answerOption.valueCoding")
        regions = all(c.system == REGION_SYSTEM for c in codings)
        if entry.repeats and not regions:
            raise InvalidDefinition(f"{path}: flerval stöds bara för smärtteckningens områden")
        found["kind"] = "regions" if regions and entry.repeats else "choice"
        found["options"] = [list(_option(c)) for c in codings]
    else:
        raise InvalidDefinition(f"{path}: typen {kind!r} stöds inte")
    return found


def _flatten(entries, where: str, notes: list[str]) -> list[dict]:
    items = []
    for entry in entries or []:
        if entry.type == "group":
            if entry.text:
                notes.append(entry.text)
            items += _flatten(entry.item, where, notes)
        elif entry.type == "display":
            if entry.text:
                notes.append(entry.text)
        else:
            items.append(_item_from(entry, where))
    return items


def _code(resource) -> str:
    name = resource.name or resource.id or resource.title or ""
    code = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name)
    return re.sub(r"[^a-z0-9]+", "_", code.lower()).strip("_")[:40]


def from_questionnaire(data: dict, where: str = "Questionnaire") -> dict:
    """Our definition (JSON format) from a FHIR R4 Questionnaire; InvalidDefinition when it
    does not parse or uses what painpath cannot ask (answerValueSet, dates, attachments…).
    The result still goes through definition.load before anyone uses it."""
    try:
        resource = Questionnaire.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        place = ".".join(str(p) for p in first["loc"])
        raise InvalidDefinition(
            f"{where}: inte ett giltigt FHIR R4 Questionnaire: {place}: {first['msg']}"
        ) from None
    extra = {}
    for ext in resource.extension or []:
        if ext.url == DEFINITION_URL and ext.valueString:
            extra = json.loads(ext.valueString)
    notes: list[str] = []
    items = _flatten(resource.item, where, notes)
    instructions = "\n\n".join([resource.description or "", *notes]).strip()
    definition = {
        "code": extra.pop("code", None) or _code(resource),
        "title": resource.title or resource.name or "",
        "version": resource.version or "1",
        "language": resource.language or "sv",
        "status": "official" if resource.status == "active" else "unofficial",
        "instructions": instructions,
        "licence": resource.copyright or "",
        "scoring": {"method": "none"},
        **extra,
        "items": items,
    }
    return definition
