from .models import Division
from .selectors import active_layer, division_list, grid_list


def figures(scope) -> dict:
    divisions = division_list(scope)
    by_level = {str(level): 0 for level in (1, 2, 3)}
    for level in grid_list(scope, active_layer()).values_list("level", flat=True):
        by_level[str(level)] += 1
    return {
        "grids_by_level": by_level,
        "subdistricts": divisions.filter(kind=Division.Kind.SUBDISTRICT).count(),
        "development_zones": divisions.filter(kind=Division.Kind.ZONE).count(),
        "communities": divisions.filter(kind=Division.Kind.COMMUNITY).count(),
    }


