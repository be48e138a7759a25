"""The audit trail in several chains (`audit.CHAINS`): a row's `seq` runs without gaps within its
chain. Rows written before are chain 0, whose sequence they already are.

On SQLite, changing the table's columns rebuilds it, and the rebuild loses the append-only
triggers; they are made again last."""

import importlib

from django.db import migrations, models

APPEND_ONLY = importlib.import_module("wangge.accounts.migrations.0003_audit_append_only")


def _triggers_again(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in APPEND_ONLY.SQLITE:
            schema_editor.execute(statement)


def _triggers_gone(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in APPEND_ONLY.SQLITE_REVERSE:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_audit_append_only")]
    operations = [
        migrations.RunPython(_triggers_gone, _triggers_again),
        migrations.AlterModelOptions(
            name="auditrecord",
            options={"ordering": ["at", "id"], "verbose_name": "审计记录", "verbose_name_plural": "审计记录"},
        ),
        migrations.AddField(model_name="auditrecord", name="chain", field=models.PositiveSmallIntegerField(default=0, verbose_name="链")),
        migrations.AlterField(model_name="auditrecord", name="seq", field=models.BigIntegerField(verbose_name="序号")),
        migrations.AddConstraint(model_name="auditrecord", constraint=models.UniqueConstraint(fields=("chain", "seq"), name="audit_chain_seq_once")),
        migrations.RunPython(_triggers_again, _triggers_gone),
    ]
