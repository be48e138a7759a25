"""The net's services check who acts, as the API and the pages do: a person who may not change
the net is refused however the service is reached; `actor=None` is the system (the command line,
the demo)."""

import pytest
from django.core.exceptions import PermissionDenied

from wangge.geo import services
from wangge.geo.models import Grid, GridLayer, GridLayerActivation

REFUSED = ("subdistrict_official", "community_official", "grid_worker", "department_handler", "resident")


@pytest.mark.parametrize("persona", REFUSED)
def test_only_a_layer_manager_imports_or_activates_a_layer(people, persona):
    actor = getattr(people, persona).user
    layers = set(GridLayer.objects.values_list("pk", flat=True))
    with pytest.raises(PermissionDenied, match="只有区级网格图层管理人员可以导入网格图层"):
        services.grid_layer_import(features=[], name="越权导入", crs="wgs84", actor=actor)
    assert set(GridLayer.objects.values_list("pk", flat=True)) == layers
    active = GridLayer.objects.get(is_active=True)
    with pytest.raises(PermissionDenied, match="只有区级网格图层管理人员可以启用网格图层"):
        services.grid_layer_activate(layer=active, actor=actor)
    assert GridLayerActivation.objects.filter(layer=active).count() == 1


def test_a_layer_manager_imports_a_layer(people):
    layer = services.grid_layer_import(features=[], name="区级导入", crs="wgs84", actor=people.district_official.user)
    assert layer.created_by == people.district_official.user and not layer.is_active


@pytest.mark.parametrize(("persona", "grid", "allowed"), [
    ("district_official", "other_grid", True),
    ("community_official", "home_grid", True),
    ("community_official", "other_grid", False),  # an official, but not of that grid's community
    ("grid_worker", "home_grid", False),
    ("resident", "home_grid", False),
])
def test_a_grid_is_renamed_only_by_an_official_whose_scope_holds_it(people, persona, grid, allowed):
    grid = getattr(people, grid)
    actor = getattr(people, persona).user
    if allowed:
        services.grid_rename(grid=grid, name="新名称网格", actor=actor)
    else:
        with pytest.raises(PermissionDenied):
            services.grid_rename(grid=grid, name="新名称网格", actor=actor)
    assert (Grid.objects.get(pk=grid.pk).name == "新名称网格") is allowed
