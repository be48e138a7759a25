"""Who may read the dashboards: asked by the dashboard's pages, API and menu entry only."""

from wangge.accounts.models import Role
from wangge.geo.scope import scope_of

# Officials see their own node of the district tree and a grid worker their grid (the data scope
# narrows every figure). Department handlers have their department's queue and residents the
# public portal: neither reads the back-office dashboards. A role without a node sees nothing.
DASHBOARD_ROLES = {Role.DISTRICT_OFFICIAL, Role.SUBDISTRICT_OFFICIAL, Role.COMMUNITY_OFFICIAL, Role.GRID_WORKER}


def can_read_dashboards(user) -> bool:
    """Who may open the back-office dashboards (and see them in the menu)."""
    return bool(user.is_authenticated and user.is_active and user.role in DASHBOARD_ROLES and scope_of(user).prefix is not None)
