"""Starter categories (GB/T 30428.2-2013 components and events, and social governance) and
default stage deadlines in working hours; a district edits both afterwards."""

from django.db import migrations

CATEGORIES = [
    # (code, name, kind, parent code)
    ("public_facilities", "公用设施", "component", None),
    ("manhole_cover", "井盖", "component", "public_facilities"),
    ("street_light", "路灯", "component", "public_facilities"),
    ("traffic_facilities", "道路交通", "component", None),
    ("traffic_sign", "交通标志", "component", "traffic_facilities"),
    ("city_appearance_facilities", "市容环境设施", "component", None),
    ("trash_bin", "垃圾桶（箱）", "component", "city_appearance_facilities"),
    ("landscaping", "园林绿化", "component", None),
    ("other_facilities", "其他设施", "component", None),
    ("city_environment", "市容环境", "event", None),
    ("exposed_garbage", "暴露垃圾", "event", "city_environment"),
    ("advertising", "宣传广告", "event", None),
    ("illegal_ad", "非法小广告", "event", "advertising"),
    ("construction", "施工管理", "event", None),
    ("street_order", "街面秩序", "event", None),
    ("street_vending", "无照经营游商", "event", "street_order"),
    ("emergency", "突发事件", "event", None),
    ("other_events", "其他事件", "event", None),
    ("dispute", "矛盾纠纷", "social", None),
    ("safety_hazard", "安全隐患", "social", None),
    ("care_visit", "关爱走访", "social", None),
]

# status -> working hours allowed in it, for every category unless a category says otherwise
DEADLINES = {"reported": 2, "accepted": 2, "dispatched": 4, "handling": 16, "handled": 8, "verified": 4}


def seed(apps, schema_editor):
    Category = apps.get_model("cases", "Category")
    Deadline = apps.get_model("cases", "Deadline")
    made = {}
    for order, (code, name, kind, parent) in enumerate(CATEGORIES):
        made[code], _ = Category.objects.get_or_create(code=code, defaults={"name": name, "kind": kind, "parent": made.get(parent), "order": order})
    for status, hours in DEADLINES.items():
        Deadline.objects.get_or_create(category=None, status=status, defaults={"working_hours": hours})


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
