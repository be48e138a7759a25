# Joins the rating's migration (0002) and the registry's (0003), which were written side by side.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("property", "0002_rating_and_votes"),
        ("property", "0003_follow_the_registry"),
    ]

    operations = []
