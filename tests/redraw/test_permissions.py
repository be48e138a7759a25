"""The redraw services check who acts, as the pages do: only a district-wide grid-layer manager
saves a proposal or switches layers with their staff; `actor=None` is the system (the command line)."""

import pytest
from django.core.exceptions import PermissionDenied

from wangge.geo.models import GridLayer
from wangge.redraw.inputs import RunOptions, platform_run
from wangge.redraw.reattach import layer_switch, reattach_plan
from wangge.redraw.save import proposal_save


@pytest.mark.parametrize("persona", ["subdistrict_official", "grid_worker"])
def test_only_a_layer_manager_saves_a_proposal_or_switches_layers(people, persona):
    actor = getattr(people, persona).user
    result, old = platform_run(options=RunOptions(min=300, max=500, seed=0))
    layers = GridLayer.objects.count()
    with pytest.raises(PermissionDenied, match="只有区级网格图层管理人员可以重新划分网格"):
        proposal_save(result=result, name="越权方案", actor=actor, from_layer=old)
    assert GridLayer.objects.count() == layers
    new = proposal_save(result=result, name="系统方案", from_layer=old)
    plan = reattach_plan(old_layer=old, new_layer=new)
    with pytest.raises(PermissionDenied, match="只有区级网格图层管理人员可以启用网格图层"):
        layer_switch(new_layer=new, digest=plan.digest, actor=actor, reason="越权")
    assert GridLayer.objects.get(is_active=True) == old
