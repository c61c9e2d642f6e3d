"""The engines the analytics spec suite runs on, and how tiny test tables reach each.

Every spec test takes the `engine` fixture (tests/analytics/conftest.py) and calls
`engine.tables(patients=[...], contacts=[...], ...)` with plain rows; missing columns are
null, missing tables empty. The same Tables then go to the function under test, so one
expected dict is checked against every engine.
"""

import itertools
import os
from dataclasses import dataclass, field

import ibis
import pyarrow as pa

from painpath.analytics import Tables
from painpath.analytics.schema import SCHEMAS

_names = itertools.count()


def arrow_table(name: str, rows: list[dict]) -> pa.Table:
    schema = SCHEMAS[name].to_pyarrow()
    unknown = {key for row in rows for key in row} - set(schema.names)
    if unknown:
        raise KeyError(f"{name}: no column {', '.join(sorted(unknown))} in schema.py")
    columns = {column: [row.get(column) for row in rows] for column in schema.names}
    return pa.table(columns, schema=schema)


@dataclass
class Engine:
    name: str
    con: object
    temp: bool = True
    made: list[str] = field(default_factory=list)

    def tables(self, **rows: list[dict]) -> Tables:
        loaded = {}
        for name in SCHEMAS:
            table_name = f"t{next(_names)}_{name}"
            data = arrow_table(name, rows.get(name, []))
            loaded[name] = self.create(table_name, data)
            self.made.append(table_name)
        return Tables(**loaded)

    def create(self, table_name: str, data: pa.Table):
        return self.con.create_table(table_name, data, temp=self.temp)

    def close(self):
        disconnect = getattr(self.con, "disconnect", None)
        if disconnect:
            disconnect()


def postgres_url() -> str | None:
    """The PostgreSQL the suite runs on (CI sets DATABASE_URL), else none."""
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else None


def connect(name: str) -> Engine:
    if name == "sqlite":
        return Engine(name, ibis.sqlite.connect())
    if name == "duckdb":
        return Engine(name, ibis.duckdb.connect())
    if name == "postgres":
        return Engine(name, ibis.connect(postgres_url().replace("postgres://", "postgresql://")))
    raise ValueError(name)


ENGINES = ("sqlite", "duckdb", "postgres")


def unavailable(name: str) -> str | None:
    """Why an engine cannot run here, or None."""
    if name == "postgres" and not postgres_url():
        return "PostgreSQL: set DATABASE_URL=postgres://… (CI does)"
    return None
