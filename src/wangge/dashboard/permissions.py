"""Who may open the back-office dashboards.

Officials see their own node of the district tree and a grid worker their grid (the data scope
narrows every figure). Department handlers have their department's queue and residents the
public portal: neither reads the back-office dashboards. Deny by default: a role without a
node sees nothing.
"""

from wangge.accounts.models import Role
from wangge.accounts.scope import scope_of

DASHBOARD_ROLES = {Role.DISTRICT_OFFICIAL, Role.SUBDISTRICT_OFFICIAL, Role.COMMUNITY_OFFICIAL, Role.GRID_WORKER}


def can_read_dashboards(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.role in DASHBOARD_ROLES and scope_of(user).prefix is not None)
