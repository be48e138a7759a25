"""The history of each piece's publication moves. Pieces published before it keep what they
recorded of their last moves: the submission, and the approval or the return that followed it
(a withdrawal kept neither who nor when, so it is not made up)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def _steps(item) -> list[dict]:
    steps = []
    if item.submitted_at:
        steps.append({"from_status": "draft", "to_status": "review", "actor_id": item.submitted_by_id, "at": item.submitted_at, "reason": ""})
    if item.reviewed_at and item.stage in ("published", "withdrawn"):
        steps.append({"from_status": "review", "to_status": "published", "actor_id": item.reviewed_by_id, "at": item.reviewed_at, "reason": item.flags_accepted})
    elif item.reviewed_at and item.stage == "draft" and item.review_note:
        steps.append({"from_status": "review", "to_status": "draft", "actor_id": item.reviewed_by_id, "at": item.reviewed_at, "reason": item.review_note})
    return steps


def kept_moves(apps, schema_editor):
    for model, history, subject in (("Article", "ArticleTransition", "article"), ("Disclosure", "DisclosureTransition", "disclosure")):
        Step = apps.get_model("portal", history)
        for item in apps.get_model("portal", model).objects.exclude(submitted_at=None).iterator(chunk_size=500):
            Step.objects.bulk_create([Step(**{subject: item}, **step) for step in _steps(item)])


class Migration(migrations.Migration):

    dependencies = [
        ('portal', '0002_sections'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='ArticleTransition',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('from_status', models.CharField(blank=True, max_length=16, verbose_name='原状态')),
                ('to_status', models.CharField(max_length=16, verbose_name='新状态')),
                ('at', models.DateTimeField(verbose_name='时间')),
                ('reason', models.CharField(blank=True, max_length=500, verbose_name='原因')),
                ('deadline_at', models.DateTimeField(blank=True, null=True, verbose_name='本环节时限')),
                ('actor', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='操作人')),
                ('article', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='transitions', to='portal.article', verbose_name='文章')),
            ],
            options={
                'verbose_name': '文章流转记录',
                'verbose_name_plural': '文章流转记录',
                'ordering': ['at', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='DisclosureTransition',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('from_status', models.CharField(blank=True, max_length=16, verbose_name='原状态')),
                ('to_status', models.CharField(max_length=16, verbose_name='新状态')),
                ('at', models.DateTimeField(verbose_name='时间')),
                ('reason', models.CharField(blank=True, max_length=500, verbose_name='原因')),
                ('deadline_at', models.DateTimeField(blank=True, null=True, verbose_name='本环节时限')),
                ('actor', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='操作人')),
                ('disclosure', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='transitions', to='portal.disclosure', verbose_name='公开公示')),
            ],
            options={
                'verbose_name': '公示流转记录',
                'verbose_name_plural': '公示流转记录',
                'ordering': ['at', 'pk'],
            },
        ),
        migrations.RunPython(kept_moves, migrations.RunPython.noop),
    ]
