"""The rating's public answers: a company's published results, year by year."""

from decimal import Decimal

from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from wangge.core.errors import ErrorOut

from ..models.companies import PropertyCompany
from . import selectors

router = Router(tags=["星级评定"])


class RatingResultOut(Schema):
    year: int
    compound: str
    total: Decimal | None
    stars: int | None
    cases: int | None
    cases_per_100: Decimal | None
    on_time_rate: Decimal | None
    reopen_rate: Decimal | None
    case_satisfaction: Decimal | None
    survey_votes: int | None
    survey_satisfaction: Decimal | None


class RatingHistoryOut(Schema):
    company: str
    results: list[RatingResultOut]


@router.get("/companies/{company_id}/history", response={200: RatingHistoryOut, 404: ErrorOut}, auth=None)
def company_history(request, company_id: int):
    """What the portal discloses of a company: its results in the published rounds, with the
    case-derived and survey inputs beside each score; 404 for a company no published round names."""
    company = get_object_or_404(PropertyCompany, pk=company_id)
    entries = selectors.company_history(company.pk)
    if not entries:  # a company is named here only once a published round names it
        raise Http404("没有该企业已发布的评定结果")
    rows = [
        RatingResultOut(year=e.round.year, compound=e.compound.name, **{f: getattr(e, f) for f in RatingResultOut.model_fields if f not in ("year", "compound")})
        for e in entries
    ]
    return {"company": company.name, "results": rows}
