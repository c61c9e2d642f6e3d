"""A deep-dive as rows for people: the Habo report's sections and Swedish wording, one row
per figure, with the comparison period and the difference beside it. The CSV download, the
CLI's `--format csv` and `--format table` all come from `figure_rows`.
"""

import csv
import io

from django.utils.translation import gettext as _

from painpath.analytics.schema import PROFESSIONS
from painpath.records.professions import Profession

HEADER = ["Avsnitt", "Mått", "Period", "Jämförelseperiod", "Skillnad"]


def profession_label(code: str) -> str:
    return str(Profession(code).label) if code in Profession.values else _("Okänd profession")


SWEDISH_LAST = str.maketrans({"å": "{", "ä": "|", "ö": "}"})


def swedish_sort_key(text: str) -> str:
    """Sorts as Swedish does: å, ä, ö after z (Python's default puts them elsewhere)."""
    return text.lower().translate(SWEDISH_LAST)


def combination_label(codes) -> str:
    """As the Habo report writes it: "Arbetsterapeut, fysioterapeut/sjukgymnast, läkare"."""
    labels = sorted((profession_label(code) for code in codes), key=swedish_sort_key)
    text = ", ".join(label.lower() for label in labels)
    return text[:1].upper() + text[1:]


def _percent(share):
    return None if share is None else round(share * 100, 2)


def figure_rows(main: dict, compare: dict | None = None, difference: dict | None = None):
    """(section, measure, value, comparison value, difference) for every figure. Shares are
    in per cent and their differences in percentage points."""
    second = compare or {}
    diff = difference or {}

    def get(result, *path):
        for key in path:
            if isinstance(result, dict):
                result = result.get(key)
            else:
                return None
        return result

    def row(section, measure, *path, share=False):
        a, b = get(main, *path), get(second, *path)
        d = get(diff, *path[:-1], f"{path[-1]}_pp" if share else path[-1])
        if share:
            a, b = _percent(a), _percent(b)
        return (section, measure, a, b if compare else None, d if compare else None)

    def keyed(result, key, name):
        items = get(result, *key) or []
        return {("+".join(i[name]) if isinstance(i[name], list) else i[name]): i for i in items}

    cohort = "Kohort"
    yield row(cohort, "Unika patienter", "patients")
    yield row(cohort, "Listade patienter periodens sista dag", "listed_patients")
    yield row(cohort, "Andel av listade (%)", "share_of_listed", share=True)
    for key, label in (("female", "Kvinnor"), ("male", "Män"), ("unknown", "Okänt kön")):
        yield row(cohort, label, "sex", key)
    yield row(cohort, "Född tidigast (år)", "birth_year", "min")
    yield row(cohort, "Född senast (år)", "birth_year", "max")

    section = "Profession som satt diagnosen (antal patienter)"
    met = set(get(main, "by_profession") or {}) | set(get(second, "by_profession") or {})
    for code in [p for p in PROFESSIONS if p in met]:
        yield row(section, profession_label(code), "by_profession", code)

    section = "Antal professioner per patient"
    counts = set(get(main, "professions_per_patient") or {})
    counts |= set(get(second, "professions_per_patient") or {})
    for count in sorted(counts, key=int):
        label = "1 profession" if count == "1" else f"{count} professioner"
        yield row(section, label, "professions_per_patient", count)

    section = "Kombinationer av professioner (antal patienter)"
    first_combos = keyed(main, ("combinations",), "professions")
    second_combos = keyed(second, ("combinations",), "professions")
    for key in [*first_combos, *(k for k in second_combos if k not in first_combos)]:
        a = (first_combos.get(key) or {}).get("patients")
        b = (second_combos.get(key) or {}).get("patients")
        d = get(diff, "combinations", key, "patients")
        label = combination_label(key.split("+"))
        yield (section, label, a or 0, (b or 0) if compare else None, d if compare else None)

    section = "Kontinuitet"
    yield row(section, "Träffat mer än en profession", "multi_profession", "patients")
    yield row(section, "Andel som träffat mer än en profession (%)", "multi_profession", "share",
              share=True)  # fmt: skip
    yield row(section, "En profession, samma vårdgivare varje gång",
              "single_profession_same_caregiver")  # fmt: skip
    yield row(section, "Minst två vårdgivare i samma profession",
              "same_profession_several_caregivers", "patients")  # fmt: skip
    several = set(get(main, "same_profession_several_caregivers", "by_profession") or {})
    several |= set(get(second, "same_profession_several_caregivers", "by_profession") or {})
    for code in [p for p in PROFESSIONS if p in several]:
        yield row(section, f"– varav {profession_label(code).lower()}",
                  "same_profession_several_caregivers", "by_profession", code)  # fmt: skip

    section = "Kontakter"
    threshold = get(main, "contacts", "threshold")
    yield row(section, f"Fler än {threshold} kontakter under perioden",
              "contacts", "frequent_attenders")  # fmt: skip
    for place in get(main, "contacts", "clinic_top10") or []:
        yield (section, f"Bland vårdcentralens tio med flest kontakter: plats {place['rank']}",
               place["contacts"], None, None)  # fmt: skip
    first_bands = keyed(main, ("contacts", "per_patient"), "band")
    second_bands = keyed(second, ("contacts", "per_patient"), "band")
    for band in first_bands:
        d = get(diff, "contacts", "per_patient", band, "patients")
        b = (second_bands.get(band) or {}).get("patients")
        yield (section, f"Patienter med {band} kontakter", first_bands[band]["patients"],
               b if compare else None, d if compare else None)  # fmt: skip

    section = "Sjukskrivning kopplad till diagnosen"
    for key, label in (
        ("patients", "Patienter"),
        ("female", "Kvinnor"),
        ("male", "Män"),
        ("spells", "Sjukskrivningsperioder"),
        ("under_90_days", "Perioder kortare än 90 dagar"),
        ("longest_days", "Längsta period (dagar)"),
    ):
        yield row(section, label, "sick_leave", key)


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.2f}".replace(".", ",")  # Swedish Excel reads a decimal comma
    return str(value)


def rows_csv(header: list[str], rows) -> str:
    """`;`-separated with a BOM: Excel in Swedish opens it with the right columns and å, ä, ö."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([_cell(value) for value in row])
    return out.getvalue()


def deep_dive_csv(result: dict) -> str:
    """The CSV of a run_deep_dive result: every figure, hidden ones as empty cells."""
    header = HEADER if result.get("compare") else HEADER[:3]
    width = len(header)
    rows = (r[:width] for r in figure_rows(result["main"], result.get("compare"),
                                           result.get("difference")))  # fmt: skip
    return rows_csv(header, rows)


PRESCRIPTION_HEADER = ["Månad", "Förskrivningar", "Patienter", "Orala morfinekvivalenter (mg)"]


def prescriptions_csv(result: dict) -> str:
    rows = [(m["month"], m["prescriptions"], m["patients"], m["ome_mg"]) for m in result["monthly"]]
    return rows_csv(PRESCRIPTION_HEADER, rows)
