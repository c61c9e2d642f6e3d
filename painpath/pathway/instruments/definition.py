"""An instrument's definition: the dataclasses the app reads, and the checks a definition
(a shipped JSON file, a clinic's InstrumentDefinition row, an imported FHIR Questionnaire)
passes before anything uses it.

The JSON format, one object per instrument (data/*.json are the examples):
  code, title, version, language, status ("official" | "unofficial" | "placeholder"),
  instructions, recall, source, licence, translation, optional, timepoints, unconfirmed,
  option_sets {name: [[value, label], …]}, item_defaults {…}, items [{id, text, kind, min,
  max, anchors, options, required, help}], scoring {method, items, reversed, multiplier,
  round, missing {max}, subscales, total, groups, exclude_from_widespread, widespread_groups},
  bands [{from, label}], cutoff {value, label, direction}, mic {points, percent, direction,
  source, unconfirmed}, alerts [{item, above, text}].
An item's `options` may name one of `option_sets`; `item_defaults` fill what items leave out.
Errors say what is wrong and where (file or clinic, then the path inside the definition),
in Swedish, because they reach staff through `painpath instruments add`.
"""

import re
from dataclasses import dataclass, field
from typing import Any

STATUSES = ("official", "unofficial", "placeholder")
KINDS = ("scale", "choice", "text", "number", "regions", "yesno")
NUMERIC_KINDS = ("scale", "choice")  # the kinds a sum or mean is taken over
METHODS = ("sum", "mean", "regions", "none")
TIMEPOINTS = ("baseline", "follow_up")
DIRECTIONS = ("lower_is_better", "higher_is_better")
CUTOFF_DIRECTIONS = ("at_least", "below")
TEXT_MAX_DEFAULT = 2000  # characters a text answer may have unless the item says otherwise

CODE = re.compile(r"^[a-z0-9_]{1,40}$")
TOP_KEYS = {
    "code", "title", "version", "language", "status", "instructions", "recall", "source",
    "licence", "translation", "optional", "timepoints", "unconfirmed", "option_sets",
    "item_defaults", "items", "scoring", "bands", "cutoff", "mic", "alerts",
}  # fmt: skip
ITEM_KEYS = {"id", "text", "kind", "min", "max", "anchors", "options", "required", "help"}
SCORING_KEYS = {
    "method", "items", "reversed", "multiplier", "round", "missing", "subscales", "total",
    "groups", "exclude_from_widespread", "widespread_groups", "note",
}  # fmt: skip


class InvalidDefinition(ValueError):
    """A definition that cannot be used; the message names the place and the fault."""


@dataclass(frozen=True)
class Item:
    id: str
    text: str
    kind: str
    min: int | float | None = None
    max: int | float | None = None
    anchors: tuple[str, str] | None = None
    options: list[tuple[Any, str]] = field(default_factory=list)
    required: bool = True
    help: str = ""

    def __hash__(self):  # options are a list; an item is still usable as a key
        return hash((self.id, self.kind, self.text))

    def label(self, value) -> str:
        """The option's label for a value, or the value itself."""
        for option, text in self.options:
            if option == value:
                return text
        return str(value)


@dataclass(frozen=True)
class Subscale:
    id: str
    label: str
    items: tuple[str, ...]
    method: str
    missing_max: int


@dataclass(frozen=True)
class Scoring:
    method: str  # sum | mean | regions | none
    items: tuple[str, ...] = ()  # the scored items, in order
    reversed: frozenset[str] = frozenset()  # scored as min + max − x
    multiplier: float = 1
    round: int = 0  # decimals of the total (prorated sums and means are rounded half up)
    missing_max: int = 0  # answers that may be missing with a total still given
    subscales: tuple[Subscale, ...] = ()
    total_from: str = "items"  # or "subscales": the total is their sum
    groups: dict[str, tuple[str, ...]] = field(default_factory=dict)  # regions: group → ids
    exclude_from_widespread: frozenset[str] = frozenset()
    widespread_groups: int | None = None
    note: str = ""  # how missing answers are handled, in words, for the clinician


@dataclass(frozen=True)
class Band:
    start: float
    label: str


@dataclass(frozen=True)
class Cutoff:
    value: float
    label: str
    direction: str = "at_least"  # at_least: total ≥ value; below: total < value

    def reached(self, total) -> bool | None:
        if total is None:
            return None
        return total >= self.value if self.direction == "at_least" else total < self.value


@dataclass(frozen=True)
class MinimalChange:
    points: float | None
    percent: float | None
    direction: str
    source: str = ""
    unconfirmed: bool = False


@dataclass(frozen=True)
class Alert:
    item: str
    above: float
    text: str  # Swedish, for the clinician; "{answer}" is replaced by the answer's label


@dataclass(frozen=True)
class Instrument:
    code: str
    title: str
    items: list[Item]
    scoring: Scoring
    status: str = "unofficial"
    version: str = "1"
    language: str = "sv"
    instructions: str = ""
    recall: str = ""
    source: str = ""
    licence: str = ""
    translation: str = ""
    optional: bool = False
    timepoints: tuple[str, ...] = ()
    unconfirmed: tuple[str, ...] = ()
    bands: tuple[Band, ...] = ()
    cutoff: Cutoff | None = None
    minimal_change: MinimalChange | None = None
    alerts: tuple[Alert, ...] = ()
    clinic: str | None = None  # the clinic whose definition shaped this one, if any
    definition: dict = field(default_factory=dict, compare=False, repr=False)  # as loaded

    def __hash__(self):  # items are a list; an instrument is still usable as a key
        return hash((self.code, self.clinic, self.version))

    def item(self, item_id: str) -> Item:
        for item in self.items:
            if item.id == item_id:
                return item
        raise KeyError(item_id)


class _Checker:
    """Walks a definition, keeping the path for messages."""

    def __init__(self, where: str):
        self.where = where

    def fail(self, path: str, message: str):
        place = f"{self.where}: {path}" if path else self.where
        raise InvalidDefinition(f"{place}: {message}")

    def text(self, data: dict, key: str, path: str, *, required=False, default="") -> str:
        value = data.get(key, default)
        if value is None:
            value = default
        if not isinstance(value, str):
            self.fail(f"{path}{key}", f"ska vara text, inte {value!r}")
        if required and not value.strip():
            self.fail(f"{path}{key}", "saknas")
        return value

    def number(self, value, path: str, *, allow_none=True):
        if value is None and allow_none:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.fail(path, f"ska vara ett tal, inte {value!r}")
        return value

    def unknown_keys(self, data: dict, known: set, path: str) -> None:
        extra = sorted(set(data) - known)
        if extra:
            known_list = ", ".join(sorted(known))
            self.fail(path, f"okända fält {', '.join(extra)} (känner till: {known_list})")


def load(data: dict, where: str = "definitionen", *, clinic: str | None = None) -> Instrument:
    """An Instrument from a definition in the JSON format, or InvalidDefinition."""
    check = _Checker(where)
    if not isinstance(data, dict):
        check.fail("", "ska vara ett JSON-objekt")
    check.unknown_keys(data, TOP_KEYS, "")
    code = data.get("code")
    if not isinstance(code, str) or not CODE.match(code):
        check.fail("code", f"{code!r} ska vara 1–40 tecken a–z, 0–9 eller _")
    status = data.get("status", "unofficial")
    if status not in STATUSES:
        check.fail("status", f"{status!r} ska vara en av {', '.join(STATUSES)}")
    timepoints = data.get("timepoints", [])
    if not isinstance(timepoints, list) or not set(timepoints) <= set(TIMEPOINTS):
        check.fail("timepoints", f"{timepoints!r} ska vara en lista av {', '.join(TIMEPOINTS)}")
    optional = data.get("optional", False)
    if not isinstance(optional, bool):
        check.fail("optional", "ska vara true eller false")
    unconfirmed = data.get("unconfirmed", [])
    if not isinstance(unconfirmed, list) or not all(isinstance(u, str) for u in unconfirmed):
        check.fail("unconfirmed", "ska vara en lista med texter")
    items = _items(check, data)
    scoring = _scoring(check, data.get("scoring", {"method": "none"}), items)
    return Instrument(
        code=code,
        title=check.text(data, "title", "", required=True),
        version=str(data.get("version", "1")),
        language=check.text(data, "language", "", default="sv"),
        status=status,
        instructions=check.text(data, "instructions", ""),
        recall=check.text(data, "recall", ""),
        source=check.text(data, "source", ""),
        licence=check.text(data, "licence", ""),
        translation=check.text(data, "translation", ""),
        optional=optional,
        timepoints=tuple(timepoints),
        unconfirmed=tuple(unconfirmed),
        items=items,
        scoring=scoring,
        bands=_bands(check, data.get("bands", [])),
        cutoff=_cutoff(check, data.get("cutoff")),
        minimal_change=_mic(check, data.get("mic")),
        alerts=_alerts(check, data.get("alerts", []), items),
        clinic=clinic,
        definition=data,
    )


def _options(check: _Checker, options, sets: dict, path: str) -> list[tuple[Any, str]]:
    if isinstance(options, str):
        if options not in sets:
            check.fail(path, f"svarsalternativen {options!r} finns inte i option_sets")
        options = sets[options]
    if not isinstance(options, list) or not options:
        check.fail(path, "ska vara en lista med [värde, text]-par")
    found = []
    for n, option in enumerate(options):
        if (
            not isinstance(option, list | tuple)
            or len(option) != 2
            or isinstance(option[0], bool)
            or not isinstance(option[0], int | str)
            or not isinstance(option[1], str)
        ):
            check.fail(
                f"{path}[{n}]", f"{option!r} ska vara [värde, text] (värdet heltal eller text)"
            )
        found.append((option[0], option[1]))
    values = [value for value, _ in found]
    if len(set(values)) != len(values):
        check.fail(path, "samma värde förekommer två gånger")
    return found


def _items(check: _Checker, data: dict) -> list[Item]:
    raw_items = data.get("items")
    if not isinstance(raw_items, list) or not raw_items:
        check.fail("items", "ska vara en lista med minst en fråga")
    sets = data.get("option_sets", {})
    defaults = data.get("item_defaults", {})
    if not isinstance(sets, dict) or not isinstance(defaults, dict):
        check.fail("option_sets/item_defaults", "ska vara JSON-objekt")
    check.unknown_keys(defaults, ITEM_KEYS - {"id"}, "item_defaults")
    items, seen = [], set()
    for n, raw in enumerate(raw_items):
        if not isinstance(raw, dict):
            check.fail(f"items[{n}]", "ska vara ett JSON-objekt")
        item_id = raw.get("id")
        path = f"items[{n}] (id {item_id!r})"
        if not isinstance(item_id, str) or not item_id.strip():
            check.fail(path, "id ska vara en text som inte är tom")
        if item_id in seen:
            check.fail(path, "id förekommer två gånger")
        seen.add(item_id)
        check.unknown_keys(raw, ITEM_KEYS, path)
        item = {**defaults, **raw}
        items.append(_item(check, item, sets, path))
    return items


def _item(check: _Checker, raw: dict, sets: dict, path: str) -> Item:
    kind = raw.get("kind")
    if kind not in KINDS:
        check.fail(f"{path}.kind", f"{kind!r} ska vara en av {', '.join(KINDS)}")
    text = check.text(raw, "text", f"{path}.", required=True)
    low = check.number(raw.get("min"), f"{path}.min")
    high = check.number(raw.get("max"), f"{path}.max")
    options: list = []
    anchors = raw.get("anchors")
    if anchors is not None and (
        not isinstance(anchors, list | tuple)
        or len(anchors) != 2
        or not all(isinstance(a, str) for a in anchors)
    ):
        check.fail(f"{path}.anchors", "ska vara [text vid lägsta, text vid högsta] eller null")
    if kind == "scale":
        if not isinstance(low, int) or not isinstance(high, int) or low >= high:
            check.fail(path, f"en skala behöver heltalen min < max (fick {low!r}, {high!r})")
    elif kind in ("choice", "regions"):
        if "options" not in raw:
            check.fail(f"{path}.options", "saknas")
        options = _options(check, raw["options"], sets, f"{path}.options")
        if kind == "regions" and not all(isinstance(v, str) for v, _ in options):
            check.fail(f"{path}.options", "områdenas värden ska vara texter (områdets id)")
        numbers = [v for v, _ in options if isinstance(v, int)]
        if kind == "choice" and len(numbers) == len(options):
            low, high = min(numbers), max(numbers)
        else:
            low = high = None
    elif kind == "number":
        if low is not None and high is not None and low > high:
            check.fail(path, f"min {low} är större än max {high}")
    elif kind == "text":
        high = TEXT_MAX_DEFAULT if high is None else high
        if not isinstance(high, int) or high < 1:
            check.fail(f"{path}.max", "textens längsta längd ska vara ett positivt heltal")
        low = None
    elif kind == "yesno":
        low = high = None
    if kind != "scale" and anchors is not None:
        check.fail(f"{path}.anchors", "bara en skala har ändpunkter")
    required = raw.get("required", True)
    if not isinstance(required, bool):
        check.fail(f"{path}.required", "ska vara true eller false")
    return Item(
        id=raw["id"],
        text=text,
        kind=kind,
        min=low,
        max=high,
        anchors=tuple(anchors) if anchors else None,
        options=options,
        required=required,
        help=check.text(raw, "help", f"{path}."),
    )


def _missing_max(check: _Checker, raw, path: str, count: int) -> int:
    if raw is None:
        return 0
    if not isinstance(raw, dict) or set(raw) - {"max"}:
        check.fail(path, 'ska vara {"max": antal}')
    value = raw.get("max", 0)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < max(count, 1):
        check.fail(f"{path}.max", f"{value!r} ska vara ett heltal från 0 till {count - 1}")
    return value


def _scored_ids(check: _Checker, ids, items: dict[str, Item], path: str) -> tuple[str, ...]:
    if not isinstance(ids, list) or not ids:
        check.fail(path, "ska vara en lista med frågornas id")
    for item_id in ids:
        if item_id not in items:
            check.fail(path, f"frågan {item_id!r} finns inte")
        item = items[item_id]
        if item.kind not in NUMERIC_KINDS or item.min is None:
            check.fail(path, f"frågan {item_id!r} ({item.kind}) kan inte räknas ihop")
    if len(set(ids)) != len(ids):
        check.fail(path, "samma fråga förekommer två gånger")
    return tuple(ids)


def _scoring(check: _Checker, raw, item_list: list[Item]) -> Scoring:
    if not isinstance(raw, dict):
        check.fail("scoring", "ska vara ett JSON-objekt")
    check.unknown_keys(raw, SCORING_KEYS, "scoring")
    method = raw.get("method")
    if method not in METHODS:
        check.fail("scoring.method", f"{method!r} ska vara en av {', '.join(METHODS)}")
    note = check.text(raw, "note", "scoring.")
    items = {item.id: item for item in item_list}
    if method == "none":
        return Scoring(method="none", note=note)
    if method == "regions":
        return _regions_scoring(check, raw, item_list, note)
    default_ids = [i.id for i in item_list if i.kind in NUMERIC_KINDS and i.min is not None]
    scored = _scored_ids(check, raw.get("items", default_ids), items, "scoring.items")
    reverse = raw.get("reversed", [])
    if not isinstance(reverse, list) or not set(reverse) <= set(scored):
        check.fail("scoring.reversed", f"{reverse!r} ska vara en lista av räknade frågor")
    multiplier = check.number(raw.get("multiplier", 1), "scoring.multiplier", allow_none=False)
    decimals = raw.get("round", 0 if method == "sum" else 1)
    if isinstance(decimals, bool) or not isinstance(decimals, int) or not 0 <= decimals <= 3:
        check.fail("scoring.round", "ska vara ett heltal 0–3 (decimaler)")
    subscales = []
    raw_subscales = raw.get("subscales", [])
    if not isinstance(raw_subscales, list):
        check.fail("scoring.subscales", "ska vara en lista")
    for n, sub in enumerate(raw_subscales):
        path = f"scoring.subscales[{n}]"
        if not isinstance(sub, dict):
            check.fail(path, "ska vara ett JSON-objekt")
        check.unknown_keys(sub, {"id", "label", "items", "method", "missing"}, path)
        sub_ids = _scored_ids(check, sub.get("items"), items, f"{path}.items")
        if not set(sub_ids) <= set(scored):
            check.fail(f"{path}.items", "delskalans frågor ska också finnas i scoring.items")
        sub_method = sub.get("method", method)
        if sub_method not in ("sum", "mean"):
            check.fail(f"{path}.method", "ska vara sum eller mean")
        subscales.append(
            Subscale(
                id=check.text(sub, "id", f"{path}.", required=True),
                label=check.text(sub, "label", f"{path}.", required=True),
                items=sub_ids,
                method=sub_method,
                missing_max=_missing_max(
                    check, sub.get("missing"), f"{path}.missing", len(sub_ids)
                ),
            )
        )
    total_from = raw.get("total", "items")
    if total_from not in ("items", "subscales") or (total_from == "subscales" and not subscales):
        check.fail("scoring.total", 'ska vara "items" eller (med delskalor) "subscales"')
    return Scoring(
        method=method,
        items=scored,
        reversed=frozenset(reverse),
        multiplier=multiplier,
        round=decimals,
        missing_max=_missing_max(check, raw.get("missing"), "scoring.missing", len(scored)),
        subscales=tuple(subscales),
        total_from=total_from,
        note=note,
    )


def _regions_scoring(check: _Checker, raw: dict, item_list: list[Item], note: str) -> Scoring:
    regions = [item for item in item_list if item.kind == "regions"]
    if len(regions) != 1:
        check.fail("scoring.method", "regions räknar en (och bara en) fråga av typen regions")
    ids = {value for value, _ in regions[0].options}
    groups = raw.get("groups", {})
    if not isinstance(groups, dict):
        check.fail("scoring.groups", "ska vara {grupp: [områden]}")
    grouped: list[str] = []
    for name, members in groups.items():
        if not isinstance(members, list) or not set(members) <= ids:
            check.fail(f"scoring.groups.{name}", f"{members!r} ska vara områden ur frågan")
        grouped.extend(members)
    if groups and sorted(grouped) != sorted(ids):
        check.fail("scoring.groups", "varje område ska höra till precis en grupp")
    excluded = raw.get("exclude_from_widespread", [])
    if not isinstance(excluded, list) or not set(excluded) <= ids:
        check.fail("scoring.exclude_from_widespread", "ska vara en lista av områden ur frågan")
    needed = raw.get("widespread_groups")
    if needed is not None and (
        isinstance(needed, bool) or not isinstance(needed, int) or not 1 <= needed <= len(groups)
    ):
        check.fail("scoring.widespread_groups", f"ska vara ett heltal 1–{len(groups)}")
    return Scoring(
        method="regions",
        items=(regions[0].id,),
        groups={name: tuple(members) for name, members in groups.items()},
        exclude_from_widespread=frozenset(excluded),
        widespread_groups=needed,
        note=note,
    )


def _bands(check: _Checker, raw) -> tuple[Band, ...]:
    if not isinstance(raw, list):
        check.fail("bands", "ska vara en lista")
    bands = []
    for n, band in enumerate(raw):
        if not isinstance(band, dict) or set(band) != {"from", "label"}:
            check.fail(f"bands[{n}]", 'ska vara {"from": tal, "label": text}')
        start = check.number(band["from"], f"bands[{n}].from", allow_none=False)
        if bands and start <= bands[-1].start:
            check.fail(f"bands[{n}].from", "gränserna ska öka")
        bands.append(Band(start, check.text(band, "label", f"bands[{n}].", required=True)))
    return tuple(bands)


def _cutoff(check: _Checker, raw) -> Cutoff | None:
    if raw is None:
        return None
    if not isinstance(raw, dict):
        check.fail("cutoff", "ska vara ett JSON-objekt eller null")
    check.unknown_keys(raw, {"value", "label", "direction"}, "cutoff")
    direction = raw.get("direction", "at_least")
    if direction not in CUTOFF_DIRECTIONS:
        check.fail("cutoff.direction", f"ska vara en av {', '.join(CUTOFF_DIRECTIONS)}")
    return Cutoff(
        value=check.number(raw.get("value"), "cutoff.value", allow_none=False),
        label=check.text(raw, "label", "cutoff.", required=True),
        direction=direction,
    )


def _mic(check: _Checker, raw) -> MinimalChange | None:
    if raw is None:
        return None
    if not isinstance(raw, dict):
        check.fail("mic", "ska vara ett JSON-objekt eller null")
    check.unknown_keys(raw, {"points", "percent", "direction", "source", "unconfirmed"}, "mic")
    points = check.number(raw.get("points"), "mic.points")
    percent = check.number(raw.get("percent"), "mic.percent")
    if points is None and percent is None:
        check.fail("mic", "ange points, percent eller båda")
    if raw.get("direction") not in DIRECTIONS:
        check.fail("mic.direction", f"ska vara en av {', '.join(DIRECTIONS)}")
    unconfirmed = raw.get("unconfirmed", False)
    if not isinstance(unconfirmed, bool):
        check.fail("mic.unconfirmed", "ska vara true eller false")
    return MinimalChange(
        points=points,
        percent=percent,
        direction=raw["direction"],
        source=check.text(raw, "source", "mic."),
        unconfirmed=unconfirmed,
    )


def _alerts(check: _Checker, raw, items: list[Item]) -> tuple[Alert, ...]:
    if not isinstance(raw, list):
        check.fail("alerts", "ska vara en lista")
    ids = {item.id for item in items}
    alerts = []
    for n, alert in enumerate(raw):
        path = f"alerts[{n}]"
        if not isinstance(alert, dict):
            check.fail(path, "ska vara ett JSON-objekt")
        check.unknown_keys(alert, {"item", "above", "text"}, path)
        if alert.get("item") not in ids:
            check.fail(f"{path}.item", f"frågan {alert.get('item')!r} finns inte")
        alerts.append(
            Alert(
                item=alert["item"],
                above=check.number(alert.get("above"), f"{path}.above", allow_none=False),
                text=check.text(alert, "text", f"{path}.", required=True),
            )
        )
    return tuple(alerts)


def merge(base: dict, override: dict) -> dict:
    """A clinic's definition laid over a shipped one: its top-level fields replace the
    shipped ones, and its items replace fields of the shipped items with the same id (so
    a clinic can give Välmåendeskalan's 18 statements by id and text alone). Items the
    shipped definition lacks are added at the end."""
    merged = {**base, **{k: v for k, v in override.items() if k != "items"}}
    if "items" in override and isinstance(override["items"], list):
        by_id = {item.get("id"): item for item in override["items"] if isinstance(item, dict)}
        items = [{**item, **by_id.pop(item.get("id"), {})} for item in base.get("items", [])]
        # Items only the clinic has are added; anything malformed is kept for load() to refuse.
        merged["items"] = items + [
            item
            for item in override["items"]
            if not isinstance(item, dict) or item.get("id") in by_id
        ]
    return merged
