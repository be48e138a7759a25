"""Who runs an owners' vote: the officials whose scope holds the compound (the community guides
业主共同决定 and keeps its record; the owners' committee's own accounts come later)."""

from wangge.geo.scope import scope_of

from ..models.compounds import Compound


def may_run_votes(user, compound: Compound) -> bool:
    return user is not None and user.is_authenticated and user.is_official and scope_of(user).covers(compound.community.code)
