"""The audit log is append-only in the database itself, not only in the model: UPDATE,
DELETE (and on PostgreSQL TRUNCATE) of a non-empty access_auditevent are refused by
triggers, whoever connects. Emptying an already empty table loses nothing and is allowed,
which lets test databases be flushed."""

from django.db import migrations

SQLITE = [
    """CREATE TRIGGER audit_no_update BEFORE UPDATE ON access_auditevent
       BEGIN SELECT RAISE(ABORT, 'access_auditevent is append-only'); END""",
    """CREATE TRIGGER audit_no_delete BEFORE DELETE ON access_auditevent
       BEGIN SELECT RAISE(ABORT, 'access_auditevent is append-only'); END""",
]
SQLITE_REVERSE = ["DROP TRIGGER audit_no_update", "DROP TRIGGER audit_no_delete"]
POSTGRESQL = [
    """CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         IF EXISTS (SELECT 1 FROM access_auditevent) THEN
           RAISE EXCEPTION 'access_auditevent is append-only';
         END IF;
         RETURN NULL;
       END $$""",
    """CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE OR TRUNCATE
       ON access_auditevent FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only()""",
]
POSTGRESQL_REVERSE = [
    "DROP TRIGGER audit_append_only ON access_auditevent",
    "DROP FUNCTION audit_append_only()",
]


def forwards(apps, schema_editor):
    _run(schema_editor, SQLITE if schema_editor.connection.vendor == "sqlite" else POSTGRESQL)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    _run(schema_editor, SQLITE_REVERSE if vendor == "sqlite" else POSTGRESQL_REVERSE)


def _run(schema_editor, statements):
    if schema_editor.connection.vendor not in ("sqlite", "postgresql"):
        return  # other databases: the model alone guards the log
    for statement in statements:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("access", "0002_roles")]
    operations = [migrations.RunPython(forwards, backwards)]
