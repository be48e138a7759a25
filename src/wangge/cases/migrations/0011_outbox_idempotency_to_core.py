"""The outbox and the Idempotency-Key claims now belong to the shared floor (core 0001); their
tables stay."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0010_idempotency_fillfactor'),
        ('core', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.DeleteModel(name='OutboxMessage'),
                migrations.DeleteModel(name='IdempotencyRecord'),
            ],
        ),
    ]
