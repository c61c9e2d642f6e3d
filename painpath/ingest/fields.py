"""Parsers for one value of an extract, in every form Swedish EHR systems write it.

Each returns the normalised value or raises RowError with a reason a data steward can act
on (in Swedish: the reasons end up in the rejects file the clinic reads).
"""

import re
from datetime import date, datetime

from painpath.records.models import Sex
from painpath.records.professions import profession_code


class RowError(ValueError):
    """A row cannot be imported; str() is the reason."""


_PLAIN_DATE = re.compile(r"^\d{4}-?\d{2}-?\d{2}$")  # the common forms, parsed in C below
_DATETIME_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S")
_ICD = re.compile(r"^([A-Z]\d\d)([0-9A-Z]{0,4})$")
_ATC = re.compile(r"^[A-Z](\d\d([A-Z]([A-Z](\d\d)?)?)?)?$")
_SEX = {
    "k": Sex.FEMALE, "kvinna": Sex.FEMALE, "f": Sex.FEMALE, "female": Sex.FEMALE,
    "w": Sex.FEMALE, "woman": Sex.FEMALE,
    "m": Sex.MALE, "man": Sex.MALE, "male": Sex.MALE,
}  # fmt: skip
_CONTACT_TYPES = {
    "visit": "visit", "besök": "visit", "mottagningsbesök": "visit",
    "phone": "phone", "telefon": "phone", "telefonkontakt": "phone",
    "digital": "digital", "digitalt": "digital", "video": "digital", "chatt": "digital",
    "home": "home", "hembesök": "home",
    "group": "group", "grupp": "group", "gruppbesök": "group",
}  # fmt: skip


def parse_date(value: str, column: str) -> date:
    text = value.strip()
    if not text:
        raise RowError(f"{column}: värde saknas")
    if _PLAIN_DATE.match(text):
        try:
            return date.fromisoformat(text)  # YYYY-MM-DD and YYYYMMDD
        except ValueError:
            pass
    else:
        for fmt in _DATETIME_FORMATS:
            try:
                return datetime.strptime(text, fmt).date()
            except ValueError:
                continue
    raise RowError(f"{column}: ogiltigt datum {text!r} (ÅÅÅÅ-MM-DD eller ÅÅÅÅMMDD)")


def parse_optional_date(value: str, column: str) -> date | None:
    return parse_date(value, column) if value.strip() else None


def parse_icd10(value: str, column: str = "code") -> str:
    """`R522`, `R52.2`, `r52.2` -> `R52.2`; `R522A` -> `R52.2A`; `R52` stays `R52`."""
    text = value.strip().upper().replace(" ", "").rstrip("+*†")
    # A dot, if written, stands after the three-character category, and something after it.
    dotted = text.count(".") == 1 and text.index(".") == 3 and len(text) > 4
    match = _ICD.match(text.replace(".", "")) if dotted or "." not in text else None
    if not match:
        raise RowError(f"{column}: ogiltig ICD-10-kod {value.strip()!r}")
    head, rest = match.groups()
    return f"{head}.{rest}" if rest else head


def parse_atc(value: str, column: str = "atc") -> str:
    compact = value.strip().upper().replace(" ", "")
    if not _ATC.match(compact):
        raise RowError(f"{column}: ogiltig ATC-kod {value.strip()!r}")
    return compact


def parse_sex(value: str) -> str:
    return _SEX.get(value.strip().lower(), Sex.UNKNOWN)


def parse_profession(value: str, column: str = "profession") -> str:
    """'' for an empty value; the canonical code for a known label; else RowError."""
    if not value.strip():
        return ""
    code = profession_code(value)
    if code is None:
        raise RowError(f"{column}: okänd profession {value.strip()!r}")
    return code


def parse_contact_type(value: str) -> str:
    """Known types map to their code; free text is kept as written."""
    text = parse_text(value, "contact_type", 100)
    return _CONTACT_TYPES.get(text.lower(), text)


def parse_number(value: str, column: str) -> float | None:
    text = value.strip().replace(" ", "").replace("\u00a0", "")
    if not text:
        return None
    try:
        number = float(text.replace(",", "."))  # Swedish decimal comma
    except ValueError:
        raise RowError(f"{column}: inte ett tal: {value.strip()!r}") from None
    if number < 0:
        raise RowError(f"{column}: negativt värde {value.strip()!r}")
    return number


def parse_year(value: str, column: str) -> int | None:
    text = value.strip()
    if not text:
        return None
    if len(text) >= 8:  # a birth_date: take its year
        return parse_date(text, column).year
    if not text.isdigit() or not 1880 <= int(text) <= date.today().year:
        raise RowError(f"{column}: ogiltigt födelseår {text!r}")
    return int(text)


def parse_percent(value: str, column: str) -> int | None:
    number = parse_number(value.rstrip("%"), column)
    if number is None:
        return None
    if number > 100:
        raise RowError(f"{column}: över 100 procent: {value.strip()!r}")
    return round(number)


def parse_id(value: str, column: str, max_length: int = 100) -> str:
    """An id as written ('' when empty); longer than its column holds is an error."""
    text = value.strip()
    if len(text) > max_length:
        raise RowError(f"{column}: längre än {max_length} tecken")
    return text


def parse_text(value: str, column: str, max_length: int) -> str:
    text = " ".join(value.split())
    if len(text) > max_length:
        raise RowError(f"{column}: längre än {max_length} tecken")
    return text
