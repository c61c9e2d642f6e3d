"""The floor: the extract's rows loaded the plainest, fastest way each engine allows.

No validation, no normalisation, no look-ups, no upsert, no indexes: every CSV file goes
into a bare table with the file's own columns (text), in one transaction, as
shared/spec/engines.md (trap 5) says each engine loads fastest:
- SQLite: `csv.reader`, then `executemany` in large batches;
- PostgreSQL: the file's bytes streamed to `COPY ... FROM STDIN` (psycopg `cursor.copy`),
  so even CSV parsing happens in the server, in C.
The difference to painpath's import is what validation, normalisation and upsert cost.
"""

import csv
import io
import itertools
from pathlib import Path

from painpath.ingest.readers import FILES

SQLITE_BATCH = 100_000
COPY_BLOCK = 1 << 20


def extract_files(folder: Path) -> list[Path]:
    """The extract's CSV files, in the order painpath imports them."""
    found = {p.stem.lower(): p for p in folder.iterdir() if p.suffix.lower() == ".csv"}
    return [found[name] for name in FILES if name in found]


def _decode(data: bytes) -> tuple[str, str]:
    """(text, PostgreSQL encoding name): the two encodings the contract allows."""
    try:
        return data.decode("utf-8-sig"), "UTF8"
    except UnicodeDecodeError:
        return data.decode("cp1252"), "WIN1252"


def _header(text: str) -> tuple[list[str], str]:
    first = text.split("\n", 1)[0]
    delimiter = max(";,\t", key=first.count)
    header = next(csv.reader([first], delimiter=delimiter))
    return [h.strip().lower() for h in header], delimiter


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _create_table(name: str, columns: list[str]) -> str:
    return f"CREATE TABLE raw_{name} ({', '.join(f'{_quote(c)} text' for c in columns)})"


def load_sqlite(database: Path, folder: Path) -> dict[str, int]:
    """Rows loaded per file."""
    import sqlite3

    counts = {}
    conn = sqlite3.connect(database, isolation_level=None)
    try:
        # The same journal settings painpath's SQLite connection uses (painpath/settings.py).
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("BEGIN")
        for file in extract_files(folder):
            name = file.stem.lower()
            text, _ = _decode(file.read_bytes())
            columns, delimiter = _header(text)
            conn.execute(_create_table(name, columns))
            insert = f"INSERT INTO raw_{name} VALUES ({', '.join('?' * len(columns))})"
            reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
            next(reader)
            counts[name] = 0
            while batch := list(itertools.islice(reader, SQLITE_BATCH)):
                conn.executemany(insert, batch)
                counts[name] += len(batch)
        conn.execute("COMMIT")
    finally:
        conn.close()
    return counts


def load_postgresql(url: str, folder: Path) -> dict[str, int]:
    """Rows loaded per file."""
    import psycopg

    counts = {}
    with psycopg.connect(url) as conn, conn.cursor() as cursor:
        for file in extract_files(folder):
            name = file.stem.lower()
            data = file.read_bytes()
            text, encoding = _decode(data)
            columns, delimiter = _header(text)
            del text
            cursor.execute(_create_table(name, columns))
            options = f"FORMAT csv, HEADER true, DELIMITER '{delimiter}', ENCODING '{encoding}'"
            if data.startswith(b"\xef\xbb\xbf"):
                data = data[3:]  # the BOM is not data; HEADER skips the line it is on anyway
            with cursor.copy(f"COPY raw_{name} FROM STDIN WITH ({options})") as copy:
                view = memoryview(data)
                for start in range(0, len(view), COPY_BLOCK):
                    copy.write(view[start : start + COPY_BLOCK])
            counts[name] = cursor.rowcount
        conn.commit()
    return counts
