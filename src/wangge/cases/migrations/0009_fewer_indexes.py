"""One index per need on the case table (every report inserts into each), and none of its own
for an idempotency record's user, whose unique (user, key) index leads with it."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0008_receipt_sequence'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name='case',
            name='grid_code',
            field=models.CharField(blank=True, editable=False, max_length=32, verbose_name='所在网格编码'),
        ),
        migrations.AlterField(
            model_name='case',
            name='number',
            field=models.CharField(max_length=20, verbose_name='受理编号'),
        ),
        migrations.AlterField(
            model_name='case',
            name='status',
            field=models.CharField(choices=[('reported', '已上报'), ('accepted', '已立案待派遣'), ('rejected', '不予立案'), ('dispatched', '已派遣'), ('handling', '处置中'), ('handled', '已处置待核查'), ('verified', '已核查'), ('closed', '已结案')], default='reported', max_length=12, verbose_name='状态'),
        ),
        migrations.AlterField(
            model_name='idempotencyrecord',
            name='user',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='用户'),
        ),
        migrations.AddIndex(
            model_name='case',
            index=models.Index(fields=['grid_code'], name='case_grid', opclasses=['varchar_pattern_ops']),
        ),
        migrations.AddIndex(
            model_name='case',
            index=models.Index(fields=['status'], name='case_status'),
        ),
        migrations.AddConstraint(
            model_name='case',
            constraint=models.UniqueConstraint(fields=('number',), name='case_number_once'),
        ),
    ]
