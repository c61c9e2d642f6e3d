"""Throwaway databases for a benchmark: a fresh SQLite file or a fresh PostgreSQL database,
and the environment a child process needs to run painpath against it."""

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from benchmarks import OUT

POSTGRES_SERVER = "postgresql://postgres@127.0.0.1:5432"
ENGINES = ("sqlite", "postgresql")


def _throwaway_keys() -> dict[str, str]:
    """Fresh keys for one benchmark run; every child of the run must share them, or a
    re-import would not recognise the patients of the first import."""
    import secrets

    from cryptography.fernet import Fernet

    return {
        "PAINPATH_SECRET_KEY": secrets.token_urlsafe(50),
        "PAINPATH_FIELD_KEYS": Fernet.generate_key().decode(),
        "PAINPATH_PSEUDONYM_KEY": secrets.token_urlsafe(32),
    }


_KEYS: dict[str, str] = {}


def child_env(database_url: str) -> dict[str, str]:
    """The environment of a child that runs painpath against `database_url`."""
    if not _KEYS:
        _KEYS.update(_throwaway_keys())
    return {
        **os.environ,
        **_KEYS,
        "DJANGO_SETTINGS_MODULE": "painpath.settings",
        "DATABASE_URL": database_url,
        "PAINPATH_ENV_FILE": "/nonexistent/.env",  # a developer's .env must not leak in
        "PAINPATH_DATA_DIR": str(OUT / "var"),
        "PAINPATH_DEBUG": "0",
    }


@contextmanager
def fresh_database(engine: str, name: str) -> Iterator[str]:
    """Yields the URL of an empty database called `name`, removed afterwards."""
    if engine == "sqlite":
        yield from _sqlite(OUT / f"{name}.sqlite3")
    elif engine == "postgresql":
        yield from _postgresql(name)
    else:
        raise ValueError(f"unknown engine {engine!r}; choose from {', '.join(ENGINES)}")


def _remove_sqlite(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _sqlite(path: Path) -> Iterator[str]:
    path.parent.mkdir(parents=True, exist_ok=True)
    _remove_sqlite(path)
    try:
        yield f"sqlite:///{path}"
    finally:
        _remove_sqlite(path)


def _admin(statement: str) -> None:
    import psycopg

    with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True) as conn:
        conn.execute(statement)


def _postgresql(name: str) -> Iterator[str]:
    if not name.isidentifier():
        raise ValueError(f"not a safe database name: {name!r}")
    _admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    _admin(f"CREATE DATABASE {name}")
    try:
        yield f"{POSTGRES_SERVER}/{name}"
    finally:
        _admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def postgres_available() -> str | None:
    """None when the server answers, else why not."""
    try:
        _admin("SELECT 1")
    except Exception as error:  # psycopg.OperationalError and friends
        return str(error).strip().splitlines()[0]
    return None
