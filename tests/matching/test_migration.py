"""Needs stated before kinds existed: the data migration gives them the kind and beneficiary of
their category and keeps their state."""

import importlib

from django.apps import apps

from wangge.matching.models import Need

migration = importlib.import_module("wangge.matching.migrations.0003_needs_kind_from_category")


def test_old_needs_take_their_categorys_kind_and_keep_their_state(people):
    community = people.home_grid.community.code
    old = [Need.objects.create(number=f"XQOLD{i}", category=category, description="旧需求", community_code=community, name="王五", phone="13800138002")
           for i, category in enumerate(("法律服务", "养老服务", "其他"))]
    Need.objects.filter(pk=old[0].pk).update(state="matched")
    Need.objects.filter(pk=old[2].pk).update(state="closed")
    migration.forwards(apps, None)
    rows = {n.number: (n.kind, n.beneficiary, n.state) for n in Need.objects.filter(pk__in=[n.pk for n in old])}
    assert rows == {"XQOLD0": ("expertise", "everyone", "matched"), "XQOLD1": ("service", "elderly", "new"), "XQOLD2": ("service", "everyone", "closed")}
