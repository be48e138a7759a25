import pytest

from wangge.people.models import Building


@pytest.fixture
def spots(people):
    """Points of buildings in the home grid's community, in other communities, and one elsewhere."""
    community = people.home_grid.community.code
    home = list(Building.objects.filter(grid_code__startswith=community).order_by("pk").values_list("lon", "lat")[:40:5])
    away = list(Building.objects.exclude(grid_code__startswith=community).order_by("pk").values_list("lon", "lat", "grid_code")[:400:50])
    return {"community": community, "home": home, "away": away}
