"""A synthetic region as Parquet: what analytics run on at scale.

`write_region` writes the analytics tables of painpath/analytics/schema.py, one Parquet file
each (`patients.parquet`, `listings.parquet`, …) with exactly the columns and types there,
and `manifest.json` saying what was made: the arguments, the period, the rows per table and
the R52.2 cohort's size (what a deep-dive must find). Clinic ids are "vc001", "vc002", …,
caregiver ids "vc001-c0042", patient ids 1..patients.

The region looks like primary care in a Swedish county, 2020-01-01 to 2024-10-31: see
region_population.py (clinics, listings), region_activity.py (contacts, diagnoses, the
cohort), region_prescriptions.py and region_sickleave.py. Contacts are exactly the number
asked for; the other tables follow from them (about 0.5 diagnoses a contact, nine
prescriptions and a quarter of a sick-leave certificate a patient).

Made with NumPy, whole columns at a time, and written in row groups of a million rows in
date order (then patient), so a period filter skips row groups. One random stream per table
(seeded with the seed and the table), so the same seed gives the same files, byte for byte.
"""

import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from painpath.analytics.schema import SCHEMAS
from painpath.synth.region_activity import make_contacts, plan_cohort
from painpath.synth.region_arrays import (
    BASELINE_LAST,
    EPOCH_SHIFT,
    LAST_DAY,
    NULL_DAY,
    Table,
    streams,
)
from painpath.synth.region_population import build_population, listings_table, patients_table
from painpath.synth.region_prescriptions import make_prescriptions
from painpath.synth.region_sickleave import make_sick_leave

Progress = Callable[[str, int, int | None], None]
DEFAULT_CLINICS = 200
DEFAULT_PATIENTS = 1_000_000
DEFAULT_CONTACTS = 20_000_000
MIN_PATIENTS = 100
ROW_GROUP = 1_000_000
PERIOD = {"from": "2020-01-01", "to": "2024-10-31"}
MANIFEST = "manifest.json"
LABELS = {
    "patients": "Patienter",
    "listings": "Listningar",
    "contacts": "Kontakter",
    "diagnoses": "Diagnoser",
    "prescriptions": "Förskrivningar",
    "sick_leave": "Sjukintyg",
}
_PARTS = {"population": 1, "cohort": 2, "contacts": 3, "prescriptions": 4, "sick_leave": 5}


def check_arguments(clinics: int, patients: int, contacts: int, seed: int) -> None:
    """Raise ValueError for a region that cannot be made."""
    if patients < MIN_PATIENTS:
        raise ValueError(f"patients must be at least {MIN_PATIENTS}, got {patients}")
    if not 1 <= clinics <= patients:
        raise ValueError(f"clinics must be 1..patients ({patients}), got {clinics}")
    if contacts < patients:  # the cohort's registrations alone need a few per hundred
        raise ValueError(f"contacts must be at least patients ({patients}), got {contacts}")
    if seed < 0:
        raise ValueError(f"seed must be 0 or more, got {seed}")


def write_region(
    out_dir: Path,
    *,
    clinics: int = DEFAULT_CLINICS,
    patients: int = DEFAULT_PATIENTS,
    contacts: int = DEFAULT_CONTACTS,
    seed: int = 1,
    progress: Progress | None = None,
) -> dict:
    """Write the region into `out_dir` (created if missing, files replaced); return the
    manifest. `progress(table, rows_written, rows)` is called as row groups are written
    (`rows` None while the table is being made). Raises ValueError for bad arguments and
    OSError when `out_dir` cannot be written, before any work is done."""
    check_arguments(clinics, patients, contacts, seed)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    tempfile.TemporaryFile(dir=out_dir).close()  # fail now, not after a minute of work
    (out_dir / MANIFEST).unlink(missing_ok=True)  # no manifest until every file is new
    report = progress or (lambda table, done, total: None)
    stream = streams(seed)

    def making(*names: str) -> None:
        for name in names:
            report(LABELS[name], 0, None)

    def write(name: str, table: Table) -> None:
        counts[name] = _write(out_dir / f"{name}.parquet", name, table, report)

    counts: dict[str, int] = {}
    making("patients", "listings")
    population = build_population(stream(_PARTS["population"]), clinics, patients)
    registrations = plan_cohort(stream(_PARTS["cohort"]), population)
    write("patients", patients_table(population))
    write("listings", listings_table(population))

    making("contacts", "diagnoses")
    rows, diagnoses = make_contacts(stream(_PARTS["contacts"]), population, registrations, contacts)
    write("contacts", rows)
    del rows  # twenty million rows: gone before the next table is made
    write("diagnoses", diagnoses)
    del diagnoses

    making("prescriptions")
    in_cohort = np.zeros(len(population), dtype=bool)
    in_cohort[registrations.baseline] = in_cohort[registrations.follow_up] = True
    write(
        "prescriptions", make_prescriptions(stream(_PARTS["prescriptions"]), population, in_cohort)
    )
    making("sick_leave")
    write(
        "sick_leave",
        make_sick_leave(stream(_PARTS["sick_leave"]), population, registrations.baseline),
    )

    manifest = {
        "generator": "painpath synth region",
        "arguments": {
            "clinics": clinics,
            "patients": patients,
            "contacts": contacts,
            "seed": seed,
        },
        "seed": seed,
        "period": PERIOD,
        "files": {name: f"{name}.parquet" for name in SCHEMAS},
        "counts": counts,
        "cohort": _cohort(
            registrations.baseline, population.listed_on(BASELINE_LAST), "2020-01-01", "2023-12-31"
        ),
        "follow_up": _cohort(
            registrations.follow_up, population.listed_on(LAST_DAY), "2024-01-01", "2024-10-31"
        ),
    }
    (out_dir / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest


def _cohort(patients: np.ndarray, listed_on_last_day: np.ndarray, first: str, last: str):
    """What the deep-dive must find for R52.2 in the period (the contract's definitions)."""
    listed = int(listed_on_last_day.sum())
    return {
        "diagnoses": ["R52.2"],
        "period": {"from": first, "to": last},
        "patients": len(patients),
        "listed_patients": int(listed),
        "share_of_listed": round(len(patients) / listed, 4),
    }


def _write(path: Path, name: str, table: Table, report: Progress) -> int:
    """Write in row groups, to a part file renamed at the end: an interrupted run never
    leaves a file that looks whole."""
    schema = SCHEMAS[name].to_pyarrow()
    vocab = {column: pa.array(words, pa.string()) for column, words in table.vocab.items()}
    rows, label = len(table), LABELS[name]
    part = path.with_name(path.name + ".part")
    with pq.ParquetWriter(part, schema, compression="zstd") as writer:
        for start in range(0, rows, ROW_GROUP):
            stop = min(rows, start + ROW_GROUP)
            arrays = [
                _arrow(field, table.columns[field.name][start:stop], vocab.get(field.name))
                for field in schema
            ]
            writer.write_table(pa.Table.from_arrays(arrays, schema=schema), ROW_GROUP)
            report(label, stop, rows)
    os.replace(part, path)
    report(label, rows, rows)
    return rows


def _arrow(field: pa.Field, values: np.ndarray, vocab: pa.Array | None) -> pa.Array:
    if vocab is not None:  # coded strings, -1 for null
        nulls = values < 0
        codes = pa.array(values.astype(np.int32), mask=nulls if nulls.any() else None)
        return vocab.take(codes)
    if pa.types.is_date32(field.type):
        nulls = values == NULL_DAY
        days = pa.array(
            (values + EPOCH_SHIFT).astype(np.int32), mask=nulls if nulls.any() else None
        )
        return days.view(pa.date32())
    if pa.types.is_floating(field.type):
        nulls = np.isnan(values)
        return pa.array(values, pa.float64(), mask=nulls if nulls.any() else None)
    ids = field.name == "patient_id"  # held as an index while generating
    return pa.array(values.astype(np.int64) + (1 if ids else 0), pa.int64())
