"""Who may do what in a rating round: small predicates, checked by the services, the API and the pages.

Market companies (市场化物业) are rated by the district; self-managed and ownerless courtyards'
services by their own subdistrict, against the same scheme. A company sees its own entries only.
"""

from wangge.accounts.models import Role
from wangge.geo.scope import scope_of

from ..models.compounds import Compound


def may_run_rounds(user) -> bool:
    """Opening a round, setting schemes and moving rounds: district officials."""
    return user is not None and user.is_authenticated and user.is_active and user.role == Role.DISTRICT_OFFICIAL


def may_rate(user, compound: Compound) -> bool:
    """Scoring a compound's inspection sections, finding its veto items, answering its objections."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if compound.mode == Compound.Mode.MARKET:
        return user.role == Role.DISTRICT_OFFICIAL
    return user.role == Role.SUBDISTRICT_OFFICIAL and scope_of(user).covers(compound.community.code)


def may_enter_survey(user, household) -> bool:
    """A grid worker enters the answers of the households of their own grid, on a visit."""
    return (
        user is not None and user.is_authenticated and user.is_active and user.role == Role.GRID_WORKER
        and scope_of(user).covers(household.building.grid_code or "-")
    )
