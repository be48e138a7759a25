"""The fair as the projects app reads it: a signed match with its need, resource and community.

Projects stands above matching: it asks `signed_match` for what to carry into a new service
project and calls `fair.services.mark_converted` in the same transaction; matching never
imports projects.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError

from ..models import FairMatch, Need, Resource
from ..selectors import match_get


@dataclass(frozen=True)
class SignedMatch:
    match: FairMatch
    need: Need
    resource: Resource
    community_code: str  # the need's community: where the project serves
    fair_title: str


def signed_match(user, match_id: int) -> SignedMatch:
    """A signed match the user sees (404 otherwise), refused in Chinese when not signed yet or
    already converted."""
    match = match_get(user, match_id)
    if match.status != FairMatch.Status.SIGNED:
        raise ValidationError({"match": f"只有已签约的对接可以转为服务项目（当前：{match.get_status_display()}）"})
    return SignedMatch(match, match.need, match.resource, match.need.community_code, match.fair.title)
