"""Room in each page of the idempotency records (PostgreSQL), so that storing a request's
answer (an update of its record) is a heap-only update, which writes no index entries."""

from django.db import migrations

TABLE = "cases_idempotencyrecord"


def _room(fillfactor: int):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"ALTER TABLE {TABLE} SET (fillfactor = {fillfactor})")

    return run


class Migration(migrations.Migration):
    dependencies = [("cases", "0009_fewer_indexes")]
    operations = [migrations.RunPython(_room(50), _room(100))]
