"""The data scope: the one place that decides which part of the district a user may see.

Every code in the platform starts with the codes of its ancestors: district (6 digits),
subdistrict (9), community (12), level-3 grid (15). A user's scope is therefore a code prefix,
and an object is in scope when its code starts with that prefix. Selectors apply it; views and
APIs never build their own filters. No scope means nothing is visible (deny by default).
"""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q


@dataclass(frozen=True)
class Scope:
    prefix: str | None

    @classmethod
    def district(cls) -> "Scope":
        return cls(settings.WANGGE_DISTRICT_CODE)

    @property
    def is_district(self) -> bool:
        return self.prefix == settings.WANGGE_DISTRICT_CODE

    def covers(self, code: str) -> bool:
        return self.prefix is not None and code.startswith(self.prefix)

    def widened_to_community(self) -> "Scope":
        """A grid's scope widened to its community (to name the community a record belongs to)."""
        return Scope(self.prefix[:12]) if self.prefix and len(self.prefix) == 15 else self

    def q(self, field: str) -> Q:
        """A filter on a code field; matches nothing when the scope is empty."""
        if self.prefix is None:
            return Q(pk__in=[])
        return Q(**{f"{field}__startswith": self.prefix})


def prefix_of(code: str) -> str | None:
    """The prefix a node's code stands for, or None for a code that names no node."""
    if not code.isdigit():
        return None
    if len(code) == 15:
        return code
    if len(code) != 12:
        return None
    if code[6:] == "000000":
        return code[:6]
    if code[9:] == "000":
        return code[:9]
    return code


def scope_of(user) -> Scope:
    if user is None or not user.is_authenticated or not user.is_active:
        return Scope(None)
    if not user.role:
        return Scope(None)  # deny by default: a node without a role grants nothing
    if getattr(user, "sees_own_records_only", False):
        return Scope(None)  # companies and organisations: their own records, through their app
    return Scope(prefix_of(user.scope_code or ""))
