from .selectors.buildings import building_totals
from .selectors.party import grid_party_organisation_count
from .selectors.social import social_organisation_list
from .selectors.staff import staff_counts


def figures(scope) -> dict:
    return {
        **building_totals(scope),
        **staff_counts(scope),
        "grid_party_organisations": grid_party_organisation_count(scope),
        "social_organisations": social_organisation_list(scope).count(),
    }
