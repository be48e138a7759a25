from .selectors import building_totals


def figures(scope) -> dict:
    return building_totals(scope)
