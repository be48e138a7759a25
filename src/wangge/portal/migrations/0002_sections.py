from django.db import migrations

SECTIONS = [("media", "媒体报道", 1), ("notices", "通知公告", 2), ("work", "工作动态", 3), ("policy", "政策解读", 4)]


def create(apps, schema_editor):
    Section = apps.get_model("portal", "Section")
    for code, name, order in SECTIONS:
        Section.objects.get_or_create(code=code, defaults={"name": name, "order": order})


class Migration(migrations.Migration):
    dependencies = [("portal", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
