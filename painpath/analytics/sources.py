"""Where the analytics tables come from, when not from the app's own database (that
mapping is Django's business: painpath/deepdive/source.py).

A region's data as Parquet files (`painpath synth region` writes them; a data warehouse
can export them): one `<table>.parquet` file, or a folder of Parquet files, per table of
schema.py. DuckDB reads them in place, without loading.
"""

from pathlib import Path

import ibis

from painpath.analytics.schema import SCHEMAS
from painpath.analytics.tables import Tables

REQUIRED = ("patients", "listings", "contacts", "diagnoses")


class MissingData(ValueError):
    """The folder lacks a table, or a table lacks a column."""


def duckdb_parquet(folder: Path | str, *, con=None) -> Tables:
    folder = Path(folder)
    con = con or ibis.duckdb.connect()
    found = {}
    for name, schema in SCHEMAS.items():
        single, parts = folder / f"{name}.parquet", folder / name
        if single.is_file():
            source = str(single)
        elif parts.is_dir() and any(parts.glob("*.parquet")):
            source = str(parts / "*.parquet")
        elif name in REQUIRED:
            raise MissingData(f"{folder}: {name}.parquet saknas")
        else:
            continue
        table = con.read_parquet(source, table_name=name)
        missing = [column for column in schema.names if column not in table.columns]
        if missing:
            raise MissingData(f"{source}: kolumn saknas: {', '.join(missing)}")
        found[name] = table.select(*schema.names)
    return Tables(**found)
