"""Who may write, review and answer on the portal.

Articles speak for the whole district, so only district-wide officials write and review them.
A disclosure belongs to an area (its `area_code`, empty for the whole district): an official
whose scope covers that area writes, reviews and answers its objections. Publication always
takes two people: whoever submitted a piece may not approve it.
"""

from wangge.accounts.permissions import is_district_wide, is_official
from wangge.geo.scope import scope_of

from .models import Article, Disclosure, Publishable


def may_write_articles(user) -> bool:
    return user.is_authenticated and (user.is_superuser or (is_official(user) and is_district_wide(user)))


def may_write_disclosures(user, area_code: str) -> bool:
    """For the area `area_code` ('' is the whole district)."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    scope = scope_of(user)
    return is_official(user) and (scope.is_district if not area_code else scope.covers(area_code))


def may_use_office(user) -> bool:
    """Officials (and the superuser) keep the portal's back office."""
    return user.is_authenticated and (user.is_superuser or is_official(user))


def may_manage_words(user) -> bool:
    """The lexicon guards the whole district's pages: district-wide officials keep it."""
    return may_write_articles(user)


def may_edit(user, obj: Publishable) -> bool:
    if isinstance(obj, Article):
        return may_write_articles(user)
    assert isinstance(obj, Disclosure)
    return may_write_disclosures(user, obj.area_code)


def may_review(user, obj: Publishable) -> bool:
    return may_edit(user, obj) and obj.submitted_by_id != user.pk


# The actors `workflow.MOVES` names.
ACTORS = {"editor": may_edit, "reviewer": may_review}


def may_answer(user, disclosure: Disclosure) -> bool:
    return may_write_disclosures(user, disclosure.area_code)
