"""Where instruments come from: the files shipped in data/ (one per instrument), and a
clinic's InstrumentDefinition rows, which add instruments or lay the clinic's text over a
shipped one (Välmåendeskalan's statements, the official Swedish ÖMPSQ-SF, turning WHO-5 on).

A clinic's row with a shipped code is merged over the shipped file (definition.merge) and
checked again; a row with a new code is a whole definition. Rows are checked when saved
(add_definition) and again whenever they are read, so a row that no longer passes is an
error that names the clinic and the code, never a silently wrong questionnaire.
"""

import json
from functools import cache
from pathlib import Path

from painpath.pathway.instruments.definition import (
    Instrument,
    InvalidDefinition,
    load,
    merge,
)

DATA = Path(__file__).parent / "data"

# The order staff see them in and patients answer them in: the Vendelsö set first.
ORDER = (
    "oempsq_sf",
    "pain_drawing",
    "history",
    "nrs_pain",
    "peg3",
    "pdi",
    "pseq10",
    "pseq2",
    "cpaq8",
    "phq9",
    "gad7",
    "valmaende",
    "who5",
)


class UnknownInstrument(LookupError):
    """No instrument with this code, shipped or the clinic's own."""

    def __init__(self, code: str, clinic: str | None = None):
        self.code = code
        where = f" (eller vårdcentralen {clinic})" if clinic else ""
        super().__init__(f"Inget formulär med koden {code!r} i painpath{where}.")

    def __str__(self):
        return self.args[0]


@cache
def shipped_definitions() -> dict[str, dict]:
    """The shipped definitions as written in data/, by code."""
    found = {}
    for path in sorted(DATA.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("code") != path.stem:
            raise InvalidDefinition(f"{path.name}: code ska vara {path.stem!r} som filens namn")
        found[path.stem] = data
    return found


@cache
def _shipped() -> dict[str, Instrument]:
    return {code: load(data, f"{code}.json") for code, data in shipped_definitions().items()}


def _clinic(clinic):
    """A Clinic from a Clinic, its code, or None."""
    if clinic is None or not isinstance(clinic, str):
        return clinic
    from painpath.records.models import Clinic

    found = Clinic.objects.filter(code=clinic).first()
    if found is None:
        raise LookupError(f"Ingen vårdcentral med koden {clinic!r}.")
    return found


def _from_row(row) -> Instrument:
    where = f"vårdcentralen {row.clinic.code}, formuläret {row.code}"
    data = row.definition
    if not isinstance(data, dict):
        raise InvalidDefinition(f"{where}: ska vara ett JSON-objekt")
    return build(data, clinic=row.clinic.code, code=row.code, where=where)


def build(data: dict, *, clinic: str | None, code: str | None = None, where: str) -> Instrument:
    """An instrument from a clinic's definition: over the shipped one with the same code,
    or whole when the code is new."""
    code = code or data.get("code")
    if data.get("code", code) != code:
        raise InvalidDefinition(f"{where}: code {data.get('code')!r} ska vara {code!r}")
    base = shipped_definitions().get(code)
    merged = merge(base, {**data, "code": code}) if base else {**data, "code": code}
    return load(merged, where, clinic=clinic)


def _rows(clinic, code: str | None = None):
    from painpath.pathway.models import InstrumentDefinition

    rows = InstrumentDefinition.objects.filter(clinic=clinic).select_related("clinic")
    return rows.filter(code=code) if code else rows.order_by("code")


def get(code: str, clinic=None) -> Instrument:
    """The instrument with this code as the clinic uses it (its own row first)."""
    clinic = _clinic(clinic)
    if clinic is not None:
        row = _rows(clinic, code).first()
        if row is not None:
            return _from_row(row)
    try:
        return _shipped()[code]
    except KeyError:
        raise UnknownInstrument(code, getattr(clinic, "code", None)) from None


def available(clinic=None) -> list[Instrument]:
    """Every instrument the clinic can use, shipped ones (with its text) and its own, in
    ORDER, then the clinic's own by code."""
    clinic = _clinic(clinic)
    found = dict(_shipped())
    if clinic is not None:
        found.update({row.code: _from_row(row) for row in _rows(clinic)})
    rank = {code: n for n, code in enumerate(ORDER)}
    return sorted(found.values(), key=lambda inst: (rank.get(inst.code, len(ORDER)), inst.code))


def for_timepoint(timepoint: str, clinic=None) -> list[Instrument]:
    """The default set for a timepoint ("baseline" or "follow_up"): the instruments that
    name it and are not optional (an optional one, WHO-5, is on when the clinic's row says
    "optional": false). Placeholders are included: a caller that shows questions to a
    patient should skip an instrument whose status is "placeholder"."""
    timepoint = str(getattr(timepoint, "value", timepoint))
    return [
        inst for inst in available(clinic) if timepoint in inst.timepoints and not inst.optional
    ]


def add_definition(clinic, data: dict, *, user=None, where: str | None = None) -> Instrument:
    """Check a clinic's definition and keep it (replacing the clinic's earlier one with the
    same code). Raises InvalidDefinition, saying what and where (`where`: the file it came
    from), and keeps nothing then."""
    from painpath.pathway.models import InstrumentDefinition

    clinic = _clinic(clinic)
    code = data.get("code") if isinstance(data, dict) else None
    where = where or f"vårdcentralen {clinic.code}"
    if not isinstance(code, str):
        raise InvalidDefinition(f"{where}: code saknas")
    instrument = build(data, clinic=clinic.code, where=f"{where}, {code}")
    InstrumentDefinition.objects.update_or_create(
        clinic=clinic, code=code, defaults={"definition": data, "added_by": user}
    )
    return instrument


def body_regions() -> list[tuple[str, str, str]]:
    """(id, Swedish label, group) of the pain drawing's areas, from its shipped file."""
    inst = _shipped()["pain_drawing"]
    item = inst.item(inst.scoring.items[0])
    group_of = {r: name for name, members in inst.scoring.groups.items() for r in members}
    return [(region, label, group_of[region]) for region, label in item.options]


def read_definition(text: str, *, where: str) -> dict:
    """A definition from a file's text: painpath's JSON format, or a FHIR R4 Questionnaire
    (recognised by its resourceType) turned into it."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise InvalidDefinition(
            f"{where}: inte giltig JSON (rad {error.lineno}, kolumn {error.colno}: {error.msg})"
        ) from None
    if not isinstance(data, dict):
        raise InvalidDefinition(f"{where}: ska vara ett JSON-objekt")
    if "resourceType" not in data:
        return data
    if data["resourceType"] != "Questionnaire":
        raise InvalidDefinition(
            f"{where}: en FHIR-resurs av typen {data['resourceType']!r}; "
            "bara Questionnaire kan läggas till"
        )
    from painpath.pathway.instruments.fhir import from_questionnaire  # fhir.resources on demand

    return from_questionnaire(data, where)
