"""The audit trail (from accounts), the outbox and the Idempotency-Key claims (from cases) move
to the shared floor. Their tables stay as they are: only Django's record of which app owns them
moves, so the database is not touched (the audit trail's append-only triggers stay on its table).
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ('accounts', '0006_token_expiry_officer_resets'),
        ('cases', '0010_idempotency_fillfactor'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='OutboxMessage',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(max_length=40, verbose_name='类型')),
                        ('payload', models.JSONField(default=dict, verbose_name='内容')),
                        ('due_at', models.DateTimeField(db_index=True, verbose_name='发送时间')),
                        ('sent_at', models.DateTimeField(blank=True, db_index=True, null=True, verbose_name='已发送')),
                        ('attempts', models.PositiveSmallIntegerField(default=0, verbose_name='尝试次数')),
                        ('last_error', models.CharField(blank=True, max_length=300, verbose_name='最近错误')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='创建时间')),
                    ],
                    options={
                        'verbose_name': '待发消息',
                        'verbose_name_plural': '待发消息',
                        'db_table': 'cases_outboxmessage',
                        'ordering': ['due_at', 'pk'],
                    },
                ),
                migrations.CreateModel(
                    name='AuditRecord',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('chain', models.PositiveSmallIntegerField(default=0, verbose_name='链')),
                        ('seq', models.BigIntegerField(verbose_name='序号')),
                        ('at', models.DateTimeField(db_index=True, verbose_name='时间')),
                        ('user_id', models.BigIntegerField(blank=True, null=True, verbose_name='用户ID')),
                        ('username', models.CharField(blank=True, max_length=150, verbose_name='用户名')),
                        ('action', models.CharField(db_index=True, max_length=60, verbose_name='操作')),
                        ('object_type', models.CharField(blank=True, max_length=60, verbose_name='对象类型')),
                        ('object_id', models.CharField(blank=True, max_length=64, verbose_name='对象')),
                        ('result', models.CharField(choices=[('ok', '成功'), ('denied', '拒绝'), ('failed', '失败')], max_length=10, verbose_name='结果')),
                        ('address', models.GenericIPAddressField(blank=True, null=True, verbose_name='来源地址')),
                        ('before', models.JSONField(blank=True, null=True, verbose_name='修改前')),
                        ('after', models.JSONField(blank=True, null=True, verbose_name='修改后')),
                        ('detail', models.CharField(blank=True, max_length=300, verbose_name='说明')),
                        ('mac', models.CharField(max_length=64, verbose_name='链式校验值')),
                    ],
                    options={
                        'verbose_name': '审计记录',
                        'verbose_name_plural': '审计记录',
                        'db_table': 'accounts_auditrecord',
                        'ordering': ['at', 'id'],
                        'constraints': [models.UniqueConstraint(fields=('chain', 'seq'), name='audit_chain_seq_once')],
                    },
                ),
                migrations.CreateModel(
                    name='IdempotencyRecord',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('key', models.CharField(max_length=128, verbose_name='幂等键')),
                        ('request_digest', models.CharField(max_length=64, verbose_name='请求摘要')),
                        ('done', models.BooleanField(default=False, verbose_name='已完成')),
                        ('response_status', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='响应状态')),
                        ('response_body', models.JSONField(blank=True, null=True, verbose_name='响应内容')),
                        ('created_at', models.DateTimeField(auto_now_add=True, db_index=True, verbose_name='时间')),
                        ('user', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='用户')),
                    ],
                    options={
                        'verbose_name': '幂等记录',
                        'verbose_name_plural': '幂等记录',
                        'db_table': 'cases_idempotencyrecord',
                        'constraints': [models.UniqueConstraint(fields=('user', 'key'), name='idempotency_key_once')],
                    },
                ),
            ],
        ),
    ]
