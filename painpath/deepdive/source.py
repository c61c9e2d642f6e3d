"""The app's own database as analytics tables (painpath/analytics/schema.py).

Analytics run on Django's open connection, so they read what the request or command sees
(including its transaction: tests, an import just made) and need no second login. The
app's ids are integers: `clinic_id` here is the Clinic's primary key, which is what
`clinic=` must then be given (see service.clinic_scope).
"""

from contextlib import contextmanager

import ibis
from django.db import connection

from painpath.analytics import Tables


@contextmanager
def app_tables():
    """Tables over the app database, for the length of the `with` block."""
    connection.ensure_connection()
    raw = connection.connection
    if connection.vendor == "sqlite":
        backend = ibis.sqlite.from_connection(_Borrowed(raw))
        try:
            yield _tables(backend)
        finally:
            # ibis turns on case-sensitive LIKE; Django's icontains relies on it being off.
            raw.execute("PRAGMA case_sensitive_like = OFF")
    elif connection.vendor == "postgresql":
        yield _tables(ibis.postgres.from_connection(raw))
    else:
        raise NotImplementedError(f"analytics on {connection.vendor} are not supported")


class _Borrowed:
    """Django's SQLite connection lent to Ibis. Ibis's SQLite backend commits after every
    schema look-up and table it makes; the transaction is Django's (a request's atomic
    block, a test), so committing or rolling back is left to Django."""

    def __init__(self, connection):
        self._connection = connection

    def __getattr__(self, name):
        return getattr(self._connection, name)

    def commit(self):
        pass

    def rollback(self):
        pass


def _tables(backend) -> Tables:
    def table(name):
        return backend.table(name)

    patients = table("records_patient")
    listings = table("records_listing")
    contacts = table("records_contact")
    diagnoses = table("records_diagnosis")
    prescriptions = table("records_prescription")
    leave = table("records_sickleave")
    return Tables(
        patients=patients.select(
            patient_id=patients.id, sex=patients.sex, birth_year=patients.birth_year.cast("int64")
        ),
        listings=listings.select("patient_id", "clinic_id", "listed_from", "listed_to"),
        contacts=contacts.select("patient_id", "clinic_id", "date"),
        diagnoses=diagnoses.select(
            "patient_id",
            "clinic_id",
            "date",
            "code",
            caregiver_id=diagnoses.caregiver_id.cast("string"),
            profession=diagnoses.profession.nullif(""),
        ),
        prescriptions=prescriptions.select(
            "patient_id", "clinic_id", "date", "atc", "strength_mg", "packages", "pack_size"
        ),
        sick_leave=leave.select("patient_id", "clinic_id", "start", "end", "code"),
    )
