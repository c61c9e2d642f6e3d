"""Swedish words and files for people: profession and combination labels as the Habo report
writes them, Swedish sort order, and CSV that Swedish Excel opens as it is."""

import csv
import io

from django.utils.translation import gettext as _

from painpath.records.professions import Profession


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


PRESCRIPTION_HEADER = ["Månad", "Förskrivningar", "Patienter", "Orala morfinekvivalenter (mg)"]


def prescriptions_csv(result: dict) -> str:
    rows = [(m["month"], m["prescriptions"], m["patients"], m["ome_mg"]) for m in result["monthly"]]
    return rows_csv(PRESCRIPTION_HEADER, rows)
