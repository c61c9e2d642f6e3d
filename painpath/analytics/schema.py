"""The tables analytics read, whatever engine holds them.

The app database (SQLite, PostgreSQL), a region's Parquet files on DuckDB, or a Spark
cluster each present these tables with these columns (painpath/deepdive/source.py maps the
app's own tables onto them; `painpath synth region` writes them as Parquet, one file or
folder per table named as below). Analytics use no other column.

`patient_id`, `clinic_id` and `caregiver_id` are opaque: compared for equality and grouped
on, never shown. A personnummer never reaches these tables. `profession` is a code of
PROFESSIONS (or null when unknown): the registration's stated profession, else its
caregiver's (the importer resolves that). Empty strings count as null.
"""

import ibis
import ibis.expr.datatypes as dt

PATIENTS = ibis.schema({"patient_id": dt.int64, "sex": dt.string, "birth_year": dt.int64})
LISTINGS = ibis.schema(
    {
        "patient_id": dt.int64,
        "clinic_id": dt.string,
        "listed_from": dt.date,  # null: listed since before the data begins
        "listed_to": dt.date,  # null: still listed
    }
)
CONTACTS = ibis.schema({"patient_id": dt.int64, "clinic_id": dt.string, "date": dt.date})
DIAGNOSES = ibis.schema(
    {
        "patient_id": dt.int64,
        "clinic_id": dt.string,
        "date": dt.date,
        "code": dt.string,  # ICD-10-SE as stored by the importer: "R52.2", "R52.2A"
        "caregiver_id": dt.string,
        "profession": dt.string,
    }
)
PRESCRIPTIONS = ibis.schema(
    {
        "patient_id": dt.int64,
        "clinic_id": dt.string,
        "date": dt.date,
        "atc": dt.string,  # upper case: "N02AA05"
        "strength_mg": dt.float64,
        "packages": dt.float64,
        "pack_size": dt.float64,
    }
)
SICK_LEAVE = ibis.schema(
    {
        "patient_id": dt.int64,
        "clinic_id": dt.string,
        "start": dt.date,
        "end": dt.date,
        "code": dt.string,
    }
)

SCHEMAS = {
    "patients": PATIENTS,
    "listings": LISTINGS,
    "contacts": CONTACTS,
    "diagnoses": DIAGNOSES,
    "prescriptions": PRESCRIPTIONS,
    "sick_leave": SICK_LEAVE,
}

# The contract's profession codes in their fixed order (shared/spec/extract-format.md).
# Combination keys are built from this order (shared/spec/engines.md, trap 2): append new
# codes, never reorder. painpath/records/professions.py holds the labels.
PROFESSIONS: tuple[str, ...] = (
    "physician",
    "nurse",
    "assistant_nurse",
    "physiotherapist",
    "occupational_therapist",
    "psychologist",
    "counsellor",
    "rehab_coordinator",
    "dietitian",
)
