"""The starter lists a district edits afterwards: care categories and grid duties."""

from django.db import migrations

CARE_CATEGORIES = [
    ("elderly_alone", "独居老人"),
    ("empty_nest", "空巢老人"),
    ("disabled", "残疾人"),
    ("low_income", "低保户"),
    ("extreme_poverty", "特困人员"),
    ("left_behind_child", "留守儿童"),
    ("key_youth", "重点青少年"),
    ("veteran", "退役军人"),
    ("serious_illness", "大病患者"),
]

DUTIES = [
    ("police", "社区民警", "specialist", False),
    ("urban_management", "城管队员", "specialist", False),
    ("market_supervision", "市场监管员", "specialist", False),
    ("judicial", "司法调解员", "specialist", False),
    ("fire_safety", "消防安全员", "specialist", False),
    ("courtyard_head", "楼院长", "group", False),
    ("volunteer", "志愿者", "group", False),
    ("courier", "快递员", "group", True),
    ("ride_hailing", "网约车司机", "group", True),
    ("delivery", "外卖骑手", "group", True),
]


def seed(apps, schema_editor):
    CareCategory = apps.get_model("people", "CareCategory")
    Duty = apps.get_model("people", "Duty")
    for order, (code, name) in enumerate(CARE_CATEGORIES):
        CareCategory.objects.get_or_create(code=code, defaults={"name": name, "order": order})
    for order, (code, name, kind, new_employment) in enumerate(DUTIES):
        Duty.objects.get_or_create(code=code, defaults={"name": name, "kind": kind, "new_employment": new_employment, "order": order})


class Migration(migrations.Migration):
    dependencies = [("people", "0002_people_and_organisations")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
