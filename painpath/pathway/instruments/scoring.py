"""Scoring shared by every instrument: answers checked against the items, reversed items,
sums and means, missing answers, scaling, bands, cut-offs, alerts and the body map.

`score(inst, answers)` returns a dict with the keys
  total (number | None), max (number | None), subscales {id: number} (only those that
  could be computed), band (str | None), cutoff ({value, label, reached} | None),
  alerts [str], missing [item ids], complete (bool), prorated (bool),
and for the pain drawing also regions (sorted ids) and widespread (bool).

Missing answers: an instrument names how many of its scored items may be missing
(scoring.missing.max). Up to that many, a sum is prorated (the mean of the answered items
times the number of items) and a mean is the mean of the answered items; beyond it there is
no total. Prorated sums and means are rounded half up (scoring.round decimals).
An answer outside what the item allows is refused with InvalidAnswer, never guessed at.
"""

from decimal import ROUND_HALF_UP, Decimal

from painpath.pathway.instruments.definition import Instrument, Item, Scoring

YES = {"ja", "yes", "true", "1"}
NO = {"nej", "no", "false", "0"}


class InvalidAnswer(ValueError):
    """An answer the item does not allow; the message says which item and what is allowed."""


def _refuse(inst: Instrument, item: Item, value, allowed: str):
    raise InvalidAnswer(f"{inst.title}, fråga {item.id}: {value!r} går inte – {allowed}.")


def _integer(inst: Instrument, item: Item, value, allowed: str) -> int:
    if isinstance(value, bool):
        _refuse(inst, item, value, allowed)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        try:
            return int(value.strip())
        except ValueError:
            pass
    _refuse(inst, item, value, allowed)


def answer(inst: Instrument, item: Item, value):
    """The answer as the item's value type, None when not answered, or InvalidAnswer."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if item.kind == "scale":
        allowed = f"svara med ett heltal {item.min}–{item.max}"
        number = _integer(inst, item, value, allowed)
        if not item.min <= number <= item.max:
            _refuse(inst, item, value, allowed)
        return number
    if item.kind == "choice":
        values = [option for option, _ in item.options]
        allowed = "svara med ett av " + ", ".join(str(v) for v in values)
        if all(isinstance(v, int) for v in values):
            value = _integer(inst, item, value, allowed)
        if value not in values:
            _refuse(inst, item, value, allowed)
        return value
    if item.kind == "number":
        allowed = "svara med ett tal" + (
            f" {item.min}–{item.max}" if item.min is not None and item.max is not None else ""
        )
        if isinstance(value, str):
            try:
                value = float(value.strip().replace(",", "."))
            except ValueError:
                _refuse(inst, item, value, allowed)
        if isinstance(value, bool) or not isinstance(value, int | float):
            _refuse(inst, item, value, allowed)
        if (item.min is not None and value < item.min) or (
            item.max is not None and value > item.max
        ):
            _refuse(inst, item, value, allowed)
        return int(value) if float(value).is_integer() else value
    if item.kind == "yesno":
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in YES | NO:
            return value.strip().lower() in YES
        _refuse(inst, item, value, "svara ja eller nej")
    if item.kind == "text":
        if not isinstance(value, str):
            _refuse(inst, item, value, "svaret ska vara text")
        if len(value) > item.max:
            _refuse(inst, item, f"{value[:20]}…", f"högst {item.max} tecken")
        return value.strip()
    if item.kind == "regions":
        known = [option for option, _ in item.options]
        if not isinstance(value, list | tuple | set):
            _refuse(inst, item, value, "svaret ska vara en lista med områden")
        unknown = [region for region in value if region not in known]
        if unknown:
            _refuse(inst, item, unknown, "okända områden (kända: " + ", ".join(known) + ")")
        return sorted(set(value))
    raise AssertionError(item.kind)  # definition.load admits no other kind


def clean(inst: Instrument, answers: dict) -> dict:
    """Every answer as its value type (unanswered items left out); InvalidAnswer for an
    answer the item does not allow or an item the instrument does not have."""
    if not isinstance(answers, dict):
        raise InvalidAnswer(f"{inst.title}: svaren ska vara {{fråga: svar}}.")
    ids = {item.id for item in inst.items}
    unknown = sorted(str(key) for key in answers if key not in ids)
    if unknown:
        raise InvalidAnswer(f"{inst.title}: frågorna {', '.join(unknown)} finns inte i formuläret.")
    cleaned = {}
    for item in inst.items:
        value = answer(inst, item, answers.get(item.id))
        if value is not None:
            cleaned[item.id] = value
    return cleaned


def _round(value: float, decimals: int):
    rounded = Decimal(str(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return int(rounded) if decimals == 0 else float(rounded)


def _scored(inst: Instrument, cleaned: dict, item_id: str):
    value = cleaned.get(item_id)
    if value is None:
        return None
    if item_id in inst.scoring.reversed:
        item = inst.item(item_id)
        return item.min + item.max - value
    return value


def _aggregate(values: list, count: int, method: str, missing_max: int, scoring: Scoring):
    """(score, prorated) of the scored values of `count` items, None values missing."""
    present = [v for v in values if v is not None]
    missing = count - len(present)
    if missing > missing_max or not present:
        return None, False
    if missing == 0 and method == "sum":
        value = sum(present) * scoring.multiplier
        if float(value).is_integer():
            return int(value), False
        return _round(value, scoring.round), False
    mean = sum(present) / len(present)
    value = (mean * count if method == "sum" else mean) * scoring.multiplier
    return _round(value, scoring.round), missing > 0


def _item_max(inst: Instrument, ids, method: str, multiplier) -> float:
    highs = [inst.item(item_id).max for item_id in ids]
    top = sum(highs) if method == "sum" else max(highs)
    top = top * multiplier
    return int(top) if float(top).is_integer() else top


def _missing(inst: Instrument, cleaned: dict) -> list[str]:
    scored = set(inst.scoring.items)
    return [
        item.id
        for item in inst.items
        if item.id not in cleaned and (item.id in scored or item.required)
    ]


def _alerts(inst: Instrument, cleaned: dict) -> list[str]:
    found = []
    for alert in inst.alerts:
        value = cleaned.get(alert.item)
        if isinstance(value, int | float) and not isinstance(value, bool) and value > alert.above:
            found.append(alert.text.replace("{answer}", inst.item(alert.item).label(value)))
    return found


def score(inst: Instrument, answers: dict) -> dict:
    """The instrument's score of a set of answers (see the module's docstring)."""
    cleaned = clean(inst, answers)
    scoring = inst.scoring
    result = {
        "total": None,
        "max": None,
        "subscales": {},
        "band": None,
        "cutoff": None,
        "alerts": _alerts(inst, cleaned),
        "missing": _missing(inst, cleaned),
        "complete": False,
        "prorated": False,
    }
    result["complete"] = not result["missing"]
    if scoring.method == "regions":
        return {**result, **_regions(inst, cleaned)}
    if scoring.method == "none":
        return result
    values = {item_id: _scored(inst, cleaned, item_id) for item_id in scoring.items}
    prorated = False
    for sub in scoring.subscales:
        value, sub_prorated = _aggregate(
            [values[i] for i in sub.items], len(sub.items), sub.method, sub.missing_max, scoring
        )
        if value is not None:
            result["subscales"][sub.id] = value
            prorated = prorated or sub_prorated
    if scoring.total_from == "subscales":
        parts = [result["subscales"].get(sub.id) for sub in scoring.subscales]
        total = None if None in parts else sum(parts)
        top = sum(_item_max(inst, s.items, s.method, scoring.multiplier) for s in scoring.subscales)
    else:
        total, total_prorated = _aggregate(
            list(values.values()), len(values), scoring.method, scoring.missing_max, scoring
        )
        prorated = prorated or total_prorated
        top = _item_max(inst, scoring.items, scoring.method, scoring.multiplier)
    result.update(total=total, max=top, prorated=prorated and total is not None)
    if total is not None:
        below = [band for band in inst.bands if band.start <= total]
        result["band"] = below[-1].label if below else None
    if inst.cutoff is not None:
        result["cutoff"] = {
            "value": inst.cutoff.value,
            "label": inst.cutoff.label,
            "reached": inst.cutoff.reached(total),
        }
    return result


def _regions(inst: Instrument, cleaned: dict) -> dict:
    scoring = inst.scoring
    item = inst.item(scoring.items[0])
    regions = cleaned.get(item.id)
    if regions is None:
        return {"regions": [], "widespread": False, "max": len(item.options)}
    group_of = {region: name for name, members in scoring.groups.items() for region in members}
    counted = {group_of[r] for r in regions if r not in scoring.exclude_from_widespread}
    needed = scoring.widespread_groups
    return {
        "total": len(regions),
        "max": len(item.options),
        "regions": regions,
        "widespread": needed is not None and len(counted) >= needed,
    }


def mic(inst: Instrument) -> dict | None:
    """The minimal important change: {points, percent, direction, unconfirmed}, or None
    where none is established (ÖMPSQ-SF predicts; it is not a change measure)."""
    change = inst.minimal_change
    if change is None:
        return None
    return {
        "points": change.points,
        "percent": change.percent,
        "direction": change.direction,
        "unconfirmed": change.unconfirmed,
    }
