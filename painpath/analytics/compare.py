"""One period against another: what changed between two deep-dives (or two prescription
summaries) of the same diagnosis set.

Differences are the second period minus the first. Counts are differences in counts (a
count absent from one period is 0 there; a count that is None, unknown or hidden, gives
None);
shares (keys starting with `share`) become differences in percentage points, under the
same key with `_pp` appended, rounded to 2 decimals. Lists are compared by what identifies
their items (a combination by its professions, a band by its name); the clinic's top-ten
ranks, periods and thresholds describe a period rather than count it and are left out.
"""

LEFT_OUT = {"diagnoses", "atc", "period", "birth_year", "threshold", "clinic_top10", "monthly"}
LIST_KEYS = {"combinations": "professions", "per_patient": "band", "by_atc": "atc"}


def compare(first: dict, second: dict) -> dict:
    return _difference(first, second)


def _difference(first: dict, second: dict) -> dict:
    out = {}
    for key in [*first, *(k for k in second if k not in first)]:
        if key in LEFT_OUT:
            continue
        a, b = first.get(key), second.get(key)
        if key in LIST_KEYS:
            a, b = _keyed(a or [], LIST_KEYS[key]), _keyed(b or [], LIST_KEYS[key])
        if isinstance(a, dict) or isinstance(b, dict):
            out[key] = _difference(a or {}, b or {})
        elif key.startswith("share"):
            out[f"{key}_pp"] = None if a is None or b is None else round((b - a) * 100, 2)
        elif _number(a) or _number(b):
            # A count missing from one period is none there (0); one that is there but
            # unknown or hidden (None) makes the difference unknown.
            a = 0 if key not in first else a
            b = 0 if key not in second else b
            out[key] = None if a is None or b is None else b - a
    return out


def _keyed(items: list[dict], name: str) -> dict:
    def key(item):
        value = item[name]
        return "+".join(value) if isinstance(value, list) else str(value)

    return {key(item): {k: v for k, v in item.items() if k != name} for item in items}


def _number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)
