"""Typed helpers for reading configuration from the environment.

A bad value stops start-up with a message that says which variable to set and how.
A `.env` file in the working directory (or at PAINPATH_ENV_FILE) is read first; the real
environment wins over it. `make demo` writes one with freshly generated keys.
"""

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

TRUE = {"1", "true", "yes", "on", "ja"}
FALSE = {"0", "false", "no", "off", "nej", ""}


def load_env_file(path: Path) -> None:
    """Put KEY=VALUE lines of `path` into os.environ unless already set."""
    if not path.is_file():
        return
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        key, sep, value = line.partition("=")
        if not sep:
            raise ImproperlyConfigured(f"{path}, rad {number}: väntade NAMN=värde, fick {line!r}")
        os.environ.setdefault(key.strip(), value.strip().strip("'\""))


def envstr(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def envbool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    if value.lower() in TRUE:
        return True
    if value.lower() in FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={value!r}: sätt 1/0, true/false eller yes/no")


def envint(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r}: sätt ett heltal") from None


def envlist(name: str, default: str = "") -> list[str]:
    return [part.strip() for part in os.environ.get(name, default).split(",") if part.strip()]
