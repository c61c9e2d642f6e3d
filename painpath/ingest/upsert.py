"""Writing many rows at once by each engine's own path (shared/spec/engines.md, trap 5).

`INSERT … ON CONFLICT (key) DO UPDATE`: idempotent by construction. On SQLite (≥ 3.24) the
rows go through the driver's executemany; on PostgreSQL they are first streamed with COPY
into a temporary table, then merged with one INSERT … SELECT, since a statement per row
would wait on the server for every row.
"""

from collections.abc import Sequence

from django.db import connection, models, transaction


class Upsert:
    """Rows are tuples in `columns` order; the first column is the unique key. A batch
    must not hold one key twice (PostgreSQL refuses to update a row twice in a statement)."""

    def __init__(self, model: type[models.Model], columns: Sequence[str], update: Sequence[str]):
        quote = connection.ops.quote_name
        table = model._meta.db_table
        names = [quote(model._meta.get_field(c).column) for c in columns]
        updated = [quote(model._meta.get_field(c).column) for c in update]
        action = (
            "DO UPDATE SET " + ", ".join(f"{c} = excluded.{c}" for c in updated)
            if updated
            else "DO NOTHING"
        )
        self.model = model
        self.columns = ", ".join(names)
        self.conflict = f"ON CONFLICT ({names[0]}) {action}"
        self.table = quote(table)
        self.staging = quote(f"painpath_load_{table}")
        placeholders = ", ".join(["%s"] * len(names))
        self.sql = (
            f"INSERT INTO {self.table} ({self.columns}) VALUES ({placeholders}) {self.conflict}"
        )

    def write(self, rows: list[tuple]) -> None:
        if not rows:
            return
        if connection.vendor == "postgresql":
            # The staging table lives until the transaction ends: hold one open.
            with transaction.atomic(), connection.cursor() as cursor:
                self._copy_and_merge(cursor, rows)
        else:
            with connection.cursor() as cursor:
                cursor.executemany(self.sql, rows)

    def _copy_and_merge(self, cursor, rows: list[tuple]) -> None:
        cursor.execute(
            f"CREATE TEMPORARY TABLE IF NOT EXISTS {self.staging} ON COMMIT DROP AS "
            f"SELECT {self.columns} FROM {self.table} WITH NO DATA"
        )
        cursor.execute(f"TRUNCATE {self.staging}")
        with cursor.cursor.copy(f"COPY {self.staging} ({self.columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        cursor.execute(
            f"INSERT INTO {self.table} ({self.columns}) "
            f"SELECT {self.columns} FROM {self.staging} {self.conflict}"
        )
