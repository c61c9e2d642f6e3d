"""The instruments as data (painpath/pathway/instruments/): the shipped definitions, a
clinic's own, the checks a definition passes, and `painpath instruments`."""

import json
import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from painpath.pathway import instruments
from painpath.pathway.instruments import InvalidDefinition, UnknownInstrument
from painpath.pathway.instruments.definition import load
from painpath.pathway.instruments.registry import shipped_definitions
from painpath.pathway.models import InstrumentDefinition

SHIPPED = (
    "oempsq_sf", "pain_drawing", "history", "nrs_pain", "peg3", "pdi", "pseq10", "pseq2",
    "cpaq8", "phq9", "gad7", "valmaende", "who5",
)  # fmt: skip
BASELINE = [
    "oempsq_sf", "pain_drawing", "history", "nrs_pain", "peg3", "pdi", "pseq10", "cpaq8",
    "phq9", "gad7", "valmaende",
]  # fmt: skip


def codes(found):
    return [inst.code for inst in found]


def test_every_shipped_instrument_loads_with_its_source_licence_and_status():
    found = instruments.available()

    assert codes(found) == list(SHIPPED)
    for inst in found:
        assert inst.title and inst.source and inst.licence, inst.code
        assert inst.status in ("official", "unofficial", "placeholder")
        assert inst.scoring.note, f"{inst.code} says how it is scored and what if missing"


def test_no_item_text_that_is_not_free_ships():
    text = json.dumps(shipped_definitions(), ensure_ascii=False).lower()

    for name in ("eq-5d", "euroqol", "hads", "hospital anxiety", "sf-36", "sf-mpq", "mcgill"):
        assert name not in text


def test_the_translations_we_wrote_are_marked_unofficial_and_valmaende_a_placeholder():
    for code in ("oempsq_sf", "phq9", "gad7", "peg3", "pdi", "pseq10", "cpaq8", "who5"):
        inst = instruments.get(code)
        assert inst.status == "unofficial" and "Inofficiell" in inst.translation, code
    valmaende = instruments.get("valmaende")
    assert valmaende.status == "placeholder"
    assert [item.text for item in valmaende.items][:2] == ["Påstående 1", "Påstående 2"]
    assert len(valmaende.items) == 18
    assert valmaende.items[0].options == [
        (0, "Aldrig"), (1, "Sällan"), (2, "Ibland"), (3, "Ofta"), (4, "Mycket ofta")
    ]  # fmt: skip


def test_unconfirmed_facts_are_said_in_the_metadata():
    assert any("kortversionen" in note for note in instruments.get("oempsq_sf").unconfirmed)
    for code in ("peg3", "pdi", "gad7", "who5"):
        assert instruments.get(code).minimal_change.unconfirmed, code
        assert instruments.get(code).unconfirmed, code
    assert not instruments.get("nrs_pain").minimal_change.unconfirmed


def test_the_items_have_the_kinds_and_ranges_the_api_promises():
    oempsq = instruments.get("oempsq_sf")
    first, second = oempsq.items[0], oempsq.items[1]

    assert (first.kind, first.min, first.max, first.options[-1]) == (
        "choice", 1, 10, (10, "Mer än 1 år")
    )  # fmt: skip
    assert (second.kind, second.min, second.max, second.required) == ("scale", 0, 10, True)
    assert second.anchors == ("Ingen smärta", "Så ont som det över huvud taget kan göra")
    drawing = instruments.get("pain_drawing").items
    assert [(i.id, i.kind, len(i.options)) for i in drawing] == [("regions", "regions", 19)]
    history = {item.id: item for item in instruments.get("history").items}
    assert history["goals"].kind == "text" and not history["goals"].required
    assert history["sick_leave"].kind == "yesno"
    assert (history["sick_leave_weeks"].kind, history["sick_leave_weeks"].max) == ("number", 520)


def test_the_default_sets_are_the_pathways():
    assert codes(instruments.for_timepoint("baseline")) == BASELINE
    assert codes(instruments.for_timepoint("follow_up")) == [c for c in BASELINE if c != "history"]


def test_an_unknown_code_is_refused_by_name():
    with pytest.raises(UnknownInstrument, match="Inget formulär med koden 'eq5d'"):
        instruments.get("eq5d")


# A clinic's own definitions.


@pytest.fixture
def valmaende_text():
    return {
        "code": "valmaende",
        "status": "official",
        "items": [{"id": str(n), "text": f"Klinikens påstående {n}"} for n in range(1, 19)],
    }


@pytest.mark.django_db
def test_a_clinics_text_replaces_valmaendeskalans_placeholders_for_that_clinic_only(
    clinic, other_clinic, valmaende_text
):
    instruments.add_definition(clinic, valmaende_text)

    ours = instruments.get("valmaende", clinic=clinic)
    theirs = instruments.get("valmaende", clinic=other_clinic)
    assert ours.items[17].text == "Klinikens påstående 18" and ours.status == "official"
    assert ours.items[17].options == theirs.items[17].options  # the structure stays
    assert ours.clinic == "habo" and theirs.clinic is None
    assert theirs.items[0].text == "Påstående 1"
    assert instruments.score(ours, {str(n): 4 for n in range(1, 19)})["total"] == 72
    assert instruments.get("valmaende", clinic="habo").items[0].text == "Klinikens påstående 1"


@pytest.mark.django_db
def test_a_clinic_turns_who5_on(clinic, other_clinic):
    instruments.add_definition(clinic, {"code": "who5", "optional": False})

    assert "who5" in codes(instruments.for_timepoint("follow_up", clinic=clinic))
    assert "who5" not in codes(instruments.for_timepoint("follow_up", clinic=other_clinic))


@pytest.mark.django_db
def test_a_clinic_adds_an_instrument_of_its_own(clinic, other_clinic):
    own = {
        "code": "sleep",
        "title": "Sömn",
        "status": "official",
        "timepoints": ["follow_up"],
        "items": [
            {"id": "a", "kind": "scale", "min": 0, "max": 4, "text": "Hur har du sovit?"},
            {"id": "b", "kind": "scale", "min": 0, "max": 4, "text": "Hur utvilad är du?"},
        ],
        "scoring": {"method": "sum", "reversed": ["b"]},
    }

    instruments.add_definition(clinic, own)

    assert codes(instruments.available(clinic))[-1] == "sleep"
    assert codes(instruments.for_timepoint("follow_up", clinic=clinic))[-1] == "sleep"
    assert instruments.score(instruments.get("sleep", clinic), {"a": 3, "b": 1})["total"] == 6
    with pytest.raises(UnknownInstrument):
        instruments.get("sleep", clinic=other_clinic)


@pytest.mark.django_db
def test_adding_again_replaces_the_clinics_earlier_definition(clinic, valmaende_text):
    instruments.add_definition(clinic, valmaende_text)
    valmaende_text["items"][0]["text"] = "Nytt påstående"

    instruments.add_definition(clinic, valmaende_text)

    assert InstrumentDefinition.objects.filter(clinic=clinic).count() == 1
    assert instruments.get("valmaende", clinic).items[0].text == "Nytt påstående"


BAD = [
    ({"items": [{"id": "9", "kind": "slider"}]}, "phq9: items[8] (id '9').kind: 'slider'"),
    ({"title": ""}, "phq9: title: saknas"),
    ({"titel": "PHQ"}, "phq9: okända fält titel"),
    ({"scoring": {"method": "sum", "reversed": ["12"]}}, "scoring.reversed"),
    ({"scoring": {"method": "sum", "items": ["1", "x"]}}, "scoring.items: frågan 'x' finns inte"),
    ({"scoring": {"method": "median"}}, "scoring.method: 'median'"),
    ({"scoring": {"method": "sum", "missing": {"max": 10}}}, "scoring.missing.max: 10 ska"),
    ({"bands": [{"from": 5, "label": "a"}, {"from": 5, "label": "b"}]}, "bands[1].from"),
    ({"alerts": [{"item": "10", "above": 0, "text": "x"}]}, "alerts[0].item: frågan '10'"),
    ({"items": [{"id": "1", "options": "nope"}]}, "items[0] (id '1').options: "),
    ({"mic": {"points": 5}}, "mic.direction"),
    ({"status": "draft"}, "status: 'draft'"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("change", "message"), BAD)
def test_a_bad_definition_is_refused_saying_what_and_where_and_nothing_is_kept(
    clinic, change, message
):
    with pytest.raises(InvalidDefinition, match=re.escape(message)):
        instruments.add_definition(clinic, {"code": "phq9", **change})

    assert not InstrumentDefinition.objects.exists()


def test_a_scale_needs_min_below_max_and_ids_are_unique():
    base = {"code": "x", "title": "X", "scoring": {"method": "none"}}
    scale = {"id": "1", "kind": "scale", "min": 5, "max": 5, "text": "?"}

    with pytest.raises(InvalidDefinition, match=r"min < max \(fick 5, 5\)"):
        load({**base, "items": [scale]}, "x.json")
    with pytest.raises(
        InvalidDefinition, match=re.escape("x.json: items[1] (id '1'): id förekommer")
    ):
        load({**base, "items": [{**scale, "max": 6}, {**scale, "max": 6}]}, "x.json")


@pytest.mark.django_db
def test_a_stored_row_that_no_longer_passes_is_an_error_naming_the_clinic(clinic):
    InstrumentDefinition.objects.create(clinic=clinic, code="gad7", definition={"bands": 3})

    with pytest.raises(InvalidDefinition, match="vårdcentralen habo, formuläret gad7: bands"):
        instruments.get("gad7", clinic=clinic)
    assert instruments.get("phq9", clinic=clinic).clinic is None


# The command.


def run(*args) -> str:
    out = StringIO()
    call_command("instruments", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_instruments_list_shows_the_clinics_own_beside_the_shipped(clinic, valmaende_text):
    instruments.add_definition(clinic, valmaende_text)

    listed = run("list", "--clinic", "habo")

    assert "oempsq_sf" in listed and "valfritt, avstängt" in listed
    assert "vårdcentralen habo" in listed and "bara struktur" not in listed
    assert "bara struktur" in run("list")


@pytest.mark.django_db
def test_instruments_add_takes_our_json_file(tmp_path, clinic, valmaende_text):
    path = tmp_path / "valmaende.json"
    path.write_text(json.dumps(valmaende_text, ensure_ascii=False), encoding="utf-8")

    said = run("add", str(path), "--clinic", "habo")

    assert "Sparat: Välmåendeskalan (valmaende, officiell, 18 frågor)" in said
    assert instruments.get("valmaende", clinic).items[1].text == "Klinikens påstående 2"


@pytest.mark.django_db
def test_instruments_export_then_add_brings_a_questionnaire_back_as_it_was(tmp_path, clinic):
    exported = run("export", "cpaq8")
    resource = json.loads(exported)
    assert resource["resourceType"] == "Questionnaire"
    resource["item"][0]["text"] = "Vårdcentralens svenska lydelse"
    (tmp_path / "q.json").write_text(json.dumps(resource), encoding="utf-8")

    run("add", str(tmp_path / "q.json"), "--clinic", "habo")

    theirs = instruments.get("cpaq8", clinic)
    assert theirs.items[0].text == "Vårdcentralens svenska lydelse"
    assert theirs.scoring == instruments.get("cpaq8").scoring
    given = {str(n): 3 for n in range(1, 9)}
    assert instruments.score(theirs, given) == instruments.score(instruments.get("cpaq8"), given)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "bad.json: inte giltig JSON (rad 1, kolumn 2"),
        ('{"resourceType": "Patient"}', "en FHIR-resurs av typen 'Patient'"),
        ('{"resourceType": "Questionnaire"}', "inte ett giltigt FHIR R4 Questionnaire: status"),
        ('{"code": "x", "title": "X"}', "bad.json, x: items: ska vara en lista"),
    ],
)
def test_instruments_add_refuses_a_bad_file_and_says_why(tmp_path, clinic, content, message):
    (tmp_path / "bad.json").write_text(content, encoding="utf-8")

    with pytest.raises(CommandError, match=re.escape(message)):
        run("add", str(tmp_path / "bad.json"), "--clinic", "habo")
    assert not InstrumentDefinition.objects.exists()


@pytest.mark.django_db
def test_instruments_add_and_export_refuse_an_unknown_clinic_or_code(tmp_path, clinic):
    (tmp_path / "x.json").write_text("{}", encoding="utf-8")

    with pytest.raises(CommandError, match="Ingen vårdcentral med koden 'nope'"):
        run("add", str(tmp_path / "x.json"), "--clinic", "nope")
    with pytest.raises(CommandError, match="Inget formulär med koden 'nope'"):
        run("export", "nope")
