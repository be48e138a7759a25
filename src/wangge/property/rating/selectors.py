"""Reads of the star rating, always through the caller's scope: officials see the entries of the
compounds in their subtree, a company its own entries only, the public the published rounds."""

from django.db.models import QuerySet
from django.http import Http404

from wangge.geo.scope import scope_of
from wangge.people.models import Household

from ..models.rating import RatingEntry, RatingObjection, RatingRound, SurveyVote
from ..selectors.records import company_of
from .permissions import may_enter_survey

S = RatingRound.Status


def rounds_for(user) -> QuerySet[RatingRound]:
    """Rounds are the district's: every official sees the list (their entries are scoped)."""
    if user.is_authenticated and user.is_official:
        return RatingRound.objects.select_related("scheme")
    return RatingRound.objects.none()


def round_get(user, pk: int) -> RatingRound:
    found = rounds_for(user).filter(pk=pk).first()
    if found is None:
        raise Http404("评定不存在或不在您的管辖范围内")
    return found


def entries_for(user, rating_round: RatingRound | None = None) -> QuerySet[RatingEntry]:
    entries = RatingEntry.objects.select_related("compound__community", "company", "round")
    if rating_round is not None:
        entries = entries.filter(round=rating_round)
    if user.is_authenticated and user.is_official:
        return entries.filter(scope_of(user).q("compound__community__code"))
    company = company_of(user)
    if company is not None:
        return entries.filter(company=company)
    return entries.none()


def entry_get(user, pk: int) -> RatingEntry:
    found = entries_for(user).filter(pk=pk).first()
    if found is None:
        raise Http404("参评记录不存在或不在您的管辖范围内")
    return found


def objections_for(user, rating_round: RatingRound) -> QuerySet[RatingObjection]:
    return RatingObjection.objects.filter(entry__in=entries_for(user, rating_round)).select_related("entry__compound", "submitted_by", "answered_by")


def objection_get(user, pk: int) -> RatingObjection:
    found = RatingObjection.objects.filter(pk=pk, entry__in=entries_for(user)).select_related("entry__compound").first()
    if found is None:
        raise Http404("异议不存在或不在您的管辖范围内")
    return found


def survey_round() -> RatingRound | None:
    """The round whose survey is open, if any."""
    return RatingRound.objects.filter(status__in=(S.OPEN, S.SCORING)).select_related("scheme").order_by("-year").first()


def visit_households(user, rating_round: RatingRound) -> QuerySet[Household]:
    """The households of a grid worker's grid in the round's compounds that have not answered."""
    if user.role != "grid_worker":
        return Household.objects.none()
    answered = SurveyVote.objects.filter(round=rating_round).values("household_id")
    return (
        Household.objects.filter(scope_of(user).q("building__grid_code"), building__compound_holding__compound__rating_entries__round=rating_round)
        .exclude(pk__in=answered).select_related("building__compound_holding__compound").order_by("building__name", "unit", "room")
    )


def visit_household_get(user, rating_round: RatingRound, pk: int) -> Household:
    found = visit_households(user, rating_round).filter(pk=pk).first()
    if found is None or not may_enter_survey(user, found):
        raise Http404("该户不在您的网格内，或已参加调查")
    return found


def published_rounds() -> QuerySet[RatingRound]:
    return RatingRound.objects.filter(status=S.PUBLISHED).select_related("scheme").order_by("-year")


def company_history(company_id: int) -> list[RatingEntry]:
    """A company's published results, year by year (the public's)."""
    return list(
        RatingEntry.objects.filter(company_id=company_id, round__status=S.PUBLISHED).select_related("compound", "round")
        .order_by("-round__year", "compound__name")
    )
