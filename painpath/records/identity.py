"""Patient identities: the personnummer never leaves this module in clear except to the record.

- `id_hash`: HMAC-SHA256 of the normalised id with PAINPATH_PSEUDONYM_KEY. Used to look a
  patient up and to recognise them on re-import. Keyed, because personnummer are few enough
  to brute-force a plain hash (shared/spec/engines.md).
- `pseudonym`: a short, stable label derived from the same keyed hash. The only identity
  analytics output and exports ever see.
- the personnummer itself is stored encrypted (Fernet, PAINPATH_FIELD_KEYS; the first key
  encrypts, all decrypt, so keys can be rotated).
"""

import base64
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from personnummer import personnummer

PNR_SHAPE = re.compile(r"^\d{6}(\d{2})?[-+]?\d{4}$")
# Digits (with - or +) of about a personnummer's length: a mistyped one, never an opaque id,
# or it would be stored in clear as one.
NEAR_PNR = re.compile(r"^(?=(?:\D*\d){9,13}\D*$)[\d\-+ ]+$")


class InvalidPersonnummer(ValueError):
    pass


@dataclass(frozen=True)
class PatientIdentity:
    id_hash: str
    pseudonym: str
    personnummer: str | None  # 12 digits, or None for an opaque id
    external_id: str | None  # the opaque id as given, or None for a personnummer
    birth_year: int | None


def generate_env_keys() -> str:
    """Lines for a `.env` file with fresh keys (`painpath keys >> .env`)."""
    return "\n".join(
        [
            f"PAINPATH_SECRET_KEY={secrets.token_urlsafe(50)}",
            f"PAINPATH_FIELD_KEYS={Fernet.generate_key().decode()}",
            f"PAINPATH_PSEUDONYM_KEY={secrets.token_urlsafe(32)}",
        ]
    )


@cache
def _pseudonym_key() -> bytes:
    key = settings.PSEUDONYM_KEY
    if len(key) < 16:
        raise ImproperlyConfigured(
            "PAINPATH_PSEUDONYM_KEY saknas eller är kortare än 16 tecken. "
            "Kör `painpath keys >> .env` (en gång; nyckeln får aldrig bytas, "
            "annars känns patienterna inte igen vid nästa import)."
        )
    return key.encode()


@cache
def _fernet() -> MultiFernet:
    if not settings.FIELD_KEYS:
        raise ImproperlyConfigured(
            "PAINPATH_FIELD_KEYS saknas: nyckeln som krypterar personnummer. "
            "Kör `painpath keys >> .env` eller sätt variabeln."
        )
    try:
        return MultiFernet([Fernet(key) for key in settings.FIELD_KEYS])
    except ValueError:
        raise ImproperlyConfigured(
            "PAINPATH_FIELD_KEYS är ogiltig: varje nyckel ska vara 32 byte i url-säker base64 "
            "(skapa med `painpath keys`)."
        ) from None


def keyed_hash(kind: str, value: str) -> str:
    return hmac.new(_pseudonym_key(), f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()


def pseudonym_for(id_hash: str) -> str:
    # 60 bits: collision-free in practice for a region (10^6 patients -> p ~ 4e-7).
    digest = hmac.new(_pseudonym_key(), f"pseudonym:{id_hash}".encode(), hashlib.sha256)
    return "P" + base64.b32encode(digest.digest()).decode()[:12]


def encrypt(value: str) -> str:
    return _fernet().encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        raise ImproperlyConfigured(
            "Ett krypterat personnummer kan inte läsas med PAINPATH_FIELD_KEYS: fel nyckel?"
        ) from None


def normalise_personnummer(value: str) -> str:
    """A personnummer or samordningsnummer as 12 digits, or InvalidPersonnummer."""
    compact = value.strip().replace(" ", "")
    if not PNR_SHAPE.match(compact):
        raise InvalidPersonnummer(f"ogiltigt personnummer: fel format ({len(compact)} tecken)")
    try:
        return personnummer.parse(compact).format(True)
    except Exception:  # the library raises its own exception types, or ValueError on dates
        raise InvalidPersonnummer("ogiltigt personnummer: kontrollsiffran stämmer inte") from None


def looks_like_personnummer(value: str) -> bool:
    """Ten or twelve digits, optionally with - or +: must then be a valid personnummer."""
    return bool(PNR_SHAPE.match(value.strip().replace(" ", "")))


def personnummer_hash(value: str) -> str:
    """The look-up hash for a personnummer typed by a user (raises InvalidPersonnummer)."""
    return keyed_hash("pnr", normalise_personnummer(value))


def identify(raw_id: str) -> PatientIdentity:
    """The identity of a patient_id from an extract: a personnummer, or an opaque id."""
    raw = raw_id.strip()
    if NEAR_PNR.match(raw) and not looks_like_personnummer(raw):
        raise InvalidPersonnummer("ogiltigt personnummer: fel antal siffror")
    if looks_like_personnummer(raw):
        number = normalise_personnummer(raw)
        id_hash = keyed_hash("pnr", number)
        return PatientIdentity(id_hash, pseudonym_for(id_hash), number, None, int(number[:4]))
    id_hash = keyed_hash("ext", raw)
    return PatientIdentity(id_hash, pseudonym_for(id_hash), None, raw, None)


def format_personnummer(number: str) -> str:
    """12 digits as YYYYMMDD-NNNN, the form clinicians read."""
    return f"{number[:8]}-{number[8:]}"


_DIGITS_IN_TEXT = re.compile(r"(?<!\d)\d{6}(?:\d{2})?[-+]?\d{4}(?!\d)")


def mask_personnummer(text: str) -> str:
    """The text with each valid personnummer (or samordningsnummer) in it masked; other
    numbers of that shape, such as a period "220313-221231", are kept."""

    def mask(found: re.Match) -> str:
        try:
            normalise_personnummer(found.group())
        except InvalidPersonnummer:
            return found.group()
        return "[personnummer]"

    return _DIGITS_IN_TEXT.sub(mask, text)
