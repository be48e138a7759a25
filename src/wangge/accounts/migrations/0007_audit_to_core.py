"""The audit trail's model now belongs to the shared floor (core 0001); its table stays."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0006_token_expiry_officer_resets'),
        ('core', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[migrations.DeleteModel(name='AuditRecord')],
        ),
    ]
