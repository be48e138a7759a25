"""The audit trail is append-only in the database itself: updates are refused, and deletes are
refused for records younger than the 180-day retention period, whoever connects."""

from django.db import migrations

SQLITE = [
    """CREATE TRIGGER accounts_auditrecord_no_update BEFORE UPDATE ON accounts_auditrecord
       BEGIN SELECT RAISE(ABORT, 'audit records are append-only'); END""",
    """CREATE TRIGGER accounts_auditrecord_retention BEFORE DELETE ON accounts_auditrecord
       WHEN OLD.at > datetime('now', '-180 days')
       BEGIN SELECT RAISE(ABORT, 'audit records younger than 180 days cannot be purged'); END""",
]
SQLITE_REVERSE = ["DROP TRIGGER accounts_auditrecord_no_update", "DROP TRIGGER accounts_auditrecord_retention"]

POSTGRESQL = [
    """CREATE FUNCTION accounts_auditrecord_guard() RETURNS trigger AS $$
       BEGIN
         IF TG_OP = 'UPDATE' THEN RAISE EXCEPTION 'audit records are append-only'; END IF;
         IF OLD.at > now() - interval '180 days' THEN
           RAISE EXCEPTION 'audit records younger than 180 days cannot be purged';
         END IF;
         RETURN OLD;
       END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER accounts_auditrecord_guard BEFORE UPDATE OR DELETE ON accounts_auditrecord
       FOR EACH ROW EXECUTE FUNCTION accounts_auditrecord_guard()""",
]
POSTGRESQL_REVERSE = ["DROP TRIGGER accounts_auditrecord_guard ON accounts_auditrecord", "DROP FUNCTION accounts_auditrecord_guard()"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_security")]
    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRESQL}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE}),
        )
    ]
