"""The sequence that a case's receipt number takes its six digits from on PostgreSQL
(`services._new_number`); SQLite numbers each day from its highest and needs none."""

from django.db import migrations

SEQUENCE = "cases_case_receipt"  # services.RECEIPT_SEQUENCE, as it was when this migration was written


def _create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"CREATE SEQUENCE IF NOT EXISTS {SEQUENCE}")


def _drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP SEQUENCE IF EXISTS {SEQUENCE}")


class Migration(migrations.Migration):
    dependencies = [("cases", "0007_duplicate_search_index")]
    operations = [migrations.RunPython(_create, _drop)]
