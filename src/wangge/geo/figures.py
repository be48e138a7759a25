from .models import Division
from .selectors import active_layer, division_list, grid_counts_by_level, grid_list


def figures(scope) -> dict:
    divisions = division_list(scope)
    return {
        "grids_by_level": grid_counts_by_level(grid_list(scope, active_layer())),
        "subdistricts": divisions.filter(kind=Division.Kind.SUBDISTRICT).count(),
        "development_zones": divisions.filter(kind=Division.Kind.ZONE).count(),
        "communities": divisions.filter(kind=Division.Kind.COMMUNITY).count(),
    }


