"""Needs stated before kinds existed take the kind and beneficiary their category implies; their
state (new, matched, closed) is kept as it was: those three are still states of the workflow."""

from django.db import migrations

# Frozen here: the mapping of kinds.py when this migration was written.
CATEGORY_KINDS = {"就业帮扶": "expertise", "文体活动": "venue", "法律服务": "expertise", "环境改善": "manpower"}
CATEGORY_BENEFICIARIES = {"养老服务": "elderly", "助残服务": "disabled", "儿童关爱": "children"}


def forwards(apps, schema_editor):
    Need = apps.get_model("matching", "Need")
    for category, kind in CATEGORY_KINDS.items():
        Need.objects.filter(category=category).update(kind=kind)
    for category, beneficiary in CATEGORY_BENEFICIARIES.items():
        Need.objects.filter(category=category).update(beneficiary=beneficiary)


class Migration(migrations.Migration):

    dependencies = [("matching", "0002_resources_needs_fairs")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
