"""The analytics tables of one engine, and the filters every figure shares.

A `Tables` holds Ibis tables with the columns of schema.py; which engine they live on
(SQLite, PostgreSQL, DuckDB, Spark …) does not matter to the functions that read them.
"""

from collections.abc import Iterable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date

import ibis
from ibis.expr.types import BooleanValue, Table

ClinicScope = str | Sequence[str] | None


@dataclass(frozen=True)
class Tables:
    patients: Table
    listings: Table
    contacts: Table
    diagnoses: Table
    prescriptions: Table | None = None
    sick_leave: Table | None = None

    @contextmanager
    def reused(self, expr: Table):
        """`expr`, computed once and kept in a temporary table while the block runs."""
        with expr.cache() as cached:
            yield cached


@dataclass(frozen=True)
class Period:
    """From `start` to `end`, both days included."""

    start: date
    end: date

    def __post_init__(self):
        if self.start > self.end:
            raise ValueError(f"period starts ({self.start}) after it ends ({self.end})")

    def as_dict(self) -> dict:
        return {"from": self.start.isoformat(), "to": self.end.isoformat()}


def normalise_icd10(code: str) -> str:
    """`r522`, `R52.2` → `R52.2`; `R522A` → `R52.2A`: the importer's stored form."""
    code = code.strip().upper().replace(".", "")
    if not code:
        raise ValueError("an empty diagnosis code")
    return code if len(code) <= 3 else f"{code[:3]}.{code[3:]}"


def normalise_atc(code: str) -> str:
    code = code.strip().upper()
    if not code:
        raise ValueError("an empty ATC code")
    return code


def codes_under(column, codes: Iterable[str]) -> BooleanValue:
    """True where the code is one of `codes` or under one of them (`R52` matches `R52.2`,
    `R52.2` matches `R52.2A`). Codes are stored normalised, so a prefix test says it."""
    return ibis.or_(*(column.startswith(code) for code in codes))


def in_period(column, period: Period) -> BooleanValue:
    return column.between(period.start, period.end)


def clinic_ids(clinic: ClinicScope) -> tuple[str, ...] | None:
    if clinic is None:
        return None
    return (clinic,) if isinstance(clinic, str) else tuple(clinic)


def in_clinics(table: Table, clinics: tuple[str, ...] | None) -> Table:
    """Rows of the given clinics; all rows when no clinic is given."""
    return table if clinics is None else table.filter(table.clinic_id.isin(clinics))


def rows(expr) -> list[dict]:
    """A small result as plain Python values (ints, not NumPy's), on any backend."""
    return expr.to_pyarrow().to_pylist()
