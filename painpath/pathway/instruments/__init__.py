"""Instruments as data: questionnaires, the body map and the history form, their scoring,
and their export as FHIR (painpath.pathway.instruments.fhir, imported where needed).

    from painpath.pathway import instruments
    inst = instruments.get("oempsq_sf", clinic=None)    # UnknownInstrument if none
    instruments.for_timepoint("baseline", clinic=None)   # the default set, in order
    instruments.score(inst, {"1": 7, "2": 5, …})         # total, band, cut-off, alerts, …
    instruments.mic(inst)                                # minimal important change or None
    instruments.BODY_REGIONS                             # (id, label, group) of the body map

Shipped definitions are the JSON files in data/; clinical facts and their sources are in
shared/spec/instruments.md, and what is unconfirmed is said in each file's "unconfirmed".
"""

from painpath.pathway.instruments.definition import (
    Instrument,
    InvalidDefinition,
    Item,
)
from painpath.pathway.instruments.registry import (
    ORDER,
    UnknownInstrument,
    add_definition,
    available,
    body_regions,
    for_timepoint,
    get,
)
from painpath.pathway.instruments.scoring import InvalidAnswer, mic, score

BODY_REGIONS: list[tuple[str, str, str]] = body_regions()

__all__ = [
    "BODY_REGIONS",
    "ORDER",
    "Instrument",
    "InvalidAnswer",
    "InvalidDefinition",
    "Item",
    "UnknownInstrument",
    "add_definition",
    "available",
    "for_timepoint",
    "get",
    "mic",
    "score",
]
