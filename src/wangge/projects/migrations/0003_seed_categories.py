"""The district's eight service project categories (kept by district officials afterwards)."""

from django.db import migrations

CATEGORIES = (
    ("life-services", "生活服务类"),
    ("assistance", "帮扶救济类"),
    ("venue-sharing", "场所共享类"),
    ("culture-sports", "文体活动类"),
    ("elderly-children", "为老助幼类"),
    ("safety", "平安建设类"),
    ("environment", "环境美化类"),
    ("capacity", "能力提升类"),
)


def seed(apps, schema_editor):
    Category = apps.get_model("projects", "Category")
    for order, (code, name) in enumerate(CATEGORIES, start=1):
        Category.objects.get_or_create(code=code, defaults={"name": name, "order": order * 10})


def unseed(apps, schema_editor):
    apps.get_model("projects", "Category").objects.filter(code__in=[code for code, _ in CATEGORIES], projects__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("projects", "0002_notice_links_votes")]

    operations = [migrations.RunPython(seed, unseed)]
